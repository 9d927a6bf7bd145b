"""Split a train list into a strongly and a weakly labelled part
(semi-supervised).

    # VOC: strong = VOC 2012 train (1,464), weak = the rest of train_aug
    # (9,118)
    python tools/dataset_converters/make_semi_split.py \\
        --data-root data/VOCdevkit/VOC2012 \\
        --train ImageSets/Segmentation/train_aug.txt \\
        --strong-list ImageSets/Segmentation/train.txt
    # mini: the first 10 % of train strong
    python tools/dataset_converters/make_semi_split.py --data-root data/mini \\
        --train ImageSets/Segmentation/train.txt --strong-fraction 0.1

Writes ``train_strong_{N}.txt`` and ``train_weak_{M}.txt`` beside the train
list (or in --out-dir), in the train list's order, and prints their paths as
JSON. Rerunning gives the same files. The semi-supervised configs
(``configs/ficklenet/*_semi.py``) read these names.
"""
import argparse
import json
import math
import os
import os.path as osp

from wsss_mm.utils.io import atomic_write_text


def read_ids(path):
    with open(path) as f:
        return [line.split()[0] for line in f if line.strip()]


def split(train_ids, strong_ids=None, strong_fraction=None):
    """(strong, weak) id lists in train order; strong ids must be in train."""
    if strong_ids is not None:
        missing = sorted(set(strong_ids) - set(train_ids))
        if missing:
            raise ValueError(
                f'{len(missing)} strong ids are not in the train list, '
                f'e.g. {missing[:3]}')
        chosen = set(strong_ids)
    else:
        if not 0 < strong_fraction < 1:
            raise ValueError(
                f'--strong-fraction must lie in (0, 1), got {strong_fraction}')
        n = max(
            1,
            min(
                len(train_ids) - 1,
                int(math.ceil(strong_fraction * len(train_ids) - 1e-9))))
        chosen = set(train_ids[:n])
    strong = [i for i in train_ids if i in chosen]
    weak = [i for i in train_ids if i not in chosen]
    return strong, weak


def write_list(ids, path):
    atomic_write_text(path, '\n'.join(ids) + '\n')


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data-root', default='', help='lists are relative to it')
    p.add_argument('--train', required=True, help='list of all training ids')
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument('--strong-list', help='list of the strongly labelled ids')
    g.add_argument(
        '--strong-fraction',
        type=float,
        help='the first fraction of --train is strongly labelled')
    p.add_argument(
        '--out-dir', help='where to write (default: beside --train)')
    args = p.parse_args(argv)

    train_path = osp.join(args.data_root, args.train)
    train_ids = read_ids(train_path)
    strong_ids = read_ids(osp.join(args.data_root, args.strong_list)) \
        if args.strong_list else None
    strong, weak = split(train_ids, strong_ids, args.strong_fraction)
    if not weak:
        raise ValueError('no weakly labelled image left')
    out_dir = args.out_dir or osp.dirname(train_path)
    os.makedirs(out_dir, exist_ok=True)
    paths = dict(
        strong=osp.join(out_dir, f'train_strong_{len(strong)}.txt'),
        weak=osp.join(out_dir, f'train_weak_{len(weak)}.txt'))
    write_list(strong, paths['strong'])
    write_list(weak, paths['weak'])
    print(json.dumps(dict(paths, num_strong=len(strong), num_weak=len(weak))))
    return paths


if __name__ == '__main__':
    main()
