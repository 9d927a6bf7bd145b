# The part-and-body benchmark's common stage-3 schedule (every method's
# segmentation network there, and the single-stage network, so that methods
# compare): seg_1k.py's optimiser and poly decay over 2,000 iterations at
# batch 8 (about 11 epochs of 1,500 scenes). Chosen to calibrate the
# instrument (issue #15), on the GT reference: DeepLab v3 on the slim VGG-16
# reached 34.2 val mIoU after 1,000 iterations (training loss still falling)
# and 57.3 after 2,000, both on the scenes' first recipe (mirror-paired body
# stripes, body_stripes='angle') (``end`` of the poly decay defaults to
# train_cfg.max_iters). Standalone like mmseg's schedule files (inheriting
# seg_1k.py would make the DCP partbody configs four levels deep).
optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=optimizer,
    clip_grad=None,
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0, power=0.9, begin=0, by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=2000, val_interval=2000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=2000,
        max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
