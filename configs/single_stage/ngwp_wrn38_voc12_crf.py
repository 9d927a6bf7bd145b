# Single-stage val with WideResNet-38 and the dense-CRF post-processing, the
# paper's 62.7: multi-scale + flip views averaged, classes under confidence
# 0.1 removed, background ** 3, then one CRF (10 iterations, Gaussian 3/3,
# bilateral 80/13/10) on the averaged map, as the reference's infer_val.py.
#   python tools/test.py configs/single_stage/ngwp_wrn38_voc12_crf.py \
#       work_dirs/ngwp_wrn38_voc12/epoch_20.pth --tta           # paper: 62.7
# (the val config's twin: a sibling, not a child, to stay 3 levels deep)
_base_ = ['./_base_/ngwp_wrn38_voc12.py']
model = dict(test_cfg=dict(crf=True))
test_dataloader = _base_.val_dataloader
test_evaluator = _base_.val_evaluator
