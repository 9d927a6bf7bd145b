# Multi-estimations seed set vgg16_crf_s100 with DCP's saliency-free background
# instead of saliency (configs/multi_seed/seeds_voc12/vgg16_crf_s100.py
# otherwise):
# CRF background score 1 where the DCP seeds of configs/dcp/dcp_r101_voc12.py
# are 0, (1 - max CAM)^4 elsewhere. Read by
# ../wst_largefov_vgg16_voc12_12seeds_dcp-bg.py.
_base_ = ['../../cam/cam_vgg16_voc12.py', '../_base_/seed_types.py']
model = dict(
    seed_generator=dict(
        _base_.voc_crf_seeds,
        _delete_=True,
        scales=(1.0, ),
        saliency_dir=None,
        background_cue_dir=_base_.dcp_r101_voc12_seeds))
test_evaluator = dict(output_dir=_base_.multi_seed_voc12_dcp_bg_root +
                      '/vgg16_crf_s100')
