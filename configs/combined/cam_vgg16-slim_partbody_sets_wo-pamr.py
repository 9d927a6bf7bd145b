# Composed recipe without PAMR (its leave-one-out row, recipe
# combined_wo_pamr): the two read-outs of cam_vgg16-slim_partbody_sets.py
# unrefined -- the CAM baseline's own seeds (its generator, threshold 0.5)
# and the CRF read-out of the benchmark's instrument
# (configs/cam/cam_vgg16-slim_partbody_crf.py).
_base_ = [
    '../cam/cam_vgg16-slim_partbody.py', '../multi_seed/_base_/seed_sets.py'
]
_cam = _base_.model.seed_generator
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            threshold=_cam,
            crf=dict(
                _cam,
                seed_type='crf',
                bg_power=_base_.voc_crf_seeds.bg_power,
                crf=_base_.partbody_crf))))
test_evaluator = dict(output_dir=_base_.combined_partbody_root)
