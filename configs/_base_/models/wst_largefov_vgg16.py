# Multi-estimations (Fan et al., ECCV'20), stage 3: DeepLab-LargeFOV on VGG-16
# (deeplab_largefov_vgg16.py) trained on K seed sets at once with weighted
# selective training (WST, eq. 5-7, s = 1). The wrapped head is the
# baseline's LargeFOV (its own CE loss unused); the plain multi-seed loss
# (eq. 4) is model.decode_head.loss_decode.scale=0, eq. (6) as printed
# model.decode_head.loss_decode.ignored_seeds=keep_share.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(321, 321))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG',
        out_indices=(4, ),
        with_last_pool=True,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    decode_head=dict(
        type='MultiSeedHead',
        head=dict(
            type='LargeFOVHead',
            in_channels=512,
            channels=1024,
            dilation=12,
            dropout_ratio=0.5,
            num_classes=21,
            norm_cfg=None,
            align_corners=False,
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
        # ignored_seeds: a seed that leaves a pixel unlabelled is left out of
        # eq. (6)'s softmax ('renormalise': a pixel's label weights sum to 1,
        # as the paper's text says) or keeps its share ('keep_share': eq. 6
        # as printed, ambiguous pixels down-weighted); see
        # wsss_mm/models/utils/wst.py
        loss_decode=dict(
            type='WSTLoss',
            scale=1.0,
            ignored_seeds='renormalise',
            loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
