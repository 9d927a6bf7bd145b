# DSRG (Huang et al. CVPR'18) as FickleNet's stage 3 (Lee et al. CVPR'19,
# Sec. 3.3): DeepLab-LargeFOV on VGG-16 (deeplab_largefov_vgg16.py: network,
# data pre-processor, DeepLab's ImageNet fc6 / fc7 init and learning rates as
# variables) whose training loss is DSRG's: seeds grow during training on the
# dense-CRF output (fg 0.85 / bg 0.99, as DSRG's UpdateSeedLayer3;
# grow_on='probs' is the former raw-probability growth), balanced seeding loss
# + dense-CRF boundary loss at the 41x41 output. DSRG's own VGG-16 network is
# DeepLab-ASPP: dsrg_aspp_vgg16.py.
# CRF of the boundary loss and the growing, in pixels of the 41x41 map: DSRG
# divides the usual Gaussian sxy 3 and bilateral sxy 80 by 12 (its
# scale_factor); unary -P as DSRG's code (crf_unary='prob').
_base_ = ['./deeplab_largefov_vgg16.py']
dsrg_crf = dict(
    num_iter=10,
    gaussian=dict(sxy=3 / 12, compat=3),
    bilateral=dict(sxy=80 / 12, srgb=13, compat=10))
model = dict(
    type='WeakEncoderDecoder',  # attaches img_rgb for the CRF
    decode_head=dict(
        _delete_=True,  # the LargeFOV head goes inside DSRG's loss
        type='DSRGHead',
        # LargeFOVHead (fc6 dilation 12, fc7, fc8)
        head=dict(
            type='LargeFOVHead',
            in_channels=512,
            channels=1024,
            dilation=12,
            # DSRG's / SEC's pool5a: the ASPP network has it
            with_pool5a=False,
            dropout_ratio=0.5,
            num_classes=21,
            norm_cfg=None,
            align_corners=False,
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
