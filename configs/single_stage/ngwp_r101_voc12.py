# Single-stage WSSS on VOC 2012 aug with mmseg's ResNetV1c-101: the VGG twin
# with another backbone (./_base_/ngwp_r101_voc12.py), tested on val.
#   python tools/train.py configs/single_stage/ngwp_r101_voc12.py
#   python tools/test.py  configs/single_stage/ngwp_r101_voc12.py \
#       work_dirs/ngwp_r101_voc12/epoch_20.pth [--tta]
_base_ = ['./_base_/ngwp_r101_voc12.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
