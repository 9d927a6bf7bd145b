# DCP stage 3 on the mini benchmark (twin of the VOC config): slim LargeFOV
# on the DCP seeds of configs/dcp/dcp_vgg16-slim_mini.py with the mini
# benchmark's common stage-3 schedule
# (./_base_/deeplab_largefov_vgg16-slim_mini_dcp.py).
_base_ = ['./_base_/deeplab_largefov_vgg16-slim_mini_dcp.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
