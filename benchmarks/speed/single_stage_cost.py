"""Cost of the single-stage model (Araslanov & Roth, CVPR'20) vs DeepLabv3+.

In one run, on one device, with the SAME backbone and input (default: full
VGG-16 of the VOC config, output stride 8, a batch of two 321x321 images, 21
classes):

1. one training step (forward, losses, backward, SGD step) of the full
   single-stage model: NGWPHead + nGWP + PAMR (10 iterations, dilations
   1-2-4-8-12-24) + pseudo labels + balanced CE, and the share of it spent
   inside PAMR (timed in the same steps); also with the pseudo labels and
   the CE at the mask resolution (stride 4) instead of the input's
   (``pseudo_label_cfg.resolution='mask'``; the reference upsamples);
2. the same step during the warm-up (classification loss only, no PAMR);
3. one training step of a plain DeepLabv3+ (mmseg's
   ``DepthwiseSeparableASPPHead``, cross-entropy on dense labels) on the
   same backbone: what the weak supervision costs on top of a supervised
   segmentation network;
4. the heads alone (forward + backward from fixed backbone features) and
   their parameter counts: NGWPHead (ASPP + skip + GCI + SG + 3-layer
   decoder) vs DepthwiseSeparableASPPHead;
5. inference of one image (``predict``), without and with the dense CRF.

    python -m benchmarks.speed.single_stage_cost [--backbone vgg16|r101|r18]
        [--size 321] [--batch 2] [--repeat 2] [--device cpu] [--quick]

Prints a table and, last, one JSON line. Timings are the best (minimum) of
--repeat rounds after a warm-up round; each round runs every variant once
(interleaved), and both wall and CPU seconds (this process) are reported.
On a busy machine, small multi-threaded ops (PAMR's) can wait a scheduler
time slice each (measured here: 0.15 s to 11 s for the same PAMR call),
hence best-of-N rather than the median.
"""
import argparse
import json
import time

import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401  (registers the modules)

PREPROC = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True)
# backbone config, (c1_in_channels, deep_channels): a stride-4 map first,
# the deep map second (in_index=1, c1_index=0)
BACKBONES = {
    'vgg16':
    (dict(type='DeepLabVGG', out_indices=(2, 4),
          out_before_pool=True), (256, 512)),
    'r101': (dict(
        type='ResNetV1c',
        depth=101,
        out_indices=(0, 3),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        contract_dilation=True), (256, 2048)),
    'r18': (dict(
        type='ResNetV1c',
        depth=18,
        out_indices=(0, 3),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        contract_dilation=True), (64, 512)),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--backbone', choices=sorted(BACKBONES), default='vgg16')
    p.add_argument('--size', type=int, default=321, help='square input side')
    p.add_argument(
        '--batch',
        type=int,
        default=2,
        help='>= 2: the ASPP image-pool BN needs 2 values a channel')
    p.add_argument('--classes', type=int, default=21, help='with background')
    p.add_argument('--repeat', type=int, default=2)
    p.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument(
        '--threads', type=int, default=0, help='torch threads (0: default)')
    p.add_argument('--no-crf', action='store_true', help='skip the CRF timing')
    p.add_argument(
        '--quick',
        action='store_true',
        help='smoke run: 1/8-width VGG, 128x128, 1 repeat')
    return p.parse_args(argv)


def build_models(args):
    backbone, (c1_ch, deep_ch) = BACKBONES[args.backbone]
    backbone = dict(backbone)
    if args.quick:
        backbone.update(width_mult=0.125)
        c1_ch, deep_ch = c1_ch // 8, deep_ch // 8
    head_common = dict(
        in_channels=deep_ch,
        in_index=1,
        c1_in_channels=c1_ch,
        c1_channels=48,
        channels=256,
        num_classes=args.classes,
        dilations=(1, 12, 24, 36),
        norm_cfg=dict(type='BN', requires_grad=True),
        align_corners=False)
    single = MODELS.build(
        dict(
            type='SingleStageSegmentor',
            data_preprocessor=PREPROC,
            backbone=backbone,
            decode_head=dict(type='NGWPHead', c1_index=0, **head_common),
            pamr=dict(
                type='PAMR', num_iter=10, dilations=(1, 2, 4, 8, 12, 24))))
    plain = MODELS.build(
        dict(
            type='EncoderDecoder',
            data_preprocessor=PREPROC,
            backbone=backbone,
            decode_head=dict(
                type='DepthwiseSeparableASPPHead',
                dropout_ratio=0.1,
                loss_decode=dict(type='CrossEntropyLoss'),
                **head_common),
            test_cfg=ConfigDict(mode='whole')))
    # same backbone weights in both
    plain.backbone.load_state_dict(single.backbone.state_dict())
    return single, plain


def make_batch(args, device):
    gen = torch.Generator().manual_seed(0)
    inputs = torch.randn(args.batch, 3, args.size, args.size, generator=gen)
    samples = []
    for i in range(args.batch):
        s = SegDataSample(
            metainfo=dict(
                img_shape=(args.size, args.size),
                ori_shape=(args.size, args.size),
                pad_shape=(args.size, args.size)))
        labels = torch.zeros(args.classes)
        labels[0] = 1
        labels[1 + (3 * i) % (args.classes - 1)] = 1
        labels[1 + (3 * i + 7) % (args.classes - 1)] = 1
        s.gt_img_labels = labels
        seg = torch.randint(
            0, args.classes, (1, args.size, args.size), generator=gen)
        s.gt_sem_seg = PixelData(data=seg)
        samples.append(s)
    return inputs.to(device), [s.to(device) for s in samples]


class Clock:
    """Wall and CPU (this process, all threads) seconds of a call."""

    def __init__(self, device):
        self.device = device

    def sync(self):
        if self.device.startswith('cuda'):
            torch.cuda.synchronize()

    def __call__(self, fn):
        self.sync()
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        self.sync()
        return time.perf_counter() - wall, time.process_time() - cpu, out


def round_robin(named_fns, repeat, clock):
    """Run every function once per round, ``repeat + 1`` rounds, the first
    discarded (warm-up); interleaving spreads load changes of a shared
    machine over all variants. Returns {name: (wall, cpu)}, each the
    minimum over the rounds (timeit's "best of N": on a shared machine a
    round may wait for CPU time; the minimum is the least disturbed)."""
    times = {name: [] for name, _ in named_fns}
    for r in range(repeat + 1):
        for name, fn in named_fns:
            wall, cpu, _ = clock(fn)
            if r:
                times[name].append((wall, cpu))
    return {
        name: (min(t[0] for t in ts), min(t[1] for t in ts))
        for name, ts in times.items()
    }


class PamrTimer:
    """Wraps ``model.pamr.forward``; records (wall, cpu) of each call."""

    def __init__(self, module, clock):
        self.clock, self.times = clock, []
        self._forward = module.forward
        module.forward = self

    def __call__(self, *a, **k):
        wall, cpu, out = self.clock(lambda: self._forward(*a, **k))
        self.times.append((wall, cpu))
        return out


def main(argv=None):
    args = parse_args(argv)
    if args.quick:
        args.size, args.repeat = 128, 1
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    init_default_scope('mmseg')
    device = args.device
    clock = Clock(device)
    single, plain = build_models(args)
    single.to(device).train()
    plain.to(device).train()
    inputs, samples = make_batch(args, device)
    opt_s = torch.optim.SGD(single.parameters(), lr=1e-9, momentum=0.9)
    opt_p = torch.optim.SGD(plain.parameters(), lr=1e-9, momentum=0.9)

    def step(model, opt, seg_loss=None, resolution='input'):

        def run():
            if seg_loss is not None:
                model.seg_loss_enabled = seg_loss
                model.pseudo_label_cfg['resolution'] = resolution
            opt.zero_grad(set_to_none=True)
            losses = model.loss(inputs, samples)
            loss = sum(v for k, v in losses.items() if 'loss' in k)
            loss.backward()
            opt.step()

        return run

    pamr_timer = PamrTimer(single.pamr, clock)
    # record PAMR of the 'input' variant only (other calls go to a scratch
    # list)
    full = step(single, opt_s, True)

    def full_recorded():
        pamr_timer.times = pamr_times
        full()
        pamr_timer.times = []

    pamr_times = []
    res = round_robin(
        [('train_full', full_recorded),
         ('train_full_mask_res', step(single, opt_s, True, 'mask')),
         ('train_warmup', step(single, opt_s, False)),
         ('train_deeplabv3plus', step(plain, opt_p))], args.repeat, clock)
    # PAMR runs once per full step; the first call was the warm-up round
    pamr = pamr_times[1:]
    res['pamr'] = (min(t[0] for t in pamr), min(t[1] for t in pamr))

    with torch.no_grad():
        feats = [f.detach() for f in single.extract_feat(inputs)]

    def head_step(head):

        def run():
            head.zero_grad(set_to_none=True)
            head(feats).sum().backward()

        return run

    res.update(
        round_robin([('head_ngwp', head_step(single.decode_head)),
                     ('head_deeplabv3plus', head_step(plain.decode_head))],
                    args.repeat, clock))
    params = {
        'ngwp': sum(p.numel() for p in single.decode_head.parameters()),
        'deeplabv3plus':
        sum(p.numel() for p in plain.decode_head.parameters()),
        'backbone': sum(p.numel() for p in single.backbone.parameters()),
    }

    single.eval()
    plain.eval()
    one_in, one_s = inputs[:1], samples[:1]
    no_crf = dict(single.test_cfg)
    with_crf = dict(
        single.test_cfg, crf=single._check_test_cfg(dict(crf=True))['crf'])

    def infer_single(cfg):

        def run():
            single.test_cfg = cfg
            single.predict(one_in, [one_s[0].clone()])

        return run

    fns = [('infer_single', infer_single(no_crf)),
           ('infer_deeplabv3plus',
            lambda: plain.predict(one_in, [one_s[0].clone()]))]
    if not args.no_crf:
        fns.insert(1, ('infer_single_crf', infer_single(with_crf)))
    with torch.no_grad():
        res.update(round_robin(fns, args.repeat, clock))

    mask_side = feats[0].shape[-1]
    width = ' (1/8 width)' if args.quick else ''
    print(
        f'\nSingle-stage cost: backbone {args.backbone}{width}, input '
        f'{args.batch}x3x{args.size}x{args.size}, masks '
        f'{mask_side}x{mask_side}, '
        f'{args.classes} classes, device {device}, {torch.get_num_threads()} '
        f'threads, best of {args.repeat} interleaved rounds\n')
    rows = [
        ('train step, single-stage (cls + PAMR + seg loss)', 'train_full',
         'train_full'),
        ('  of which PAMR (10 iterations)', 'pamr', 'train_full'),
        ('train step, single-stage, pseudo labels at stride 4',
         'train_full_mask_res', 'train_full'),
        ('train step, warm-up (cls loss only)', 'train_warmup', 'train_full'),
        ('train step, DeepLabv3+ (supervised CE)', 'train_deeplabv3plus',
         'train_full'),
        ('head fwd+bwd, NGWPHead', 'head_ngwp', 'head_deeplabv3plus'),
        ('head fwd+bwd, DepthwiseSeparableASPPHead', 'head_deeplabv3plus',
         'head_deeplabv3plus'),
        ('inference (1 image), single-stage', 'infer_single',
         'infer_deeplabv3plus'),
        ('inference (1 image), single-stage + CRF', 'infer_single_crf',
         'infer_deeplabv3plus'),
        ('inference (1 image), DeepLabv3+', 'infer_deeplabv3plus',
         'infer_deeplabv3plus'),
    ]
    print(
        f'{"what":50s} {"wall s":>8s} {"cpu s":>8s} {"ratio":>7s}  (cpu, to)')
    for name, key, ref in rows:
        if key not in res:
            continue
        wall, cpu = res[key]
        print(f'{name:50s} {wall:8.3f} {cpu:8.3f} {cpu / res[ref][1]:7.2f}  '
              f'({ref})')

    def ratio(a, b, i=1):
        return res[a][i] / res[b][i]

    print(f'\nCPU-time ratios: single-stage / DeepLabv3+ train step = '
          f'{ratio("train_full", "train_deeplabv3plus"):.2f}; full / warm-up '
          'step = '
          f'{ratio("train_full", "train_warmup"):.2f}; PAMR share of the '
          'single-stage '
          f'step = {100 * ratio("pamr", "train_full"):.1f} % (wall '
          f'{100 * ratio("pamr", "train_full", 0):.1f} %); NGWPHead / '
          'DeepLabv3+ head = '
          f'{ratio("head_ngwp", "head_deeplabv3plus"):.2f}')
    print(f'parameters: NGWPHead {params["ngwp"] / 1e6:.2f} M, '
          'DepthwiseSeparableASPPHead '
          f'{params["deeplabv3plus"] / 1e6:.2f} M, backbone '
          f'{params["backbone"] / 1e6:.2f} M')
    out = dict(
        backbone=args.backbone,
        size=args.size,
        batch=args.batch,
        quick=args.quick,
        device=device,
        threads=torch.get_num_threads(),
        wall_seconds={k: round(v[0], 4)
                      for k, v in res.items()},
        cpu_seconds={k: round(v[1], 4)
                     for k, v in res.items()},
        pamr_share_cpu=round(ratio('pamr', 'train_full'), 4),
        pamr_share_wall=round(ratio('pamr', 'train_full', 0), 4),
        train_ratio_vs_deeplabv3plus=round(
            ratio('train_full', 'train_deeplabv3plus'), 3),
        train_ratio_vs_warmup=round(ratio('train_full', 'train_warmup'), 3),
        head_ratio_vs_deeplabv3plus=round(
            ratio('head_ngwp', 'head_deeplabv3plus'), 3),
        params=params)
    print(json.dumps(out))
    return out


if __name__ == '__main__':
    main()
