# Single-stage WSSS (Araslanov & Roth, CVPR'20) with WideResNet-38, the
# paper's setting (./_base_/ngwp_wrn38_voc12.py; docs/fidelity.md), tested
# on val. The paper's 59.7 is multi-scale + flip inference:
#   python tools/train.py configs/single_stage/ngwp_wrn38_voc12.py
#   python tools/test.py  configs/single_stage/ngwp_wrn38_voc12.py \
#       work_dirs/ngwp_wrn38_voc12/epoch_20.pth --tta          # paper: 59.7
# with the dense CRF (62.7): ngwp_wrn38_voc12_crf.py.
_base_ = ['./_base_/ngwp_wrn38_voc12.py']
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
