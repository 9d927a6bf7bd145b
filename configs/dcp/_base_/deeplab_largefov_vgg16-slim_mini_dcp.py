# DCP stage 3 on the mini benchmark (twin of
# deeplab_largefov_vgg16_voc12_dcp.py),
# everything but the test pair: slim LargeFOV (configs/_base_/models/
# mini_slim.py) on the DCP seeds of configs/dcp/dcp_vgg16-slim_mini.py. Scale:
# the mini network and the mini benchmark's common stage-3 schedule (SGD
# 0.01, head 10x, poly, 1,000 iterations, batch 32: the CAM baseline's,
# configs/_base_/schedules/seg_1k.py, written out here without its
# clip_grad=None entry, as these configs always had it), so that methods
# compare.
_base_ = [
    '../../_base_/models/deeplab_largefov_vgg16.py',
    '../../_base_/models/mini_slim.py',
    '../../_base_/datasets/mini_fmnist_weak.py',
    '../../_base_/default_runtime.py', '../../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=_base_.largefov_slim_head)
_seg = _base_.seg_train_dataloader
train_dataloader = dict(
    _seg,
    dataset=dict(
        _seg.dataset,
        data_prefix=dict(
            _seg.dataset.data_prefix,
            seg_map_path=_base_.dcp_vgg16_slim_mini_seeds)))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0, power=0.9, begin=0, by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=1000, val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=1000,
        max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
