# Mini pretraining of a small ResNet (ResNet-18-V1c at 1/4 width, output
# stride 8 as DeepLab uses it): the second architecture of the mini benchmark
# (multi-architecture seeds need two). Same data and schedule as the VGG one.
_base_ = ['./vgg16-slim_fmnist-objects.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmseg.ResNetV1c',
        depth=18,
        base_channels=16,
        stem_channels=16,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        out_indices=(3, ),
        norm_cfg=dict(type='BN', requires_grad=True)),
    head=dict(in_channels=128))
