"""Seed-quality ablations: one stage-2 run (``tools/test.py`` in seed mode) per
variant of the same trained model, one table of seed mIoU / precision /
recall / coverage.

    python -m benchmarks.seed_ablation CONFIG CHECKPOINT \\
        --data-root data/mini --work-dir work_dirs/ablation/ficklenet \\
        --variant "S N=200" model.seed_generator.num_selections=200 \\
        --variant "D N=1" model.neck.infer_mode=deterministic \\
                          model.seed_generator.num_selections=1

Each ``--variant NAME [key=value ...]`` adds cfg-options to the run (the data
options of ``tools/wsss_pipeline.py`` are added for you). Prints a Markdown
table and, last, one JSON line. Resumable: a variant whose
``seed_metrics.json`` exists is not rerun. ``choose_threshold.py`` runs the
same machinery over the values of one option, on a held-out part of train.
"""
import argparse
import json
import os
import os.path as osp

from wsss_mm.recipes import MINI_SETS
from wsss_mm.recipes.runner import (SCRIPTS, StageRunner, prepare_data,
                                    test_split_options, tool_cmd)
from wsss_mm.utils.io import atomic_write_json, atomic_write_text

#: the config sets whose data layout --config-set names (as
#: tools/wsss_pipeline.py)
CONFIG_SETS = tuple(MINI_SETS) + ('voc', )


def add_data_args(p):
    """The data options shared with ``choose_threshold.py``."""
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--data-root', required=True)
    p.add_argument('--work-dir', required=True)
    p.add_argument('--config-set', default='mini', choices=CONFIG_SETS)
    p.add_argument('--classes')
    p.add_argument('--train-split')
    p.add_argument('--val-split', default='val')
    p.add_argument('--gt-dir')
    p.add_argument('--launcher-nproc', type=int, default=1)
    return p


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_args(p)
    p.add_argument(
        '--cfg-options',
        nargs='*',
        default=[],
        help='options common to every variant')
    p.add_argument(
        '--variant',
        nargs='+',
        action='append',
        required=True,
        metavar=('NAME', 'KEY=VALUE'))
    return p.parse_args(argv)


def slug(name):
    return ''.join(c if c.isalnum() else '_' for c in name)


def run_seed_variants(args,
                      variants,
                      opts,
                      log='ablation.log',
                      label='variant',
                      run=None):
    """One seed-mode ``tools/test.py`` of ``args.config`` / ``args.checkpoint``
    per ``(name, [key=value, ...])`` of ``variants`` (after ``opts`` and
    ``args.cfg_options``), in ``WORK_DIR/<name as a slug>/``; a variant whose
    ``seed_metrics.json`` exists is not rerun. Returns one row a variant
    (``label``: its name, options, seed mIoU / precision / recall / coverage,
    seconds or None when reused). ``run``: the command runner (default a
    :class:`StageRunner` logging to ``WORK_DIR/log``)."""
    rows = []
    run = run or StageRunner(osp.join(args.work_dir, log))
    for name, variant in variants:
        out = osp.join(args.work_dir, slug(name))
        metrics = osp.join(out, 'seed_metrics.json')
        if not osp.isfile(metrics):
            t = run(
                tool_cmd(args, SCRIPTS['test'], args.config, args.checkpoint,
                         '--work-dir', osp.join(out, 'run'), '--out',
                         osp.join(out, 'seeds'), '--metrics-out', metrics,
                         '--cfg-options', *opts, *args.cfg_options, *variant))
        else:
            t = None
        with open(metrics) as f:
            m = json.load(f)
        rows.append({
            label: name,
            'options': ' '.join(variant),
            'seed_miou': m.get('seed/mIoU'),
            'precision': m.get('seed/mPrecision'),
            'recall': m.get('seed/mRecall'),
            'coverage': m.get('seed/coverage'),
            'time_s': None if t is None else round(t, 1)
        })
    return rows


def seed_table(rows, label='variant'):
    """The Markdown table of :func:`run_seed_variants`' rows."""
    lines = [
        f'| {label} | seed mIoU | precision | recall | coverage | time (s) |',
        '|---|---|---|---|---|---|'
    ]
    for r in rows:
        lines.append(
            f"| {r[label]} | {r['seed_miou']:.1f} | {r['precision']:.1f} | "
            f"{r['recall']:.1f} | {r['coverage']:.1f} | {r['time_s'] or '-'} |"
        )
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    args.data_root = osp.abspath(args.data_root)
    args.work_dir = osp.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    num_classes, opts, split, gt_dir = prepare_data(args)
    opts += [
        f'model.cls_head.num_classes={num_classes - 1}',
        *test_split_options(split, gt_dir)
    ]
    rows = run_seed_variants(args, [(name, variant)
                                    for name, *variant in args.variant], opts)
    table = seed_table(rows)
    print('\n' + table)
    atomic_write_text(osp.join(args.work_dir, 'ablation.md'), table + '\n')
    atomic_write_json(osp.join(args.work_dir, 'ablation.json'), rows)
    print(json.dumps(rows))


if __name__ == '__main__':
    main()
