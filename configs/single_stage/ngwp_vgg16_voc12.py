# Single-stage WSSS (Araslanov & Roth, CVPR'20) on VOC 2012 aug, VGG-16.
# One network, one run: nGWP class scores + focal mask penalty -> multi-label
# soft-margin loss; PAMR-refined masks -> pseudo labels -> class-balanced CE
# (switched on after a 5-epoch warm-up); Stochastic Gate (psi 0.3) + GCI.
#   python tools/train.py configs/single_stage/ngwp_vgg16_voc12.py
#   python tools/test.py  configs/single_stage/ngwp_vgg16_voc12.py \
#       work_dirs/ngwp_vgg16_voc12/epoch_20.pth [--tta] \
#       [--cfg-options model.test_cfg.crf=True]                 # val mIoU
#   pseudo-mask quality (Table 2): ngwp_vgg16_voc12_pseudo-masks.py
#
# Backbone as in the reference code (models/backbones/vgg16d.py): VGG-16,
# pool4 stride 1, conv5 dilated 2 -> output stride 8; skip = conv3_3 (stride
# 4, 256 ch). The reference's fc6/fc7 (1024 ch, from its "vgg16_20M" DeepLab
# weights) are not used: ASPP sits on conv5 (torchvision ImageNet weights);
# conv1 frozen (reference: _fix_params(conv1_1, conv1_2)).
# Schedule: paper Sec. 4.1 (SGD m 0.9, wd 5e-4, constant LR 1e-3 backbone /
# 1e-2 new layers, 20 epochs, 5 warm-up, batch 16, crop 321, rescale 0.9-1.0
# of the area, flip, colour jitter). The reference's VGG yaml differs in:
# crop 448, 32 epochs, inference FP_CUT_SCORE 0.3, scales 1/0.75/1.25/1.5;
# it also trains biases at 2x (20x new) LR without weight decay.
_base_ = ['../_base_/datasets/voc12_aug_weak.py', '../_base_/default_runtime.py']

data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=(321, 321))
model = dict(
    type='SingleStageSegmentor',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG', out_indices=(2, 4), out_before_pool=True,
        frozen_stages=0,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    decode_head=dict(
        type='NGWPHead', in_channels=512, in_index=1, c1_in_channels=256,
        c1_index=0, channels=256, c1_channels=48, num_classes=21,
        dilations=(1, 12, 24, 36), aspp_dropout=0.5, decoder_dropouts=(0.5, 0.1),
        gci=dict(), gate=dict(type='StochasticGate', psi=0.3),
        bg_score=1.0, norm_cfg=dict(type='BN', requires_grad=True),
        align_corners=False),
    pamr=dict(type='PAMR', num_iter=10, dilations=(1, 2, 4, 8, 12, 24)),
    bg_score=1.0, eps=1.0, focal_p=3.0, focal_lambda=0.01,
    loss_cls=dict(type='MultiLabelSoftMarginLoss', loss_weight=1.0),
    seg_loss_weight=1.0,
    pseudo_label_cfg=dict(fg_ratio=0.6, bg_ratio=0.7, min_score=0.2,
                          resolution='input'),
    train_cfg=dict(),
    # paper: remove classes with confidence < 0.1; crf=True adds the dense CRF
    # (10 it., Gaussian 3/3, bilateral 80/13/10: the reference's settings)
    test_cfg=dict(cls_threshold=0.1, use_gt_labels=False, crf=None, bg_pow=1.0))

crop_size = (321, 321)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomRescale', ratio_range=(0.9, 1.0), area=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
# classification-style loader (image-level labels only), epoch-based;
# drop_last: a last batch of one image would break the BN of the ASPP
# image pooling (as in any DeepLabv3+)
train_dataloader = dict(
    _base_.cls_train_dataloader,
    sampler=dict(type='DefaultSampler', shuffle=True), drop_last=True,
    dataset=dict(_base_.cls_train_dataloader.dataset, pipeline=train_pipeline))
# multi-scale + flip (--tta), the reference's scales for VGG/ResNet
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='TestTimeAug', transforms=[
        [dict(type='Resize', scale_factor=r, keep_ratio=True)
         for r in (1.0, 0.75, 1.25, 1.5)],
        [dict(type='RandomFlip', prob=0., direction='horizontal'),
         dict(type='RandomFlip', prob=1., direction='horizontal')],
        [dict(type='LoadAnnotations')],
        [dict(type='PackWeakSegInputs')],
    ])
]

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4),
    clip_grad=None,
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.0)}))
param_scheduler = []  # constant learning rate
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
custom_hooks = [dict(type='SegLossWarmupHook', warmup_epochs=5)]
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=True, interval=5, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
