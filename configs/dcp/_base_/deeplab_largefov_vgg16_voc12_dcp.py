# DCP stage 3 on VOC 2012 aug (DeepLab-LargeFOV, VGG-16, on the DCP seeds of
# configs/dcp/dcp_r101_voc12.py), everything but the test pair, which its
# configs set: ../deeplab_largefov_vgg16_voc12_dcp-seeds.py (val mIoU) and
# ../deeplab_largefov_vgg16_voc12_dcp-predict.py (label PNGs of train).
# Paper (Training and Testing Setting): Adam, LR 1e-4 for the new layers and
# 5e-6 for the backbone, batch 16, 20 epochs (10,582 / 16 x 20 = 13,230
# iterations), 328x328 training images; multi-scale test + CRF.
_base_ = [
    '../../_base_/models/deeplab_largefov_vgg16.py', '../../_base_/datasets/voc12_aug_weak.py',
    '../../_base_/default_runtime.py', '../../_base_/paths.py'
]
crop_size = (328, 328)
model = dict(data_preprocessor=dict(size=crop_size))
_seg = _base_.seg_train_dataloader
train_dataloader = dict(
    _seg, batch_size=16,
    dataset=dict(_seg.dataset, data_prefix=dict(_seg.dataset.data_prefix,
                                                seg_map_path=_base_.dcp_r101_voc12_seeds),
                 pipeline=[
                     dict(type='LoadImageFromFile'),
                     dict(type='LoadAnnotations'),
                     dict(type='RandomResize', scale=(512, 512), ratio_range=(0.5, 1.5),
                          keep_ratio=True),
                     dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
                     dict(type='RandomFlip', prob=0.5),
                     dict(type='PhotoMetricDistortion'),
                     dict(type='PackWeakSegInputs'),
                 ]))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-4, weight_decay=0.0),
                     paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.05)}))
param_scheduler = [dict(type='ConstantLR', factor=1.0, begin=0, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=13230, val_interval=13230)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=13230, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
