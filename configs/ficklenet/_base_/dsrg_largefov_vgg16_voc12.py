# FickleNet stage 3 on VOC 2012 aug (DSRG, configs/_base_/models/
# dsrg_largefov_vgg16.py), everything but the training set, which its
# configs choose from dsrg_train_dataloader (FickleNet seeds):
#   ../dsrg_largefov_vgg16_voc12_ficklenet-seeds.py       the weak set
#   ../dsrg_largefov_vgg16_voc12_ficklenet-seeds_semi.py  weak + strong subsets
#   ../dsrg_deeplabv2_r101_voc12_ficklenet-seeds.py       weak, ResNet-101
# (the semi-supervised set is another dataset type: the configs build it
# instead of overriding an inherited one).
# Schedule: FickleNet Sec. 4.1 "uses the same settings as DSRG"; DSRG's public
# solver (speedinghzl/DSRG, solver-s.prototxt / train-s.prototxt): SGD
# momentum 0.9, weight decay 5e-4, base LR 5e-4 multiplied by 0.33 every
# 1,000 iterations, 8,000 iterations, batch 20, 321x321 crops. DSRG gives
# only its last layer (fc8) 10x LR because its fc6/fc7 come pretrained; here
# fc6/fc7 are new layers, so the whole head gets 10x, as in every stage-3
# config of this package.
# Background cues: FickleNet uses DSRG's saliency-based background; here the
# background comes from the seed generator (see ../ficklenet_vgg16_voc12.py).
_base_ = [
    '../../_base_/models/dsrg_largefov_vgg16.py', '../../_base_/datasets/voc12_aug_weak.py',
    '../../_base_/schedules/seg_20k.py', '../../_base_/default_runtime.py',
    '../../_base_/paths.py'
]
_seg = _base_.seg_train_dataloader
dsrg_train_dataloader = dict(_seg, batch_size=20, dataset=dict(_seg.dataset, data_prefix=dict(
    _seg.dataset.data_prefix, seg_map_path=_base_.ficklenet_vgg16_voc12_seeds)))
test_dataloader = _base_.val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [dict(type='StepLR', step_size=1000, gamma=0.33, by_epoch=False, begin=0)]
train_cfg = dict(max_iters=8000, val_interval=8000)
default_hooks = dict(checkpoint=dict(interval=8000))
