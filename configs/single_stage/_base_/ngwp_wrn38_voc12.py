# Single-stage WSSS on VOC 2012 aug with WideResNet-38 (ResNet-38d), the
# backbone of the paper's 59.7 / 62.7 (Sec. 4.1) and of the reference's
# configs/voc_resnet38.yaml; everything but the test pair, which its configs
# set: ../ngwp_wrn38_voc12.py (val mIoU) and ../ngwp_wrn38_voc12_crf.py (val
# mIoU with the dense CRF). Every setting against the paper and the
# reference: docs/fidelity.md (checked by tests/test_docs/test_fidelity.py).
#
# On top of the VGG twin (./ngwp_vgg16_voc12.py: the paper's schedule, the
# reference's parameter groups, frozen ASPP BN statistics, psi 0.3 + GCI,
# PAMR 10 x 1-2-4-8-12-24, focal p 3 / lambda 0.01):
# - backbone WideResNet38: output stride 8 (b5 dilated 2, b6/b7 4), skip =
#   b3 output (stride 4, 256 ch; the reference's conv3), deep = ReLU(bn7)
#   (4096 ch; its conv6); conv1a + b2 frozen, all backbone BN frozen;
#   ImageNet weights: the reference's converted MXNet checkpoint
#   ilsvrc-cls_rna-a1_cls1000_ep-0001.pth (its key names; a local copy:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH);
# - training augmentation of the reference (datasets/transforms.py):
#   RandomResizedCrop to 321 x 321 of 90-100 % of the image area (aspect
#   3/4-4/3, bicubic), flip, ColorJitter(0.3, 0.3, 0.3, 0.1) always;
# - inference of its yaml: scales 1 / 0.5 / 1.5 / 2 + flip (--tta, bicubic
#   resizing), confidence cut 0.1 (the paper's), background ** 3 (BG_POW).
_base_ = ['./ngwp_vgg16_voc12.py']
wrn38_imagenet = ('https://download.visinf.tu-darmstadt.de/data/'
                  '2020-cvpr-araslanov-1-stage-wseg/models/'
                  'ilsvrc-cls_rna-a1_cls1000_ep-0001.pth')
# (_delete_: another backbone type than the base's)
model = dict(
    backbone=dict(
        _delete_=True,
        type='WideResNet38',
        out_indices=(1, 5),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        dropout_ratios=(0.3, 0.5),
        init_cfg=dict(type='Pretrained', checkpoint=wrn38_imagenet)),
    decode_head=dict(
        in_channels=4096, in_index=1, c1_in_channels=256, c1_index=0),
    test_cfg=dict(cls_threshold=0.1, bg_pow=3.0))

wrn38_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='mmpretrain.RandomResizedCrop',
        scale=321,
        crop_ratio_range=(0.9, 1.0),
        aspect_ratio_range=(3. / 4., 4. / 3.),
        interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    # torchvision's ColorJitter on the RGB image, as the reference (mmcv's
    # adjust_hue overflows under numpy 2 for a negative hue shift)
    dict(type='mmpretrain.NumpyToPIL', to_rgb=True),
    dict(
        type='mmpretrain.torchvision/ColorJitter',
        brightness=0.3,
        contrast=0.3,
        saturation=0.3,
        hue=0.1),
    dict(type='mmpretrain.PILToNumpy', to_bgr=True),
    dict(type='PackWeakSegInputs'),
]
train_dataloader = dict(
    batch_size=16, dataset=dict(pipeline=wrn38_train_pipeline))

wrn38_tta_scales = (1.0, 0.5, 1.5, 2.0)
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(
                    type='Resize',
                    scale_factor=r,
                    keep_ratio=True,
                    interpolation='bicubic') for r in wrn38_tta_scales
            ],
            [
                dict(type='RandomFlip', prob=0., direction='horizontal'),
                dict(type='RandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadAnnotations')],
            [dict(type='PackWeakSegInputs')],
        ])
]
