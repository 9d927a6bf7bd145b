# DSRG (Huang et al. CVPR'18) as FickleNet's stage 3 (Lee et al. CVPR'19,
# Sec. 3.3): DeepLab-LargeFOV on VGG-16 (deeplab_largefov_vgg16.py) whose
# training loss is DSRG's: seeds grow during training (fg 0.85 / bg 0.99),
# balanced seeding loss + dense-CRF boundary loss at the 41x41 output.
# CRF of the boundary loss, in pixels of the 41x41 map: DSRG divides the usual
# Gaussian sxy 3 and bilateral sxy 80 by 12 (its scale_factor).
dsrg_crf = dict(num_iter=10, gaussian=dict(sxy=3 / 12, compat=3),
                bilateral=dict(sxy=80 / 12, srgb=13, compat=10))
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=(321, 321))
model = dict(
    type='WeakEncoderDecoder',  # attaches img_rgb for the CRF
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG', out_indices=(4, ), with_last_pool=True,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    decode_head=dict(
        type='DSRGHead',
        # LargeFOVHead (fc6 dilation 12, fc7, fc8)
        head=dict(
            type='LargeFOVHead', in_channels=512, channels=1024, dilation=12,
            dropout_ratio=0.5, num_classes=21, norm_cfg=None, align_corners=False,
            loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
        fg_threshold=0.85, bg_threshold=0.99, crf=dsrg_crf,
        seed_loss_weight=1.0, boundary_loss_weight=1.0, full_loss_weight=2.0,
        grow=True, grow_on='probs', crf_unary='log_prob', clip=(0.05, 20.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
