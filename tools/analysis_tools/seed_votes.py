"""How K seed sets vote on each GT class's pixels (multi-estimations).

    python tools/analysis_tools/seed_votes.py SEED_DIR [SEED_DIR ...] \\
        --data-root data/mini_partbody [--split train] [--out FILE.json]
    # the seed sets of a multi_seed run:
    python tools/analysis_tools/seed_votes.py \\
        work_dirs/bench_partbody/multi_seed/*_s*/labels \\
        --data-root data/mini_partbody

Prints, per GT class, the mean number of sets per pixel that label it with
its class, with background, with another class, or leave it unlabelled
(``wsss_mm/evaluation/seed_votes.py``; the four sum to K). A class whose
pixels the sets split about evenly between itself and background is one
that WST's self-selection (eq. 7) can lose to background. ``--out`` writes
the counts (atomic).
"""
import argparse
import os.path as osp

import numpy as np

from wsss_mm.evaluation.confusion import read_label_maps
from wsss_mm.evaluation.seed_votes import VOTES, seed_votes
from wsss_mm.utils.io import atomic_write_json
from wsss_mm.utils.tool_args import add_gt_args, classes_and_ids


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        'seed_dirs', nargs='+', help='seed folders of label maps <id>.png')
    add_gt_args(p, split='train')
    p.add_argument('--out', help='write the counts here (JSON)')
    return p.parse_args(argv)


def read_stacks(seed_dirs, gt_dir, ids):
    """Yield ``(seeds (K, H, W), gt)`` per id; a missing file raises naming
    it."""
    for *seeds, gt in read_label_maps((*seed_dirs, gt_dir), ids):
        yield np.stack(seeds), gt


def main(argv=None):
    args = parse_args(argv)
    for d in args.seed_dirs:
        if not osp.isdir(d):
            raise FileNotFoundError(f'seed_dirs: no such folder {d}')
    names, ids = classes_and_ids(args)
    votes = seed_votes(
        read_stacks(args.seed_dirs, osp.join(args.data_root, args.gt_dir),
                    ids), len(names), args.ignore_index)
    per_pixel = votes / np.maximum(votes.sum(1, keepdims=True), 1) * len(
        args.seed_dirs)
    print(f'{len(args.seed_dirs)} seed sets, {len(ids)} {args.split} images: '
          'mean number of '
          'sets per GT pixel')
    print(f'{"class":12s} ' + ' '.join(f'{v:>11s}' for v in VOTES))
    for name, row in zip(names, per_pixel):
        print(f'{name:12s} ' + ' '.join(f'{x:11.2f}' for x in row))
    if args.out:
        atomic_write_json(
            args.out,
            dict(
                seed_dirs=[osp.abspath(d) for d in args.seed_dirs],
                split=args.split,
                classes=names,
                columns=list(VOTES),
                counts=votes.tolist(),
                sets_per_pixel=per_pixel.round(3).tolist()))
    return per_pixel


if __name__ == '__main__':
    main()
