# Multi-estimations seed set resnet18_threshold_s075: threshold seeds
# (foreground = background threshold 0.4, chosen on held-out train for
# this classifier), from the slim ResNet-18
# CAM at input scale 0.75 (stage 2 with the classifier checkpoint of
# cam_resnet18-slim_partbody.py; configs/multi_seed/_base_/seed_sets.py).
_base_ = ['../cam_resnet18-slim_partbody.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _base_.partbody_seed_sets.resnet18_threshold_s075, _delete_=True))
test_evaluator = dict(output_dir=_base_.multi_seed_partbody_root +
                      '/resnet18_threshold_s075')
