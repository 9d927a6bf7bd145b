"""Cost of multi-estimations' seed sets: one run per set vs one run per
classifier (Fan et al. ECCV'20; ``SeedSetsGenerator``).

The sets differ only by classifier (2), input scale (3; partbody 2) and
read-out (threshold or dense CRF): 12 sets, 8 on partbody. Before: one
``tools/test.py`` run per set, each with its
own start-up, data pass and forward pass. After: one run per classifier
(``seeds_<set>/<arch>_sets.py``), each scale's forward pass computed once and
read out twice. Both are timed here, as the bench's runner runs them (wall
time of the whole tool, start-up included), on the first ``--num-images``
train images of the part-and-body scenes, with randomly initialised
classifiers (the cost does not depend on the weights), and the seeds of the
two routes are compared file by file.

    python -m benchmarks.speed.seed_sets_cost [--config-set partbody]
        [--data-root data/mini_partbody_faint-body] [--num-images 200]
        [--work-dir work_dirs/speed/seed_sets] [--quick]

Prints a Markdown table and, last, one JSON line (also written to
``WORK_DIR/result.json``): each run's seconds, the two totals, their ratio,
the sets' cost in units of one set (the mean one-set run and the cheapest
one), the share of the dense CRFs in it (a CRF set's run minus a threshold
set's, times the number of CRF sets), and ``identical`` (every seed PNG
equal between the routes).
"""
import argparse
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import time

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import wsss_mm  # noqa: F401  (registers the modules)
from wsss_mm.recipes.multi_seed import (ARCHS, CLASSIFIERS, SEED_CONFIGS,
                                        set_names)
from wsss_mm.recipes.runner import REPO
from wsss_mm.utils.io import atomic_write_json, read_label_png


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        '--config-set', default='partbody', choices=('mini', 'partbody'))
    p.add_argument('--data-root', default='data/mini_partbody_faint-body')
    p.add_argument('--num-images', type=int, default=200)
    p.add_argument('--work-dir', default='work_dirs/speed/seed_sets')
    p.add_argument(
        '--quick', action='store_true', help='8 images (a smoke run)')
    args = p.parse_args(argv)
    if args.quick:
        args.num_images = 8
    return args


def random_checkpoint(config, num_classes, path):
    """A randomly initialised classifier of ``config`` saved as a
    checkpoint (what the tools load)."""
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.model.cls_head.num_classes = num_classes
    cfg.model.backbone.init_cfg = None
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return path


def timed_test(config, ckpt, out, work, opts):
    """Wall seconds of one ``tools/test.py`` run (start-up included)."""
    for d in (out, work):
        shutil.rmtree(d, ignore_errors=True)
    cmd = [
        sys.executable,
        osp.join(REPO, 'tools/test.py'),
        osp.join(REPO, config), ckpt, '--work-dir', work, '--out', out,
        '--cfg-options', *opts
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise RuntimeError(f'{" ".join(cmd)} failed:\n{proc.stderr[-3000:]}')
    return seconds


def same_seeds(a, b, ids):
    return all((read_label_png(osp.join(a, i + '.png')) == read_label_png(
        osp.join(b, i + '.png'))).all() for i in ids)


def main(argv=None):
    args = parse_args(argv)
    root = osp.abspath(args.data_root)
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)
    with open(osp.join(root, 'ImageSets/Segmentation/train.txt')) as f:
        ids = f.read().split()[:args.num_images]
    listed = osp.join(work, 'images.txt')
    with open(listed, 'w') as f:
        f.write('\n'.join(ids) + '\n')
    with open(osp.join(root, 'classes.txt')) as f:
        num_classes = len(f.read().split()) - 1  # foreground
    opts = [
        f'test_dataloader.dataset.data_root={root}',
        f'test_dataloader.dataset.ann_file={listed}',
        'test_dataloader.dataset.data_prefix.seg_map_path=SegmentationClass',
        f'test_dataloader.dataset.classes_file={root}/classes.txt',
        f'model.cls_head.num_classes={num_classes}',
        'model.backbone.init_cfg=None'
    ]
    folder = SEED_CONFIGS[args.config_set]
    rows, one, shared = [], {}, {}
    for arch in ARCHS[args.config_set]:
        ckpt = random_checkpoint(CLASSIFIERS[arch][args.config_set],
                                 num_classes, osp.join(work, f'{arch}.pth'))
        for name in set_names(arch, args.config_set):
            one[name] = timed_test(f'{folder}/{name}.py', ckpt,
                                   osp.join(work, 'one', name),
                                   osp.join(work, 'run_one', name), opts)
            rows.append((name, 'one set', one[name]))
            print(f'{name}: {one[name]:.1f} s', flush=True)
        shared[arch] = timed_test(f'{folder}/{arch}_sets.py', ckpt,
                                  osp.join(work, 'shared', arch),
                                  osp.join(work, 'run_shared', arch), opts)
        rows.append((f'{arch}_sets', 'all its sets, one run', shared[arch]))
        print(f'{arch}_sets: {shared[arch]:.1f} s', flush=True)
    identical = all(
        same_seeds(
            osp.join(work, 'one', n),
            osp.join(work, 'shared',
                     n.split('_')[0], n), ids) for n in one)
    before, after = sum(one.values()), sum(shared.values())
    mean_one = before / len(one)
    # what the read-outs cost beyond a threshold set: the dense CRF, which
    # no sharing of forward passes removes (half the sets)
    kinds = {
        k: [v for n, v in one.items() if f'_{k}_' in n]
        for k in ('threshold', 'crf')
    }
    crf_s = (np.mean(kinds['crf']) - np.mean(kinds['threshold'])) * len(
        kinds['crf'])
    result = dict(
        config_set=args.config_set,
        num_images=len(ids),
        one_set_s={k: round(v, 1)
                   for k, v in one.items()},
        sets_run_s={k: round(v, 1)
                    for k, v in shared.items()},
        before_s=round(before, 1),
        after_s=round(after, 1),
        speedup=round(before / after, 2),
        after_in_mean_sets=round(after / mean_one, 2),
        after_in_cheapest_sets=round(after / min(one.values()), 2),
        crf_share_of_after=round(float(crf_s) / after, 2),
        identical=identical,
        torch_threads=torch.get_num_threads(),
        cpu_count=os.cpu_count())
    print('| run | what | seconds |\n|---|---|---|')
    for name, what, sec in rows:
        print(f'| {name} | {what} | {sec:.1f} |')
    n, n_crf = len(one), len(kinds['crf'])
    print(f'\n{n} one-set runs {before:.1f} s, {len(shared)} runs of '
          f'{n // len(shared)} sets {after:.1f} s ({before / after:.2f}x '
          f'faster): the {n} sets cost '
          f'{after / mean_one:.2f} mean one-set runs '
          f'({after / min(one.values()):.2f} of the cheapest), of which '
          f'the {n_crf} dense CRFs about {100 * crf_s / after:.0f} %; seeds '
          f'{"identical" if identical else "DIFFER"}')
    atomic_write_json(osp.join(work, 'result.json'), result)
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    np.set_printoptions(precision=3)
    main()
