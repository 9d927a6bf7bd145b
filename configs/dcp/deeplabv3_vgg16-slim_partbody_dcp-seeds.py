# DCP stage 3 on the part-and-body benchmark: the shared DeepLab v3 on the
# DCP seeds of configs/dcp/dcp_vgg16-slim_partbody.py (model, data and
# schedule: ./_base_/deeplabv3_vgg16-slim_partbody_dcp.py); tests on val.
_base_ = ['./_base_/deeplabv3_vgg16-slim_partbody_dcp.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
