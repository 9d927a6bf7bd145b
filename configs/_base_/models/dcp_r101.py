# DCP classification network (Luo & Yang AAAI'20): ResNet-101 (ImageNet,
# torchvision weights, BN frozen), output stride 16, CAM head (paper: "we
# first learn a normal classification network using the class labels"),
# seeds by DCP at layer C4_1 = the first block of the *last* stage of
# ResNet-101 ("three different blocks in the last stage (C4) of ResNet-101,
# namely C41, C42 and C43. Block C43 is closest to the classification
# layer"): backbone.layer4.0 (Table 1: C4_1 60.3 > C4_2 'backbone.layer4.1'
# 52.4 > C4_3 'backbone.layer4.2' 46.0 mIoU).
_base_ = ['./dcp_seed_generator.py']
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
        type='ResNet',
        depth=101,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        style='pytorch',
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet101')),
    cls_head=dict(
        type='CAMHead', in_channels=2048, num_classes=20, dropout_ratio=0.0),
    seed_generator=dict(_base_.dcp_seed_generator, layer='backbone.layer4.0'))
