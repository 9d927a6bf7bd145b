# Multi-estimations seed set vgg16_crf_s050: crf seeds from the slim VGG-16
# CAM at input scale 0.5 (stage 2 with the classifier checkpoint of
# cam_vgg16-slim_partbody.py).
# No saliency model: background (1 - max CAM)^4 (the VOC twin's bg_power); the
# VOC CRF with the bilateral sxy scaled to the 256 px image (80 x 256/500 = 41;
# Gaussian sxy 3, srgb 13 kept: docs/scale.md).
_base_ = ['../../cam/cam_vgg16-slim_partbody.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(_base_.partbody_seed_sets.crf_s050, _delete_=True))
test_evaluator = dict(output_dir=_base_.multi_seed_partbody_root +
                      '/vgg16_crf_s050')
