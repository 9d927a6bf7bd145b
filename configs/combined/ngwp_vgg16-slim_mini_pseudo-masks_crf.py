# Glyph-scene twin of ngwp_vgg16-slim_partbody_pseudo-masks_crf.py (candidate
# combined_second_round, stage 2: single-stage's pseudo masks on train with
# the dense CRF of its mini val_crf config, ngwp_vgg16-slim_mini_crf.py;
# tests and --quick).
_base_ = ['../single_stage/ngwp_vgg16-slim_mini_pseudo-masks.py']
model = dict(
    test_cfg=dict(
        crf=dict(
            _delete_=True,
            num_iter=10,
            bilateral=dict(sxy=20, srgb=13, compat=10))))
test_evaluator = dict(output_dir=_base_.combined_mini_first_round)
