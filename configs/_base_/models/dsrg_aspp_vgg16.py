# DSRG (Huang et al. CVPR'18) as published: DeepLab-ASPP on VGG-16 (the
# network of deeplab_aspp_vgg16.py, fc6 / fc7 of every branch from the
# decimated ImageNet classifier: tools/model_converters/vgg16_deeplab_fc.py
# --head aspp) trained with DSRG's loss (DSRGHead): seeds grow on the
# dense-CRF output (fg 0.85 / bg 0.99; UpdateSeedLayer3), balanced seeding
# loss + boundary loss KL(Q || P); CRF unary -P, kernels 80/12 and 3/12 map
# pixels (41x41 output), 10 iterations. The data pre-processor and DeepLab's
# learning rates (deeplab_paramwise_cfg) come from deeplab_largefov_vgg16.py.
_base_ = ['./deeplab_largefov_vgg16.py']
deeplab_vgg16_aspp_fc = ('{{$WSSS_MM_PRETRAINED:data/pretrained}}/'
                         'vgg16_deeplab-aspp_fc.pth')
dsrg_crf = dict(
    num_iter=10,
    gaussian=dict(sxy=3 / 12, compat=3),
    bilateral=dict(sxy=80 / 12, srgb=13, compat=10))
model = dict(
    type='WeakEncoderDecoder',  # attaches img_rgb for the CRF
    backbone=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=deeplab_vgg16_aspp_fc,
            prefix='backbone.')),
    decode_head=dict(
        _delete_=True,
        type='DSRGHead',
        head=dict(
            type='DeepLabV2VGGHead',
            in_channels=512,
            channels=1024,
            dilations=(6, 12, 18, 24),
            with_pool5a=True,
            dropout_ratio=0.5,
            num_classes=21,
            norm_cfg=None,
            align_corners=False,
            init_cfg=dict(
                type='Pretrained',
                checkpoint=deeplab_vgg16_aspp_fc,
                prefix='decode_head.'),
            loss_decode=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
        fg_threshold=0.85,
        bg_threshold=0.99,
        crf=dsrg_crf,
        seed_loss_weight=1.0,
        boundary_loss_weight=1.0,
        full_loss_weight=2.0,
        grow=True,
        grow_on='crf',
        crf_unary='prob',
        clip=(0.05, 20.0)))
