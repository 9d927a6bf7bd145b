# Single-stage WSSS on the mini benchmark: the VOC twin (ngwp_vgg16_voc12.py)
# at mini scale (./_base_/ngwp_vgg16-slim_mini.py), tested on val.
#   python tools/train.py configs/single_stage/ngwp_vgg16-slim_mini.py
#   python tools/test.py  configs/single_stage/ngwp_vgg16-slim_mini.py \
#       work_dirs/ngwp_vgg16-slim_mini/iter_1000.pth [--tta]
_base_ = ['./_base_/ngwp_vgg16-slim_mini.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
