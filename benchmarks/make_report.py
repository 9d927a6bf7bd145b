"""Write ``docs/results.md`` (and the README results block) from a bench run.

    python -m benchmarks.make_report [--bench-root work_dirs/bench] \\
        [--data-root data/mini] [--out docs/results.md] [--readme README.md]

Reads what ``benchmarks/run_bench.py`` left in ``--bench-root``:

- ``<method>/result.json`` (the runner's result, one per method) and
  ``<method>_rep<k>/result.json`` (reruns of one method: the spread line);
- ``logs/<method>.status.json`` (the driver's record of a run: a method
  without result.json but with a status is reported as failed, with the path
  of its log);
- ``speed/*.json`` (the speed benchmarks: status, options, last JSON line,
  printed table);
- ``bench_summary.json`` (driver: runner options, wall time, machine);
- ``--ablations`` dirs: ``ablation.md`` tables of
  ``benchmarks/train_ablation.py`` and ``seed_ablation.py`` (the paper
  ablations at small scale, :mod:`benchmarks.ablations`).

Writes the Markdown report atomically (``wsss_mm.utils.io``) and replaces
the part of the README between ``<!-- results:begin -->`` and
``<!-- results:end -->`` with a short results section (tables, picture,
link to the report). Without those markers the README is left alone (a
warning is printed). Runs nothing.
"""
import argparse
import datetime
import glob
import os
import os.path as osp
import platform
import re
import shutil
import sys

from benchmarks import records
from benchmarks.claims import check_all, claims_summary, claims_table
from benchmarks.composed import combined_line, composed_section
from benchmarks.metafile_results import measured_entries, update_metafiles
from benchmarks.open_questions import (default_ablation_root,
                                       open_questions_section)
from benchmarks.protocol import protocol_rows, protocol_table
from wsss_mm.utils.io import atomic_write_text, load_json

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

BEGIN, END = '<!-- results:begin -->', '<!-- results:end -->'

# Row order of the main table.
METHODS = ('cam', 'ficklenet', 'single_stage', 'multi_seed', 'dcp', 'combined',
           'full', 'full_ngwp')
NAMES = {
    'cam': 'CAM baseline',
    'ficklenet': 'FickleNet',
    'single_stage': 'Single-stage',
    'multi_seed': 'Multi-estimations (WST)',
    'dcp': 'DCP (saliency-free)',
    'combined': 'Composed recipe (combined)',
    'full': 'fully supervised (GT masks)',
    'full_ngwp': 'fully supervised, single-stage network',
}
# (part-and-body: single-stage's own training with the GT masks as its labels)
# the fully supervised run a method's '% of full' divides by: the one of its
# own segmentation network (default: 'full', the two-stage methods' network)
REFERENCE = {'single_stage': 'full_ngwp', 'full_ngwp': 'full_ngwp'}
# VOC 2012 val mIoU of the papers (for reference; other data, backbones and
# schedules than the mini benchmark).
PAPER = {
    'cam': '–',
    'ficklenet': '61.2 (DSRG)',
    'single_stage': '59.7 / 62.7 CRF',
    'multi_seed': '64.6 (VGG16-LargeFOV)',
    'dcp': '64.5 (after retrain)',
    'combined': '–',
    'full': '–',
    'full_ngwp': '–',
}
# what the report says of each benchmark
SET_TEXT = {
    'mini': 'Mini benchmark (glyph scenes)',
    'partbody': 'Part-and-body benchmark (256-px scenes, docs/scale.md)'
}
NETWORK_TEXT = {
    'mini':
    'the same slim VGG-16 / DeepLab-LargeFOV schedule where the method allows '
    'it; ',
    'partbody':
    ('the two-stage methods share one segmentation network (DeepLab v3 ASPP '
     'on '
     'the slim VGG-16, 2,000 iterations at batch 8), single-stage trains its '
     'own '
     'nGWP network for as many iterations; '),
}
# result.json keys that are not training time
_NOT_TRAIN = ('time_seeds_s', 'time_total_s')
_DIR_RE = re.compile(r'^([A-Za-z0-9_]+?)(?:_rep(\d+))?$')


# --------------------------------------------------------------- small helpers
def fmt(v, digits=1, suffix=''):
    if v is None or (isinstance(v, float) and v != v):
        return '–'
    return f'{v:.{digits}f}{suffix}'


def fmt_minutes(seconds):
    return '–' if not seconds else f'{seconds / 60:.1f} min'


def fmt_ratio(v):
    return '–' if v is None else f'{v:.1f}×' if v >= 1 else f'{v:.2f}×'


def rel(path, start=REPO):
    """A path relative to the repository when it lies inside it."""
    if not path:
        return path
    p = osp.abspath(path)
    r = osp.relpath(p, start)
    return p if r.startswith('..') else r


def count_lines(path):
    try:
        with open(path) as f:
            return len(f.read().split())
    except OSError:
        return None


# --------------------------------------------------------------- collecting
def collect_runs(bench_root):
    """{method: [(dir name, result), ...]} for ``<m>`` and ``<m>_rep<k>``
    (main run first, then the reruns by k)."""
    runs = {}
    for path in glob.glob(osp.join(bench_root, '*', 'result.json')):
        name = osp.basename(osp.dirname(path))
        m = _DIR_RE.match(name)
        res = load_json(path)
        if not m or not isinstance(res, dict):
            continue
        method = res.get('method') or m.group(1)
        if method != m.group(
                1):  # a dir named after another method: trust the dir
            method = m.group(1)
        runs.setdefault(method, []).append((int(m.group(2) or 1), name, res))
    return {k: [(n, r) for _, n, r in sorted(v)] for k, v in runs.items()}


def run_status(bench_root, name):
    return load_json(osp.join(bench_root, 'logs', f'{name}.status.json'))


def failure_text(bench_root, name):
    """'failed (see LOG)' for a method without result.json, else None."""
    status = run_status(bench_root, name)
    if status is not None:
        if status.get('status') == 'ok':
            return None
        log = status.get('log') or osp.join(bench_root, 'logs', name + '.log')
        return f'failed (see {rel(log)})'
    wd = osp.join(bench_root, name)
    if osp.isdir(wd):
        return f'failed (see {rel(osp.join(wd, "pipeline.log"))})'
    return None


def train_time(res):
    keys = [
        k for k in res if re.fullmatch(r'time_.+_s', k) and k not in _NOT_TRAIN
    ]
    vals = [res[k] for k in keys if isinstance(res[k], (int, float))]
    return sum(vals) if vals else None


def total_time(res):
    """Wall time of the run, plus the training time of a classifier it reused
    from the cam run (``time_stage1_shared_s``, see run_bench.py)."""
    t = res.get('time_total_s')
    if t is None:
        return None
    # a resumed run's wall time counts only what it ran; its kept stages
    # carry their own seconds
    stages = sum(
        r.get('seconds') or 0 for r in (res.get('stages') or {}).values()
        if isinstance(r, dict))
    return max(t, stages) + (res.get('time_stage1_shared_s') or 0)


def num_train_images(res, data_root):
    if res.get('num_train'):
        return res['num_train']
    for root in (res.get('data_root'), data_root):
        if root:
            n = count_lines(
                osp.join(root, 'ImageSets', 'Segmentation', 'train.txt'))
            if n:
                return n
    return None


def seed_sets(res):
    per_set = res.get('seed_miou_per_set')
    return len(per_set) if isinstance(per_set, dict) and per_set else 1


def seed_throughput(res, data_root):
    t = res.get('time_seeds_s')
    n = num_train_images(res, data_root)
    if not t or not n or res.get('seed_miou') is None and not res.get(
            'seed_miou_per_set'):
        return None
    return n * seed_sets(res) / t


def val_cell(res):
    txt = fmt(res.get('val_miou'))
    extra = []
    if res.get('val_crf_miou') is not None:
        extra.append(f'CRF {fmt(res["val_crf_miou"])}')
    if res.get('val_before_retrain_miou') is not None:
        extra.append(f'before retrain {fmt(res["val_before_retrain_miou"])}')
    return txt + (f' ({", ".join(extra)})' if extra else '')


def pr_cell(res):
    p, r = res.get('seed_precision'), res.get('seed_recall')
    if p is None and r is None:
        return '–'
    return f'{fmt(p)} / {fmt(r)}'


def runs_config_set(runs):
    """The config set the runs were made on (``mini`` when none says)."""
    return next((r[0][1].get('config_set')
                 for r in runs.values() if r[0][1].get('config_set')), 'mini')


def percent_of(val, runs, reference):
    """``val`` as % of the val mIoU of the run ``reference`` (None when
    either is missing)."""
    ref = runs.get(reference, [(None, {})])[0][1].get('val_miou')
    return 100.0 * val / ref if (val is not None and ref) else None


def main_rows(runs, bench_root, data_root, methods=METHODS):
    """One dict a method: its cells (strings) and raw values."""
    rows = []
    names = list(methods) + sorted(m for m in runs if m not in methods)
    for method in names:
        row = dict(
            method=method,
            name=NAMES.get(method, method),
            paper=PAPER.get(method, '–'))
        if method not in runs:
            failed = failure_text(bench_root, method)
            row['status'] = failed or 'not run'
            rows.append(row)
            continue
        res = runs[method][0][1]
        if res.get(
                'time_total_s') is None:  # the runner writes it when it ends
            row['status'] = 'unfinished (interrupted; the bench resumes it)'
            rows.append(row)
            continue
        val = res.get('val_miou')
        # one common reference for every row (the shared network on the GT
        # masks), and the row's own network's where it has another
        pct = percent_of(val, runs, 'full')
        ref = REFERENCE.get(method, 'full')
        own = percent_of(val, runs, ref) if ref != 'full' else None
        thr = seed_throughput(res, data_root)
        row.update(
            status='ok',
            result=res,
            val=val,
            pct=pct,
            cells=[
                fmt(res.get('seed_miou')),
                pr_cell(res),
                val_cell(res),
                fmt(pct, 0, ' %'),
                fmt(own, 0, ' %'),
                fmt_minutes(train_time(res)),
                fmt(thr, 1) if thr else '–',
                fmt_minutes(total_time(res))
            ])
        rows.append(row)
    return rows


#: ablation dirs whose variants get a column of the per-class table (the
#: FickleNet + DSRG investigation: the same seeds under other losses)
PER_CLASS_ABLATIONS = ('dsrg_vs_ce', 'dsrg_step', 'dsrg_parts')


def ablation_cols(ablation_dirs):
    """(variant, {class: IoU}) of the per-class ablation tables
    (PER_CLASS_ABLATIONS)."""
    for d in ablation_dirs:
        if osp.basename(osp.normpath(d)) in PER_CLASS_ABLATIONS:
            for row in load_json(osp.join(d, 'ablation.json')) or []:
                if isinstance(row.get('val_iou_per_class'), dict):
                    yield row['variant'], row['val_iou_per_class']


def per_class_section(runs, ablation_dirs=(), methods=METHODS):
    """A table of val IoU per class (rows): a column for the main run of
    each method whose val test recorded ``IoU_per_class`` (``tools/test.py``)
    and for each variant of the :data:`PER_CLASS_ABLATIONS` dirs that did
    (``val_iou_per_class`` of ``ablation.json``); [] when none did."""
    cols = []
    for m in list(methods) + sorted(m for m in runs if m not in methods):
        if m in runs:
            val = (runs[m][0][1].get('stages', {}).get('val')
                   or {}).get('metrics') or {}
            if isinstance(val.get('IoU_per_class'), dict):
                cols.append((NAMES.get(m, m), val['IoU_per_class']))
    abl = list(ablation_cols(ablation_dirs))
    cols += abl
    if not cols:
        return []
    classes = list(cols[0][1])
    lines = [
        '## Per-class val IoU', '',
        'The main run of each method (seed 0), from its val test\'s per-class '
        'table' +
        (', and the ablation runs on FickleNet\'s seeds' if abl else '') +
        '; a class that one run leaves near 0 while the others learn it is '
        'where its '
        'seeds or its loss fail.', '',
        '| class | ' + ' | '.join(name for name, _ in cols) + ' |',
        '|---|' + '---|' * len(cols)
    ]
    for c in classes:
        lines.append(f'| {c} | ' + ' | '.join(fmt(v.get(c))
                                              for _, v in cols) + ' |')
    return lines + ['']


HEADER = ('| method | seed mIoU (train) | seed P / R | val mIoU | % of full | '
          '% of own full | train time | seeds img/s | total time | '
          'paper, VOC val |')
RULE = '|---|---|---|---|---|---|---|---|---|---|'

#: targets of the part-and-body instrument (docs/benchmark.md): full
#: supervision high enough to judge by, a CAM baseline well below it, and a
#: dense CRF that adds to a CAM about what it adds on VOC
INSTRUMENT_TARGETS = dict(
    full=('>=', 55.0), cam_pct=('<=', 70.0), crf_gain=('<=', 8.0))


def instrument_values(runs):
    """{full, cam_pct, crf_gain} of the main ``full`` and ``cam`` runs:
    full's val mIoU, the CAM baseline's val mIoU in % of it, and the CAM
    classifier's CRF seeds' seed mIoU minus its threshold seeds' (the cam
    recipe's ``seeds_crf`` stage); None where a run or stage is missing."""
    full = (runs.get('full') or [(None, {})])[0][1].get('val_miou')
    cam = (runs.get('cam') or [(None, {})])[0][1]
    cam_val, seeds = cam.get('val_miou'), cam.get('seed_miou')
    crf = cam.get('seed_crf_miou')
    return dict(
        full=full,
        cam_pct=(100 * cam_val /
                 full if full and cam_val is not None else None),
        crf_gain=(crf -
                  seeds if crf is not None and seeds is not None else None))


def instrument_line(runs):
    """``instrument: full=.. cam_pct=.. crf_gain=..`` and, beside it, which
    targets of :data:`INSTRUMENT_TARGETS` the values meet."""
    values = instrument_values(runs)
    shown = {k: 'n/a' if v is None else f'{v:.1f}' for k, v in values.items()}
    line = 'instrument: ' + ' '.join(f'{k}={s}' for k, s in shown.items())
    checks = []
    for key, (op, target) in INSTRUMENT_TARGETS.items():
        v = values[key]
        met = None if v is None else (
            v >= target if op == '>=' else v <= target)
        word = 'not measured' if met is None else 'met' if met else 'missed'
        checks.append(f'{key} {op} {target:g}: {word}')
    return line, 'Targets: ' + '; '.join(checks) + ' (docs/benchmark.md).'


def main_table(rows):
    lines = [HEADER, RULE]
    for r in rows:
        if r['status'] == 'ok':
            cells = r['cells']
        else:
            cells = [r['status']] + [''] * 7
        lines.append(f"| {r['name']} | " + ' | '.join(cells) +
                     f" | {r['paper']} |")
    return '\n'.join(lines)


def spread_line(runs, bench_root):
    """Reruns of one method: val mIoU of each, mean and max - min."""
    reps = {
        m: v
        for m, v in runs.items() if any(
            re.search(r'_rep\d+$', n) for n, _ in v)
    }
    failed = []
    for path in sorted(
            glob.glob(osp.join(bench_root, 'logs', '*_rep*.status.json'))):
        st = load_json(path) or {}
        name = osp.basename(path)[:-len('.status.json')]
        if st.get('status') != 'ok' and not osp.isfile(
                osp.join(bench_root, name, 'result.json')):
            log = st.get('log') or osp.join(bench_root, 'logs', name + '.log')
            failed.append(f'{name} failed (see {rel(log)})')
    tail = (' Reruns: ' + '; '.join(failed) + '.') if failed else ''
    if not reps:
        return (
            'Seed spread: no reruns in this bench (`run_bench.py --repeats '
            '3`).' + tail)
    out = []
    for method, items in sorted(reps.items()):
        # the finished runs (a rerun under way has no val mIoU yet)
        started = len(items)
        items = [(n, r) for n, r in items if r.get('val_miou') is not None]
        vals = [r['val_miou'] for _, r in items]
        if not vals:
            continue
        if len(vals) < 2:
            out.append(f'Seed spread: {NAMES.get(method, method)} '
                       f'(`{method}`): {started - 1} of its reruns under '
                       'way, none finished: no spread yet.')
            continue
        mean = sum(vals) / len(vals)
        spread = max(vals) - min(vals)
        times = [
            r.get('time_total_s') for _, r in items if r.get('time_total_s')
        ]
        tspread = (
            f'; total time {min(times) / 60:.1f}–{max(times) / 60:.1f} min'
            if len(times) > 1 else '')
        seeds = [(r.get('cfg_options') or {}).get('randomness.seed', 0)
                 for _, r in items]
        out.append(f'Seed spread: {NAMES.get(method, method)} (`{method}`), '
                   f'{len(vals)} runs (`randomness.seed` ' +
                   ' / '.join(map(str, seeds)) + '): val mIoU ' +
                   ' / '.join(f'{v:.2f}' for v in vals) +
                   f' → **{mean:.2f} ± {spread:.2f}** (mean ± spread, max − '
                   f'min){tspread}.')
    return ('\n\n'.join(out)
            if out else 'Seed spread: reruns have no val mIoU.') + tail


def notes(runs, rows):
    out = []
    ms = runs.get('multi_seed')
    if ms:
        per = ms[0][1].get('seed_miou_per_set') or {}
        vals = {k: v for k, v in per.items() if v is not None}
        if vals:
            out.append(
                f'Multi-estimations: seed mIoU is the mean of {len(per)} seed '
                'sets '
                f'(min {min(vals.values()):.1f}, max '
                f'{max(vals.values()):.1f}); '
                'throughput counts every set.')
    shared = [
        NAMES.get(r['method'], r['method']) for r in rows
        if r['status'] == 'ok'
        and r['result'].get('time_stage1_shared_s') is not None
    ]
    if shared:
        one = len(shared) == 1
        out.append(
            f'{" and ".join(shared)} {"reuses" if one else "reuse"} the CAM '
            'baseline\'s stage-1 VGG-16 classifier (same config, data and '
            'seed: '
            'identical weights); its training time is counted in '
            f'{"its" if one else "their"} train and total times.')
    if any(
            r.get('result', {}).get('quick') for r in rows
            if r['status'] == 'ok'):
        out.append(
            '**Smoke run** (`--quick`): small data and schedules, numbers are '
            'not the benchmark\'s.')
    return out


# --------------------------------------------------------------- speed section
def _speed_header(name, entry):
    title = {
        'ficklenet_expansion':
        'FickleNet: feature-map expansion vs naive, N = 200 cost',
        'single_stage_cost':
        'Single-stage: cost of a training step, PAMR share',
        'dcp_statistics': 'DCP: statistics pass (eq. 2)',
        'seed_sets':
        'Multi-estimations: the seed sets, one run per set vs per classifier',
        'seed_throughput': 'Seed generators against a backbone forward pass'
    }.get(name, name)
    lines = [f'### {title}', '']
    # benchmarks.run_bench records the module (older benches: the script)
    how = (f'-m {entry["module"]}'
           if entry.get('module') else rel(entry['script'])
           if entry.get('script') else f'-m benchmarks.speed.{name}')
    argv = ' '.join(entry.get('argv') or [])
    lines.append(f'`python {how} {argv}'.rstrip() + '` — ' +
                 (f'{entry.get("wall_s", 0):.0f} s' if entry.
                  get('wall_s') else 'time not recorded'))
    if entry.get('note'):
        lines += ['', entry['note']]
    return lines


def ficklenet_ratios(r):
    rows = [
        ('training step: naive per-window loop / expansion',
         r.get('ratio_train_naive_over_expanded'), '15.4×'),
        (f'{r.get("selections", "N")} Grad-CAMs: naive / expanded autograd',
         r.get('ratio_cam_naive_over_autograd'), '14.2×'),
        (f'{r.get("selections", "N")} Grad-CAMs: expanded autograd / '
         'factorised', r.get('ratio_cam_autograd_over_factorised'), '–'),
        (f'N = {r.get("selections", "N")} factorised selections / one plain '
         'CAM', r.get('ratio_n_selections_over_one_cam'), '–'),
    ]
    # the seed step on the full-width VGG-16 (issue #31: <= 1.1x)
    for route, what in (('factorised', 'factorised'), ('sparse',
                                                       'sparse, all classes'),
                        ('sparse_present', 'sparse, the image\'s '
                         f'{r.get("present_classes", "?")} classes')):
        key = f'ratio_n_{route}_over_one_cam'
        if key in r:
            rows.append((f'seed step: backbone + N selections ({what}) / '
                         'backbone + one CAM (target ≤ 1.1)', r[key], '–'))
    extra = (f'x {r.get("x_shape", "?")}, s = {r.get("kernel", "?")}, device '
             f'{r.get("device", "?")}; max |grad naive − expanded| = '
             f'{r.get("train_max_abs_grad_diff", float("nan")):.1e}')
    return rows, extra


def single_stage_ratios(r):
    share = r.get('pamr_share_cpu')
    wall = r.get('pamr_share_wall')
    rows = [
        ('PAMR share of a single-stage training step (CPU time)',
         None if share is None else f'{100 * share:.1f} %' +
         ('' if wall is None else f' (wall {100 * wall:.1f} %)'), '–'),
        ('training step: single-stage / DeepLabv3+ (same backbone)',
         r.get('train_ratio_vs_deeplabv3plus'), '–'),
        ('training step: full / warm-up (no PAMR, no seg loss)',
         r.get('train_ratio_vs_warmup'), '–'),
        ('head fwd+bwd: NGWPHead / DepthwiseSeparableASPPHead',
         r.get('head_ratio_vs_deeplabv3plus'), '–'),
    ]
    extra = (f'backbone {r.get("backbone", "?")}'
             f'{" (1/8 width)" if r.get("quick") else ""}, input '
             f'{r.get("batch", "?")}×3×'
             f'{r.get("size", "?")}², device {r.get("device", "?")}, '
             f'{r.get("threads", "?")} threads')
    return rows, extra


def dcp_ratios(r):
    rows_in = r.get('rows') or []

    def total(x):
        return x.get('accumulate_s', 0) + x.get('patterns_s', 0)

    stream = sorted((x for x in rows_in if x.get('route') == 'stream'),
                    key=lambda x: x['images'])
    naive = {x['images']: x for x in rows_in if x.get('route') == 'naive'}
    rows = []
    if len(stream) >= 2:
        a, b = stream[0], stream[-1]
        per_a, per_b = total(a) / a['images'], total(b) / b['images']
        rows.append((
            f'streaming time per image, N = {b["images"]} / N = {a["images"]} '
            '(1 = linear in N)', per_b / per_a if per_a else None, '–'))
        if a.get('peak_mb') and b.get('peak_mb') is not None:
            rows.append((f'streaming peak memory, N = {b["images"]} / N = '
                         f'{a["images"]} '
                         '(1 = constant)', b['peak_mb'] / a['peak_mb'], '–'))
    common = [x for x in stream if x['images'] in naive]
    if common:
        s = common[-1]
        n = naive[s['images']]
        rows.append(
            (f'naive concatenate + cov / streaming, time at N = {s["images"]}',
             total(n) / total(s) if total(s) else None, '–'))
        if s.get('peak_mb'):
            rows.append(
                (f'naive / streaming, peak memory at N = {s["images"]}',
                 n.get('peak_mb', 0) / s['peak_mb'], '–'))
    if stream:
        b = stream[-1]
        rows.append(
            (f'streaming pass over N = {b["images"]} images: seconds, '
             f'ms/image',
             f'{total(b):.1f} s, {1000 * total(b) / b["images"]:.1f} ms', '–'))
    extra = (
        f'D = {r.get("dim", "?")}, {r.get("pixels_per_image", "?")} pixels an '
        'image, '
        f'C = {r.get("classes", "?")}, device {r.get("device", "?")}')
    return rows, extra


def seed_sets_ratios(r):
    rows = [
        ('one-set runs / one run per classifier (seeds identical: '
         f'{"yes" if r.get("identical") else "NO"})', r.get('speedup'), '–'),
        ('all sets, in mean one-set runs (target ≤ 2.5)',
         r.get('after_in_mean_sets'), '–'),
        ('dense-CRF share of the 2 runs',
         None if r.get('crf_share_of_after') is None else
         f'{100 * r["crf_share_of_after"]:.0f} %', '–'),
    ]
    extra = (f'{r.get("num_images", "?")} {r.get("config_set", "?")} train '
             f'scenes, whole tool runs (start-up included), '
             f'{r.get("torch_threads", "?")} threads')
    return rows, extra


def seed_throughput_ratios(r):
    rows = [(f'{name}: seeds / backbone forward over the same views '
             '(goal ≥ 0.8)', g.get('ratio'), '–')
            for name, g in (r.get('generators') or {}).items()]
    extra = (f'{r.get("num_images", "?")} {r.get("config_set", "?")} train '
             f'scenes, {r.get("threads", "?")} threads')
    return rows, extra


SPEED = {
    'ficklenet_expansion': ficklenet_ratios,
    'single_stage_cost': single_stage_ratios,
    'dcp_statistics': dcp_ratios,
    'seed_sets': seed_sets_ratios,
    'seed_throughput': seed_throughput_ratios
}


def speed_section(bench_root, readme=False):
    """Markdown of every speed/*.json (full report), or a compact table."""
    entries = {}
    for path in sorted(glob.glob(osp.join(bench_root, 'speed', '*.json'))):
        e = load_json(path)
        if isinstance(e, dict):
            entries[e.get('name') or osp.splitext(osp.basename(path))[0]] = e
    order = [n for n in SPEED if n in entries] + sorted(
        n for n in entries if n not in SPEED)
    if not order:
        return [
            'No speed benchmarks in this bench (`run_bench.py` runs them).'
        ]
    lines, compact = [], [
        '| benchmark | ratio (one run each) | here | paper |',
        '|---|---|---|---|'
    ]
    for name in order:
        e = entries[name]
        res = e.get('result')
        ok = e.get('status') == 'ok' and isinstance(res, dict)
        if not readme:
            lines += _speed_header(name, e) + ['']
        if not ok:
            log = e.get('log')
            msg = f'skipped: {e.get("status") or "no result"}' + (
                f' (see {rel(log)})' if log else '')
            if readme:
                compact.append(f'| {name} | {msg} | | |')
            else:
                lines += [f'*{msg}*', '']
            continue
        fn = SPEED.get(name)
        rows, extra = fn(res) if fn else ([], '')
        if readme:
            for what, val, paper in rows:
                cell = val if isinstance(val, str) else fmt_ratio(val)
                compact.append(f'| {name} | {what} | {cell} | {paper} |')
            continue
        lines += ['| ratio | here | paper |', '|---|---|---|']
        for what, val, paper in rows:
            cell = val if isinstance(val, str) else fmt_ratio(val)
            lines.append(f'| {what} | {cell} | {paper} |')
        if extra:
            lines += ['', extra + '.']
        table = (e.get('table') or '').strip('\n')
        if table:
            lines += [
                '', '<details><summary>printed table</summary>', '', '```',
                table, '```', '', '</details>'
            ]
        lines.append('')
    return compact if readme else lines


# --------------------------------------------------------------- machine info
def machine_info(summary):
    cpu_model = None
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu_model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    threads = (summary or {}).get('torch_threads')
    if threads is None and 'torch' in sys.modules:
        threads = sys.modules['torch'].get_num_threads()
    info = [
        f'CPU count: {os.cpu_count()}' +
        (f' ({cpu_model})' if cpu_model else ''),
        f'torch threads: {threads if threads is not None else "not recorded"}'
        + (f', torch {summary["torch_version"]}'
           if summary and summary.get('torch_version') else ''),
        f'Python {platform.python_version()} on {platform.system()} '
        f'{platform.release()}',
        f'report written: {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}'
    ]
    if summary:
        if summary.get('started'):
            info.append(f'bench started: {summary["started"]}' +
                        (f', finished: {summary["finished"]}' if summary.
                         get('finished') else ''))
        if summary.get('wall_s'):
            info.append(
                'bench wall time (this invocation of run_bench.py, runs that '
                'were '
                f'resumed not counted): {summary["wall_s"] / 60:.1f} min')
        if summary.get('loadavg'):
            info.append(
                'load average at the start (other jobs share the cores): ' +
                ', '.join(f'{x:.1f}' for x in summary['loadavg']))
    return info


# --------------------------------------------------------------- ablations
ABLATION_TITLES = {
    'single_stage':
    ('Single-stage (Araslanov & Roth, Table 1)',
     'paper, VOC val (train IoU in their Table 1 differs): full 59.4-62.2, '
     'w/o PAMR 31.8, w/o SG 55.6, deterministic gate 57.5, p = 0 60.5 '
     '(with CRF).'),
    'multi_seed':
    ('Multi-estimations (Fan et al., Tables 2-5)',
     'paper, VOC val, VGG16-LargeFOV: T 61.4, C 62.9, T+C 63.8; T+C '
     'multi-scale 64.0, merged max 63.7 / avg 63.9; VGG16+RES38 T+C 64.2; '
     'all 12 with WST 64.6 vs 63.9 without.'),
    'single_stage_seeds':
    ('Single-stage full model, other random seeds (run-to-run spread)', None),
    'dsrg_vs_ce':
    ('FickleNet seeds (bench run) with plain cross-entropy instead of DSRG',
     'the DSRG row is the bench\'s FickleNet val mIoU (same seeds, network '
     'and iterations).'),
    'dsrg_vs_ce_cam':
    ('CAM-baseline seeds (bench run) with DSRG instead of plain '
     'cross-entropy', 'the cross-entropy row is the bench\'s CAM '
     'baseline val mIoU (same seeds, backbone, 1,000 iterations).'),
    'dsrg_step':
    ('FickleNet seeds (bench run), DSRG with its own x0.33 steps instead of '
     'the poly schedule of every segmentation of the bench',
     'the poly row is the bench\'s FickleNet val mIoU (same seeds, network, '
     '2,000 iterations).'),
    'ficklenet_seeds':
    ('FickleNet seeds of the bench\'s S/S classifier, other inference',
     'the S/S N = 200 selection_max seeds are the bench\'s FickleNet row '
     'of the methods table; D/D (its own, deterministically trained '
     'classifier) is the ficklenet_dd run of the claim table.'),
    'dsrg_parts':
    ('FickleNet seeds (bench run), DSRG without one of its parts',
     'the full DSRG row is the bench\'s FickleNet val mIoU (same seeds, '
     'network, schedule); cross-entropy alone: the dsrg_vs_ce table.'),
}

PRESET_DIRS = ('single_stage', 'multi_seed')


def ablation_section(dirs):
    """The tables ``benchmarks/train_ablation.py`` and ``seed_ablation.py``
    left in ``dirs`` (``ablation.md``), each under a title; [] when there are
    none."""
    lines = []
    for d in dirs:
        table = osp.join(d, 'ablation.md')
        if not osp.isfile(table):
            continue
        name = osp.basename(osp.normpath(d))
        title, paper = ABLATION_TITLES.get(name, (name, None))
        with open(table) as f:
            body = f.read().strip()
        seeds = body.startswith(
            '| variant | seed mIoU')  # seed_ablation.seed_table
        how = ('seed_ablation CONFIG CKPT --variant ...'
               if seeds else f'train_ablation --preset {name} ...' if name
               in PRESET_DIRS else 'train_ablation CONFIG --variant ...')
        lines += [
            f'### {title}', '', f'`python -m benchmarks.{how}` ({rel(d)}; see '
            '`benchmarks/ablations.py`, run by `make ablations`)', '', body, ''
        ]
        if paper:
            lines += [f'For orientation, {paper}', '']
    if lines:
        lines = [
            '## Paper ablations at small scale', '',
            'The schedule of each table is on its first line ("config '
            'iterations": '
            'the bench\'s own, so its rows compare with the bench table; a '
            'number: '
            'a shortened one). One run each with `randomness.seed=0`; a row '
            'marked '
            '"the bench run" is read from that run, not trained again. Reruns '
            'with '
            'the same seed agree exactly, so the noise that matters is across '
            'random '
            'seeds: the seed spread above.', ''
        ] + lines
    return lines


# --------------------------------------------------------------- documents
def build(bench_root,
          data_root,
          picture=None,
          out=None,
          ablation_dirs=(),
          provenance=()):
    """(report markdown, README block markdown); ``out``: where the report
    goes (the picture link is relative to it); ``provenance``: more lines of
    its Machine section (the runs shown from the records)."""
    runs = collect_runs(bench_root)
    rows = main_rows(runs, bench_root, data_root)
    summary = load_json(osp.join(bench_root, 'bench_summary.json')) or {}
    table = main_table(rows)
    spread = spread_line(runs, bench_root)
    note_lines = notes(runs, rows)
    instrument = instrument_line(runs)
    full = runs.get('full', [(None, {})])[0][1]
    n_train = num_train_images(full, data_root) if full else None
    if n_train is None:
        n_train = count_lines(
            osp.join(data_root, 'ImageSets', 'Segmentation', 'train.txt'))
    n_val = count_lines(
        osp.join(data_root, 'ImageSets', 'Segmentation', 'val.txt'))
    runner_args = ' '.join(summary.get('runner_args') or []) or '(defaults)'
    config_set = runs_config_set(runs)
    setup = (
        f'{SET_TEXT.get(config_set, config_set)} `{rel(data_root)}` '
        f'({n_train or "?"} '
        f'train / {n_val or "?"} val scenes), every method through '
        f'`tools/wsss_pipeline.py`; {NETWORK_TEXT.get(config_set, "")}runner '
        f'options: `{runner_args}`; seeds fixed by the configs '
        '(`randomness.seed=0`).')
    legend = (
        'seed mIoU / P / R: seeds on the train split against the GT masks '
        '(precision counts labelled pixels only). % of full: val mIoU '
        'relative to one common reference for every row, the shared '
        'segmentation network trained on the GT masks (`full`), so the '
        'column reads on one scale. % of own full: where a row trains '
        'another network (single-stage), relative to that network trained '
        'on the GT masks (on part-and-body its own training with the GT '
        'masks in place of its pseudo labels, `full_ngwp`). train time: '
        'every training '
        'stage of the runner (classifier, segmentation, retraining). seeds '
        'img/s: train images × seed sets / seed-generation time (every '
        'stage-2 `test.py` run, start-up included). Paper column: VOC 2012 '
        'val mIoU of the papers, for orientation only (other data, backbones '
        'and schedules).')

    rep = [
        '# Benchmark results', '',
        'Generated by `make bench` (`benchmarks/run_bench.py` → '
        '`benchmarks/make_report.py`); do not edit by hand.', '', setup, '',
        '```', instrument[0], '```', '', instrument[1], '', '## Methods', '',
        table, '', legend, ''
    ]
    rep += [n + '\n' for n in note_lines]
    rep += [spread, '']
    rep += [
        '## Protocol', '',
        'What each row runs, read from the configs of its recipe on this '
        'config set (`benchmarks/protocol.py`): the seed read-out on the '
        'train split and the segmentation network and schedule that val '
        'scores.', ''
    ] + protocol_table(protocol_rows(METHODS, config_set), NAMES) + ['']
    rep += per_class_section(runs, ablation_dirs)
    rep += open_questions_section(bench_root, ablation_dirs)
    rep += [
        '## Speed benchmarks', '',
        'Each ratio is measured in one run of its script, on the machine of '
        'the last section.', ''
    ]
    rep += speed_section(bench_root)
    if picture and osp.isfile(picture):
        rel_pic = osp.relpath(
            osp.abspath(picture),
            osp.dirname(
                osp.abspath(out or osp.join(REPO, 'docs', 'results.md'))))
        rep += [
            '## Pictures', '',
            'Fixed val images: image | GT | CAM of the CAM baseline '
            'classifier | seeds of each method | prediction of each method '
            '(grey: not available).', '', f'![mini grid]({rel_pic})', ''
        ]
    rep += [
        '## Paper claims', '',
        'Each paper\'s key claim on this benchmark (`benchmarks/claims.py`): '
        'the claimed winner against the claimed loser; the verdict weighs the '
        'difference against the seed-to-seed spread above (the largest max − '
        'min '
        'of the same number over the seed reruns).', ''
    ]
    claim_rows = check_all(runs, ablation_dirs)
    rep += claims_table(claim_rows) + ['']
    rep += composed_section(runs, ablation_dirs)
    abl = ablation_section(ablation_dirs)
    rep += abl
    rep += ['## Machine', ''] + [
        f'- {x}' for x in list(machine_info(summary)) + list(provenance)
    ] + ['']

    block = [
        '*Generated by `make bench` into `docs/results.md`; this section is '
        'replaced '
        'on every run.*', '', setup, '', '`' + instrument[0] + '`', '', table,
        ''
    ]
    block += [n + '\n' for n in note_lines]
    combined = combined_line(runs)
    block += [spread, '']
    if combined[0]:
        block += ['`' + combined[0] + '`: ' + combined[1], '']
    block += [
        claims_summary(claim_rows), '',
        'Speed (each ratio from one run of its script):', ''
    ]
    block += speed_section(bench_root, readme=True) + ['']
    if picture and osp.isfile(picture):
        block += [
            f'![image | GT | CAM | seeds | predictions]({rel(picture)})', ''
        ]
    block += [
        'Full report, legend and machine: [docs/results.md](docs/results.md)' +
        (', with the paper ablations at small scale.' if abl else '.')
    ]
    return '\n'.join(rep).rstrip() + '\n', '\n'.join(block).rstrip() + '\n'


def replace_readme_block(readme, block):
    """Replace the text between the markers; False (README untouched) when
    they are missing."""
    try:
        with open(readme) as f:
            text = f.read()
    except OSError:
        print(
            f'[make_report] WARNING: {readme} not readable; README not updated'
        )
        return False
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < 0 or j < i:
        print(f'[make_report] WARNING: {readme} has no {BEGIN} ... {END} '
              'markers; '
              'README not updated')
        return False
    new = text[:i + len(BEGIN)] + '\n' + block.rstrip('\n') + '\n' + text[j:]
    if new != text:
        atomic_write_text(readme, new)
    return True


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        '--bench-root', default=osp.join(REPO, 'work_dirs', 'bench'))
    p.add_argument('--data-root', default=osp.join(REPO, 'data', 'mini'))
    p.add_argument('--out', default=osp.join(REPO, 'docs', 'results.md'))
    p.add_argument(
        '--readme',
        default=osp.join(REPO, 'README.md'),
        help='README whose marked block is replaced ("" to skip)')
    p.add_argument(
        '--picture',
        default=osp.join(REPO, 'docs', 'pictures', 'mini_grid.png'))
    p.add_argument(
        '--metafiles',
        action='store_true',
        help='also write the measured val (and seed) mIoU of each run into '
        'the Results of its config in configs/*/metafile.yaml (make bench '
        'does, for its full schedule)')
    p.add_argument(
        '--ablations',
        nargs='*',
        default=[
            osp.join(REPO, 'work_dirs', 'ablation', n) for n in ABLATION_TITLES
        ],
        help='work dirs of benchmarks/train_ablation.py runs whose '
        'tables go into the report (missing ones are skipped)')
    p.add_argument(
        '--records',
        help='committed records of this benchmark (benchmarks/records.py): '
        'runs missing from --bench-root and the ablation root are shown as '
        'recorded')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not args.records:
        return write(args, args.bench_root, args.ablations)
    ablation_root = (
        osp.dirname(osp.normpath(args.ablations[0]))
        if args.ablations else default_ablation_root(args.bench_root))
    folder, bench_view, abl_view, taken = records.view(args.records,
                                                       args.bench_root,
                                                       ablation_root)
    try:
        return write(args, bench_view, [
            osp.join(abl_view, osp.basename(osp.normpath(d)))
            for d in args.ablations
        ], [records.taken_line(taken, args.records)] if taken else ())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write(args, bench_root, ablation_dirs, provenance=()):
    """Write the report (and metafiles, README block) of these roots."""
    report, block = build(bench_root, args.data_root, args.picture, args.out,
                          ablation_dirs, provenance)
    atomic_write_text(args.out, report)
    print(f'[make_report] wrote {args.out}')
    if args.metafiles:
        runs = collect_runs(bench_root)
        config_set = runs_config_set(runs)
        dataset = (f'wsss_mm {config_set} benchmark val '
                   f'({osp.basename(osp.normpath(args.data_root))})')
        for path in update_metafiles(
                measured_entries(runs, config_set, dataset), dataset, REPO):
            print(f'[make_report] measured results -> {rel(path)}')
    updated = bool(args.readme) and replace_readme_block(args.readme, block)
    if updated:
        print(f'[make_report] updated the results block of {args.readme}')
    return dict(report=args.out, readme_updated=updated)


if __name__ == '__main__':
    main()
