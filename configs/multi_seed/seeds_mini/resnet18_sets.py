# Multi-estimations: the six seed sets of the resnet18 classifier
# (cam_resnet18-slim_mini.py) in one tools/test.py run:
# threshold and CRF seeds at scales 1, 0.75 and 0.5, each scale's
# forward pass computed once
# (SeedSetsGenerator). The same seeds as the six
# resnet18_<type>_s<scale>.py configs, one folder each under
# test_evaluator.output_dir (tools/test.py --out).
_base_ = ['../cam_resnet18-slim_mini.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            resnet18_threshold_s100=_base_.mini_seed_sets.threshold_s100,
            resnet18_threshold_s075=_base_.mini_seed_sets.threshold_s075,
            resnet18_threshold_s050=_base_.mini_seed_sets.threshold_s050,
            resnet18_crf_s100=_base_.mini_seed_sets.crf_s100,
            resnet18_crf_s075=_base_.mini_seed_sets.crf_s075,
            resnet18_crf_s050=_base_.mini_seed_sets.crf_s050,
        )))
test_evaluator = dict(output_dir=_base_.multi_seed_mini_root)
