"""Score seed folders, and the agreement of several, on held-out train.

    python -m benchmarks.seed_holdout \\
        --data-root data/mini_partbody_faint-body \\
        --holdout \\
        work_dirs/ablation_partbody_faint-body/choose_cam/holdout.txt \\
        --set cam=work_dirs/bench_partbody_faint-body/cam/seeds/labels \\
        --set crf=work_dirs/bench_partbody_faint-body/cam/seeds_crf/labels \\
        --agree cam,crf [--out FILE.json]

The seeds the bench already wrote for the whole train split are read back
on the held-out images of ``benchmarks.choose_threshold`` (its
``holdout.txt``; never val): per set its seed mIoU, precision (labelled
pixels only), recall and coverage, the numbers ``SeedMetric`` prints on the
whole split. ``--agree A,B,...`` adds the labels on which those sets agree
(a pixel where any of them is unlabelled or two of them differ is left
unlabelled): what a segmenter trained on several sets is sure of. This is
how the composed recipe (``configs/combined``) chooses its seed sets
without a forward pass and without val.
"""
import argparse
import os.path as osp
from typing import Dict, Sequence

import numpy as np

from wsss_mm.evaluation.confusion import confusion_matrix, read_label_maps
from wsss_mm.utils.io import atomic_write_json
from wsss_mm.utils.tool_args import read_lines


def agreement(maps: Sequence[np.ndarray], ignore_index: int = 255):
    """The label where every map of ``maps`` has the same label, else
    ``ignore_index`` (an unlabelled pixel in any map stays unlabelled)."""
    first = maps[0]
    same = np.ones(first.shape, bool)
    for m in maps[1:]:
        same &= m == first
    return np.where(same, first, ignore_index).astype(first.dtype)


def seed_scores(matrix: np.ndarray) -> Dict[str, float]:
    """mIoU / precision / recall / coverage (%) of a ``(C, C + 1)``
    confusion matrix whose last column counts unlabelled seed pixels:
    IoU_c = TP / (GT_c + labelled-as-c - TP) (an unlabelled pixel misses its
    class), precision over the labelled pixels only (``SeedMetric``)."""
    c = matrix.shape[0]
    tp = np.diag(matrix[:, :c]).astype(float)
    gt = matrix.sum(1).astype(float)
    pred = matrix[:, :c].sum(0).astype(float)
    with np.errstate(invalid='ignore', divide='ignore'):
        iou = tp / (gt + pred - tp)
        prec = tp / pred
        rec = tp / gt
    labelled = matrix[:, :c].sum()
    return dict(
        mIoU=round(100 * float(np.nanmean(iou)), 2),
        precision=round(100 * float(np.nanmean(prec)), 2),
        recall=round(100 * float(np.nanmean(rec)), 2),
        coverage=round(100 * float(labelled) / max(int(matrix.sum()), 1), 2))


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data-root', required=True, help='VOC-layout data root')
    p.add_argument(
        '--holdout',
        required=True,
        help='the held-out train ids, one a line (choose_threshold\'s '
        'holdout.txt)')
    p.add_argument(
        '--set',
        action='append',
        required=True,
        metavar='NAME=DIR',
        help='a seed folder of <id>.png label maps, by name')
    p.add_argument(
        '--agree',
        action='append',
        default=[],
        metavar='A,B,...',
        help='score the agreement of these named sets')
    p.add_argument('--gt-dir', default='SegmentationClass')
    p.add_argument('--ignore-index', type=int, default=255)
    p.add_argument('--out', help='write the table here (JSON, atomic)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    sets = {}
    for item in args.set:
        name, sep, folder = item.partition('=')
        if not sep or not name:
            raise ValueError(f'--set {item!r}: expected NAME=DIR')
        if not osp.isdir(folder):
            raise FileNotFoundError(f'--set {name}: no folder {folder}')
        sets[name] = folder
    rows = {name: (name, ) for name in sets}
    for item in args.agree:
        names = tuple(item.split(','))
        unknown = [n for n in names if n not in sets]
        if len(names) < 2 or unknown:
            raise ValueError(f'--agree {item!r}: needs two or more names of '
                             f'--set (unknown: {unknown})')
        rows['agree(' + '+'.join(names) + ')'] = names
    ids = read_lines(args.holdout, '--holdout')
    classes = read_lines(
        osp.join(args.data_root, 'classes.txt'), '--data-root')
    order = list(sets)
    gt_dir = osp.join(args.data_root, args.gt_dir)
    matrices = {r: 0 for r in rows}
    for maps in read_label_maps([sets[n] for n in order] + [gt_dir], ids):
        by_name, gt = dict(zip(order, maps[:-1])), maps[-1]
        for row, names in rows.items():
            seeds = agreement([by_name[n] for n in names], args.ignore_index)
            matrices[row] = matrices[row] + confusion_matrix([(seeds, gt)],
                                                             len(classes),
                                                             args.ignore_index,
                                                             unlabelled=True)
    table = {row: seed_scores(m) for row, m in matrices.items()}
    print(f'{len(ids)} held-out images ({args.holdout})')
    print('| seeds | mIoU | P | R | coverage |\n|---|---|---|---|---|')
    for row, s in table.items():
        print(f'| {row} | {s["mIoU"]:.1f} | {s["precision"]:.1f} | '
              f'{s["recall"]:.1f} | {s["coverage"]:.1f} |')
    if args.out:
        atomic_write_json(
            args.out,
            dict(
                holdout=args.holdout,
                sets=sets,
                rows=table,
                num_images=len(ids)))
    return table


if __name__ == '__main__':
    main()
