# Multi-estimations seed set resnet18_crf_s075: dense-CRF seeds
# (background (1 - max CAM)^4), from the slim ResNet-18
# CAM at input scale 0.75 (stage 2 with the classifier checkpoint of
# cam_resnet18-slim_partbody.py; configs/multi_seed/_base_/seed_sets.py).
_base_ = ['../cam_resnet18-slim_partbody.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _base_.partbody_seed_sets.resnet18_crf_s075, _delete_=True))
test_evaluator = dict(output_dir=_base_.multi_seed_partbody_root +
                      '/resnet18_crf_s075')
