# Single-stage WSSS on the part-and-body benchmark: the VOC twin
# (ngwp_vgg16_voc12.py) scaled by docs/scale.md
# (./_base_/ngwp_vgg16-slim_partbody.py), tested on val.
#   python tools/train.py configs/single_stage/ngwp_vgg16-slim_partbody.py
#   python tools/test.py  configs/single_stage/ngwp_vgg16-slim_partbody.py \
#       work_dirs/ngwp_vgg16-slim_partbody/iter_2000.pth [--tta]
# Fully supervised reference of the same network:
# configs/full/ngwp_vgg16-slim_partbody_gt.py.
_base_ = ['./_base_/ngwp_vgg16-slim_partbody.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
