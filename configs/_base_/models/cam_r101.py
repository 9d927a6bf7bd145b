# CAM classifier (stage 1/2) on mmseg's ResNetV1c-101 (ImageNet weights
# open-mmlab://), output stride 8 (last two stages dilated 2 and 4, strides
# 1), the recipe of cam_vgg16.py otherwise: architecture #2 of the
# multi-estimation seeds (the paper's ResNet-38 is in neither mmseg nor
# mmpretrain).
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
        type='ResNetV1c',
        depth=101,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(
            type='Pretrained', checkpoint='open-mmlab://resnet101_v1c')),
    cls_head=dict(
        type='CAMHead', in_channels=2048, num_classes=20, dropout_ratio=0.5),
    seed_generator=dict(
        type='CAMSeedGenerator',
        scales=(1.0, 0.5, 1.5, 2.0),
        flip=True,
        fg_threshold=0.3,
        bg_threshold=0.3))
