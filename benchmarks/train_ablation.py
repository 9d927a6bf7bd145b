"""Training ablations: one ``tools/train.py`` + ``tools/test.py`` (val) run per
variant of one config, one table of val mIoU. The sibling of
``seed_ablation.py`` (which varies stage 2 of one trained model).

    python -m benchmarks.train_ablation CONFIG --data-root data/mini \\
        --work-dir work_dirs/ablation/ss --iters 300 \\
        --variant "full model" \\
        --variant "w/o PAMR" model.pamr=None \\
        --test-variant "+CRF" model.test_cfg.crf=True

    # the paper tables at small scale, as presets:
    python -m benchmarks.train_ablation --preset single_stage \\
        --data-root data/mini --work-dir work_dirs/ablation/single_stage
    python -m benchmarks.train_ablation --preset multi_seed \\
        --seed-root work_dirs/bench/multi_seed --data-root data/mini \\
        --work-dir work_dirs/ablation/multi_seed

    # every ablation of a benchmark (benchmarks/ablations.py), then the report
    # (make ablations):
    python -m benchmarks.train_ablation --plan partbody \\
        --bench-root work_dirs/bench_partbody_faint-body \\
        --data-root data/mini_partbody_faint-body \\
        --work-dir work_dirs/ablation_partbody_faint-body [--dry-run]

Each ``--variant NAME [key=value ...]`` trains once with these cfg-options
(after the data options of ``tools/wsss_pipeline.py`` and ``--cfg-options``)
and tests on val; each ``--test-variant NAME [key=value ...]`` adds one more
val test of every trained model (e.g. with a CRF). ``--iters N`` shortens the
schedule (max_iters, val and checkpoint interval, and ``--iters-options``,
e.g. the LR schedule's end). Resumable: a finished variant leaves
``WORK_DIR/<variant>/variant.json``, its provenance (the resolved config and
the options it ran with, and those of each test variant); a rerun keeps it
only when they are unchanged, and trains it again from scratch otherwise, so
a changed config or option never reports an old number (a variant of an
older version without that file is kept, with a warning). Prints a Markdown
table and, last, one JSON line; both also go (atomically) to
``WORK_DIR/ablation.md`` / ``ablation.json``.

``--bench-twin NAME RUN_DIR`` reads variant NAME's numbers from a
``tools/wsss_pipeline.py`` run that trained the same thing (the bench's
single-stage run is Table 1's full model, its multi-estimations run the
all-sets WST row) instead of training it twice; checked before anything runs
(``twin_row``). ``--only`` also limits the seed sets a preset generates to
those its chosen variants read.

Presets (the options they add are printed in the table), on the glyph scenes
(``--config-set mini``, the default: the ``_mini`` configs, 300 iterations)
or the part-and-body scenes (``--config-set partbody``: the ``_partbody``
configs with the bench's 2,000 iterations; ``PRESET_CONFIGS``):

``single_stage`` (Araslanov & Roth, Table 1, on
``configs/single_stage/ngwp_vgg16-slim_mini.py``): full model; w/o PAMR
(pseudo-labels from the raw masks); w/o SG (deep features only); deterministic
gate (r = psi = 0.3 in training too); w/o GCI; focal penalty p = 0. Each
tested on val without and with the dense CRF.

``multi_seed`` (Fan et al., Tables 2-5, on
``configs/multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py``) over the seed
sets of a ``tools/wsss_pipeline.py --method multi_seed`` work dir
(``--seed-root``): threshold / CRF / both (VGG-16, scale 1); single vs
multi-scale; merged-scale CAMs (max, mean: generated here from the
``--seed-root`` VGG-16 classifier, one seed set per type); one vs two
architectures; all sets (12; partbody 8, without the 0.5 scale) with WST
(scale 1) and plain (scale 0).
"""
import argparse
import hashlib
import json
import os
import os.path as osp
import shlex
import shutil
import sys
import time

from benchmarks import records
from benchmarks.ablations import PLANS, plan
from wsss_mm.datasets.scenes import read_manifest
from wsss_mm.recipes.multi_seed import SCALES
from wsss_mm.recipes.runner import (REPO, SCRIPTS, StageRunner, label_options,
                                    last_checkpoint, prepare_data,
                                    schedule_options, test_split_options,
                                    tool_cmd)
from wsss_mm.utils.io import atomic_write_json, atomic_write_text, load_json

PRESETS = ('single_stage', 'multi_seed')

#: a preset's config, its +CRF test config or seed-set configs, and its
#: iterations (None: the config's own schedule) on each mini benchmark. The
#: glyph presets are shortened to 300 iterations; on part-and-body every
#: variant trains the bench's schedule (configs/_base_/schedules/seg_2k.py),
#: so that a variant compares with the bench's rows.
PRESET_CONFIGS = {
    'single_stage': {
        'mini': ('configs/single_stage/ngwp_vgg16-slim_mini.py',
                 'configs/single_stage/ngwp_vgg16-slim_mini_crf.py', 300),
        'partbody':
        ('configs/single_stage/ngwp_vgg16-slim_partbody.py',
         'configs/single_stage/ngwp_vgg16-slim_partbody_crf.py', None)
    },
    'multi_seed': {
        'mini': ('configs/multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py',
                 'configs/multi_seed/seeds_mini', 300),
        'partbody':
        ('configs/multi_seed/wst_deeplabv3_vgg16-slim_partbody_8seeds.py',
         'configs/multi_seed/seeds_partbody', None)
    },
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        'config',
        nargs='?',
        help='the config every variant trains '
        '(a preset brings its own)')
    p.add_argument('--preset', choices=PRESETS)
    p.add_argument('--data-root', required=True)
    p.add_argument('--work-dir', required=True)
    p.add_argument(
        '--seed-root',
        help='multi_seed preset: the work dir of a '
        '`wsss_pipeline.py --method multi_seed` run (seed sets, classifier)')
    p.add_argument(
        '--iters', type=int, help='training iterations of every variant')
    p.add_argument(
        '--iters-options',
        nargs='*',
        default=[],
        help='more cfg-options that take the iterations, written with '
        '{iters} (e.g. param_scheduler.0.end={iters})')
    p.add_argument(
        '--config-set',
        default='mini',
        choices=('mini', 'partbody', 'voc'),
        help='data layout, and the configs of a preset (mini or partbody)')
    p.add_argument('--classes')
    p.add_argument('--train-split')
    p.add_argument('--val-split', default='val')
    p.add_argument('--gt-dir')
    p.add_argument('--launcher-nproc', type=int, default=1)
    p.add_argument(
        '--cfg-options',
        nargs='*',
        default=[],
        help='options common to every variant')
    p.add_argument(
        '--variant',
        nargs='+',
        action='append',
        default=[],
        metavar=('NAME', 'KEY=VALUE'))
    p.add_argument(
        '--test-variant',
        nargs='+',
        action='append',
        default=[],
        metavar=('NAME', 'KEY=VALUE'))
    p.add_argument(
        '--only', nargs='+', help='run only the variants with these names')
    p.add_argument(
        '--bench-twin',
        nargs=2,
        action='append',
        default=[],
        metavar=('NAME', 'RUN_DIR'),
        help='variant NAME trains what the tools/wsss_pipeline.py run in '
        'RUN_DIR trained (checked, see twin_row): its numbers are read from '
        'there instead of training it again')
    g = p.add_argument_group(
        'a list of ablations (benchmarks/ablations.py) instead of one')
    g.add_argument(
        '--plan',
        choices=sorted(PLANS),
        help='run the ablations of this benchmark, each into '
        'WORK_DIR/<name>, then benchmarks.make_report')
    g.add_argument('--bench-root', help='--plan: the bench run they read')
    g.add_argument(
        '--dry-run',
        action='store_true',
        help='--plan: print the commands, run nothing')
    g.add_argument(
        '--records',
        help='--plan: committed records of the benchmark '
        '(benchmarks/records.py): each finished ablation is saved there, '
        'and the report shows the recorded ones this work dir lacks')
    args = p.parse_args(argv)
    if args.plan:
        given = [
            f for f in ('config', 'preset', 'seed_root', 'iters', 'variant',
                        'test_variant', 'only', 'bench_twin', 'cfg_options')
            if getattr(args, f)
        ]
        if given:
            p.error(f'--plan runs the options of benchmarks/ablations.py, not '
                    f'{", ".join("--" + f.replace("_", "-") for f in given)}')
        if not args.bench_root:
            p.error('--plan needs --bench-root')
        return args
    if args.bench_root or args.dry_run:
        p.error('--bench-root and --dry-run go with --plan')
    if args.preset is None and (args.config is None or not args.variant):
        p.error('give CONFIG and at least one --variant, or --preset')
    if args.preset == 'multi_seed' and not args.seed_root:
        p.error('--preset multi_seed needs --seed-root')
    if args.preset and args.config_set not in PRESET_CONFIGS[args.preset]:
        p.error(f'--preset {args.preset} runs on --config-set '
                f'{" or ".join(PRESET_CONFIGS[args.preset])}, not '
                f'{args.config_set}')
    return args


def slug(name):
    return ''.join(c if c.isalnum() else '_' for c in name).strip('_')


# --------------------------------------------------------------- presets
def single_stage_preset(args):
    """Table 1 of Araslanov & Roth at small scale."""
    config, crf_config, iters = PRESET_CONFIGS['single_stage'][args.config_set]
    args.config = args.config or config
    # the warm-up stays a quarter (warmup_ratio)
    args.iters = args.iters or iters
    args.variant = args.variant or [
        ['full model'],
        ['w/o PAMR', 'model.pamr=None'],
        ['w/o SG', 'model.decode_head.gate=None'],
        ['deterministic gate', 'model.decode_head.gate.deterministic=True'],
        ['w/o GCI', 'model.decode_head.gci=None'],
        ['focal p=0', 'model.focal_p=0.0'],
    ]
    # the same model with the dense CRF: the val config of the single-stage
    # recipe
    args.test_variant = args.test_variant or [['+CRF', crf_config]]
    return []


def final_checkpoint(args, variant):
    """Where the training of ``variant`` (of this run) leaves its last
    checkpoint: ``WORK_DIR/<slug>/train/iter_<max_iters>.pth``."""
    from mmengine.config import Config
    iters = args.iters or Config.fromfile(osp.join(
        REPO, args.config)).train_cfg.max_iters
    return osp.join(
        osp.abspath(args.work_dir), slug(variant), 'train',
        f'iter_{iters}.pth')


def multi_seed_preset(args):
    """Tables 2-5 of Fan et al. at small scale; returns the seed sets to
    generate first (merged-scale CAMs) as (name, config, checkpoint, opts)."""
    config, seed_configs, iters = PRESET_CONFIGS['multi_seed'][args.config_set]
    args.config = args.config or config
    args.iters = args.iters or iters
    result = load_json(osp.join(osp.abspath(args.seed_root),
                                'result.json')) or {}
    stages = result.get('stages', {})

    def seed_dir(name):
        if name not in stages:
            raise FileNotFoundError(
                f'--seed-root {args.seed_root}: its result.json has no '
                f'seed set {name!r} (run wsss_pipeline.py --method '
                'multi_seed there first)')
        return stages[name]['output']

    merged_root = osp.join(osp.abspath(args.work_dir), 'merged_seeds')

    def sets(archs=('vgg16', ), types=('threshold', 'crf'), scales=('s100', )):
        return [
            seed_dir(f'{a}_{t}_{s}') for a in archs for t in types
            for s in scales
        ]

    # the recipe's scales on this config set (partbody: no 0.5)
    ms = tuple(f's{x:03d}' for x in SCALES[args.config_set])
    merged = {(t, r): osp.join(merged_root, f'vgg16_{t}_merge-{r}')
              for t in ('threshold', 'crf') for r in ('max', 'mean')}
    wst0 = ['model.decode_head.loss_decode.scale=0.0']
    args.variant = args.variant or [
        # Table 2: seed types (VGG-16, scale 1)
        ['T (1)', *label_options(sets(types=('threshold', )))],
        ['C (1)', *label_options(sets(types=('crf', )))],
        ['T+C (2)', *label_options(sets())],
        # Table 3: multi-scale vs merged-scale CAMs
        [
            f'T multi-scale ({len(ms)})',
            *label_options(sets(types=('threshold', ), scales=ms))
        ],
        [
            f'C multi-scale ({len(ms)})',
            *label_options(sets(types=('crf', ), scales=ms))
        ],
        [f'T+C multi-scale ({2 * len(ms)})', *label_options(sets(scales=ms))],
        [
            'T+C merged max (2)',
            *label_options([merged['threshold', 'max'], merged['crf', 'max']])
        ],
        [
            'T+C merged mean (2)', *label_options(
                [merged['threshold', 'mean'], merged['crf', 'mean']])
        ],
        # Table 4: architectures (scale 1)
        ['ResNet-18 T+C (2)', *label_options(sets(archs=('resnet18', )))],
        [
            'VGG+ResNet T+C (4)',
            *label_options(sets(archs=('vgg16', 'resnet18')))
        ],
        # Table 5: WST vs the plain multi-seed loss
        [
            'all sets, WST s=1',
            *label_options(sets(archs=('vgg16', 'resnet18'), scales=ms))
        ],
        [
            'all sets, plain s=0',
            *label_options(sets(archs=('vgg16', 'resnet18'), scales=ms)), *wst0
        ],
        # does WST lock in an early background prediction? WST trained
        # from the plain loss's final checkpoint (the variant above)
        [
            'all sets, WST s=1 from plain',
            *label_options(sets(archs=('vgg16', 'resnet18'), scales=ms)),
            'load_from=' + final_checkpoint(args, 'all sets, plain s=0')
        ],
        ['T+C (2), plain s=0', *label_options(sets()), *wst0],
    ]
    # merged-scale seed sets from the VGG-16 classifier of the seed root
    ckpt = stages['vgg16']['output']
    jobs = []
    for (kind, reduce), out in merged.items():
        jobs.append((out, f'{seed_configs}/vgg16_{kind}_s100.py', ckpt, [
            'model.seed_generator.scales=[' +
            ','.join(str(x / 100) for x in SCALES[args.config_set]) + ']',
            f'model.seed_generator.reduce={reduce}'
        ]))
    return jobs


# --------------------------------------------------------------- running
def generate_seeds(args, jobs, data_opts, split, gt_dir, num_classes, run):
    """Stage-2 runs (test.py in seed mode) for seed sets a preset needs."""
    for out, config, ckpt, extra in jobs:
        metrics = out + '_metrics.json'
        if osp.isfile(metrics):
            continue
        opts = data_opts + [
            f'model.cls_head.num_classes={num_classes - 1}',
            *test_split_options(split, gt_dir), *extra
        ]
        run(
            tool_cmd(args, SCRIPTS['test'], osp.join(REPO, config), ckpt,
                     '--work-dir', out + '_run', '--out', out, '--metrics-out',
                     metrics, '--cfg-options', *opts))


def _folder(path):
    """A label folder without the runner's ``labels`` leaf
    (``<stage>/labels``)."""
    path = osp.normpath(path.strip("'"))
    return osp.dirname(path) if osp.basename(path) == 'labels' else path


def label_folders(options):
    """The label folders that options of ``label_options`` name."""
    out = set()
    for o in options:
        key, _, value = o.partition('=')
        if key == 'train_dataloader.dataset.seed_dirs':
            out.update(d.strip("'\"") for d in value.strip('[]').split(','))
        elif key == 'train_dataloader.dataset.data_prefix.seg_map_path':
            out.add(value)
    return out


def describe(options):
    """The options of a variant for the table: seed folders by name."""
    out = []
    multi = any(
        o.startswith('train_dataloader.dataset.seed_dirs=') for o in options)
    for o in options:
        if 'data_prefix.seg_map_path=' in o:
            if multi:  # the first seed folder, repeated for the data flow
                continue
            # <run>/<stage> (a set of a multi-set stage: <stage>/<set>)
            o = 'labels: ' + '/'.join([
                p for p in _folder(o.split('=', 1)[1]).split(os.sep)
                if p != 'labels'
            ][-2:])
        if o.startswith('train_dataloader.dataset.seed_dirs='):
            dirs = o.split('=', 1)[1].strip('[]').split(',')
            o = 'seeds: ' + ' '.join(osp.basename(_folder(d)) for d in dirs)
        out.append(o)
    return ' '.join(out)


def iter_options(args):
    if not args.iters:
        return []
    return [
        *schedule_options(args.iters),
        *[o.format(iters=args.iters) for o in args.iters_options]
    ]


def provenance(config, options, data_root):
    """What a variant's number depends on: the config (resolved: its bases
    too), the options and the recipe of generated scenes in the data root
    (``scenes.json``; None for other data), as a JSON-able dict."""
    from mmengine.config import Config
    text = Config.fromfile(config).pretty_text
    return dict(
        config=osp.relpath(config, REPO),
        config_sha1=hashlib.sha1(text.encode()).hexdigest(),
        options=list(options),
        data=read_manifest(data_root))


def twin_row(run_dir, config, options, test_variants, val_opts, data_root):
    """The numbers of a variant from the ``tools/wsss_pipeline.py`` run in
    ``run_dir`` that trained it (e.g. the bench's single-stage run is Table 1's
    full model): dict(val_miou, val_iou_per_class, train_s, twin, tests={name:
    mIoU}). Checked, else ValueError naming the mismatch: the run's one
    training stage of ``config``, on ``data_root``, with no ``--cfg-options``
    of its own and every option of the variant (``options``) in its command; a
    val test of that checkpoint on the split of ``val_opts`` for the variant
    and for each test variant (a test config, no options). The run's own
    provenance keys keep it current with its config (a changed config reruns
    the bench)."""
    path = osp.join(run_dir, 'result.json')
    result = load_json(path)
    if not result:
        raise FileNotFoundError(
            f'--bench-twin: no {path} (run the bench there first)')
    rel = osp.relpath(config, REPO)
    stages = result.get('stages', {})
    trains = [
        s for s in stages.values()
        if s.get('tool') == 'train' and s.get('config') == rel
    ]
    if len(trains) != 1:
        raise ValueError(
            f'--bench-twin: {path} has {len(trains)} training stages of '
            f'{rel}, '
            'not one')
    train = trains[0]
    if osp.abspath(result.get('data_root') or '') != data_root:
        raise ValueError(
            f'--bench-twin: {path} ran on {result.get("data_root")}, '
            f'not {data_root}')
    if result.get('cfg_options'):
        raise ValueError(f'--bench-twin: {path} ran with --cfg-options '
                         f'{result["cfg_options"]}')
    missing = [o for o in options if o not in (train.get('command') or [])]
    if missing:
        raise ValueError(
            f'--bench-twin: the training of {path} ran without {missing}')

    def val_test(test_config):
        for s in stages.values():
            cmd = s.get('command') or []
            if (s.get('tool') == 'test' and s.get('config') == test_config
                    and train.get('output') in cmd and all(o in cmd
                                                           for o in val_opts)
                    and (s.get('metrics') or {}).get('mIoU') is not None):
                return s['metrics']
        raise ValueError(
            f'--bench-twin: {path} has no val test of {train.get("output")} '
            f'with {test_config}')

    val = val_test(rel)
    row = dict(
        val_miou=val['mIoU'],
        val_iou_per_class=val.get('IoU_per_class'),
        train_s=train.get('seconds'),
        twin=osp.relpath(run_dir, REPO),
        tests={})
    for tname, *topts in test_variants:
        if len(topts) != 1 or not topts[0].endswith('.py'):
            raise ValueError(
                f'--bench-twin: the test variant {tname!r} must be one test '
                'config to be read from a bench run')
        row['tests'][tname] = val_test(
            osp.relpath(osp.join(REPO, topts[0]), REPO))['mIoU']
    return row


def check_variant_names(flag, names, variants):
    """Fail, naming ``flag``, on a name that no variant has."""
    unknown = set(names) - {v[0] for v in variants}
    if unknown:
        raise ValueError(f'{flag}: no variant named {sorted(unknown)}')


def val_miou(path):
    with open(path) as f:
        return json.load(f).get('mIoU')


def plan_paths(args):
    """The placeholders of benchmarks/ablations.py: the roots as the tools
    see them from the repository root (relative when inside it), and
    absolute."""

    def seen(path):
        rel = osp.relpath(osp.abspath(path), REPO)
        return osp.abspath(path) if rel.startswith('..') else rel

    return dict(
        data=seen(args.data_root),
        bench=seen(args.bench_root),
        abl=seen(args.work_dir),
        bench_abs=osp.abspath(args.bench_root),
        abl_abs=osp.abspath(args.work_dir))


def run_plan(args):
    """``--plan``: each ablation of the benchmark, then the report, one
    process each in the repository root; stops at the first that fails.
    Returns the commands."""
    steps = plan(args.plan, plan_paths(args))
    if args.records:  # the report shows what the records hold
        steps[-1][1].extend(['--records', args.records])
    cmds = [[sys.executable, *argv] for _, argv in steps]
    if args.dry_run:
        for cmd in cmds:
            print('$ ' + ' '.join(shlex.quote(c) for c in cmd))
        return cmds
    os.makedirs(args.work_dir, exist_ok=True)
    run = StageRunner(
        osp.join(args.work_dir, 'ablations.log'), name='ablations')
    for i, ((name, _), cmd) in enumerate(zip(steps, cmds), 1):
        print(f'[ablations] {i}/{len(cmds)}', flush=True)
        run(cmd)
        if args.records and name != 'report':
            records.save(args.records, ablation_root=args.work_dir)
    return cmds


def main(argv=None):
    args = parse_args(argv)
    if args.plan:
        return run_plan(args)
    args.data_root = osp.abspath(args.data_root)
    args.work_dir = osp.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    jobs = []
    if args.preset == 'single_stage':
        jobs = single_stage_preset(args)
    elif args.preset == 'multi_seed':
        jobs = multi_seed_preset(args)
    config = args.config if osp.isabs(args.config) else osp.join(
        REPO, args.config)
    if not osp.isfile(config):
        raise FileNotFoundError(f'config not found: {config}')
    if args.bench_twin and args.iters:  # a preset may shorten the schedule
        raise ValueError(
            f'--bench-twin reads runs of the config\'s own schedule, and this '
            f'ablation trains {args.iters} iterations')
    num_classes, data_opts, split, gt_dir = prepare_data(args)
    if args.only:
        check_variant_names('--only', args.only, args.variant)
        args.variant = [v for v in args.variant if v[0] in args.only]
    # the variants a bench run already trained: checked before anything runs
    check_variant_names('--bench-twin', [n for n, _ in args.bench_twin],
                        args.variant)
    options = {v[0]: list(args.cfg_options) + v[1:] for v in args.variant}
    twins = {
        name: twin_row(
            osp.abspath(run_dir), config, options[name], args.test_variant,
            test_split_options(args.val_split, gt_dir), args.data_root)
        for name, run_dir in args.bench_twin
    }
    run = StageRunner(osp.join(args.work_dir, 'ablation.log'))
    # only the seed sets that a variant to train reads
    needed = {
        d
        for v in args.variant if v[0] not in twins
        for d in label_folders(v[1:])
    }
    generate_seeds(args, [j for j in jobs if j[0] in needed], data_opts, split,
                   gt_dir, num_classes, run)
    common = data_opts + [
        *test_split_options(args.val_split, gt_dir), *iter_options(args),
        *args.cfg_options
    ]
    rows = []
    for name, *variant in args.variant:
        if name in twins:
            row = dict(variant=name, options=describe(variant), **twins[name])
            for tname, miou in row.pop('tests').items():
                row[f'val_miou {tname}'] = miou
            rows.append(row)
            continue
        out = osp.join(args.work_dir, slug(name))
        metrics = osp.join(out, 'val_metrics.json')
        opts = common + list(variant)
        row = dict(variant=name, options=describe(variant))
        stamp_path = osp.join(out, 'variant.json')
        stamp, old = provenance(config, opts,
                                args.data_root), load_json(stamp_path)
        legacy = old is None and osp.isfile(metrics)
        if legacy:
            print(
                f'[train_ablation] {name}: finished by an older version (no '
                'variant.json): '
                'kept, its provenance unchecked',
                flush=True)
        elif old is None or not osp.isfile(
                metrics) or old.get('train') != stamp:
            if osp.isdir(
                    out):  # another provenance, or interrupted: start clean
                shutil.rmtree(out)
            t0 = time.time()
            run(
                tool_cmd(args, SCRIPTS['train'], config, '--work-dir',
                         osp.join(out, 'train'), '--cfg-options', *opts))
            row['train_s'] = round(time.time() - t0, 1)
            atomic_write_json(osp.join(out, 'train_time.json'), row['train_s'])
            ckpt = last_checkpoint(osp.join(out, 'train'))
            run(
                tool_cmd(args, SCRIPTS['test'], config, ckpt, '--work-dir',
                         osp.join(out, 'val'), '--metrics-out', metrics,
                         '--cfg-options', *opts))
            old = dict(train=stamp, tests={})
            atomic_write_json(stamp_path, old)
        if 'train_s' not in row:
            row['train_s'] = load_json(osp.join(out, 'train_time.json'))
        row['val_miou'] = val_miou(metrics)
        per_class = (load_json(metrics) or {}).get('IoU_per_class')
        # tools/test.py --metrics-out: for the report's per-class table
        if per_class:
            row['val_iou_per_class'] = per_class
        for tname, *topts in args.test_variant:
            tmetrics = osp.join(out, f'val_{slug(tname)}_metrics.json')
            # a test variant is cfg-options, or a test config first (then
            # options)
            tconfig = config
            if topts and topts[0].endswith('.py'):
                tconfig, topts = osp.join(REPO, topts[0]), topts[1:]
            tstamp = provenance(tconfig, opts + topts, args.data_root)
            if not osp.isfile(tmetrics) or not legacy and old['tests'].get(
                    tname) != tstamp:
                ckpt = last_checkpoint(osp.join(out, 'train'))
                run(
                    tool_cmd(args, SCRIPTS['test'], tconfig,
                             ckpt, '--work-dir',
                             osp.join(out,
                                      'val_' + slug(tname)), '--metrics-out',
                             tmetrics, '--cfg-options', *opts, *topts))
                if not legacy:
                    old['tests'][tname] = tstamp
                    atomic_write_json(stamp_path, old)
            row[f'val_miou {tname}'] = val_miou(tmetrics)
        rows.append(row)
        # after each variant: an interrupted ablation keeps its finished rows
        write_tables(rows, args)
    table = write_tables(rows, args)
    print('\n' + table)
    print(json.dumps(rows))
    return rows


def write_tables(rows, args):
    """``ablation.md`` and ``ablation.json`` of the rows so far; returns the
    markdown table."""
    table = format_table(rows, [t[0] for t in args.test_variant], args)
    atomic_write_text(osp.join(args.work_dir, 'ablation.md'), table + '\n')
    atomic_write_json(osp.join(args.work_dir, 'ablation.json'), rows)
    return table


def format_table(rows, test_names, args):
    head = [
        'variant', 'val mIoU', *[f'val mIoU {t}' for t in test_names],
        'train (s)', 'options'
    ]
    config = osp.relpath(args.config, REPO) if osp.isabs(
        args.config) else args.config
    lines = [
        f'{config}, {args.iters or "config"} iterations', '',
        '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)
    ]

    def cell(v):
        return '-' if v is None else f'{v:.1f}' if isinstance(
            v, float) else str(v)

    for r in rows:
        vals = [
            r['variant'],
            cell(r.get('val_miou')),
            *[cell(r.get(f'val_miou {t}')) for t in test_names],
            cell(r.get('train_s')),
            ' '.join([f"`{r['options']}`"] * bool(r['options']) +
                     [f"(the bench run `{r.get('twin')}`)"] * ('twin' in r))
        ]
        lines.append('| ' + ' | '.join(vals) + ' |')
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
