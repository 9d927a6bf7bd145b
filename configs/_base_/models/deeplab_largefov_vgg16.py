# DeepLab-LargeFOV (DeepLab v1) on VGG-16: the segmentation network of DSRG,
# FickleNet (Sec. 4.1) and Fan et al. (stage 3).
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(321, 321))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG',
        out_indices=(4, ),
        with_last_pool=True,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    decode_head=dict(
        type='LargeFOVHead',
        in_channels=512,
        channels=1024,
        dilation=12,
        dropout_ratio=0.5,
        num_classes=21,
        norm_cfg=None,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

# DeepLab's ImageNet initialisation of fc6 / fc7 (DeepLab v1 Sec. 3.1: the
# VGG-16 classifier decimated, fc6 4096x512x7x7 -> 1024x512x3x3, fc7 ->
# 1024x1024), written once by
#   python tools/model_converters/vgg16_deeplab_fc.py \
#       ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \
#       data/pretrained/vgg16_deeplab-largefov_fc.pth --head largefov
# and DeepLab's learning rates with it (Caffe lr_mult): fc6 / fc7 at the
# backbone's rate, only fc8 (conv_seg) at 10x (bias 20x); biases 2x without
# weight decay. A VOC config applies them:
#   model =
#   dict(backbone=dict(init_cfg=_base_.largefov_imagenet_backbone_init),
#                decode_head=dict(init_cfg=_base_.largefov_imagenet_head_init))
#   optim_wrapper = dict(paramwise_cfg=_base_.deeplab_paramwise_cfg)
# (the model above keeps torchvision's backbone and random fc6 / fc7 at the
# schedule's 10x head rate: the mini twins, which merge their slim networks
# into this file, have no ImageNet fc6 / fc7 to load).
deeplab_vgg16_largefov_fc = ('{{$WSSS_MM_PRETRAINED:data/pretrained}}/'
                             'vgg16_deeplab-largefov_fc.pth')
largefov_imagenet_backbone_init = dict(
    type='Pretrained',
    checkpoint=deeplab_vgg16_largefov_fc,
    prefix='backbone.')
largefov_imagenet_head_init = [
    dict(type='Normal', std=0.01, override=dict(name='conv_seg')),  # fc8: new
    dict(
        type='Pretrained',
        checkpoint=deeplab_vgg16_largefov_fc,
        prefix='decode_head.'),
]
# custom keys match by substring, longest first: 'decode_head' (1x) takes
# fc6 / fc7 weights away from the schedules' 'decode_head' 10x; the bias
# keys give them DeepLab's 2x / no decay (a custom key bypasses bias_lr_mult)
deeplab_paramwise_cfg = dict(
    bias_lr_mult=2.0,
    bias_decay_mult=0.0,
    custom_keys={
        'decode_head': dict(lr_mult=1.0),
        'fc6.conv.bias': dict(lr_mult=2.0, decay_mult=0.0),
        'fc7.conv.bias': dict(lr_mult=2.0, decay_mult=0.0),
        'conv_seg.weight': dict(lr_mult=10.0),
        'conv_seg.bias': dict(lr_mult=20.0, decay_mult=0.0),
    })
