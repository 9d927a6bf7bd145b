# Pseudo-mask quality (Table 2) of the ResNet-101 twin; see
# ngwp_vgg16_voc12_pseudo-masks.py.
#   python tools/test.py configs/single_stage/ngwp_r101_voc12_pseudo-masks.py \
#       work_dirs/ngwp_r101_voc12/epoch_20.pth [--tta] [--cfg-options
#       model.test_cfg.crf=True]
_base_ = ['./_base_/ngwp_r101_voc12.py', '../_base_/paths.py']
model = dict(test_cfg=dict(use_gt_labels=True))
test_dataloader = _base_.seed_dataloader
test_evaluator = dict(
    type='SeedMetric',
    prefix='seed',
    output_dir=_base_.ngwp_r101_voc12_pseudo_masks)
