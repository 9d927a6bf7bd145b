# Architecture #2 of the mini benchmark's multi-architecture seeds: the VOC
# twin (ResNet-101 CAM classifier, configs/_base_/models/cam_r101.py) at mini
# scale: a slim ResNet-18-V1c (1/4 width, 128 output channels, output stride
# 8), mini-pretrained (configs/_base_/models/mini_slim.py), 128x128 crops and
# the schedule of configs/cam/cam_vgg16-slim_mini.py.
_base_ = [
    '../_base_/models/cam_r101.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/mini_fmnist_weak_cls.py',
    '../_base_/schedules/cls_1k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.resnet18_slim,
    cls_head=dict(in_channels=128, num_classes=10, dropout_ratio=0.0),
    seed_generator=dict(
        scales=(1.0, 0.75, 1.25), fg_threshold=0.45, bg_threshold=0.45))
test_evaluator = dict(output_dir=_base_.cam_resnet18_slim_mini_seeds)
