# Multi-estimations: the four seed sets of the resnet18 classifier
# (cam_resnet18-slim_partbody.py) in one tools/test.py run: threshold and CRF
# seeds at scales 1 and 0.75 (no 0.5: docs/scale.md rule 7), each scale's
# forward pass computed once (SeedSetsGenerator). The same seeds as the four
# resnet18_<type>_s<scale>.py configs, one folder each under
# test_evaluator.output_dir (tools/test.py --out).
_base_ = ['../cam_resnet18-slim_partbody.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            resnet18_threshold_s100=_base_.partbody_seed_sets.
            resnet18_threshold_s100,
            resnet18_threshold_s075=_base_.partbody_seed_sets.
            resnet18_threshold_s075,
            resnet18_crf_s100=_base_.partbody_seed_sets.resnet18_crf_s100,
            resnet18_crf_s075=_base_.partbody_seed_sets.resnet18_crf_s075,
        )))
test_evaluator = dict(output_dir=_base_.multi_seed_partbody_root)
