# Multi-estimations (Fan et al., ECCV'20), architecture #2 of the multi-
# architecture seeds: the CAM classifier (stages 1-2) on ResNet-101. The paper
# uses ResNet-38 (Wu et al., "wider or deeper"), which neither mmseg nor
# mmpretrain ships; mmseg's ResNetV1c-101 (ImageNet weights open-mmlab://) is
# the stand-in, at output stride 8 like the paper's backbones (last two stages
# dilated 2 and 4, strides 1). Everything else is the VGG-16 CAM recipe.
#   stage 1: python tools/train.py configs/multi_seed/cam_resnet101_voc12.py
#   stage 2: the seed configs in configs/multi_seed/seeds_voc12/resnet101_*.py
_base_ = ['../cam/cam_vgg16_voc12.py']
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_resnet101_voc12'
model = dict(
    backbone=dict(
        _delete_=True, type='ResNetV1c', depth=101, num_stages=4, out_indices=(3, ),
        strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4),
        norm_cfg=dict(type='BN', requires_grad=True), norm_eval=False, style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet101_v1c')),
    cls_head=dict(in_channels=2048))
test_evaluator = dict(output_dir=seed_dir)
