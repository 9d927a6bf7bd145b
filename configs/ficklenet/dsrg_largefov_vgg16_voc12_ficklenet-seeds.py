# FickleNet stage 3 (Lee et al. CVPR'19, Sec. 3.3): DSRG (Huang et al.
# CVPR'18) trained on FickleNet's seeds -- DeepLab-LargeFOV on VGG-16 whose
# training loss is DSRG's: seeds grow during training (fg 0.85 / bg 0.99),
# balanced seeding loss + dense-CRF boundary loss at the 41x41 output.
#   python tools/train.py configs/ficklenet/ficklenet_vgg16_voc12.py          # stage 1
#   python tools/test.py  configs/ficklenet/ficklenet_vgg16_voc12.py CKPT     # stage 2: seeds
#   python tools/train.py configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py
#   python tools/test.py  configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py \
#          work_dirs/dsrg_largefov_vgg16_voc12_ficklenet-seeds/iter_8000.pth [--tta]
# Schedule: FickleNet Sec. 4.1 "uses the same settings as DSRG"; DSRG's public
# solver (speedinghzl/DSRG, solver-s.prototxt / train-s.prototxt): SGD
# momentum 0.9, weight decay 5e-4, base LR 5e-4 multiplied by 0.33 every
# 1,000 iterations, 8,000 iterations, batch 20, 321x321 crops. DSRG gives
# only its last layer (fc8) 10x LR because its fc6/fc7 come pretrained; here
# fc6/fc7 are new layers, so the whole head gets 10x, as in every stage-3
# config of this package.
# Background cues: FickleNet uses DSRG's saliency-based background; here the
# background comes from the seed generator (see ficklenet_vgg16_voc12.py).
_base_ = ['../cam/deeplab_largefov_vgg16_voc12_cam-seeds.py']
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/ficklenet_vgg16_voc12'
_seg = _base_.seg_train_dataloader
train_dataloader = dict(_seg, batch_size=20, dataset=dict(_seg.dataset, data_prefix=dict(
    _seg.dataset.data_prefix, seg_map_path=seed_dir)))
# CRF of the boundary loss, in pixels of the 41x41 map: DSRG divides the usual
# Gaussian sxy 3 and bilateral sxy 80 by 12 (its scale_factor).
dsrg_crf = dict(num_iter=10, gaussian=dict(sxy=3 / 12, compat=3),
                bilateral=dict(sxy=80 / 12, srgb=13, compat=10))
model = dict(
    type='WeakEncoderDecoder',  # attaches img_rgb for the CRF
    decode_head=dict(
        _delete_=True, type='DSRGHead',
        head=_base_.model.decode_head,  # LargeFOVHead (fc6 dilation 12, fc7, fc8)
        fg_threshold=0.85, bg_threshold=0.99, crf=dsrg_crf,
        seed_loss_weight=1.0, boundary_loss_weight=1.0, full_loss_weight=2.0,
        grow=True, grow_on='probs', crf_unary='log_prob', clip=(0.05, 20.0)))
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [dict(type='StepLR', step_size=1000, gamma=0.33, by_epoch=False,
                        begin=0, end=8000)]
train_cfg = dict(max_iters=8000, val_interval=8000)
default_hooks = dict(checkpoint=dict(interval=8000))
