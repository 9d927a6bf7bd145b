# Composed recipe, stage 2 on VOC 2012: the CAM baseline's classifier
# (configs/cam/cam_vgg16_voc12.py, its multi-scale + flip views) read out
# twice from one forward pass, each read-out refined by PAMR (Araslanov &
# Roth eq. 7-8; their dilations on the stride-4 mask, 1, 2, 4, 8, 12, 24,
# x 4 for the full-size maps) before it labels pixels: the baseline's
# thresholds, and Fan et al.'s C read-out without a saliency model (CRF
# background (1 - max CAM)^4, the VOC dense CRF). The part-and-body twin's
# threshold was chosen on held-out train; on VOC choose it the same way
# (python -m benchmarks.choose_threshold, docs/scale.md).
_base_ = ['../cam/cam_vgg16_voc12.py', '../multi_seed/_base_/seed_sets.py']
_cam = _base_.model.seed_generator
_pamr = dict(type='PAMR', num_iter=10, dilations=(4, 8, 16, 32, 48, 96))
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            threshold=dict(_cam, refine=_pamr),
            crf=dict(
                _cam,
                seed_type='crf',
                bg_power=_base_.voc_crf_seeds.bg_power,
                crf=_base_.voc_crf_seeds.crf,
                refine=_pamr))))
test_evaluator = dict(output_dir=_base_.combined_voc12_root)
