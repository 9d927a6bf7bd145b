# DSRG as published (Huang et al. CVPR'18; speedinghzl/DSRG) on VOC 2012 aug,
# FickleNet's segmentation stage with DSRG's own VGG-16 network: DeepLab-ASPP
# (configs/_base_/models/dsrg_aspp_vgg16.py), everything but the stage's
# training set and test set, which its configs choose:
#   ../dsrg_aspp_vgg16_voc12_ficklenet-seeds.py          step 1: DSRG on the
#   seeds
#   ../dsrg_aspp_vgg16_voc12_ficklenet-seeds_predict.py  its CRF-smoothed
#   multi-scale
#                                                         predictions of
#                                                         train_aug
#   ../dsrg_aspp_vgg16_voc12_ficklenet-seeds_retrain.py  step 2: retrained on
#   them
# Step 1 (solver-s.prototxt / train-s.prototxt): SGD momentum 0.9, weight
# decay 5e-4, base LR 5e-4 x 0.33 every 1,000 iterations, 8,000 iterations,
# batch 20, 321x321; fc6 / fc7 at the backbone's rate, fc8 10x (bias 20x),
# biases 2x without decay (deeplab_paramwise_cfg); backbone and fc6 / fc7 from
#   python tools/model_converters/vgg16_deeplab_fc.py \
#       ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \
#       data/pretrained/vgg16_deeplab-aspp_fc.pth --head aspp
# Test (test-ms-f.py) with --tta: scales 0.75 / 1 / 1.25 of the image, class
# scores summed, dense CRF on the image (DSRGTTAModel).
# Background cues: FickleNet uses DSRG's saliency-based background; here the
# background comes from the seed generator (see ../ficklenet_vgg16_voc12.py).
_base_ = [
    '../../_base_/models/dsrg_aspp_vgg16.py',
    '../../_base_/datasets/voc12_aug_weak.py',
    '../../_base_/schedules/seg_20k.py', '../../_base_/default_runtime.py',
    '../../_base_/paths.py'
]
# step 1's checkpoint (where tools/train.py puts it when run from the repo
# root; step 2 starts from it) and its train predictions (beside the seeds of
# configs/_base_/paths.py)
dsrg_aspp_step1_ckpt = ('work_dirs/dsrg_aspp_vgg16_voc12_ficklenet-seeds/'
                        'iter_8000.pth')
dsrg_aspp_train_predictions = (
    _base_.seed_root + '/dsrg_aspp_vgg16_voc12_train-pred')
_seg = _base_.seg_train_dataloader
dsrg_train_dataloader = dict(
    _seg,
    batch_size=20,
    dataset=dict(
        _seg.dataset,
        data_prefix=dict(
            _seg.dataset.data_prefix,
            seg_map_path=_base_.ficklenet_vgg16_voc12_seeds)))
test_dataloader = _base_.val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
optim_wrapper = dict(
    optimizer=dict(lr=5e-4),
    paramwise_cfg=dict(_delete_=True, **_base_.deeplab_paramwise_cfg))
param_scheduler = [
    dict(type='StepLR', step_size=1000, gamma=0.33, by_epoch=False, begin=0)
]
train_cfg = dict(max_iters=8000, val_interval=8000)
default_hooks = dict(checkpoint=dict(interval=8000))
# DSRG's test (training/tools/test-ms-f.py): python tools/test.py CONFIG CKPT
# --tta
tta_model = dict(
    type='DSRGTTAModel',
    merge='logits',
    crf=dict(
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=80, srgb=13, compat=10)))
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='Resize', scale_factor=r, keep_ratio=True)
                for r in (0.75, 1.0, 1.25)
            ],
            [dict(type='LoadAnnotations')],
            [dict(type='PackWeakSegInputs')],
        ])
]
