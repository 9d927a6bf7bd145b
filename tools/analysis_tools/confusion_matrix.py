"""Pixel confusion matrix of predicted label maps against the GT masks.

    python tools/test.py CONFIG CKPT --out PRED_DIR      # label maps, <id>.png
    python tools/analysis_tools/confusion_matrix.py PRED_DIR \\
        --data-root data/mini_partbody [--split val] [--out-dir DIR]

Prints, per GT class, the share of its pixels predicted right and the two
classes they go to most; writes ``DIR/confusion.json`` (the matrix, rows GT,
columns prediction, and those rows) and ``DIR/confusion.png`` (the matrix as
row shares). ``DIR`` defaults to ``PRED_DIR/..``. The classes are the data
root's ``classes.txt`` (``--classes`` for another list). Seed folders
leave pixels unlabelled (``--ignore-index``, 255): they get one more column,
``(unlabelled)``, so that a seed's missing recall shows apart from its
wrong labels.
"""
import argparse
import os
import os.path as osp

from wsss_mm.evaluation.confusion import (confusion_matrix, read_label_pairs,
                                          row_shares, top_confusions)
from wsss_mm.utils.io import atomic_path, atomic_write_json
from wsss_mm.utils.tool_args import add_gt_args, classes_and_ids

#: the column of predicted pixels without a label (seeds)
UNLABELLED = '(unlabelled)'


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('pred_dir', help='folder of predicted label maps <id>.png')
    add_gt_args(p, split='val')
    p.add_argument('--out-dir', help='default: the folder above PRED_DIR')
    return p.parse_args(argv)


def save_picture(matrix, names, path, title, columns=None):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    shares = row_shares(matrix)
    columns = list(names if columns is None else columns)
    n, n_cols = len(names), len(columns)
    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * n_cols, 0.8 + 0.5 * n))
    ax.imshow(shares, cmap='Blues', vmin=0, vmax=1)
    ax.set_xticks(range(n_cols), columns, rotation=60, ha='right')
    ax.set_yticks(range(n), names)
    ax.set_xlabel('predicted')
    ax.set_ylabel('ground truth')
    ax.set_title(title, fontsize=9)
    for i in range(n):
        for j in range(n_cols):
            if shares[i, j] >= 0.005:
                ax.text(
                    j,
                    i,
                    f'{100 * shares[i, j]:.0f}',
                    ha='center',
                    va='center',
                    fontsize=7,
                    color='white' if shares[i, j] > 0.5 else 'black')
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format='png')
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.pred_dir):
        raise FileNotFoundError(f'pred_dir: no such folder {args.pred_dir}')
    names, ids = classes_and_ids(args)
    matrix = confusion_matrix(
        read_label_pairs(args.pred_dir, osp.join(args.data_root, args.gt_dir),
                         ids),
        len(names),
        args.ignore_index,
        unlabelled=True)
    columns = names + [UNLABELLED]
    if not matrix[:, -1].any():  # a segmentation: every pixel has a class
        matrix, columns = matrix[:, :-1], names
    rows = top_confusions(matrix, names, columns=columns)
    out_dir = args.out_dir or osp.dirname(
        osp.abspath(args.pred_dir.rstrip('/')))
    os.makedirs(out_dir, exist_ok=True)
    atomic_write_json(
        osp.join(out_dir, 'confusion.json'),
        dict(
            pred_dir=osp.abspath(args.pred_dir),
            split=args.split,
            classes=names,
            columns=columns,
            matrix=matrix.tolist(),
            rows=rows))
    save_picture(matrix, names, osp.join(out_dir, 'confusion.png'),
                 f'{args.pred_dir}\n{args.split}: share of each GT class (%)',
                 columns)
    print(f'{"class":12s} right  most confused with')
    for r in rows:
        into = ', '.join(f'{n} {100 * s:.0f}%' for n, s in r['into'])
        print(f'{r["class"]:12s} {100 * r["right"]:4.0f}%  {into}')
    print(f'wrote {osp.join(out_dir, "confusion.json")} and confusion.png')


if __name__ == '__main__':
    main()
