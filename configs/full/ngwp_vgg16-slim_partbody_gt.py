# Fully supervised reference for the single-stage method on the part-and-body
# benchmark: the network of configs/single_stage/ngwp_vgg16-slim_partbody.py
# (slim VGG-16 + the segmentation path of NGWPHead: ASPP, skip, GCI +
# Stochastic Gate, decoder, logits [bg_score, y]) with its schedule (2,000
# iterations, batch 8, its optimiser, augmentation and data), trained on the
# GT masks (their ignore band ignored) with cross-entropy
# (SingleStageSegmentor supervision='full': no classification loss, PAMR or
# pseudo labels, so no warm-up), tested on val keeping every class (no
# classifier confidence cut).
#   python tools/train.py configs/full/ngwp_vgg16-slim_partbody_gt.py
#   python tools/test.py  configs/full/ngwp_vgg16-slim_partbody_gt.py \
#       work_dirs/ngwp_vgg16-slim_partbody_gt/iter_2000.pth [--tta]
_base_ = ['../single_stage/_base_/ngwp_vgg16-slim_partbody.py']
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
