# Pseudo-mask quality (Table 2) on the part-and-body benchmark: the trained
# partbody model over the train split with the image-level labels, as seed
# mIoU.
#   python tools/test.py
#   configs/single_stage/ngwp_vgg16-slim_partbody_pseudo-masks.py \
#       work_dirs/ngwp_vgg16-slim_partbody/iter_2000.pth [--tta]
_base_ = ['./_base_/ngwp_vgg16-slim_partbody.py', '../_base_/paths.py']
model = dict(test_cfg=dict(use_gt_labels=True))
test_dataloader = _base_.seed_dataloader
test_evaluator = dict(
    type='SeedMetric',
    prefix='seed',
    output_dir=_base_.ngwp_vgg16_slim_partbody_pseudo_masks)
