# Pseudo-mask quality (Table 2) on the mini benchmark: the trained mini model
# over the train split with the image-level labels, as seed mIoU.
#   python tools/test.py
#   configs/single_stage/ngwp_vgg16-slim_mini_pseudo-masks.py \
#       work_dirs/ngwp_vgg16-slim_mini/iter_1000.pth [--tta]
_base_ = ['./_base_/ngwp_vgg16-slim_mini.py', '../_base_/paths.py']
model = dict(test_cfg=dict(use_gt_labels=True))
test_dataloader = _base_.seed_dataloader
test_evaluator = dict(
    type='SeedMetric',
    prefix='seed',
    output_dir=_base_.ngwp_vgg16_slim_mini_pseudo_masks)
