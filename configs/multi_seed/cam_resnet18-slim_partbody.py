# Architecture #2 of the part-and-body benchmark's multi-architecture seeds:
# the VOC twin (ResNet-101 CAM classifier, configs/_base_/models/cam_r101.py)
# with the slim ResNet-18-V1c of the mini benchmark (1/4 width, 128 output
# channels, output stride 8; configs/_base_/models/mini_slim.py), the
# part-and-body data and the schedule of configs/cam/cam_vgg16-slim_partbody.py
# (1,000 iterations at batch 8). Seed settings are the VOC twin's (scales
# 1/0.5/1.5/2 + flip, thresholds 0.3; docs/scale.md); the multi-estimation
# seed sets are configs/multi_seed/seeds_partbody/resnet18_*.py.
_base_ = [
    '../_base_/models/cam_r101.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/partbody_weak_cls.py', '../_base_/schedules/cls_1k.py',
    '../_base_/default_runtime.py', '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.resnet18_slim,
    # as cam_vgg16-slim_partbody.py and the mini twin: no Dropout2d on the slim
    # net
    cls_head=dict(in_channels=128, num_classes=10, dropout_ratio=0.0))
test_evaluator = dict(output_dir=_base_.cam_resnet18_slim_partbody_seeds)
