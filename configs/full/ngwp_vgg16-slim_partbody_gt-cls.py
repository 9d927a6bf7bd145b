# The bench's fully supervised reference for single-stage on the part-and-body
# benchmark: configs/single_stage/ngwp_vgg16-slim_partbody.py with the GT
# masks in place of its PAMR pseudo labels (SingleStageSegmentor
# supervision='full_cls'): the same network, schedule, augmentation, losses
# (classification loss on the nGWP scores + class-balanced CE) and inference
# (classifier confidence cut), so the gap to it is the pseudo labels' alone.
# The segmentation loss is on from the first iteration (no warm-up: the
# labels do not depend on the network). CE only, no classification loss:
# ngwp_vgg16-slim_partbody_gt.py (it leaves four classes unlearnt here).
#   python tools/train.py configs/full/ngwp_vgg16-slim_partbody_gt-cls.py
#   python tools/test.py  configs/full/ngwp_vgg16-slim_partbody_gt-cls.py \
#       work_dirs/ngwp_vgg16-slim_partbody_gt-cls/iter_2000.pth [--tta]
_base_ = ['../single_stage/_base_/ngwp_vgg16-slim_partbody.py']
model = dict(supervision='full_cls')
# the single-stage augmentation, with the masks
gt_train_pipeline = (
    _base_.train_pipeline[:1] + [dict(type='LoadAnnotations')] +
    _base_.train_pipeline[1:])
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.gt_dir),
        pipeline=gt_train_pipeline))
custom_hooks = []  # no warm-up switch to drive
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
