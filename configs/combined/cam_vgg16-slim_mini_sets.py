# Composed recipe, stage 2 on the glyph scenes (tests and --quick): the CAM
# baseline's mini classifier (cam_vgg16-slim_mini.py) read out twice from
# one forward pass, each read-out refined by PAMR first (as
# cam_vgg16-slim_partbody_sets.py): its thresholds, and the C read-out of
# the mini multi-estimation sets. PAMR dilations: single-stage's mini ones
# on the stride-4 mask (1, 2, 3, 4, 6, 10) x 4 for the full-size maps.
_base_ = ['../cam/cam_vgg16-slim_mini.py', '../multi_seed/_base_/seed_sets.py']
_cam = _base_.model.seed_generator
_pamr = dict(type='PAMR', num_iter=10, dilations=(4, 8, 12, 16, 24, 40))
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            threshold=dict(_cam, refine=_pamr),
            crf=dict(
                _cam,
                seed_type='crf',
                bg_power=_base_.mini_crf_seeds.bg_power,
                crf=_base_.mini_crf_seeds.crf,
                refine=_pamr))))
test_evaluator = dict(output_dir=_base_.combined_mini_root)
