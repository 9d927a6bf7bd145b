# Single-stage val on VOC with the dense-CRF post-processing (the paper's
# 62.7; the `val_crf` stage of wsss_mm/recipes/single_stage.py).
#   python tools/test.py configs/single_stage/ngwp_vgg16_voc12_crf.py CKPT
_base_ = ['./ngwp_vgg16_voc12.py']
model = dict(test_cfg=dict(crf=True))
