# Multi-estimations: the four seed sets of the vgg16 classifier
# (cam_vgg16-slim_partbody.py) in one tools/test.py run: threshold and CRF
# seeds at scales 1 and 0.75 (no 0.5: docs/scale.md rule 7), each scale's
# forward pass computed once (SeedSetsGenerator). The same seeds as the four
# vgg16_<type>_s<scale>.py configs, one folder each under
# test_evaluator.output_dir (tools/test.py --out).
_base_ = ['../../cam/cam_vgg16-slim_partbody.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            vgg16_threshold_s100=_base_.partbody_seed_sets.
            vgg16_threshold_s100,
            vgg16_threshold_s075=_base_.partbody_seed_sets.
            vgg16_threshold_s075,
            vgg16_crf_s100=_base_.partbody_seed_sets.vgg16_crf_s100,
            vgg16_crf_s075=_base_.partbody_seed_sets.vgg16_crf_s075,
        )))
test_evaluator = dict(output_dir=_base_.multi_seed_partbody_root)
