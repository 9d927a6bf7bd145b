"""The mini benchmark of every method, the speed benchmarks, pictures, report.

    python -m benchmarks.run_bench [--methods full cam ...] [--repeats 3]
        [--force] [--dry-run]
        [--quick | --num-train N --cls-iters N --seg-iters N]
        [--runner-args "..."] [--skip-speed] [--skip-pictures]
    make bench [BENCH_ARGS="--quick"]

Run from the repository root. Steps, serially (nothing runs in parallel):

1. ``tools/wsss_pipeline.py --method M --data-root DATA --build-mini
   --work-dir BENCH/M`` for M in full, cam, ficklenet, dcp, single_stage,
   multi_seed (``--methods`` picks some). Resumable: a method whose work dir
   holds ``result.json`` and ``bench_cmd.json`` with the same command line is
   not rerun (``--refresh`` calls the runner anyway, which keeps the stages
   whose provenance is unchanged and reruns the rest; ``--force`` deletes the
   work dir first and reruns every stage); a rerun keeps the stages whose
   provenance is unchanged (see ``tools/wsss_pipeline.py``), so an
   interrupted bench resumes. Output goes to ``BENCH/logs/M.log``,
   the outcome to ``BENCH/logs/M.status.json``; a failed method is a
   'failed (see log)' row of the report, never an abort. ``dcp`` and
   ``multi_seed`` reuse the ``cam`` run's stage-1 VGG-16 classifier (the mini
   recipes train it with the same config, data and seed, so the weights are
   identical; ``--no-share-classifier`` trains it again): the runner gets
   ``--reuse STAGE=CKPT`` (their stage of that classifier) and their
   ``result.json`` gets ``time_stage1_shared_s`` (the cam run's stage-1
   time), which the report counts in their train and total times.
2. ``--repeats K`` (default 3): seed-to-seed spread. The CAM baseline and
   the best weakly supervised method (highest val mIoU among the results
   present; ``--repeat-methods`` to choose) run K - 1 more times into
   ``BENCH/<M>_rep2`` ... with ``randomness.seed=1``, ``2``, ... (the main
   run is the configs' seed 0), every stage trained again: the report gives
   each one's mean and spread (max - min) of val mIoU, so that a reader
   knows which differences are noise. Then every bench row of a paper claim
   whose difference lies within twice that spread (``claims.close_calls``)
   gets the same reruns, so that its verdict has three seeds too.
3. Speed benchmarks (``benchmarks/speed/``), each one subprocess
   (``python -m benchmarks.speed.<module>``), its last JSON line and printed
   table saved to ``BENCH/speed/<name>.json``: ``ficklenet_expansion`` (on
   CPU with 64 instead of 512 channels, see ``--ficklenet-args``),
   ``single_stage_cost``, ``dcp_statistics`` (``dcp_statistics_cost.py
   --naive``). A missing module, a failure or a timeout
   (``--speed-timeout``; then one retry with small options) is recorded as
   skipped, with a note.
4. ``benchmarks.make_pictures`` (output: ``BENCH/logs/pictures.log``; the
   test.py commands it runs: ``BENCH/pictures/pictures.log``), then
   ``benchmarks.make_report`` -> ``docs/results.md`` and the README results
   block.

``--quick`` / ``--num-train`` / ``--num-val`` change the mini data set's size;
with the default data root they use ``data/mini_quick`` / ``data/mini_n<N>``
instead, so the shared 1,500-scene ``data/mini`` is never rebuilt.
"""
import argparse
import datetime
import importlib.util
import json
import os
import os.path as osp
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

from benchmarks import records
from benchmarks.ablations import PLANS as ABLATION_PLANS
from benchmarks.claims import check_all, close_calls
from benchmarks.make_report import collect_runs
from benchmarks.open_questions import default_ablation_root
from wsss_mm.datasets.scenes import PART_BODY_RECIPES
from wsss_mm.recipes.runner import ensure_mini_data
from wsss_mm.utils.io import atomic_write_json, load_json

#: the repository root: every command runs there
REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

METHODS = ('full', 'cam', 'ficklenet', 'dcp', 'single_stage', 'full_ngwp',
           'multi_seed', 'combined')
# methods whose mini recipe trains the cam recipe's classifier again (same
# config, data, seed) -> their stage of it: they take the cam run's instead
SHARES_CAM_CLASSIFIER = {
    'dcp': 'classifier',
    'multi_seed': 'vgg16',
    'combined': 'classifier'
}
#: the mini benchmarks and their data roots (--build-mini writes them);
#: part-and-body is the bench's default, the glyph set the tests' and --quick's
DATA_ROOTS = {'partbody': 'data/mini_partbody', 'mini': 'data/mini'}
DEFAULT_SET = 'partbody'
#: the part-and-body scene recipe of the bench (``--scene-recipe``; the
#: Makefile's SCENE_RECIPE): faint-body, whose bodies neither share their
#: part's colour nor carry more than faint class stripes, the first recipe
#: measured that meets the three instrument targets (docs/benchmark.md; the
#: Makefile's default must agree, tests/test_tools/test_makefile_ablations.py
#: checks it); the data root of a recipe other than the published
#: shared-colour is DATA_ROOTS['partbody'] + '_' + its name
DEFAULT_SCENE_RECIPE = 'faint-body'
RUNNER = 'tools/wsss_pipeline.py'

# name -> (module, args on CUDA, args on CPU, smaller args after a timeout,
#          args of a --quick smoke bench, note when the CPU args differ)
SPEED = {
    'ficklenet_expansion':
    dict(
        module='benchmarks.speed.ficklenet_expansion',
        cuda=[],
        cpu=['--channels', '64', '--autograd-selections', '20'],
        fallback=['--quick'],
        quick=['--quick'],
        cpu_note=(
            'CPU: 64 instead of VOC\'s 512 feature channels (41x41 map, s = '
            '9, '
            'p = 0.9, C = 20 and N = 200 kept; the seed step on the full '
            'VGG-16 at 321 px). The two slow routes are timed on a few '
            'selections and scaled to N = 200 (linear in N): naive on 2, '
            'expanded autograd on 20 (about 1.2 s a selection on 2 CPU cores '
            'even at 64 channels; at 512 channels 200 of them take well over '
            '10 minutes).')),
    'single_stage_cost':
    dict(
        module='benchmarks.speed.single_stage_cost',
        cuda=[],
        cpu=[],
        fallback=['--quick'],
        quick=['--quick'],
        cpu_note=None),
    'dcp_statistics':
    dict(
        module='benchmarks.speed.dcp_statistics_cost',
        cuda=['--naive', '--device', 'cuda'],
        cpu=['--naive'],
        fallback=[
            '--naive', '--sizes', '50', '100', '200', '--naive-max', '100'
        ],
        quick=[
            '--naive', '--dim', '64', '--sizes', '20', '40', '--naive-max',
            '40'
        ],
        cpu_note=None),
    'seed_throughput':
    dict(
        module='benchmarks.speed.seed_throughput',
        cuda=[],
        cpu=[],
        fallback=['--quick'],
        quick=['--quick'],
        cpu_note=None,
        bench_data=True),
    'seed_sets':
    dict(
        module='benchmarks.speed.seed_sets_cost',
        cuda=[],
        cpu=[],
        fallback=['--num-images', '50'],
        quick=['--quick'],
        cpu_note=None,
        # runs the tools on the bench's scenes: given its config set, data
        # root and a work dir under BENCH/speed
        bench_data=True),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        '--methods',
        nargs='+',
        choices=METHODS,
        default=list(METHODS),
        help='methods to run (always in the order full, cam, ficklenet, '
        'dcp, single_stage, multi_seed)')
    p.add_argument(
        '--config-set',
        choices=sorted(DATA_ROOTS),
        default=DEFAULT_SET,
        help='which mini benchmark (default %(default)s; passed to every '
        'runner as --config-set)')
    p.add_argument(
        '--scene-recipe',
        choices=sorted(PART_BODY_RECIPES),
        default=DEFAULT_SCENE_RECIPE,
        help='part-and-body scene recipe (default %(default)s; '
        'passed to every runner; its data root: '
        'data/mini_partbody[_RECIPE])')
    p.add_argument(
        '--data-root',
        help='default: the config set\'s, ' +
        ', '.join(f'{k} {v}' for k, v in DATA_ROOTS.items()))
    p.add_argument('--work-root', default='work_dirs/bench')
    p.add_argument(
        '--force',
        action='store_true',
        help='rerun methods, reruns and speed benchmarks already done, from '
        'scratch: a method\'s work dir is DELETED first (every stage trains '
        'again); --refresh keeps what is still valid')
    p.add_argument(
        '--refresh',
        action='store_true',
        help='call the runner again for methods done with the same command '
        'line; it keeps every stage whose provenance is unchanged and reruns '
        'the rest (a changed config, a deleted stage folder)')
    p.add_argument(
        '--repeats',
        type=int,
        default=3,
        help='runs of the fastest method in all (1: no reruns)')
    p.add_argument(
        '--repeat-methods',
        nargs='+',
        choices=METHODS,
        help='methods rerun with other seeds (default: cam and the best '
        'weakly supervised method by val mIoU)')
    p.add_argument(
        '--dry-run',
        action='store_true',
        help='print what would run (and what is skipped), run nothing')
    g = p.add_argument_group(
        'runner options (passed to every tools/wsss_pipeline.py run)')
    g.add_argument(
        '--quick',
        action='store_true',
        help='smoke run: small data/schedules, '
        'small speed benchmarks')
    g.add_argument('--num-train', type=int)
    g.add_argument('--num-val', type=int)
    g.add_argument('--cls-iters', type=int)
    g.add_argument('--seg-iters', type=int)
    g.add_argument(
        '--runner-args',
        default='',
        help='more runner options, one shell-quoted string')
    g.add_argument(
        '--no-share-classifier',
        action='store_true',
        help='dcp and multi_seed train their VGG-16 classifier again instead '
        'of '
        'reusing the cam run\'s (identical weights, about 3.5 minutes each)')
    s = p.add_argument_group('speed benchmarks, pictures, report')
    s.add_argument('--skip-speed', action='store_true')
    s.add_argument(
        '--speed',
        nargs='+',
        choices=sorted(SPEED),
        default=sorted(SPEED),
        help='speed benchmarks to run')
    s.add_argument(
        '--speed-timeout',
        type=int,
        default=480,
        help='seconds a speed benchmark may take before it is retried small')
    s.add_argument(
        '--ficklenet-args',
        help='benchmarks.speed.ficklenet_expansion '
        'options (replace the defaults)')
    s.add_argument(
        '--single-stage-args',
        help='benchmarks.speed.single_stage_cost options')
    s.add_argument(
        '--dcp-args', help='benchmarks.speed.dcp_statistics_cost options')
    s.add_argument('--skip-pictures', action='store_true')
    s.add_argument(
        '--picture-ids', nargs='+', help='val ids of the picture grid')
    s.add_argument('--skip-report', action='store_true')
    s.add_argument(
        '--docs', default='docs', help='report folder (results.md, pictures/)')
    s.add_argument('--readme', default='README.md')
    s.add_argument(
        '--records',
        help='committed records of this benchmark (benchmarks/records.py; '
        'make bench: benchmarks/records/<work root name>): each finished '
        'run of the '
        'full schedule is saved there, a run recorded with the same command '
        'line is not run again, and the report shows the recorded runs '
        'this work root lacks')
    return p.parse_args(argv)


# --------------------------------------------------------------- helpers
def abspath(p):
    return p if osp.isabs(p) else osp.join(REPO, p)


def other_scene_recipe(args):
    """Whether the bench runs part-and-body scenes of a recipe other than
    the published one: its runners get ``--scene-recipe`` and its data root
    a suffix (the shared-colour runs keep their command line and root)."""
    return (args.config_set == 'partbody'
            and args.scene_recipe != 'shared-colour')


def full_schedule(args):
    """Whether the bench runs its own data size and schedules (not a
    --quick smoke run or a shortened one)."""
    return not (args.quick or args.num_train or args.num_val or args.cls_iters
                or args.seg_iters)


def keeps_records(args):
    """The records folder where this bench keeps its runs: its
    ``--records`` for the full schedule, else None (a smoke run's numbers
    are not the bench's)."""
    return args.records if args.records and full_schedule(args) else None


def runner_args(args):
    extra = ['--config-set', args.config_set]
    if other_scene_recipe(args):
        extra += ['--scene-recipe', args.scene_recipe]
    if args.quick:
        extra.append('--quick')
    for flag in ('num_train', 'num_val', 'cls_iters', 'seg_iters'):
        v = getattr(args, flag)
        if v is not None:
            extra += ['--' + flag.replace('_', '-'), str(v)]
    return extra + shlex.split(args.runner_args)


def ensure_bench_data(args, data_root):
    """Build the bench's mini data as its runners would (``--build-mini``),
    unless they exist."""
    ensure_mini_data(
        SimpleNamespace(
            data_root=abspath(data_root),
            config_set=args.config_set,
            scene_recipe=args.scene_recipe
            if other_scene_recipe(args) else None,
            num_train=args.num_train,
            num_val=args.num_val,
            quick=args.quick,
            plan=False), lambda cmd: subprocess.run(cmd, cwd=REPO, check=True))


def resolve_data_root(args, extra):
    """Size-changing options with the default data root: a root of their own
    (the runner rebuilds a data root whose train list has another size)."""
    default = DATA_ROOTS[args.config_set]
    if other_scene_recipe(args):
        default = f'{default}_{args.scene_recipe}'
    if args.data_root and osp.normpath(
            args.data_root) != osp.normpath(default):
        return args.data_root, None
    n = None
    if '--num-train' in extra:
        n = extra[extra.index('--num-train') + 1]
    if n is not None:
        root = f'{default}_n{n}'
    elif '--quick' in extra:
        root = f'{default}_quick'
    else:
        return default, None
    return root, (
        f'[run_bench] {" ".join(extra)} changes the data set size: using '
        f'{root} (not the shared {default})')


def method_argv(method, work_dir, data_root, extra):
    return [
        RUNNER, '--method', method, '--data-root', data_root, '--build-mini',
        '--work-dir', work_dir, *extra
    ]


def is_done(work_dir, argv):
    stamp = load_json(osp.join(abspath(work_dir), 'bench_cmd.json'))
    return (osp.isfile(osp.join(abspath(work_dir), 'result.json'))
            and isinstance(stamp, dict) and stamp.get('argv') == argv)


def as_recorded(argv):
    """``argv`` as a record compares it: less its ``--reuse STAGE=PATH ...``
    options (a reused classifier has the weights the run would train: same
    config, data and seed) and with ``--work-dir`` cut to the run's own
    folder name (the records folder names the bench work root, which may be
    renamed, as when its name took the scene recipe's)."""
    out, reusing = [], False
    for a in argv:
        if a == '--reuse':
            reusing = True
        elif reusing and not a.startswith('--'):
            continue
        else:
            reusing = False
            out.append(a)
    for i, a in enumerate(out[:-1]):
        if a == '--work-dir':
            out[i + 1] = osp.basename(osp.normpath(out[i + 1]))
    return out


def is_recorded(records, name, argv):
    """Whether ``records`` hold a finished run ``name`` of this command line
    (``--reuse`` aside) whose every stage has the provenance it would have
    now: the runner's ``--plan --recorded`` keeps them all (a changed config
    makes it run again)."""
    if not records:
        return False
    result = osp.join(abspath(records), 'bench', name, 'result.json')
    status = load_json(
        osp.join(abspath(records), 'bench', 'logs',
                 f'{name}.status.json')) or {}
    if (status.get('status') != 'ok' or not osp.isfile(result)
            or as_recorded(status.get('argv') or []) != as_recorded(argv)):
        return False
    plan = subprocess.run(
        [sys.executable, *argv, '--plan', '--recorded', result],
        cwd=REPO,
        capture_output=True,
        text=True)
    return plan.returncode == 0 and bool(
        re.search(r'^\[plan\] 0 of \d+ stages would run', plan.stdout, re.M))


def stream(cmd, log, echo_prefix=None, timeout=None):
    """Run ``cmd`` in the repo; all output to ``log``; lines starting with
    ``echo_prefix`` also to the console. Returns (returncode, stdout lines);
    returncode None on timeout."""
    os.makedirs(osp.dirname(log), exist_ok=True)
    lines = []
    t_end = None if timeout is None else time.time() + timeout
    with open(log, 'w') as f:
        f.write('$ ' + ' '.join(shlex.quote(c) for c in cmd) + '\n')
        f.flush()
        # own process group: a timeout or Ctrl-C ends the child and its workers
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
            env=dict(os.environ, PYTHONUNBUFFERED='1'))
        try:
            if timeout is None:
                for line in proc.stdout:
                    f.write(line)
                    lines.append(line.rstrip('\n'))
                    if echo_prefix and line.startswith(echo_prefix):
                        print(line.rstrip('\n'), flush=True)
                return proc.wait(), lines

            # with a timeout: read in a thread so the deadline is enforced
            def pump():
                for line in proc.stdout:
                    f.write(line)
                    lines.append(line.rstrip('\n'))

            th = threading.Thread(target=pump, daemon=True)
            th.start()
            try:
                rc = proc.wait(timeout=max(t_end - time.time(), 1))
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                th.join(5)
                f.write(f'\n[run_bench] killed after {timeout} s\n')
                return None, lines
            th.join()
            return rc, lines
        except BaseException:  # Ctrl-C: end our child, then stop
            _kill_group(proc)
            raise


def _kill_group(proc):
    """End the process group this script started for ``proc`` (its id):
    SIGTERM first (the runner passes it on to its stage and waits for it),
    SIGKILL after 60 s."""
    for sig, wait in ((signal.SIGTERM, 60), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def module_exists(module):
    """Whether ``python -m module`` (run in the repository) finds it."""
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package is missing
        return False


def last_json(lines):
    for line in reversed(lines):
        line = line.strip()
        if line.startswith('{') and line.endswith('}'):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


# --------------------------------------------------------------- steps
def run_method(name, argv, work_dir, args, steps):
    """One runner invocation (``name``: the work dir's name)."""
    logs = abspath(osp.join(args.work_root, 'logs'))
    log = osp.join(logs, name + '.log')
    if not (args.force or args.refresh) and is_done(work_dir, argv):
        print(
            f'[run_bench] {name}: done before with the same command line, '
            'kept '
            f'({work_dir}/result.json)',
            flush=True)
        steps.append(dict(step=name, status='kept'))
        return
    if not (args.force or args.refresh) and is_recorded(
            keeps_records(args), name, argv):
        print(
            f'[run_bench] {name}: recorded before with the same command '
            f'line, kept ({args.records}/bench/{name}/result.json)',
            flush=True)
        steps.append(dict(step=name, status='recorded'))
        return
    cmd = [sys.executable, *argv]
    if args.dry_run:
        print('$ ' + ' '.join(shlex.quote(c) for c in cmd))
        return
    wd = abspath(work_dir)
    root = abspath(args.work_root)
    if osp.commonpath([wd, root]) != root or wd == root:
        raise RuntimeError(f'refusing to run in {wd}: not inside {root}')
    if args.force:  # every stage again
        shutil.rmtree(wd, ignore_errors=True)
    for stale in ('result.json',
                  'bench_cmd.json'):  # a failed rerun reports nothing old
        if osp.isfile(osp.join(wd, stale)):
            os.remove(osp.join(wd, stale))
    print(f'[run_bench] {name}: running (log {log})', flush=True)
    t0 = time.time()
    rc, _ = stream(cmd, log, echo_prefix=('[wsss_pipeline]', '{"method"'))
    wall = round(time.time() - t0, 1)
    ok = rc == 0 and osp.isfile(osp.join(wd, 'result.json'))
    status = dict(
        method=argv[argv.index('--method') + 1],
        name=name,
        argv=argv,
        status='ok' if ok else 'failed',
        returncode=rc,
        log=log,
        wall_s=wall,
        finished=datetime.datetime.now().isoformat(timespec='seconds'))
    atomic_write_json(osp.join(logs, name + '.status.json'), status)
    if ok:
        atomic_write_json(osp.join(wd, 'bench_cmd.json'), dict(argv=argv))
        if keeps_records(args):
            records.save(abspath(args.records), bench_root=root)
    print(
        f'[run_bench] {name}: '
        f'{"ok" if ok else f"FAILED (rc {rc}), see {log}"} '
        f'after {wall / 60:.1f} min',
        flush=True)
    steps.append(
        dict(step=name, status=status['status'], wall_s=wall, log=log))


def shared_classifier(method, args, extra, cam_run='cam'):
    """(runner options, seconds) to reuse the classifier of the cam run
    ``cam_run`` (``cam``, or ``cam_rep<k>`` for the reruns with the same
    seed) for ``method``, or ([], None): only on the mini recipes
    (``--config-set``; a config set given in ``--runner-args`` turns sharing
    off), after that cam run."""
    if (method not in SHARES_CAM_CLASSIFIER or args.no_share_classifier
            or '--config-set' in shlex.split(args.runner_args)):
        return [], None
    res = load_json(osp.join(abspath(args.work_root), cam_run,
                             'result.json')) or {}
    if res.get('config_set',
               'mini') != args.config_set:  # another benchmark's classifier
        return [], None
    cam = res.get('stages', {}).get('classifier') or {}
    if res.get('time_total_s') is None or not cam.get(
            'seconds') or not osp.isfile(cam.get('output') or ''):
        return [], None
    return (['--reuse', f'{SHARES_CAM_CLASSIFIER[method]}={cam["output"]}'],
            cam['seconds'])


def record_shared_time(work_dir, seconds, cam_run='cam'):
    """Put the reused classifier's training time into the run's result.json."""
    path = osp.join(abspath(work_dir), 'result.json')
    res = load_json(path)
    if res and (res.get('time_stage1_shared_s'),
                res.get('classifier_shared_with')) != (seconds, cam_run):
        res.update(
            time_stage1_shared_s=seconds, classifier_shared_with=cam_run)
        atomic_write_json(path, res)


#: the fully supervised references: never "the best method"
REFERENCES = ('full', 'full_ngwp')
#: recipes composed of several papers' parts (configs/combined): not a
#: single-paper row, always rerun (its line compares it with the best one)
COMPOSED = ('combined', )


def bench_result(args, name):
    """The result of run ``name``: this work root's, else the records'."""
    res = load_json(osp.join(abspath(args.work_root), name, 'result.json'))
    if res is None and keeps_records(args):
        res = load_json(
            osp.join(abspath(args.records), 'bench', name, 'result.json'))
    return res


def bench_runs(args):
    """:func:`collect_runs` of the work root with the records under it."""
    if not keeps_records(args):
        return collect_runs(abspath(args.work_root))
    folder, view, _, _ = records.view(
        abspath(args.records), abspath(args.work_root))
    try:
        return collect_runs(view)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def repeat_methods(args):
    """The methods of the seed spread: ``--repeat-methods``, else cam, the
    single-paper method with the best val mIoU so far (when it is not cam)
    and the composed recipe (when it ran)."""
    if args.repeat_methods:
        return list(args.repeat_methods)
    best = None
    composed = []
    for m in METHODS:
        if m in REFERENCES:
            continue
        val = (bench_result(args, m) or {}).get('val_miou')
        if m in COMPOSED:
            composed += [m] if val is not None else []
        elif val is not None and (best is None or val > best[1]):
            best = (m, val)
    return ['cam'
            ] + ([best[0]] if best and best[0] != 'cam' else []) + composed


def speed_args(name, args, cuda):
    spec = SPEED[name]
    given = dict(
        ficklenet_expansion=args.ficklenet_args,
        single_stage_cost=args.single_stage_args,
        dcp_statistics=args.dcp_args).get(name)
    if given is not None:
        return shlex.split(given), None
    if args.quick:
        return list(spec['quick']), 'smoke run (--quick): small sizes.'
    if cuda:
        return list(spec['cuda']), None
    return list(spec['cpu']), spec['cpu_note']


def bench_data_args(name, args, data_root):
    """The bench's scenes for a speed benchmark that runs the tools on
    them (``bench_data``), else nothing."""
    if not SPEED[name].get('bench_data'):
        return []
    return [
        '--config-set', args.config_set, '--data-root', data_root,
        '--work-dir',
        abspath(osp.join(args.work_root, 'speed', name))
    ]


def run_speed(name, args, cuda, steps, data_root=None):
    spec = SPEED[name]
    root = abspath(osp.join(args.work_root, 'speed'))
    out = osp.join(root, name + '.json')
    log = osp.join(root, name + '.log')
    module = spec['module']
    head = [sys.executable, '-m', module]
    argv, note = speed_args(name, args, cuda)
    data = bench_data_args(name, args, data_root)
    argv = argv + data
    prev = load_json(out)
    if prev is None and keeps_records(args):  # run on another machine
        prev = load_json(
            osp.join(abspath(args.records), 'bench', 'speed', name + '.json'))
    if (not args.force and isinstance(prev, dict)
            and prev.get('status') == 'ok'
            and prev.get('requested_argv') == argv):
        print(
            f'[run_bench] speed {name}: done before with the same options, '
            'kept',
            flush=True)
        steps.append(dict(step='speed_' + name, status='kept'))
        return
    if not module_exists(module):
        entry = dict(
            name=name,
            module=module,
            argv=argv,
            requested_argv=argv,
            status='missing',
            note=f'no module {module}')
        if not args.dry_run:
            atomic_write_json(out, entry)
        print(
            f'[run_bench] speed {name}: {module} missing, skipped', flush=True)
        steps.append(dict(step='speed_' + name, status='missing'))
        return
    if args.dry_run:
        print('$ ' + ' '.join(shlex.quote(c) for c in [*head, *argv]) +
              f'   # timeout {args.speed_timeout} s, then '
              f'{" ".join(spec["fallback"] + data)}')
        return
    print(f'[run_bench] speed {name}: {module} {" ".join(argv)}', flush=True)
    fallback = spec['fallback'] + data
    attempts = [argv] + ([fallback] if fallback != argv else [])
    entry, notes = None, [note] if note else []
    t_all = time.time()
    for i, a in enumerate(attempts):
        run_log = log if not i else log[:-len('.log')] + '_fallback.log'
        t0 = time.time()
        rc, lines = stream([*head, *a], run_log, timeout=args.speed_timeout)
        wall = round(time.time() - t0, 1)
        res = last_json(lines) if rc == 0 else None
        if isinstance(res, dict):
            table = '\n'.join(line for line in lines[:-1] if line.strip())
            entry = dict(
                name=name,
                module=module,
                argv=a,
                requested_argv=argv,
                status='ok',
                result=res,
                table=table[-6000:],
                wall_s=wall,
                log=run_log)
            if i:
                notes.append(
                    f'Measured with the small options `{" ".join(a)}`.')
            break
        why = (f'timed out after {args.speed_timeout} s' if rc is None else
               f'failed (rc {rc})' if rc else 'printed no JSON line')
        notes.append(f'`{" ".join(a) or "(defaults)"}` {why} (log '
                     f'{os.path.relpath(run_log, REPO)}).')
        if rc is not None:
            break  # an error, not slowness: smaller options will not help
    if entry is None:
        entry = dict(
            name=name,
            module=module,
            argv=argv,
            requested_argv=argv,
            status='failed',
            log=log,
            wall_s=round(time.time() - t_all, 1))
    entry['note'] = ' '.join(notes) or None
    atomic_write_json(out, entry)
    print(
        f'[run_bench] speed {name}: {entry["status"]} '
        f'({entry.get("wall_s") or 0:.0f} s)',
        flush=True)
    steps.append(
        dict(
            step='speed_' + name,
            status=entry['status'],
            wall_s=entry.get('wall_s')))


def run_tool(step, cmd, log, args, steps, echo=True):
    """make_pictures / make_report: a failure is reported, never raised."""
    if args.dry_run:
        print('$ ' + ' '.join(shlex.quote(c) for c in cmd))
        return
    t0 = time.time()
    rc, lines = stream(cmd, log)
    if echo:
        for line in lines:
            if line.startswith(('[make_report]', '[make_pictures]')):
                print(line, flush=True)
    status = 'ok' if rc == 0 else 'failed'
    if rc != 0:
        print(f'[run_bench] {step} failed (rc {rc}), see {log}', flush=True)
    steps.append(
        dict(
            step=step,
            status=status,
            wall_s=round(time.time() - t0, 1),
            log=log))


def machine():
    info = dict(cpu_count=os.cpu_count())
    try:
        info['loadavg'] = list(os.getloadavg())
    except OSError:
        pass
    try:
        import torch
        info.update(
            torch_threads=torch.get_num_threads(),
            torch_version=torch.__version__,
            cuda=torch.cuda.is_available())
    except Exception:  # report without it
        info['cuda'] = False
    return info


def main(argv=None):
    args = parse_args(argv)
    extra = runner_args(args)
    data_root, note = resolve_data_root(args, extra)
    if note:
        print(note, flush=True)
    root = args.work_root
    t_start = time.time()
    started = datetime.datetime.now().isoformat(timespec='seconds')
    info = machine()
    summary_path = abspath(osp.join(root, 'bench_summary.json'))
    steps = []
    summary = dict(
        started=started,
        runner_args=extra,
        data_root=data_root,
        methods=[m for m in METHODS if m in args.methods],
        steps=steps,
        **info)
    if args.dry_run:
        print(f'[run_bench] dry run: data root {data_root}, work root {root}, '
              'runner options '
              f'{" ".join(extra) or "(defaults)"}; cpu_count '
              f'{info["cpu_count"]}, '
              f'torch threads {info.get("torch_threads")}')

    if keeps_records(args) and not args.dry_run:
        # a recorded run's provenance includes the scenes: build them first
        ensure_bench_data(args, data_root)

    def run_row(name, method, cam_run, more=()):
        """One run of ``method`` into ``BENCH/<name>``, with the classifier
        of the cam run ``cam_run`` where the method shares it."""
        share, seconds = shared_classifier(method, args, extra, cam_run)
        run_method(
            name,
            method_argv(method, osp.join(root, name), data_root, extra + share)
            + list(more), osp.join(root, name), args, steps)
        if share and not args.dry_run:
            record_shared_time(osp.join(root, name), seconds, cam_run)

    # 1. methods
    for m in METHODS:
        if m in args.methods:
            run_row(m, m, 'cam')

    def seed_reruns(methods):
        """K - 1 more runs of each method, with randomness.seed 1, 2, ...; a
        method that shares the cam classifier takes that of the cam rerun
        with the same seed (``cam_rep<k>``) when it ran"""
        for rep in methods:
            for k in range(2, args.repeats + 1):
                run_row(f'{rep}_rep{k}', rep, f'cam_rep{k}',
                        ['--cfg-options', f'randomness.seed={k - 1}'])

    # 2. reruns of the fastest method
    if args.repeats > 1:
        reps = repeat_methods(args)
        summary['repeat_methods'] = reps
        which = ('chosen' if args.repeat_methods else
                 'cam, the best method and the composed recipe')
        print(
            f'[run_bench] reruns with seeds 1..{args.repeats - 1}: '
            f'{", ".join(reps)} ({which})',
            flush=True)
        seed_reruns(reps)

        # the rows whose claims are close calls (within twice the noise just
        # measured) get the same reruns
        if not args.repeat_methods and not args.dry_run:
            more = [
                m for m in close_calls(check_all(bench_runs(args)))
                if m not in reps and m in METHODS
            ]
            summary['close_call_methods'] = more
            if more:
                print(
                    '[run_bench] close calls (within twice the noise): '
                    f'reruns of {", ".join(more)}',
                    flush=True)
            seed_reruns(more)

    # 3. speed benchmarks
    if not args.skip_speed:
        for name in sorted(args.speed, key=list(SPEED).index):
            try:
                run_speed(name, args, info.get('cuda', False), steps,
                          data_root)
            except Exception as e:  # never let one benchmark end the bench
                print(
                    f'[run_bench] speed {name}: error {e!r}, skipped',
                    flush=True)
                if not args.dry_run:
                    atomic_write_json(
                        abspath(osp.join(root, 'speed', name + '.json')),
                        dict(
                            name=name,
                            module=SPEED[name]['module'],
                            status='error',
                            note=repr(e)))

    # 4. pictures, then the report (which links the picture)
    picture = osp.join(args.docs, 'pictures', f'{args.config_set}_grid.png')
    # a row shown from the records has no checkpoints or seeds here: the
    # picture grid would draw it grey, so the committed grid is kept
    recorded = [s['step'] for s in steps if s.get('status') == 'recorded']
    if recorded and not args.skip_pictures:
        print(
            '[run_bench] pictures: kept (recorded rows have no checkpoints '
            f'here: {", ".join(recorded)})',
            flush=True)
    if keeps_records(args) and not args.dry_run:
        records.save(abspath(args.records), bench_root=abspath(root))
    if not args.skip_pictures and not recorded:
        cmd = [
            sys.executable, '-m', 'benchmarks.make_pictures', '--bench-root',
            root, '--data-root', data_root, '--out', picture
        ]
        if args.picture_ids:
            cmd += ['--ids', *args.picture_ids]
        run_tool('pictures', cmd,
                 abspath(osp.join(root, 'logs', 'pictures.log')), args, steps)
    summary.update(
        finished=datetime.datetime.now().isoformat(timespec='seconds'),
        wall_s=round(time.time() - t_start, 1))
    if not args.dry_run:
        atomic_write_json(summary_path, summary)
    if not args.skip_report:
        cmd = [
            sys.executable, '-m', 'benchmarks.make_report', '--bench-root',
            root, '--data-root', data_root, '--out',
            osp.join(args.docs, 'results.md'), '--readme', args.readme,
            '--picture', picture
        ]
        if full_schedule(args):  # the real bench: its numbers in the index
            cmd.append('--metafiles')
        if keeps_records(args):
            # the recorded ablations too (make ablations' tables and claims)
            abl = default_ablation_root(root)
            cmd += ['--records', args.records, '--ablations'] + [
                osp.join(abl, e.name)
                for e in ABLATION_PLANS.get(args.config_set, ()) if e.report
            ]
        run_tool('report', cmd, abspath(osp.join(root, 'logs', 'report.log')),
                 args, steps)
    wall = time.time() - t_start
    if not args.dry_run:
        print(
            f'[run_bench] done in {wall / 60:.1f} min: ' +
            ', '.join(f'{s["step"]} {s["status"]}' for s in steps),
            flush=True)
        if wall > 90 * 60:
            print('[run_bench] WARNING: over the 90-minute budget', flush=True)
    return summary


if __name__ == '__main__':
    main()
