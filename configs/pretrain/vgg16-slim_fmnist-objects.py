# Mini pretraining: the stand-in for ImageNet weights on the mini benchmark.
# An mmpretrain classifier on single Fashion-MNIST *train-split* objects
# rendered like the scenes (data/fmnist_objects, written by
# tools/dataset_converters/
# fashion_mnist_scenes.py --only-objects --objects N --out
# data/fmnist_objects).
#   python tools/train.py configs/pretrain/vgg16-slim_fmnist-objects.py
#   python tools/extract_backbone.py work_dirs/.../epoch_3.pth
#   data/pretrained/vgg16-slim_fmnist-objects.pth
# tools/wsss_pipeline.py does both once and caches the result (keyed by this
# config).
_base_ = ['mmpretrain::_base_/default_runtime.py']
custom_imports = dict(
    imports=['mmpretrain.models', 'wsss_mm'], allow_failed_imports=False)
default_scope = 'mmpretrain'
data_root = 'data/fmnist_objects'
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='mmseg.DeepLabVGG',
        width_mult=0.125,
        norm_cfg=dict(type='BN'),
        out_indices=(4, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, )))
data_preprocessor = dict(
    num_classes=10,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CustomDataset',
        data_root=data_root,
        ann_file='train.txt',
        data_prefix='',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CustomDataset',
        data_root=data_root,
        ann_file='val.txt',
        data_prefix='',
        pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=3, by_epoch=True, begin=0, end=3)
]
train_cfg = dict(by_epoch=True, max_epochs=3, val_interval=3)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(type='CheckpointHook', interval=3, max_keep_ckpts=1))
randomness = dict(seed=0)
