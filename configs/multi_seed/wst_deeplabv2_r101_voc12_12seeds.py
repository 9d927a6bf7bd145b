# Multi-estimations stage 3 on DeepLab v2 / ResNet-101 (Fan et al. Table 7,
# paper: 67.2 mIoU on VOC 2012 val): mmseg's ResNetV1c-101 at output stride 8
# (strides 1,2,1,1, dilations 1,1,2,4) and DeepLab v2's ASPP (DeepLabV2Head:
# sum of four 3x3 classifiers, dilations 6/12/18/24) inside MultiSeedHead with
# the WST loss on the same 12 seed sets; data and schedule are the VGG-16
# config's. No auxiliary head: mmseg's auxiliary heads train on gt_sem_seg.
#   python tools/train.py
#   configs/multi_seed/wst_deeplabv2_r101_voc12_12seeds.py
# BN: plain BN (batch 10 on one GPU); see
# configs/_base_/models/deeplabv2_r101.py.
_base_ = [
    './wst_largefov_vgg16_voc12_12seeds.py',
    '../_base_/models/deeplabv2_r101.py'
]
model = dict(
    backbone=dict(_delete_=True, **_base_.r101_os8_backbone),
    decode_head=dict(head=dict(_delete_=True, **_base_.deeplabv2_aspp_head)))
