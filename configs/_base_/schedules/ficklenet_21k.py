# FickleNet classifier schedule (Lee et al. CVPR'19, Sec. 4.1): Adam 1e-3
# halved every 10 epochs, 20 epochs at batch 10 (10,582 images / batch 10 =
# 1,059 iterations an epoch).
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='StepLR', step_size=10590, gamma=0.5, by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=21180, val_interval=21180)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=21180,
        max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
