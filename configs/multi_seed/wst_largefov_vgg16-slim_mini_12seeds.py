# Multi-estimations stage 3 on the mini benchmark: the VOC twin (LargeFOV + WST
# on 12 seed sets) with the scale changes of
# configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py: slim
# mini-pretrained
# VGG-16, 128x128 crops, LargeFOV dilation 4 / dropout 0.1 / 128 channels,
# 1,000 iterations at lr 0.01 (configs/_base_/schedules/seg_1k.py). Seed
# sets: configs/multi_seed/seeds_mini/*.py (slim VGG-16 and slim ResNet-18
# CAMs) in multi_seed_mini_root (configs/_base_/paths.py).
_base_ = [
    '../_base_/models/wst_largefov_vgg16.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/mini_fmnist_weak_seg.py',
    '../_base_/schedules/seg_1k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
seed_sets = [
    'vgg16_threshold_s100',
    'vgg16_threshold_s075',
    'vgg16_threshold_s050',
    'vgg16_crf_s100',
    'vgg16_crf_s075',
    'vgg16_crf_s050',
    'resnet18_threshold_s100',
    'resnet18_threshold_s075',
    'resnet18_threshold_s050',
    'resnet18_crf_s100',
    'resnet18_crf_s075',
    'resnet18_crf_s050',
]
seed_dirs = [_base_.multi_seed_mini_root + '/' + name for name in seed_sets]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=dict(head=_base_.largefov_slim_head))
wst_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSeedMaps'),
    dict(
        type='RandomResize',
        scale=(128, 128),
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=_base_.crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
train_dataloader = dict(
    dataset=dict(seed_dirs=seed_dirs, pipeline=wst_train_pipeline))
