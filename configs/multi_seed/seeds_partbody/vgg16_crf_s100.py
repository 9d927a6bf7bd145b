# Multi-estimations seed set vgg16_crf_s100: dense-CRF seeds
# (background (1 - max CAM)^4), from the slim VGG-16
# CAM at input scale 1.0 (stage 2 with the classifier checkpoint of
# cam_vgg16-slim_partbody.py; configs/multi_seed/_base_/seed_sets.py).
_base_ = ['../../cam/cam_vgg16-slim_partbody.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _base_.partbody_seed_sets.vgg16_crf_s100, _delete_=True))
test_evaluator = dict(output_dir=_base_.multi_seed_partbody_root +
                      '/vgg16_crf_s100')
