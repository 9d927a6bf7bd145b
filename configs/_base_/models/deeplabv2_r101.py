# DeepLab v2 / ResNet-101 pieces shared by the VOC segmentation configs of
# FickleNet (DSRG, Table 1) and Multi-estimations (Table 7): mmseg's
# ResNetV1c-101 at output stride 8 (strides 1,2,1,1, dilations 1,1,2,4:
# 321x321 -> 2048x41x41) and DeepLab v2's ASPP classifier (DeepLabV2Head: the
# sum of four 3x3 classifiers, dilations 6/12/18/24). Both are wrapped by a
# WSSS head (DSRGHead, MultiSeedHead), so they are given as variables, not as
# a ``model``:
#   model = dict(backbone=dict(_delete_=True, **_base_.r101_os8_backbone),
#                decode_head=dict(head=dict(_delete_=True,
#                **_base_.deeplabv2_aspp_head)))
# BN: plain BN for one GPU; use norm_cfg=dict(type='SyncBN',
# requires_grad=True)
# (backbone.norm_cfg) when the batch is split over GPUs.
r101_os8_backbone = dict(
    type='ResNetV1c',
    depth=101,
    num_stages=4,
    out_indices=(3, ),
    dilations=(1, 1, 2, 4),
    strides=(1, 2, 1, 1),
    norm_cfg=dict(type='BN', requires_grad=True),
    norm_eval=False,
    style='pytorch',
    contract_dilation=True,
    init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet101_v1c'))
deeplabv2_aspp_head = dict(
    type='DeepLabV2Head',
    in_channels=2048,
    dilations=(6, 12, 18, 24),
    num_classes=21,
    dropout_ratio=0.0,
    align_corners=False)
