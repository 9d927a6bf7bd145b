# FickleNet stage 3 (Lee et al. CVPR'19, Sec. 3.3): DSRG (Huang et al.
# CVPR'18) trained on FickleNet's seeds -- DeepLab-LargeFOV on VGG-16 whose
# training loss is DSRG's: seeds grow during training (fg 0.85 / bg 0.99),
# balanced seeding loss + dense-CRF boundary loss at the 41x41 output
# (model, schedule and notes: ./_base_/dsrg_largefov_vgg16_voc12.py).
#   python tools/train.py configs/ficklenet/ficklenet_vgg16_voc12.py          #
#   stage 1
#   python tools/test.py  configs/ficklenet/ficklenet_vgg16_voc12.py CKPT     #
#   stage 2: seeds
#   python tools/train.py
#   configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py
#   python tools/test.py
#   configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py \
#          work_dirs/dsrg_largefov_vgg16_voc12_ficklenet-seeds/iter_8000.pth
#          [--tta]
_base_ = ['./_base_/dsrg_largefov_vgg16_voc12.py']
train_dataloader = _base_.dsrg_train_dataloader
