"""How close each seed generator comes to a plain backbone forward pass.

For each seed-mode config of a config set (the CAM baseline, FickleNet, DCP,
multi-estimations' six sets of one classifier), on the first
``--num-images`` train scenes, in batches as the seed stage reads them:

- ``seed``: ``WeakClassifier.predict`` (the generator: its views, maps,
  read-out, CRF, seeds at the image size);
- ``backbone``: the classifier's backbone forward (FickleNet: without its
  selection neck) over the *same views* (the generator's scales and flips;
  the union of a set generator's);

and prints images/s of each and their ratio ``seed / backbone`` (issue #31's
goal: at least 0.8 for CAM, DCP and FickleNet). Randomly initialised
classifiers (the cost does not depend on the weights); DCP reads random class
patterns of the right shape. Timings are the best of ``--repeat`` rounds.

    python -m benchmarks.speed.seed_throughput [--config-set partbody]
        [--data-root data/mini_partbody_faint-body] [--num-images 32]
        [--work-dir work_dirs/speed/seed_throughput] [--quick]

Prints a Markdown table and, last, one JSON line (also
``WORK_DIR/result.json``).
"""
import argparse
import json
import os
import os.path as osp
import time

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401  (registers the modules)
from wsss_mm.models.utils.dcp import save_patterns
from wsss_mm.recipes.runner import REPO
from wsss_mm.utils.io import atomic_write_json, read_label_png

#: generator -> its seed-mode config on each config set
CONFIGS = {
    'cam':
    dict(
        partbody='configs/cam/cam_vgg16-slim_partbody.py',
        mini='configs/cam/cam_vgg16-slim_mini.py'),
    'ficklenet':
    dict(
        partbody='configs/ficklenet/ficklenet_vgg16-slim_partbody.py',
        mini='configs/ficklenet/ficklenet_vgg16-slim_mini.py'),
    'dcp':
    dict(
        partbody='configs/dcp/dcp_vgg16-slim_partbody.py',
        mini='configs/dcp/dcp_vgg16-slim_mini.py'),
    'multi_seed (6 sets)':
    dict(
        partbody='configs/multi_seed/seeds_partbody/vgg16_sets.py',
        mini='configs/multi_seed/seeds_mini/vgg16_sets.py'),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        '--config-set', default='partbody', choices=('mini', 'partbody'))
    p.add_argument('--data-root', default='data/mini_partbody_faint-body')
    p.add_argument('--num-images', type=int, default=32)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--repeat', type=int, default=2)
    p.add_argument('--work-dir', default='work_dirs/speed/seed_throughput')
    p.add_argument('--quick', action='store_true', help='8 images, one round')
    args = p.parse_args(argv)
    if args.quick:
        args.num_images, args.repeat = 8, 1
    return args


def views(generator):
    """(scale, flip) pairs the generator reads: its scales and flips (a
    ``SeedSetsGenerator``: the union of its members')."""
    members = list(generator['sets'].values()) if generator.get(
        'type') == 'SeedSetsGenerator' else [generator]
    out = []
    for g in members:
        for s in g.get('scales', (1.0, )):
            for flip in ((False, True) if g.get('flip') else (False, )):
                if (s, flip) not in out:
                    out.append((s, flip))
    return out


def build(config, num_classes, work):
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.model.cls_head.num_classes = num_classes
    cfg.model.backbone.init_cfg = None
    gen = cfg.model.seed_generator
    if gen.get('type') == 'DCPSeedGenerator':
        torch.manual_seed(0)
        probe = MODELS.build(
            dict(cfg.model, seed_generator=dict(type='CAMSeedGenerator')))
        with torch.no_grad():
            d = probe.tap(gen.layer)(torch.zeros(1, 3, 64, 64)).shape[1]
        path = osp.join(work, 'random_patterns.pth')
        pats = F.normalize(torch.randn(num_classes, d), dim=1)
        save_patterns(
            path,
            dict(
                means=torch.randn(num_classes, d),
                patterns=pats,
                eigenvalues=torch.ones(num_classes)),
            meta=dict(layer=gen.layer))
        gen.patterns_file = path
    torch.manual_seed(0)
    return MODELS.build(cfg.model).eval(), gen.to_dict()


def batches(root, ids, size, preprocess, num_classes):
    out = []
    for k in range(0, len(ids), size):
        imgs, samples = [], []
        for i in ids[k:k + size]:
            path = osp.join(root, 'JPEGImages', i + '.jpg')
            img = mmcv.imread(path)
            imgs.append(torch.from_numpy(img).permute(2, 0, 1).contiguous())
            gt = read_label_png(
                osp.join(root, 'SegmentationClass', i + '.png'))
            labels = torch.zeros(num_classes + 1)
            for c in np.unique(gt):
                if 0 < c <= num_classes:
                    labels[int(c)] = 1
            s = SegDataSample(
                metainfo=dict(
                    img_path=path,
                    ori_shape=img.shape[:2],
                    img_shape=img.shape[:2]))
            s.gt_img_labels = labels
            samples.append(s)
        data = preprocess(dict(inputs=imgs, data_samples=samples), False)
        out.append((data['inputs'], data['data_samples']))
    return out


def best_of(fn, repeat):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


def main(argv=None):
    args = parse_args(argv)
    root = osp.abspath(args.data_root)
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)
    with open(osp.join(root, 'ImageSets/Segmentation/train.txt')) as f:
        ids = f.read().split()[:args.num_images]
    with open(osp.join(root, 'classes.txt')) as f:
        num_classes = len(f.read().split()) - 1
    rows, result = [], dict(
        config_set=args.config_set,
        num_images=len(ids),
        threads=torch.get_num_threads(),
        generators={})
    for name, by_set in CONFIGS.items():
        model, gen = build(by_set[args.config_set], num_classes, work)
        data = batches(root, ids, args.batch, model.data_preprocessor,
                       num_classes)
        seen = views(gen)

        def seeds():
            for inputs, samples in data:
                model.predict(inputs, [s.clone() for s in samples])

        def backbone():
            with torch.no_grad():
                for inputs, _ in data:
                    for scale, flip in seen:
                        x = inputs if scale == 1 else F.interpolate(
                            inputs,
                            scale_factor=scale,
                            mode='bilinear',
                            align_corners=False)
                        model.backbone_features(x.flip(-1) if flip else x)

        seeds()  # warm-up (and DCP's patterns loaded)
        t_seed = best_of(seeds, args.repeat)
        t_bb = best_of(backbone, args.repeat)
        ratio = t_bb / t_seed
        result['generators'][name] = dict(
            seed_img_s=round(len(ids) / t_seed, 2),
            backbone_img_s=round(len(ids) / t_bb, 2),
            ratio=round(ratio, 3),
            views=[list(v) for v in seen])
        rows.append(
            (name, len(seen), len(ids) / t_seed, len(ids) / t_bb, ratio))
        print(
            f'{name}: seeds {len(ids) / t_seed:.1f} img/s, backbone '
            f'{len(ids) / t_bb:.1f} img/s over {len(seen)} view(s): '
            f'{ratio:.2f}',
            flush=True)
    print('| generator | views | seeds img/s | backbone img/s | ratio |\n'
          '|---|---|---|---|---|')
    for name, v, s, b, r in rows:
        print(f'| {name} | {v} | {s:.1f} | {b:.1f} | {r:.2f} |')
    atomic_write_json(osp.join(work, 'result.json'), result)
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
