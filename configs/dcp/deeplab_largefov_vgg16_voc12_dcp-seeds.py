# DCP stage 3 on VOC 2012 aug: DeepLab-LargeFOV (VGG-16) trained on the DCP
# seeds of configs/dcp/dcp_r101_voc12.py (0 background, 255 = uncertain);
# model, data and the paper's schedule:
# ./_base_/deeplab_largefov_vgg16_voc12_dcp.py.
#   python tools/train.py configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py
#   python tools/test.py  configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py
#   CKPT [--tta]
#   (--tta: the paper's test, 241 / 328 / 401 + dense CRF; without: one scale,
#   no CRF)
_base_ = ['./_base_/deeplab_largefov_vgg16_voc12_dcp.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
