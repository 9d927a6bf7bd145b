# Multi-estimations seed set resnet18_threshold_s100: threshold seeds from the
# slim ResNet-18
# CAM at input scale 1.0 (stage 2 with the classifier checkpoint of
# cam_resnet18-slim_mini.py).
_base_ = ['../cam_resnet18-slim_mini.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(_base_.mini_seed_sets.threshold_s100, _delete_=True))
test_evaluator = dict(output_dir=_base_.multi_seed_mini_root +
                      '/resnet18_threshold_s100')
