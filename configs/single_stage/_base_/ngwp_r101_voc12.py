# Single-stage WSSS on VOC 2012 aug with mmseg's ResNetV1c-101 (the VGG twin
# with another backbone, composed by config), everything but the test pair,
# which its configs set: ../ngwp_r101_voc12.py (val mIoU) and
# ../ngwp_r101_voc12_pseudo-masks.py (pseudo masks of train).
# Output stride 16, as the reference ResNet-101 (models/backbones/resnets.py:
# layer4 stride 1, no dilation): here layer4 is dilated 2 (the usual
# DeepLabv3+ OS16; the reference keeps dilation 1 there), with the
# reference's ASPP rates 12/24/36 (its ASPP is always built with
# output_stride=8). Skip: layer1 (stride 4, 256 ch). Backbone BN frozen (the
# reference freezes backbone BN statistics and parameters), stem frozen.
# bg_pow 3 = the reference's TEST.BG_POW default for its ResNet configs
# (its yaml also uses crop 448 and FP_CUT_SCORE 0.3).
_base_ = ['./ngwp_vgg16_voc12.py']
# (_delete_: another backbone type than the base's)
model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNetV1c',
        depth=101,
        num_stages=4,
        out_indices=(0, 3),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        frozen_stages=0,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        style='pytorch',
        contract_dilation=True,
        init_cfg=dict(
            type='Pretrained', checkpoint='open-mmlab://resnet101_v1c')),
    decode_head=dict(
        in_channels=2048, in_index=1, c1_in_channels=256, c1_index=0),
    test_cfg=dict(bg_pow=3.0))
