# FickleNet stage 3 with DSRG on DeepLab v2 / ResNet-101 (FickleNet Table 1,
# DSRG's ResNet-101 network): mmseg's ResNetV1c-101 at output stride 8
# (strides 1,2,1,1, dilations 1,1,2,4: 321x321 -> 2048x41x41) and DeepLab
# v2's ASPP (sum of four 3x3 classifiers, dilations 6/12/18/24). Everything
# else (DSRG losses, CRF, schedule, data, test protocol) is the VGG-16
# config's (./_base_/dsrg_largefov_vgg16_voc12.py), except the learning
# rates: the ASPP classifiers are new layers (10x), the rest as the backbone.
#   python tools/train.py
#   configs/ficklenet/dsrg_deeplabv2_r101_voc12_ficklenet-seeds.py
# BN: plain BN (batch 20 on one GPU); see
# configs/_base_/models/deeplabv2_r101.py.
_base_ = [
    './_base_/dsrg_largefov_vgg16_voc12.py',
    '../_base_/models/deeplabv2_r101.py'
]
train_dataloader = _base_.dsrg_train_dataloader
# (_delete_: another backbone type and another head type than the base's)
model = dict(
    backbone=dict(_delete_=True, **_base_.r101_os8_backbone),
    decode_head=dict(head=dict(_delete_=True, **_base_.deeplabv2_aspp_head)))
optim_wrapper = dict(
    paramwise_cfg=dict(
        _delete_=True, custom_keys={'decode_head': dict(lr_mult=10.0)}))
