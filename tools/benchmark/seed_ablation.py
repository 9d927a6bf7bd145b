"""Seed-quality ablations: one stage-2 run (``tools/test.py`` in seed mode) per
variant of the same trained model, one table of seed mIoU / precision /
recall / coverage.

    python tools/benchmark/seed_ablation.py CONFIG CHECKPOINT \\
        --data-root data/mini --work-dir work_dirs/ablation/ficklenet \\
        --variant "S N=200" model.seed_generator.num_selections=200 \\
        --variant "D N=1" model.neck.infer_mode=deterministic \\
                          model.seed_generator.num_selections=1

Each ``--variant NAME [key=value ...]`` adds cfg-options to the run (the data
options of ``tools/wsss_pipeline.py`` are added for you). Prints a Markdown
table and, last, one JSON line.
"""
import argparse
import json
import os
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, REPO)
from tools.wsss_pipeline import (  # noqa: E402
    StageRunner, prepare_data, test_split_options, tool_cmd)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--data-root', required=True)
    p.add_argument('--work-dir', required=True)
    p.add_argument('--config-set', default='mini', choices=('mini', 'voc'))
    p.add_argument('--classes')
    p.add_argument('--train-split')
    p.add_argument('--val-split', default='val')
    p.add_argument('--gt-dir')
    p.add_argument('--launcher-nproc', type=int, default=1)
    p.add_argument('--cfg-options', nargs='*', default=[],
                   help='options common to every variant')
    p.add_argument('--variant', nargs='+', action='append', required=True,
                   metavar=('NAME', 'KEY=VALUE'))
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    args.data_root = osp.abspath(args.data_root)
    args.work_dir = osp.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    num_classes, opts, split, gt_dir = prepare_data(args)
    opts += [f'model.cls_head.num_classes={num_classes - 1}',
             *test_split_options(split, gt_dir)]
    rows = []
    run = StageRunner(osp.join(args.work_dir, 'ablation.log'))
    for name, *variant in args.variant:
        slug = ''.join(c if c.isalnum() else '_' for c in name)
        out = osp.join(args.work_dir, slug)
        metrics = osp.join(out, 'seed_metrics.json')
        if not osp.isfile(metrics):
            t = run(tool_cmd(args, 'tools/test.py', args.config, args.checkpoint,
                             '--work-dir', osp.join(out, 'run'), '--out',
                             osp.join(out, 'seeds'), '--metrics-out', metrics,
                             '--cfg-options', *opts, *args.cfg_options, *variant))
        else:
            t = None
        with open(metrics) as f:
            m = json.load(f)
        rows.append(dict(variant=name, options=' '.join(variant),
                         seed_miou=m.get('seed/mIoU'), precision=m.get('seed/mPrecision'),
                         recall=m.get('seed/mRecall'), coverage=m.get('seed/coverage'),
                         time_s=None if t is None else round(t, 1)))
    print('\n| variant | seed mIoU | precision | recall | coverage | time (s) |')
    print('|---|---|---|---|---|---|')
    for r in rows:
        print(f"| {r['variant']} | {r['seed_miou']:.1f} | {r['precision']:.1f} | "
              f"{r['recall']:.1f} | {r['coverage']:.1f} | {r['time_s'] or '-'} |")
    with open(osp.join(args.work_dir, 'ablation.json'), 'w') as f:
        json.dump(rows, f, indent=1)
    print(json.dumps(rows))


if __name__ == '__main__':
    main()
