# Fan et al. (ECCV'20) Sec. 4.2-4.4: the seed generators of the
# multi-estimation
# seed sets, one per (type, scale); each seed config in seeds_voc12/ and
# seeds_mini/ takes one of these, sets its single CAM scale (multi-scale seeds
# are one seed set per scale: 1, 0.75, 0.5) and its output folder.
#
# threshold: foreground where the normalised CAM reaches fg_threshold (paper:
#   0.1), pixels claimed by several classes ignored. Background: the paper's
#   saliency score < 0.06 (saliency_bg_threshold) where the seed config names
#   a saliency folder (the VOC seed configs: saliency_dir = voc12_saliency_dir
#   of configs/_base_/paths.py), foreground-and-background conflicts ignored
#   as in the paper; without one (mini: no saliency model) the CAM itself
#   (background where every normalised CAM is below bg_threshold) or, with
#   background_cue_dir, an external cue (label PNGs, 0 = background, e.g. DCP
#   seeds: configs/multi_seed/seeds_voc12_dcp-bg/).
# crf: background score 1 - saliency (the paper: "background scores from the
#   saliency") with saliency_dir; else (1 - max_c CAM)^bg_power (AffinityNet's;
#   1 where an external cue says background); with the CAMs of the image's
#   classes through a dense CRF, argmax: every pixel labelled.
# Horizontal-flip averaging of the CAM is kept on (the paper is silent); the
# part-and-body sets turn it off, the bench's one seed protocol (no flip).
# A seed config replaces the classifier's seed generator with one of these as
# a whole (``_delete_=True`` where it puts it: the types' keys differ); a
# SeedSetsGenerator takes them as its members unchanged. The output folders
# are under multi_seed_voc12_root / multi_seed_mini_root of
# configs/_base_/paths.py.

voc_threshold_seeds = dict(
    type='CAMSeedGenerator',
    seed_type='threshold',
    flip=True,
    fg_threshold=0.1,
    bg_threshold=0.05,
    conflict='ignore',
    bg_conflict='ignore',
    saliency_bg_threshold=0.06)
voc_crf_seeds = dict(
    type='CAMSeedGenerator',
    seed_type='crf',
    flip=True,
    # AffinityNet's "low alpha": the unary alone flips at CAM 0.28
    bg_power=4.0,
    crf=dict(
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=80, srgb=13, compat=10)))

# Mini benchmark (128x128 scenes, 16x16 CAMs; the glyph scenes of the tests
# and --quick, which judge no claim): chosen in 2026-11 on the glyph val
# split, before benchmarks/choose_threshold.py; the part-and-body sets below
# are chosen on held-out train. The mini CAM baseline's threshold then (fg
# 0.45; configs/cam/cam_vgg16-slim_mini.py now holds 0.5, chosen on held-out
# train) with an ignore band below it; CRF alpha 1 (unary flips at 0.5) and
# the bilateral range scaled with the image (80 px at ~500 px -> 20 px at
# 128 px). Mini val seed mIoU, slim VGG-16, scale 1 (ignore = miss):
# threshold fg 0.1/bg 0.05: 26.4, fg 0.45/bg 0.2: 36.4 (84% labelled);
# CRF alpha 1 sxy 80: 39.7, alpha 2 sxy 80: 46.7, alpha 1 sxy 20: 48.2.
mini_threshold_seeds = dict(
    voc_threshold_seeds, fg_threshold=0.45, bg_threshold=0.2)
mini_crf_seeds = dict(
    voc_crf_seeds,
    bg_power=1.0,
    crf=dict(
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=20, srgb=13, compat=10)))
