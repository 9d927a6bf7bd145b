# Multi-estimations stage 3 on the mini benchmark: the VOC twin (LargeFOV + WST
# on 12 seed sets) with the scale changes of
# configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py: slim mini-pretrained
# VGG-16, 128x128 crops, LargeFOV dilation 4 / dropout 0.1 / 128 channels,
# 1,000 iterations at lr 0.01. Seed sets: configs/multi_seed/seeds_mini/*.py
# (slim VGG-16 and slim ResNet-18 CAMs) in work_dirs/seeds/multi_seed_mini/.
_base_ = ['./wst_largefov_vgg16_voc12_12seeds.py', '../_base_/datasets/mini_fmnist_weak.py']
pretrained = '{{ fileDirname }}/../../data/pretrained/vgg16-slim_fmnist-objects.pth'
ms_seed_root = '{{ fileDirname }}/../../work_dirs/seeds/multi_seed_mini'
seed_sets = [
    'vgg16_threshold_s100', 'vgg16_threshold_s075', 'vgg16_threshold_s050',
    'vgg16_crf_s100', 'vgg16_crf_s075', 'vgg16_crf_s050',
    'resnet18_threshold_s100', 'resnet18_threshold_s075',
    'resnet18_threshold_s050',
    'resnet18_crf_s100', 'resnet18_crf_s075', 'resnet18_crf_s050',
]
seed_dirs = [ms_seed_root + '/' + name for name in seed_sets]
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(width_mult=0.125, norm_cfg=dict(type='BN'),
                  init_cfg=dict(checkpoint=pretrained)),
    decode_head=dict(head=dict(in_channels=64, channels=128, num_classes=11, dilation=4,
                               dropout_ratio=0.1)))
wst_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSeedMaps'),
    dict(type='RandomResize', scale=(128, 128), ratio_range=(0.75, 1.25), keep_ratio=True),
    dict(type='RandomCrop', crop_size=_base_.mini_crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
train_dataloader = dict(
    batch_size=32, num_workers=2,
    dataset=dict(data_root=_base_.mini_data_root, ann_file=_base_.mini_train_ann,
                 data_prefix=dict(label_path=_base_.mini_gt_dir),
                 seed_dirs=seed_dirs, pipeline=wst_train_pipeline))
val_dataloader = _base_.mini_val_dataloader
test_dataloader = _base_.mini_val_dataloader
tta_pipeline = _base_.mini_tta_pipeline
# about 21 epochs of 1,500 scenes at batch 32
param_scheduler = [dict(type='PolyLR', eta_min=0, power=0.9, begin=0, end=1000, by_epoch=False)]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=50))
optim_wrapper = dict(optimizer=dict(lr=0.01))
