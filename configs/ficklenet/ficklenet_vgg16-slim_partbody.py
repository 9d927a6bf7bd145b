# FickleNet stages 1-2 on the part-and-body benchmark (256 px scenes, 32x32
# maps): the VOC twin's model part with the slim, mini-pretrained VGG-16 and
# the part-and-body data (batch 8), the mini twin's schedule (Adam 1e-3 halved
# at half time, 1,000 iterations). Scaled (docs/scale.md): kernel s = 9 x
# 32/41 = 7 (selection window, classifier kernel and stride), kept units
# rescaled by 1/(1-p) (both chosen on held-out train). Seeds under
# the bench's one protocol (docs/benchmark.md#one-protocol): N = 200 as the
# paper, one scale, no flip, θ chosen on held-out train (the paper's 0.35 is
# the ablation row 'ficklenet_protocol'). Background as the mini twin
# (no saliency maps): unclaimed pixels whose averaged map is below
# bg_threshold 0.1 (configs/_base_/models/ficklenet_vgg16.py).
_base_ = [
    '../_base_/models/ficklenet_vgg16.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/partbody_weak_cls.py',
    '../_base_/schedules/ficklenet_21k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    # s = 7 and the 1/(1-p) rescaling of kept units: the best of four
    # classifiers on 300 held-out train images (0.2 of train, seed 0; each at
    # its best θ; benchmarks/choose_threshold.py, own-colour scenes,
    # 2026-12-07): s 7 / no rescaling 37.2 (θ 0.65), s 7 / rescaling 52.7
    # (θ 0.65), s 9 / no rescaling 46.5 (θ 0.75), s 9 / rescaling 47.2
    # (θ 0.65); docs/fidelity.md
    neck=dict(in_channels=64, kernel_size=7, rescale=True),
    cls_head=dict(in_channels=64, num_classes=10, kernel_size=7, stride=7),
    # seeds drawn sparsely: only the kept units, the same law as the VOC
    # config's 'factorised' draws, from another random stream
    # (docs/fidelity.md; 'factorised' is a row of the ficklenet_seeds
    # ablation)
    # fg_threshold (θ) = 0.65: best seed mIoU of the rescaling classifier on
    # the same held-out images: 0.25 -> 42.4, 0.35 -> 46.3, 0.45 -> 49.7,
    # 0.55 -> 52.0, 0.65 -> 52.7, 0.75 -> 51.4, 0.85 -> 47.8 (without
    # rescaling 0.65 was best too: 37.2)
    seed_generator=dict(path='sparse', fg_threshold=0.65))
test_evaluator = dict(output_dir=_base_.ficklenet_vgg16_slim_partbody_seeds)
param_scheduler = [
    dict(type='StepLR', step_size=500, gamma=0.5, by_epoch=False)
]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
