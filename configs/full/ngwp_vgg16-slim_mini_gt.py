# Fully supervised reference for the single-stage method on the mini
# benchmark: the network and schedule of
# configs/single_stage/ngwp_vgg16-slim_mini.py trained on the GT masks with
# cross-entropy (SingleStageSegmentor supervision='full'; no warm-up), tested
# on val keeping every class. The partbody twin:
# ./ngwp_vgg16-slim_partbody_gt.py.
_base_ = ['../single_stage/_base_/ngwp_vgg16-slim_mini.py']
model = dict(
    supervision='full',
    decode_head=dict(
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    test_cfg=dict(cls_threshold=0.0))
# the single-stage augmentation, with the masks
gt_train_pipeline = (
    _base_.train_pipeline[:1] + [dict(type='LoadAnnotations')] +
    _base_.train_pipeline[1:])
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.gt_dir),
        pipeline=gt_train_pipeline))
custom_hooks = []  # the segmentation loss is the only one, on from the start
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
