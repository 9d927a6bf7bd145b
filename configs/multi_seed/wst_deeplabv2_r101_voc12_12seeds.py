# Multi-estimations stage 3 on DeepLab v2 / ResNet-101 (Fan et al. Table 7,
# paper: 67.2 mIoU on VOC 2012 val): mmseg's ResNetV1c-101 at output stride 8
# (strides 1,2,1,1, dilations 1,1,2,4) and DeepLab v2's ASPP (DeepLabV2Head:
# sum of four 3x3 classifiers, dilations 6/12/18/24) inside MultiSeedHead with
# the WST loss on the same 12 seed sets; data and schedule are the VGG-16
# config's. No auxiliary head: mmseg's auxiliary heads train on gt_sem_seg.
#   python tools/train.py configs/multi_seed/wst_deeplabv2_r101_voc12_12seeds.py
# BN: plain BN with batch 10 on one GPU; use SyncBN when the batch is split.
_base_ = ['./wst_largefov_vgg16_voc12_12seeds.py']
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
