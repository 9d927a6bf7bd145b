# Single-stage WSSS (Araslanov & Roth, CVPR'20) on VGG-16: one network, one
# run. nGWP class scores + focal mask penalty -> multi-label soft-margin loss;
# PAMR-refined masks -> pseudo labels -> class-balanced CE (switched on after
# the warm-up, SegLossWarmupHook); Stochastic Gate (psi 0.3) + GCI.
# As the reference: ASPP BatchNorm statistics frozen (aspp_norm_eval); the
# "Deterministic Gate" ablation (gate.deterministic=True) mixes at 0.5
# (deterministic_psi, paper Sec. 4.2).
#
# Backbone as in the reference code (models/backbones/vgg16d.py): VGG-16,
# pool4 stride 1, conv5 dilated 2 -> output stride 8; skip = conv3_3 (stride
# 4, 256 ch). The reference's fc6/fc7 (1024 ch, from its "vgg16_20M" DeepLab
# weights) are not used: ASPP sits on conv5 (torchvision ImageNet weights);
# conv1 frozen (reference: _fix_params(conv1_1, conv1_2)).
# Besides the model: the method's training augmentation (paper Sec. 4.1:
# rescale 0.9-1.0 of the area, crop, flip, colour jitter), its test scales
# and the warm-up, which every single-stage config shares.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(321, 321))
model = dict(
    type='SingleStageSegmentor',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG',
        out_indices=(2, 4),
        out_before_pool=True,
        frozen_stages=0,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    decode_head=dict(
        type='NGWPHead',
        in_channels=512,
        in_index=1,
        c1_in_channels=256,
        c1_index=0,
        channels=256,
        c1_channels=48,
        num_classes=21,
        dilations=(1, 12, 24, 36),
        aspp_dropout_ratio=0.5,
        aspp_norm_eval=True,
        decoder_dropout_ratios=(0.5, 0.1),
        gci=dict(),
        gate=dict(
            type='StochasticGate',
            psi=0.3,
            rescale_deep=True,
            deterministic_psi=0.5),
        bg_score=1.0,
        norm_cfg=dict(type='BN', requires_grad=True),
        align_corners=False),
    pamr=dict(type='PAMR', num_iter=10, dilations=(1, 2, 4, 8, 12, 24)),
    bg_score=1.0,
    eps=1.0,
    focal_p=3.0,
    focal_lambda=0.01,
    loss_cls=dict(type='MultiLabelSoftMarginLoss', loss_weight=1.0),
    seg_loss_weight=1.0,
    pseudo_label_cfg=dict(
        fg_ratio=0.6, bg_ratio=0.7, min_score=0.2, resolution='input'),
    train_cfg=dict(),
    # paper: remove classes with confidence < 0.1; crf=True adds the dense CRF
    # (10 it., Gaussian 3/3, bilateral 80/13/10: the reference's settings)
    test_cfg=dict(
        cls_threshold=0.1, use_gt_labels=False, crf=None, bg_pow=1.0))

# training augmentation at crop 321 (a config at another scale replaces the
# RandomCrop's crop_size)
ngwp_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomRescale', ratio_range=(0.9, 1.0), area=True),
    dict(type='RandomCrop', crop_size=(321, 321)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
# multi-scale + flip (--tta; the single-stage configs' tta_model is
# SingleStageTTAModel: views averaged, then class filter, bg_pow and CRF), the
# reference's scales for VGG/ResNet-101 (ResNet-38: 1/0.5/1.5/2,
# configs/single_stage/_base_/ngwp_wrn38_voc12.py)
ngwp_tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='Resize', scale_factor=r, keep_ratio=True)
                for r in (1.0, 0.75, 1.25, 1.5)
            ],
            [
                dict(type='RandomFlip', prob=0., direction='horizontal'),
                dict(type='RandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadAnnotations')],
            [dict(type='PackWeakSegInputs')],
        ])
]
# the segmentation loss is off for the first quarter of the training loop
# (paper: 5 of 20 epochs), whatever its length (iterations or epochs)
custom_hooks = [dict(type='SegLossWarmupHook', warmup_ratio=0.25)]
