# Pseudo-mask quality (Table 2): the trained single-stage model over the
# TRAIN split, classes absent from the image-level labels removed
# (test_cfg.use_gt_labels), scored as seed mIoU by SeedMetric, masks written
# as PNGs (usable as stage-3 labels, supplemental Sec. E).
#   python tools/test.py configs/single_stage/ngwp_vgg16_voc12_pseudo-masks.py
#   \
#       work_dirs/ngwp_vgg16_voc12/epoch_20.pth [--tta] \
#       [--cfg-options model.test_cfg.crf=True]
# ResNet-101 twin: ngwp_r101_voc12_pseudo-masks.py.
_base_ = ['./_base_/ngwp_vgg16_voc12.py', '../_base_/paths.py']
model = dict(test_cfg=dict(use_gt_labels=True))
test_dataloader = _base_.seed_dataloader
test_evaluator = dict(
    type='SeedMetric',
    prefix='seed',
    output_dir=_base_.ngwp_vgg16_voc12_pseudo_masks)
