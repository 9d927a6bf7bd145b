# Multi-estimations stage 3 on the part-and-body benchmark: the VOC twin (WST
# on 12 seed sets, s = 1) on the 8 sets of scales 1 and 0.75 (the 0.5-scale
# sets' 16-cell maps have no VOC counterpart: docs/scale.md rule 7), with
# the shared two-stage segmentation network there (DeepLab v3 on the slim
# VGG-16, configs/_base_/models/mini_slim.py: partbody_aspp_head) as
# MultiSeedHead's wrapped head in place of LargeFOV, 256x256 crops, the
# part-and-body stage-3 schedule (seg_2k.py: 2,000 iterations, batch 8), the
# seeds pipeline of the mini twin at 256 px, and the VOC test CRF's
# bilateral sxy 80 x 256/500 = 41 (--tta; docs/scale.md).
# Seed sets:
# configs/multi_seed/seeds_partbody/*.py (slim VGG-16 and slim ResNet-18
# CAMs) in multi_seed_partbody_root (configs/_base_/paths.py).
_base_ = [
    '../_base_/models/wst_largefov_vgg16.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/partbody_weak_seg.py', '../_base_/schedules/seg_2k.py',
    '../_base_/default_runtime.py', '../_base_/paths.py'
]
seed_sets = [
    'vgg16_threshold_s100',
    'vgg16_threshold_s075',
    'vgg16_crf_s100',
    'vgg16_crf_s075',
    'resnet18_threshold_s100',
    'resnet18_threshold_s075',
    'resnet18_crf_s100',
    'resnet18_crf_s075',
]
seed_dirs = [
    _base_.multi_seed_partbody_root + '/' + name for name in seed_sets
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=dict(head=dict(_base_.partbody_aspp_head, _delete_=True)))
wst_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSeedMaps'),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=_base_.crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
train_dataloader = dict(
    dataset=dict(seed_dirs=seed_dirs, pipeline=wst_train_pipeline))
tta_model = dict(
    type='DSRGTTAModel',
    merge='logits',
    crf=dict(
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=41, srgb=13, compat=10)))
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='LoadAnnotations')],
            [dict(type='PackWeakSegInputs')],
        ])
]
