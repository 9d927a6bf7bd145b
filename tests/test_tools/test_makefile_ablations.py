"""`make ablations` walks the list of benchmarks/ablations.py: the same runs,
with the same options and work dirs, as the shell list of the Makefile
before it (kept in data/ablations_before.mk), on both benchmarks. And every
run is well formed before hours are spent on it: the configs exist and each
variant's model options build (an option the model does not take fails
here, not after the runs before it)."""
import argparse
import contextlib
import io
import os.path as osp
import shlex
import subprocess

import pytest
from conftest import REPO

from benchmarks import seed_ablation as sa
from benchmarks import train_ablation as ta
from benchmarks.ablations import PLANS, plan
from tools.wsss_pipeline import parse_args as runner_args
from wsss_mm.recipes import RECIPES
from wsss_mm.recipes.runner import head_of

BEFORE = osp.join(
    osp.dirname(osp.abspath(__file__)), 'data', 'ablations_before.mk')
#: what the old Makefile ran -> the tool's name in benchmarks/ablations.py
OLD_TOOLS = {
    'tools/benchmark/train_ablation.py': 'train_ablation',
    'tools/benchmark/seed_ablation.py': 'seed_ablation',
    'tools/benchmark/make_report.py': 'make_report',
    'tools/wsss_pipeline.py': 'runner'
}
#: the bench work dirs of two methods, renamed with them (one name per thing)
RENAMED = {'/singlestage': '/single_stage', '/multiseed': '/multi_seed'}
#: the train_ablation presets, renamed the same way
PRESETS_RENAMED = {'single-stage': 'single_stage', 'multi-seed': 'multi_seed'}
#: one protocol per column: the bench's DSRG runs the poly schedule of every
#: segmentation, so the schedule ablation is DSRG's own steps (was: poly)
PROTOCOL_CHANGED = {
    'configs/ficklenet/'
    'dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds_poly.py':
    'configs/ficklenet/'
    'dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds_step.py',
    'FickleNet seeds, DSRG, poly schedule':
    'FickleNet seeds, DSRG, its own step schedule',
    # the bench's default scene recipe is own-colour (its own data root)
    'data/mini_partbody':
    'data/mini_partbody_own-colour',
    # partbody has no 0.5-scale seed sets (8, not 12): the rows of all sets
    'all 12, WST s=1':
    'all sets, WST s=1',
    'all 12, plain s=0':
    'all sets, plain s=0',
}
#: runs added after the old Makefile (one protocol per column: the protocols
#: the bench's one protocol replaced, DCP's fill-uncertain retraining, the
#: held-out threshold choices and FickleNet's s and rescaling; the composed
#: recipe's leave-one-out runs and its variant with DCP's retraining)
ADDED = {
    'dcp_fill_uncertain', 'cam_protocol', 'ficklenet_protocol', 'choose_cam',
    *(f'{p}ficklenet_{v}' for p in ('', 'choose_')
      for v in ('norescale', 'rescale', 's9', 's9_rescale')),
    'choose_ficklenet_dd', 'choose_ficklenet_fgbg', 'combined_retrain',
    *(f'combined_wo_{part}' for part in ('pamr', 'crf', 'threshold'))
}
#: variants added to a run (the open questions: WST from the plain
#: checkpoint; FickleNet's dense draws beside the bench's sparse ones)
ADDED_VARIANTS = {
    'all sets, WST s=1 from plain',
    'S/S N = 200, factorised draws (all units; the bench: sparse)'
}

#: options added to a run after the old Makefile (one protocol per column:
#: D/S is only read for its seeds; D/D's theta is chosen on held-out train)
ADDED_OPTIONS = {
    'ficklenet_ds': ('--stop-after', 'seeds'),
    'ficklenet_dd': ('model.seed_generator.fg_threshold=', ),
}


def drop_added_options(name, argv):
    """``argv`` without the options ADDED_OPTIONS gives run ``name`` (a token
    ending in '=' stands for that key with any value)."""
    added = ADDED_OPTIONS.get(name, ())
    return [
        a for a in argv
        if not any(a == t or (t.endswith('=') and a.startswith(t))
                   for t in added)
    ]


def drop_added_variants(argv):
    """``argv`` without the added variants: a ``--only`` name, or a whole
    ``--variant NAME KEY=VALUE ...`` group."""
    out, skip = [], False
    for i, a in enumerate(argv):
        if a == '--variant' and i + 1 < len(argv) \
                and argv[i + 1] in ADDED_VARIANTS:
            skip = True
            continue
        if skip and a.startswith('--'):
            skip = False
        if not skip and a not in ADDED_VARIANTS:
            out.append(a)
    return out


NEW_TOOLS = {
    ('-m', 'benchmarks.train_ablation'): 'train_ablation',
    ('-m', 'benchmarks.seed_ablation'): 'seed_ablation',
    ('-m', 'benchmarks.make_report'): 'make_report',
    ('tools/wsss_pipeline.py', ): 'runner'
}


def make_n(*args):
    """The commands ``make -n`` prints (continued lines joined), split."""
    out = subprocess.run(['make', '-n', *args, 'PY=python', 'STAMP=/dev/null'],
                         cwd=REPO,
                         capture_output=True,
                         text=True,
                         check=True).stdout
    return [
        shlex.split(line) for line in out.replace('\\\n', ' ').splitlines()
        if line.startswith('python ')
    ]


def renamed(arg):
    if arg in PRESETS_RENAMED:
        return PRESETS_RENAMED[arg]
    if arg in PROTOCOL_CHANGED:
        return PROTOCOL_CHANGED[arg]
    if arg.endswith('/dsrg_poly'):
        return arg[:-len('poly')] + 'step'
    for old, new in RENAMED.items():
        if arg.endswith(old):
            return arg[:-len(old)] + new
    return arg


def old_commands(bench_set):
    """(tool, options) of each run of the old Makefile's target (the bench
    runs it reads under their new names)."""
    cmds = make_n('-f', BEFORE, 'ablations', f'BENCH_SET={bench_set}')
    return [(OLD_TOOLS[c[1]], [renamed(a) for a in c[2:]]) for c in cmds]


#: the old Makefile's work roots and scene recipe (the work roots of
#: part-and-body now carry the recipe's name, and its default changed)
AS_BEFORE = ('BENCH=work_dirs/bench_{s}', 'ABL=work_dirs/ablation_{s}',
             'SCENE_RECIPE=own-colour')


def plan_args(bench_set, *make_vars):
    """The options `make ablations` gives benchmarks.train_ablation."""
    cmds = [
        c for c in make_n('ablations', f'BENCH_SET={bench_set}', *make_vars)
        if c[1:3] == ['-m', 'benchmarks.train_ablation']
    ]
    assert len(cmds) == 1, cmds
    return ta.parse_args(cmds[0][3:])


def planned(args):
    """(tool, options) of each run of a --plan."""
    out = []
    for name, argv in plan(args.plan, ta.plan_paths(args)):
        n = 2 if argv[0] == '-m' else 1
        if name == 'report':
            argv = [
                a for a in argv if osp.basename(a) not in ADDED or '/' not in a
            ]
        if name not in ADDED:
            out.append((NEW_TOOLS[tuple(argv[:n])],
                        drop_added_options(name,
                                           drop_added_variants(argv[n:]))))
    return out


@pytest.mark.parametrize('bench_set', ['mini', 'partbody'])
def test_make_ablations_plans_the_runs_of_before(bench_set, monkeypatch):
    monkeypatch.chdir(REPO)  # the paths as make gives them
    args = plan_args(bench_set, *(v.format(s=bench_set) for v in AS_BEFORE))
    assert args.plan == bench_set and not args.dry_run
    assert args.work_dir == f'work_dirs/ablation_{bench_set}'
    old, new = old_commands(bench_set), planned(args)
    assert len(old) >= 6 and [t for t, _ in old].count('make_report') == 1
    # the same runs, in the same order, with the same options and work dirs
    assert [c for c in new if c[0] != 'make_report'
            ] == [c for c in old if c[0] != 'make_report']
    assert new[-1][0] == 'make_report' and old[-1][0] == 'make_report'
    new_rep, old_rep = new[-1][1], old[-1][1]
    # added: the report links the grid make bench draws for this benchmark
    # (it linked the glyph grid on every benchmark)
    p = new_rep.index('--picture')
    assert new_rep[p + 1] == f'docs/pictures/{bench_set}_grid.png'
    new_rep = new_rep[:p] + new_rep[p + 2:]
    at = old_rep.index('--ablations')
    assert new_rep[:at + 1] == old_rep[:at + 1]  # bench root, data root
    # the same folders into the report; the ones with a table (not a runner
    # run: read by the claims alone) in the same order, which the report's
    # sections follow
    assert sorted(new_rep[at + 1:]) == sorted(old_rep[at + 1:])
    runs = {
        osp.join(args.work_dir, e.name)
        for e in PLANS[bench_set] if e.tool == 'runner'
    }
    assert ADDED <= {e.name for e in PLANS['partbody']}
    assert ([d for d in new_rep[at + 1:] if d not in runs
             ] == [d for d in old_rep[at + 1:] if d not in runs])


def test_make_ablations_work_roots_name_the_scene_recipe():
    """Part-and-body's work roots, records and data root follow the scene
    recipe (the default: run_bench's); the glyph set has none."""
    from benchmarks.run_bench import DEFAULT_SCENE_RECIPE
    args = plan_args('partbody')
    tag = f'partbody_{DEFAULT_SCENE_RECIPE}'
    assert args.work_dir == f'work_dirs/ablation_{tag}'
    assert args.bench_root == f'work_dirs/bench_{tag}'
    assert args.records == f'benchmarks/records/bench_{tag}'
    assert args.data_root == f'data/mini_partbody_{DEFAULT_SCENE_RECIPE}'
    bench = [
        c for c in make_n('bench') if c[1:3] == ['-m', 'benchmarks.run_bench']
    ][0]
    assert bench[bench.index('--scene-recipe') + 1] == DEFAULT_SCENE_RECIPE
    assert bench[bench.index('--work-root') + 1] == f'work_dirs/bench_{tag}'
    shared = plan_args('partbody', 'SCENE_RECIPE=shared-colour')
    assert shared.data_root == 'data/mini_partbody'
    assert plan_args('mini').work_dir == 'work_dirs/ablation_mini'


def test_plan_dry_run_prints_the_commands(tmp_path):
    argv = [
        '--plan', 'partbody', '--bench-root', 'work_dirs/bench_partbody',
        '--data-root', 'data/mini_partbody', '--work-dir',
        str(tmp_path / 'abl'), '--dry-run'
    ]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cmds = ta.main(argv)
    lines = [
        line for line in buf.getvalue().splitlines() if line.startswith('$ ')
    ]
    assert len(lines) == len(cmds) == len(PLANS['partbody']) + 1
    assert '-m benchmarks.make_report' in lines[-1]
    assert f'--work-dir {tmp_path}/abl/dsrg_parts' in '\n'.join(lines)
    assert not (tmp_path / 'abl').exists()  # ran nothing, wrote nothing
    with pytest.raises(SystemExit):  # a plan brings its own variants
        ta.parse_args(argv + ['--iters', '3'])
    with pytest.raises(SystemExit):
        ta.parse_args(argv[:2] + argv[4:])  # no --bench-root
    with pytest.raises(SystemExit):  # --dry-run only with --plan
        ta.parse_args([
            'c.py', '--data-root', 'd', '--work-dir', 'w', '--variant', 'a',
            '--dry-run'
        ])


def build_with(config, options):
    from mmengine.config import Config, DictAction
    from mmseg.registry import MODELS
    from mmseg.utils import register_all_modules

    import wsss_mm  # noqa: F401
    register_all_modules()
    cfg = Config.fromfile(osp.join(REPO, config))
    parser = argparse.ArgumentParser()
    parser.add_argument('--o', nargs='+', action=DictAction, default={})
    model_opts = [o for o in options if o.startswith('model.')]
    if model_opts:
        cfg.merge_from_dict(parser.parse_args(['--o', *model_opts]).o)
    model = cfg.model
    for key in ('backbone',
                'neck'):  # no pretrained weights are needed to build
        if isinstance(model.get(key), dict):
            model[key].pop('init_cfg', None)
    return MODELS.build(model)


PATHS = dict(data='d', bench='b', abl='a', bench_abs='/b', abl_abs='/a')
RUNS = [(s, name, argv) for s in sorted(PLANS)
        for name, argv in plan(s, PATHS)]


def runs_of(*tools):
    """The runs of these tools (presets: test_train_ablation.py)."""
    return [
        pytest.param(argv, id=f'{s}-{name}') for s, name, argv in RUNS
        if (tuple(argv[:2]) in tools or argv[0] in tools)
        and '--preset' not in argv
    ]


@pytest.mark.parametrize('argv',
                         runs_of(('-m', 'benchmarks.train_ablation'),
                                 ('-m', 'benchmarks.seed_ablation')))
def test_ablation_variants_build(argv):
    tool = ta if argv[1] == 'benchmarks.train_ablation' else sa
    args = tool.parse_args(argv[2:])
    assert osp.isfile(osp.join(REPO, args.config)), args.config
    for name, *options in args.variant:
        build_with(args.config, list(args.cfg_options) + options)


@pytest.mark.parametrize('argv', runs_of('tools/wsss_pipeline.py'))
def test_pipeline_ablations_build_their_classifier(argv):
    args = runner_args(argv[1:])
    configs = {
        s.config_for(args.config_set)
        for s in RECIPES[args.method]
        if s.runs_on(args.config_set) and s.config is not None
    }
    classifiers = [c for c in configs if head_of(osp.join(REPO, c)) == 'cls']
    assert classifiers
    for config in classifiers:
        build_with(config, list(args.cfg_options) + list(args.cls_cfg_options))
