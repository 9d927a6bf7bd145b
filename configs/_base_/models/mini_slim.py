# The slim networks of the mini benchmark (128x128 scenes, 16x16 feature
# maps): what a mini config adds to the model part its VOC twin uses.
# Backbones start from the mini-pretrained weights
# (configs/pretrain/*_fmnist-objects.py + tools/extract_backbone.py; the
# runner caches them in data/pretrained), the stand-in for ImageNet weights.
#   model = dict(backbone=_base_.vgg16_slim, ...)
pretrained_root = '{{ fileDirname }}/../../../data/pretrained'
vgg16_slim_pretrained = pretrained_root + '/vgg16-slim_fmnist-objects.pth'
resnet18_slim_pretrained = pretrained_root + '/resnet18-slim_fmnist-objects.pth'

# VGG-16 at 1/8 width (64 channels out) with BN, as pretrained
# (configs/pretrain/vgg16-slim_fmnist-objects.py); merges into any DeepLabVGG
# backbone of a model part
vgg16_slim = dict(width_mult=0.125, norm_cfg=dict(type='BN'),
                  init_cfg=dict(type='Pretrained', checkpoint=vgg16_slim_pretrained))
# ResNet-18-V1c at 1/4 width (128 channels out), output stride 8, as
# pretrained (configs/pretrain/resnet18-slim_fmnist-objects.py); merges into
# the ResNetV1c-101 backbone of cam_r101.py
resnet18_slim = dict(depth=18, base_channels=16, stem_channels=16,
                     init_cfg=dict(type='Pretrained', checkpoint=resnet18_slim_pretrained))
# DeepLab-LargeFOV head on the slim VGG-16 (merges into LargeFOVHead): a 16x16
# map (41x41 on VOC) wants dilation 12*16/41 ~ 4, and dropout 0.5 on 128
# channels (1024 on VOC) stalls training (GT-trained, 500 it.: d12/p0.5 7.7
# mIoU, d4/p0.1 27.6)
largefov_slim_head = dict(in_channels=64, channels=128, num_classes=11, dilation=4,
                          dropout_ratio=0.1)
