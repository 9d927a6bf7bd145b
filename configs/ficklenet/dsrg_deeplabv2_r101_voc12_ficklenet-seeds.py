# FickleNet stage 3 with DSRG on DeepLab v2 / ResNet-101 (FickleNet Table 1,
# DSRG's ResNet-101 network): mmseg's ResNetV1c-101 at output stride 8
# (strides 1,2,1,1, dilations 1,1,2,4: 321x321 -> 2048x41x41) and DeepLab
# v2's ASPP (sum of four 3x3 classifiers, dilations 6/12/18/24). Everything
# else (DSRG losses, CRF, schedule, data) is the VGG-16 config's.
#   python tools/train.py configs/ficklenet/dsrg_deeplabv2_r101_voc12_ficklenet-seeds.py
# BN: plain BN with batch 20 on one GPU; use norm_cfg=dict(type='SyncBN',
# requires_grad=True) (backbone.norm_cfg) when the batch is split over GPUs.
_base_ = ['./dsrg_largefov_vgg16_voc12_ficklenet-seeds.py']
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    backbone=dict(
        _delete_=True, type='ResNetV1c', depth=101, num_stages=4, out_indices=(3, ),
        dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1), norm_cfg=norm_cfg,
        norm_eval=False, style='pytorch', contract_dilation=True,
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet101_v1c')),
    decode_head=dict(head=dict(
        _delete_=True, type='DeepLabV2Head', in_channels=2048,
        dilations=(6, 12, 18, 24), num_classes=21, dropout_ratio=0.0,
        align_corners=False)))
