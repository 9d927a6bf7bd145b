# Multi-estimations (Fan et al., ECCV'20), architecture #2 of the multi-
# architecture seeds: the CAM classifier (stages 1-2) on ResNet-101. The paper
# uses ResNet-38 (Wu et al., "wider or deeper"), which neither mmseg nor
# mmpretrain ships; mmseg's ResNetV1c-101 (ImageNet weights open-mmlab://) is
# the stand-in, at output stride 8 like the paper's backbones (last two stages
# dilated 2 and 4, strides 1): configs/_base_/models/cam_r101.py. Everything
# else is the VGG-16 CAM recipe (configs/cam/cam_vgg16_voc12.py).
#   stage 1: python tools/train.py configs/multi_seed/cam_resnet101_voc12.py
#   stage 2: the seed configs in configs/multi_seed/seeds_voc12/resnet101_*.py
_base_ = [
    '../_base_/models/cam_r101.py', '../_base_/datasets/voc12_aug_weak_cls.py',
    '../_base_/schedules/cls_8k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
test_evaluator = dict(output_dir=_base_.cam_resnet101_voc12_seeds)
