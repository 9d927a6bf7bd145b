# Single-stage WSSS (Araslanov & Roth, CVPR'20) on VOC 2012 aug, VGG-16
# (configs/_base_/models/ngwp_vgg16.py), everything but the test pair, which
# its configs set: ../ngwp_vgg16_voc12.py (val mIoU) and
# ../ngwp_vgg16_voc12_pseudo-masks.py (pseudo masks of train).
# Schedule: paper Sec. 4.1 (SGD m 0.9, wd 5e-4, constant LR 1e-3 backbone /
# 1e-2 new layers, 20 epochs, 5 warm-up, batch 16, crop 321, rescale 0.9-1.0
# of the area, flip, colour jitter), with the reference's parameter groups
# (models/backbones/base_net.py: parameter_groups, _lr_mult 1/2/10/20):
# backbone weights 1x, backbone biases 2x, new-layer weights 10x, new-layer
# biases 20x, no weight decay on any bias. The reference's VGG yaml differs
# in: crop 448, 32 epochs, inference FP_CUT_SCORE 0.3, scales
# 1/0.75/1.25/1.5 (those of the tta_pipeline here).
_base_ = [
    '../../_base_/models/ngwp_vgg16.py',
    '../../_base_/datasets/voc12_aug_weak.py',
    '../../_base_/default_runtime.py'
]
# classification-style loader (image-level labels only), epoch-based;
# drop_last: a last batch of one image would break the BN of the ASPP
# image pooling (as in any DeepLabv3+)
train_dataloader = dict(
    _base_.cls_train_dataloader,
    sampler=dict(type='DefaultSampler', shuffle=True),
    drop_last=True,
    dataset=dict(
        _base_.cls_train_dataloader.dataset,
        pipeline=_base_.ngwp_train_pipeline))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
tta_pipeline = _base_.ngwp_tta_pipeline
# --tta: views averaged first, then class filter, bg_pow and CRF once
tta_model = dict(type='SingleStageTTAModel', cls_merge='max')

# Reference parameter groups with mmengine's DefaultOptimWrapperConstructor.
# custom_keys are substrings of the parameter names, tried longest first, and
# a match skips the bias_* rules; so the new layers' biases need keys longer
# than the head's: 'bn.bias' (the BatchNorm biases of the head's ConvModules
# and GCI; the backbone BNs are frozen) and 'conv_seg.bias' (its only conv
# bias) before 'head' (everything else of decode_head). Backbone conv biases
# (VGG-16) match no key: bias_lr_mult / bias_decay_mult. Frozen parameters
# are not in the optimiser.
bias_new = dict(lr_mult=20.0, decay_mult=0.0)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4),
    clip_grad=None,
    paramwise_cfg=dict(
        bias_lr_mult=2.0,
        bias_decay_mult=0.0,
        custom_keys={
            'head': dict(lr_mult=10.0),
            'bn.bias': bias_new,
            'conv_seg.bias': bias_new
        }))
param_scheduler = []  # constant learning rate
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=True, interval=5, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
