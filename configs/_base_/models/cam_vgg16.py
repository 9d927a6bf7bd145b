# CAM classifier (stage 1/2): DeepLab VGG-16 (output stride 8) + 1x1 conv +
# GAP, multi-label soft-margin loss; seed mode = normalised-CAM thresholds.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(321, 321))
model = dict(
    type='WeakClassifier',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG',
        out_indices=(4, ),
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    cls_head=dict(
        type='CAMHead', in_channels=512, num_classes=20, dropout_ratio=0.5),
    seed_generator=dict(
        type='CAMSeedGenerator',
        scales=(1.0, 0.5, 1.5, 2.0),
        flip=True,
        fg_threshold=0.3,
        bg_threshold=0.3))
