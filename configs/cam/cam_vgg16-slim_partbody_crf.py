# Instrument of the part-and-body benchmark: the CAM baseline's seeds read
# out by the dense CRF instead of the thresholds, everything else as the
# baseline's protocol (same classifier, scales 1/0.5/1.5/2 + flip). Its seed
# mIoU minus the baseline's is the benchmark's crf_gain: what colour affinity
# alone adds to a CAM on these scenes (Fan et al. Table 2 on VOC: a few
# points). Background score and CRF are those of the multi_seed C sets
# (configs/multi_seed/seeds_partbody/vgg16_crf_s100.py).
_base_ = ['./cam_vgg16-slim_partbody.py']
model = dict(
    seed_generator=dict(
        seed_type='crf',
        bg_power=4.0,
        crf=dict(
            num_iter=10,
            gaussian=dict(sxy=3, compat=3),
            bilateral=dict(sxy=41, srgb=13, compat=10))))
test_evaluator = dict(output_dir=_base_.cam_vgg16_slim_partbody_seeds + '_crf')
