"""Choose a seed threshold on a held-out part of the train split, never val:
one seed-mode ``tools/test.py`` of a trained classifier per value, scored
against the train GT of the held-out images; the value with the best seed
mIoU wins (ties: the first value given).

    python -m benchmarks.choose_threshold CONFIG CHECKPOINT \\
        --data-root data/mini_partbody_faint-body --config-set partbody \\
        --work-dir work_dirs/choose/cam_partbody \\
        --key model.seed_generator.fg_threshold \\
              model.seed_generator.bg_threshold \\
        --values 0.2 0.3 0.4 0.5 [--holdout-fraction 0.2] [--holdout-seed 0]

The held-out list is a fixed fraction of the train split's ids, drawn by a
seeded RNG (numpy's ``RandomState``, whose stream is frozen) and sorted; it is
written to ``WORK_DIR/holdout.txt`` and the seeds are computed for its images
only. Every method gets the same list for the same data, fraction and seed.
Several ``--key`` are all set to each value (e.g. CAM's foreground and
background thresholds). Refused: a held-out list that would be the val split
(``--train-split`` equal to ``--val-split``, or sharing an image with it), and
a key the config (after ``--cfg-options``) does not have.

Resumable (the machinery of ``seed_ablation.py``): a value whose
``WORK_DIR/<value>/seed_metrics.json`` exists is not rerun; a work dir made
for another config, checkpoint, key, data or held-out list is refused. Prints
a Markdown table, a comment line to paste above the chosen value in the
config (the numbers that chose it) and, last, one JSON line
``{"key": ..., "chosen": ..., "table": [...], ...}``, also written to
``WORK_DIR/choice.json``.
"""
import argparse
import json
import os
import os.path as osp

import numpy as np

from benchmarks.seed_ablation import (add_data_args, run_seed_variants,
                                      seed_table)
from wsss_mm.recipes.runner import SPLITS, prepare_data
from wsss_mm.utils.io import atomic_write_json, atomic_write_text, load_json

#: --cfg-options keys that would move the seed run off the held-out list
HOLDOUT_KEYS = ('test_dataloader.dataset.ann_file',
                'test_dataloader.dataset.data_prefix.seg_map_path')


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_args(p)
    p.add_argument(
        '--key',
        nargs='+',
        required=True,
        help='the config key(s) to set to each value, e.g. '
        'model.seed_generator.fg_threshold')
    p.add_argument(
        '--values',
        nargs='+',
        required=True,
        help='the candidate values, in order of preference on ties')
    p.add_argument(
        '--holdout-fraction',
        type=float,
        default=0.2,
        help='fraction of the train split held out (default 0.2)')
    p.add_argument(
        '--holdout-seed',
        type=int,
        default=0,
        help='seed of the held-out draw (default 0)')
    p.add_argument(
        '--cfg-options',
        nargs='*',
        default=[],
        help='options common to every value')
    return p.parse_args(argv)


# ------------------------------------------------------------------ pure parts
def read_ids(data_root, split, option='--train-split'):
    path = osp.join(data_root, 'ImageSets', 'Segmentation', f'{split}.txt')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{option} {split}: no list {path}')
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def holdout_ids(train_ids, fraction, seed):
    """``round(fraction * N)`` (at least 1) of the N distinct ``train_ids``,
    drawn by ``RandomState(seed)`` from their sorted order; returned sorted."""
    if not 0 < fraction < 1:
        raise ValueError(f'--holdout-fraction {fraction}: must lie in (0, 1)')
    ids = sorted(set(train_ids))
    if not ids:
        raise ValueError('--train-split: the train list is empty')
    n = max(1, int(round(fraction * len(ids))))
    pick = np.random.RandomState(seed).permutation(len(ids))[:n]
    return sorted(ids[i] for i in pick)


def check_not_val(holdout, train_split, val_split, val_ids):
    """Refuse a held-out list that is (part of) the val split."""
    if train_split == val_split:
        raise ValueError(
            f'--train-split {train_split} is the val split (--val-split '
            f'{val_split}): thresholds are chosen on train, never val')
    shared = sorted(set(holdout) & set(val_ids))
    if shared:
        raise ValueError(
            f'--train-split {train_split}: {len(shared)} of the held-out '
            f'images are in the val split {val_split} (e.g. {shared[0]}); '
            'thresholds are chosen on train, never val')


def check_key(cfg, key):
    """Refuse a dotted key that the (merged) config does not have."""
    node, path = cfg, []
    for part in key.split('.'):
        if (isinstance(node, (list, tuple)) and part.isdigit()
                and int(part) < len(node)):
            node = node[int(part)]
        elif hasattr(node, 'keys') and part in node:
            node = node[part]
        else:
            where = '.'.join(path) or 'the config'
            has = sorted(node.keys()) if hasattr(
                node, 'keys') else type(node).__name__
            raise KeyError(
                f'--key {key}: the config has no {key} ({where} has: {has})')
        path.append(part)
    return node


def choose(rows):
    """Index of the row with the best seed mIoU; ties: the first."""
    best = None
    for i, r in enumerate(rows):
        m = r.get('seed_miou')
        if m is None or m != m:
            continue
        if best is None or m > rows[best]['seed_miou']:
            best = i
    if best is None:
        raise ValueError('no value has a seed mIoU')
    return best


def as_value(text):
    """'0.3' -> 0.3, '2' -> 2, anything else stays a string."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


# ------------------------------------------------------------------ main
def merged_config(args):
    from mmengine.config import Config, DictAction
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='opts')(None, ns, args.cfg_options)
        cfg.merge_from_dict(ns.opts)
    return cfg


def check_setup(path, setup):
    """Refuse a work dir that was made for another choice."""
    old = load_json(path)
    if old is not None and old != setup:
        diff = sorted(
            k for k in set(old) | set(setup) if old.get(k) != setup.get(k))
        raise RuntimeError(
            f'{path}: this work dir chose for another setup (differs in '
            f'{", ".join(diff)}); use a fresh --work-dir')
    atomic_write_json(path, setup)


def main(argv=None, run=None):
    args = parse_args(argv)
    # the config checked here is the one the seed runs (cwd: the repo) read
    for name in ('config', 'checkpoint', 'data_root', 'work_dir'):
        setattr(args, name, osp.abspath(getattr(args, name)))
    if len(set(args.values)) != len(args.values):
        raise ValueError(
            f'--values {" ".join(args.values)}: a value is given twice')
    bad = [
        o for o in args.cfg_options
        if o.split('=', 1)[0].startswith(HOLDOUT_KEYS)
    ]
    if bad:
        raise ValueError(
            f'--cfg-options {bad[0]}: the seeds are computed on the '
            'held-out list; do not move the test data elsewhere')
    split = args.train_split or SPLITS[args.config_set][0]
    holdout = holdout_ids(
        read_ids(args.data_root, split), args.holdout_fraction,
        args.holdout_seed)
    val_list = osp.join(args.data_root, 'ImageSets', 'Segmentation',
                        f'{args.val_split}.txt')
    val_ids = read_ids(args.data_root, args.val_split, '--val-split') \
        if osp.isfile(val_list) else []
    check_not_val(holdout, split, args.val_split, val_ids)
    cfg = merged_config(args)
    for key in args.key:
        check_key(cfg, key)

    os.makedirs(args.work_dir, exist_ok=True)
    holdout_file = osp.join(args.work_dir, 'holdout.txt')
    check_setup(
        osp.join(args.work_dir, 'setup.json'),
        dict(
            config=args.config,
            checkpoint=args.checkpoint,
            key=args.key,
            data_root=args.data_root,
            train_split=split,
            holdout_fraction=args.holdout_fraction,
            holdout_seed=args.holdout_seed,
            holdout=holdout,
            cfg_options=args.cfg_options))
    atomic_write_text(holdout_file, '\n'.join(holdout) + '\n')

    num_classes, opts, _, gt_dir = prepare_data(args)
    # a seed run reads the test dataloader only: point it at the held-out list
    opts = [o for o in opts if o.startswith('test_dataloader.')]
    opts += [
        f'model.cls_head.num_classes={num_classes - 1}',
        f'test_dataloader.dataset.ann_file={holdout_file}',
        f'test_dataloader.dataset.data_prefix.seg_map_path={gt_dir}'
    ]
    variants = [(v, [f'{k}={v}' for k in args.key]) for v in args.values]
    rows = run_seed_variants(
        args, variants, opts, log='choose.log', label='value', run=run)
    for r in rows:
        r['value'] = as_value(r['value'])
    best = choose(rows)
    key = args.key[0] if len(args.key) == 1 else args.key
    chosen = rows[best]['value']
    comment = (
        f'# {" = ".join(args.key)} = {chosen}: best seed mIoU on '
        f'{len(holdout)} '
        f'held-out {split} images ({args.holdout_fraction:g} of {split}, seed '
        f'{args.holdout_seed}; benchmarks/choose_threshold.py): ' +
        ', '.join(f"{r['value']} -> {r['seed_miou']:.1f}" for r in rows))
    result = dict(
        key=key,
        chosen=chosen,
        table=rows,
        comment=comment,
        holdout=dict(
            file=holdout_file,
            split=split,
            num_images=len(holdout),
            fraction=args.holdout_fraction,
            seed=args.holdout_seed),
        config=args.config,
        checkpoint=args.checkpoint)
    print('\n' + seed_table(rows, label='value'))
    print(f'\nchosen: {" = ".join(args.key)} = {chosen} '
          f'(seed mIoU {rows[best]["seed_miou"]:.1f})\n{comment}')
    atomic_write_json(osp.join(args.work_dir, 'choice.json'), result)
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
