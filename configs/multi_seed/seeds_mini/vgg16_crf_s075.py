# Multi-estimations seed set vgg16_crf_s075: crf seeds from the slim VGG-16
# CAM at input scale 0.75 (stage 2 with the classifier checkpoint of
# cam_vgg16-slim_mini.py).
_base_ = ['../../cam/cam_vgg16-slim_mini.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(_base_.mini_seed_sets.crf_s075, _delete_=True))
test_evaluator = dict(output_dir=_base_.multi_seed_mini_root +
                      '/vgg16_crf_s075')
