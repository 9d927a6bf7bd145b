# DCP seeds on the CAM baseline's classifier network (cam_vgg16.py: DeepLab
# VGG-16, output stride 8, CAM head without dropout): the mini benchmark's
# DCP classifier, so one checkpoint serves the CAM baseline and DCP. The
# config names the layer (a module name of its backbone) with the patterns
# file.
_base_ = ['./dcp_seed_generator.py']
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(321, 321))
model = dict(
    type='WeakClassifier',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG',
        out_indices=(4, ),
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    cls_head=dict(
        type='CAMHead', in_channels=512, num_classes=20, dropout_ratio=0.0),
    seed_generator=_base_.dcp_seed_generator)
