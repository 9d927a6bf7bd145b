# FickleNet stage 3 on VOC 2012 aug (DSRG, configs/_base_/models/
# dsrg_largefov_vgg16.py), everything but the training set, which its
# configs choose from dsrg_train_dataloader (FickleNet seeds):
#   ../dsrg_largefov_vgg16_voc12_ficklenet-seeds.py       the weak set
#   ../dsrg_largefov_vgg16_voc12_ficklenet-seeds_semi.py  weak + strong subsets
#   ../dsrg_deeplabv2_r101_voc12_ficklenet-seeds.py       weak, ResNet-101
# (the semi-supervised set is another dataset type: the configs build it
# instead of overriding an inherited one). DSRG's own VGG-16 network is
# DeepLab-ASPP: ./dsrg_aspp_vgg16_voc12.py.
# Schedule: FickleNet Sec. 4.1 "uses the same settings as DSRG"; DSRG's public
# solver (speedinghzl/DSRG, solver-s.prototxt / train-s.prototxt): SGD
# momentum 0.9, weight decay 5e-4, base LR 5e-4 multiplied by 0.33 every
# 1,000 iterations, 8,000 iterations, batch 20, 321x321 crops.
# Initialisation and learning rates as DeepLab's (and DSRG's prototxt): fc6 /
# fc7 from the decimated ImageNet VGG-16 classifier (written once by
#   python tools/model_converters/vgg16_deeplab_fc.py \
#       ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \
#       data/pretrained/vgg16_deeplab-largefov_fc.pth --head largefov
# ; the backbone loads from the same file), trained at the backbone's rate;
# fc8 at 10x (bias 20x); biases 2x without weight decay.
# Test: DSRG's protocol with --tta (scales 0.75 / 1 / 1.25 of the image, class
# scores summed, dense CRF on the image; DSRGTTAModel); without --tta one
# scale, no CRF.
# Background cues: FickleNet uses DSRG's saliency-based background; here the
# background comes from the seed generator (see ../ficklenet_vgg16_voc12.py).
_base_ = [
    '../../_base_/models/dsrg_largefov_vgg16.py',
    '../../_base_/datasets/voc12_aug_weak.py',
    '../../_base_/schedules/seg_20k.py', '../../_base_/default_runtime.py',
    '../../_base_/paths.py'
]
model = dict(
    backbone=dict(init_cfg=_base_.largefov_imagenet_backbone_init),
    decode_head=dict(head=dict(init_cfg=_base_.largefov_imagenet_head_init)))
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
