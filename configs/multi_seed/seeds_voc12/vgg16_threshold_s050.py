# Multi-estimations seed set vgg16_threshold_s050: threshold seeds from the
# VGG-16
# CAM at input scale 0.5 (stage 2 with the classifier checkpoint of
# cam_vgg16_voc12.py).
# Background from the saliency maps of voc12_saliency_dir
# (configs/_base_/paths.py;
# paper: saliency < 0.06 / CRF background 1 - saliency); the saliency-free
# twin:
# ../seeds_voc12_dcp-bg/vgg16_threshold_s050.py.
_base_ = ['../../cam/cam_vgg16_voc12.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _base_.voc12_seed_sets.threshold_s050,
        _delete_=True,
        saliency_dir=_base_.voc12_saliency_dir))
test_evaluator = dict(output_dir=_base_.multi_seed_voc12_root +
                      '/vgg16_threshold_s050')
