# The slim networks of the mini benchmark (128x128 scenes, 16x16 feature
# maps): what a mini config adds to the model part its VOC twin uses.
# Backbones start from the mini-pretrained weights
# (configs/pretrain/*_fmnist-objects.py + tools/extract_backbone.py; the
# runner caches them in data/pretrained), the stand-in for ImageNet weights.
#   model = dict(backbone=_base_.vgg16_slim, ...)
# relative to the directory the run starts in (as mmseg's data roots);
# WSSS_MM_PRETRAINED moves it
pretrained_root = '{{$WSSS_MM_PRETRAINED:data/pretrained}}'
vgg16_slim_pretrained = pretrained_root + '/vgg16-slim_fmnist-objects.pth'
resnet18_slim_pretrained = (
    pretrained_root + '/resnet18-slim_fmnist-objects.pth')

# VGG-16 at 1/8 width (64 channels out) with BN, as pretrained
# (configs/pretrain/vgg16-slim_fmnist-objects.py); merges into any DeepLabVGG
# backbone of a model part
vgg16_slim = dict(
    width_mult=0.125,
    norm_cfg=dict(type='BN'),
    init_cfg=dict(type='Pretrained', checkpoint=vgg16_slim_pretrained))
# ResNet-18-V1c at 1/4 width (128 channels out), output stride 8, as
# pretrained (configs/pretrain/resnet18-slim_fmnist-objects.py); merges into
# the ResNetV1c-101 backbone of cam_r101.py
resnet18_slim = dict(
    depth=18,
    base_channels=16,
    stem_channels=16,
    init_cfg=dict(type='Pretrained', checkpoint=resnet18_slim_pretrained))
# DeepLab-LargeFOV head on the slim VGG-16 (merges into LargeFOVHead): a 16x16
# map (41x41 on VOC) wants dilation 12*16/41 ~ 4, and dropout 0.5 on 128
# channels (1024 on VOC) stalls training (GT-trained, 500 it.: d12/p0.5 7.7
# mIoU, d4/p0.1 27.6)
largefov_slim_head = dict(
    in_channels=64,
    channels=128,
    num_classes=11,
    dilation=4,
    dropout_ratio=0.1)

# The segmentation network of every two-stage method on the part-and-body
# benchmark (the VOC configs keep the papers' LargeFOV / ASPP): mmseg's
# DeepLab v3 head (ASPPHead: four dilated 3x3 branches + image pooling) on the
# slim VGG-16, dilations of mmseg's output-stride-8 DeepLab v3 (12 / 24 / 36
# on a 41x41 map) x 32/41 (docs/scale.md). It replaces the twin's head
# (mmengine's delete key on decode_head, or on decode_head.head for the
# wrappers DSRGHead / MultiSeedHead; e.g.
# configs/cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py).
# Why not LargeFOV: its local fc6 cannot tell whose body a pixel belongs to;
# trained on the GT masks (1,000 it., batch 8) it reaches 19.6 val mIoU
# there, this head 34.2 (the scenes' first recipe, body_stripes='angle').
partbody_aspp_head = dict(
    type='ASPPHead',
    in_channels=64,
    channels=128,
    dilations=(1, 9, 19, 28),
    dropout_ratio=0.1,
    num_classes=11,
    norm_cfg=dict(type='BN', requires_grad=True),
    align_corners=False,
    loss_decode=dict(
        type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))
