# Multi-estimations: the six seed sets of the vgg16 classifier
# (cam_vgg16_voc12.py) in one tools/test.py run:
# threshold and CRF seeds at scales 1, 0.75 and 0.5, each scale's
# forward pass computed once
# (SeedSetsGenerator). The same seeds as the six
# vgg16_<type>_s<scale>.py configs, one folder each under
# test_evaluator.output_dir (tools/test.py --out).
_base_ = ['../../cam/cam_vgg16_voc12.py', '../_base_/seed_sets.py']
model = dict(
    seed_generator=dict(
        _delete_=True,
        type='SeedSetsGenerator',
        sets=dict(
            vgg16_threshold_s100=dict(
                _base_.voc12_seed_sets.threshold_s100,
                saliency_dir=_base_.voc12_saliency_dir),
            vgg16_threshold_s075=dict(
                _base_.voc12_seed_sets.threshold_s075,
                saliency_dir=_base_.voc12_saliency_dir),
            vgg16_threshold_s050=dict(
                _base_.voc12_seed_sets.threshold_s050,
                saliency_dir=_base_.voc12_saliency_dir),
            vgg16_crf_s100=dict(
                _base_.voc12_seed_sets.crf_s100,
                saliency_dir=_base_.voc12_saliency_dir),
            vgg16_crf_s075=dict(
                _base_.voc12_seed_sets.crf_s075,
                saliency_dir=_base_.voc12_saliency_dir),
            vgg16_crf_s050=dict(
                _base_.voc12_seed_sets.crf_s050,
                saliency_dir=_base_.voc12_saliency_dir),
        )))
test_evaluator = dict(output_dir=_base_.multi_seed_voc12_root)
