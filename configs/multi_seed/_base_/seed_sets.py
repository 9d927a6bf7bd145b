# Fan et al. (ECCV'20) Sec. 4.2-4.4: the six seed read-outs of one
# classifier on each config set -- threshold and CRF seeds at input scales
# 1, 0.75 and 0.5 -- named <type>_s<scale> (the seed types of
# seed_types.py). Both the one-set configs
# (seeds_<set>/<arch>_<type>_s<scale>.py) and the one-run configs
# (seeds_<set>/<arch>_sets.py, a SeedSetsGenerator that computes each
# scale's forward pass once) take their generators from here: one place per
# read-out.
_base_ = ['./seed_types.py']

# VOC: the paper's types; the VOC configs add the saliency background
# (saliency_dir=voc12_saliency_dir of configs/_base_/paths.py; paper:
# saliency < 0.06 / CRF background 1 - saliency). Horizontal flip kept.
voc12_seed_sets = dict(
    threshold_s100=dict(_base_.voc_threshold_seeds, scales=(1.0, )),
    crf_s100=dict(_base_.voc_crf_seeds, scales=(1.0, )),
    threshold_s075=dict(_base_.voc_threshold_seeds, scales=(0.75, )),
    crf_s075=dict(_base_.voc_crf_seeds, scales=(0.75, )),
    threshold_s050=dict(_base_.voc_threshold_seeds, scales=(0.5, )),
    crf_s050=dict(_base_.voc_crf_seeds, scales=(0.5, )))

# glyph scenes: the mini thresholds and CRF of seed_types.py
mini_seed_sets = dict(
    threshold_s100=dict(_base_.mini_threshold_seeds, scales=(1.0, )),
    crf_s100=dict(_base_.mini_crf_seeds, scales=(1.0, )),
    threshold_s075=dict(_base_.mini_threshold_seeds, scales=(0.75, )),
    crf_s075=dict(_base_.mini_crf_seeds, scales=(0.75, )),
    threshold_s050=dict(_base_.mini_threshold_seeds, scales=(0.5, )),
    crf_s050=dict(_base_.mini_crf_seeds, scales=(0.5, )))

# part-and-body: no saliency model: threshold seeds the VOC values without
# one (fg 0.1 / bg 0.05 on the normalised CAM), CRF background
# (1 - max CAM)^4 (the VOC bg_power), the VOC CRF with the bilateral sxy
# scaled to the 256 px image (80 x 256/500 = 41; Gaussian sxy 3, srgb 13
# kept: docs/scale.md); no flip, the bench's one seed protocol
partbody_crf = dict(
    num_iter=10,
    gaussian=dict(sxy=3, compat=3),
    bilateral=dict(sxy=41, srgb=13, compat=10))
partbody_seed_sets = dict(
    threshold_s100=dict(
        _base_.voc_threshold_seeds, scales=(1.0, ), flip=False),
    crf_s100=dict(
        _base_.voc_crf_seeds, scales=(1.0, ), flip=False, crf=partbody_crf),
    threshold_s075=dict(
        _base_.voc_threshold_seeds, scales=(0.75, ), flip=False),
    crf_s075=dict(
        _base_.voc_crf_seeds, scales=(0.75, ), flip=False, crf=partbody_crf),
    threshold_s050=dict(
        _base_.voc_threshold_seeds, scales=(0.5, ), flip=False),
    crf_s050=dict(
        _base_.voc_crf_seeds, scales=(0.5, ), flip=False, crf=partbody_crf))
