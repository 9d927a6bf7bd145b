# Single-stage WSSS (Araslanov & Roth, CVPR'20) on VOC 2012 aug, VGG-16.
# One network, one run: nGWP class scores + focal mask penalty -> multi-label
# soft-margin loss; PAMR-refined masks -> pseudo labels -> class-balanced CE
# (switched on after a 5-epoch warm-up); Stochastic Gate (psi 0.3) + GCI.
# Model: configs/_base_/models/ngwp_vgg16.py; data and schedule:
# ./_base_/ngwp_vgg16_voc12.py; this config tests on val.
#   python tools/train.py configs/single_stage/ngwp_vgg16_voc12.py
#   python tools/test.py  configs/single_stage/ngwp_vgg16_voc12.py \
#       work_dirs/ngwp_vgg16_voc12/epoch_20.pth [--tta] \
#       [--cfg-options model.test_cfg.crf=True]                 # val mIoU
#   pseudo-mask quality (Table 2): ngwp_vgg16_voc12_pseudo-masks.py
_base_ = ['./_base_/ngwp_vgg16_voc12.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
