# Single-stage WSSS (Araslanov & Roth, CVPR'20) on VOC 2012 aug, VGG-16
# (configs/_base_/models/ngwp_vgg16.py), everything but the test pair, which
# its configs set: ../ngwp_vgg16_voc12.py (val mIoU) and
# ../ngwp_vgg16_voc12_pseudo-masks.py (pseudo masks of train).
# Schedule: paper Sec. 4.1 (SGD m 0.9, wd 5e-4, constant LR 1e-3 backbone /
# 1e-2 new layers, 20 epochs, 5 warm-up, batch 16, crop 321, rescale 0.9-1.0
# of the area, flip, colour jitter). The reference's VGG yaml differs in:
# crop 448, 32 epochs, inference FP_CUT_SCORE 0.3, scales 1/0.75/1.25/1.5;
# it also trains biases at 2x (20x new) LR without weight decay.
_base_ = [
    '../../_base_/models/ngwp_vgg16.py', '../../_base_/datasets/voc12_aug_weak.py',
    '../../_base_/default_runtime.py'
]
# classification-style loader (image-level labels only), epoch-based;
# drop_last: a last batch of one image would break the BN of the ASPP
# image pooling (as in any DeepLabv3+)
train_dataloader = dict(
    _base_.cls_train_dataloader,
    sampler=dict(type='DefaultSampler', shuffle=True), drop_last=True,
    dataset=dict(_base_.cls_train_dataloader.dataset, pipeline=_base_.ngwp_train_pipeline))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
tta_pipeline = _base_.ngwp_tta_pipeline

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4),
    clip_grad=None,
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.0)}))
param_scheduler = []  # constant learning rate
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=True, interval=5, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
