# Composition: the CAM classifier on an mmpretrain backbone (ResNet-18),
# taken by config alone through custom_imports.
_base_ = ['../cam/cam_vgg16_voc12.py']
custom_imports = dict(
    imports=['wsss_mm', 'mmpretrain.models'], allow_failed_imports=False)
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmpretrain.ResNet',
        depth=18,
        out_indices=(3, ),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet18')),
    cls_head=dict(in_channels=512))
