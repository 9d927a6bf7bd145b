# DeepLab-ASPP (DeepLab v2, ASPP-L) on VGG-16: DSRG's VGG-16 segmentation
# network (speedinghzl/DSRG train-s.prototxt / train-f.prototxt): VGG-16 at
# output stride 8 (pool4 / pool5 stride 1, conv5 dilated 2), pool5a (3x3
# average), four branches fc6 (3x3, dilation 6 / 12 / 18 / 24, 1024) ->
# fc7 (1x1, 1024) -> fc8 (1x1, classes), dropout 0.5 after fc6 and fc7,
# summed. The data pre-processor and DeepLab's learning rates
# (deeplab_paramwise_cfg) come from deeplab_largefov_vgg16.py.
# fc6 / fc7 of every branch start from the decimated ImageNet classifier
# (DSRG: vgg16_20M_mc), written once by
#   python tools/model_converters/vgg16_deeplab_fc.py \
#       ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \
#       data/pretrained/vgg16_deeplab-aspp_fc.pth --head aspp
# (backbone and fc6 / fc7 both load from that file). VOC only: a mini twin
# would replace both init_cfg.
_base_ = ['./deeplab_largefov_vgg16.py']
deeplab_vgg16_aspp_fc = ('{{$WSSS_MM_PRETRAINED:data/pretrained}}/'
                         'vgg16_deeplab-aspp_fc.pth')
aspp_imagenet_backbone_init = dict(
    type='Pretrained', checkpoint=deeplab_vgg16_aspp_fc, prefix='backbone.')
aspp_imagenet_head_init = dict(
    type='Pretrained', checkpoint=deeplab_vgg16_aspp_fc, prefix='decode_head.')
aspp_vgg16_head = dict(
    type='DeepLabV2VGGHead',
    in_channels=512,
    channels=1024,
    dilations=(6, 12, 18, 24),
    with_pool5a=True,
    dropout_ratio=0.5,
    num_classes=21,
    norm_cfg=None,
    align_corners=False,
    init_cfg=aspp_imagenet_head_init,
    loss_decode=dict(
        type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))
model = dict(
    backbone=dict(init_cfg=aspp_imagenet_backbone_init),
    decode_head=dict(_delete_=True, **aspp_vgg16_head))
