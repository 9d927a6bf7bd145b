# Multi-estimations seed set resnet101_threshold_s100: threshold seeds from the
# ResNet-101
# CAM at input scale 1.0 (stage 2 with the classifier checkpoint of
# cam_resnet101_voc12.py).
# Background from the saliency maps of voc12_saliency_dir
# (configs/_base_/paths.py;
# paper: saliency < 0.06 / CRF background 1 - saliency); the saliency-free
# twin:
# ../seeds_voc12_dcp-bg/resnet101_threshold_s100.py.
_base_ = ['../cam_resnet101_voc12.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _base_.voc12_seed_sets.threshold_s100,
        _delete_=True,
        saliency_dir=_base_.voc12_saliency_dir))
test_evaluator = dict(output_dir=_base_.multi_seed_voc12_root +
                      '/resnet101_threshold_s100')
