"""Each paper's key claim (issue #15, item 5) as data, checked against what
``make bench`` and ``make ablations`` measured: one row a claim, with the
two numbers it compares and a verdict.

A claim says that one measurement beats another (``Claim.better`` >
``Claim.worse`` on ``Claim.key``). A measurement is named by where it lives:

- ``bench:M``: the bench's main run of method M (``BENCH/M/result.json``, as
  ``make_report.collect_runs`` reads them);
- ``run:D``: a ``tools/wsss_pipeline.py`` run among the ablation folders
  (``D/result.json``, e.g. FickleNet trained D/D);
- ``abl:D/VARIANT``: a row of a ``train_ablation.py`` table
  (``D/ablation.json``).

The verdict weighs the difference against the noise the bench measured: the
largest max - min of ``key`` over a method's seed reruns (``M_rep<k>``: the
CAM baseline and the best method, three random seeds by default). ``holds``
when the claimed winner leads by more than that, ``does not hold`` when it
trails by more, ``within noise`` otherwise; without reruns the sign decides
and the verdict says that no spread was measured. A missing number is ``not
measured`` with the command that measures it.
"""
import os.path as osp
from dataclasses import dataclass

from wsss_mm.utils.io import load_json

#: what measures the numbers a claim needs
HOW = {
    'bench': '`make bench`',
    'run': '`make ablations`',
    'abl': '`make ablations`'
}
#: result keys as the table writes them
KEY_TEXT = {
    'val_miou': 'val mIoU',
    'seed_recall': 'seed recall',
    'seed_miou': 'seed mIoU',
    'val_crf_miou': 'val mIoU with CRF',
    'val_before_retrain_miou': 'val mIoU before retraining'
}


@dataclass(frozen=True)
class Claim:
    paper: str
    text: str
    # where the claimed winner is measured (see the module docstring)
    better: str
    worse: str
    key: str = 'val_miou'


def _beats_cam(paper, method):
    return Claim(paper, 'beats the CAM baseline', f'bench:{method}',
                 'bench:cam')


CLAIMS = (
    Claim('FickleNet', 'S/S (N = 200) seeds are more complete than D/D',
          'bench:ficklenet', 'run:ficklenet_dd', 'seed_recall'),
    Claim('FickleNet', 'S/S seeds are more complete than the CAM baseline\'s',
          'bench:ficklenet', 'bench:cam', 'seed_recall'),
    Claim('FickleNet', 'S/S segments better than D/D', 'bench:ficklenet',
          'run:ficklenet_dd'),
    _beats_cam('FickleNet', 'ficklenet'),
    Claim('FickleNet', 'DSRG beats plain cross-entropy on the same seeds',
          'bench:ficklenet', 'abl:dsrg_vs_ce/FickleNet seeds, cross-entropy'),
    Claim('FickleNet', 'larger N (200 vs 10) gives more complete seeds',
          'bench:ficklenet', 'run:ficklenet_n10', 'seed_recall'),
    Claim('FickleNet', 'larger N (200 vs 10) segments better',
          'bench:ficklenet', 'run:ficklenet_n10'),
    Claim('Single-stage', 'PAMR helps (Table 1)',
          'abl:single_stage/full model', 'abl:single_stage/w/o PAMR'),
    Claim('Single-stage', 'the Stochastic Gate helps (Table 1)',
          'abl:single_stage/full model', 'abl:single_stage/w/o SG'),
    Claim('Single-stage', 'Global Cue Injection helps (Table 1c)',
          'abl:single_stage/full model', 'abl:single_stage/w/o GCI'),
    Claim('Single-stage',
          'a stochastic gate beats a deterministic one (Table 1c)',
          'abl:single_stage/full model',
          'abl:single_stage/deterministic gate'),
    Claim('Single-stage', 'the focal mask penalty helps (p = 3 vs 0, Table 1)',
          'abl:single_stage/full model', 'abl:single_stage/focal p=0'),
    Claim('Single-stage', 'the dense CRF helps', 'bench:single_stage',
          'bench:single_stage', 'val_crf_miou>val_miou'),
    _beats_cam('Single-stage', 'single_stage'),
    Claim('Multi-estimations',
          'two seed types beat threshold seeds alone (Table 2)',
          'abl:multi_seed/T+C (2)', 'abl:multi_seed/T (1)'),
    Claim('Multi-estimations', 'two seed types beat CRF seeds alone (Table 2)',
          'abl:multi_seed/T+C (2)', 'abl:multi_seed/C (1)'),
    Claim('Multi-estimations',
          'WST beats the plain loss on all seed sets (Table 5)',
          'abl:multi_seed/all sets, WST s=1',
          'abl:multi_seed/all sets, plain s=0'),
    _beats_cam('Multi-estimations', 'multi_seed'),
    Claim('DCP',
          'a lower layer (conv5_1) beats the last block (conv5_3) for seeds',
          'bench:dcp', 'run:dcp_conv5_3', 'seed_miou'),
    Claim('DCP', 'retraining helps', 'bench:dcp', 'bench:dcp',
          'val_miou>val_before_retrain_miou'),
    _beats_cam('DCP', 'dcp'),
)


def measure(where, key, runs, ablation_dirs):
    """The number at ``where`` (see the module docstring), or None. ``runs``:
    ``make_report.collect_runs(bench_root)``."""
    kind, _, name = where.partition(':')
    if kind == 'bench':
        return runs.get(name, [(None, {})])[0][1].get(key)
    folder, _, variant = name.partition('/')
    dirs = [
        d for d in ablation_dirs if osp.basename(osp.normpath(d)) == folder
    ]
    if not dirs:
        return None
    if kind == 'run':
        return (load_json(osp.join(dirs[0], 'result.json')) or {}).get(key)
    rows = load_json(osp.join(dirs[0], 'ablation.json')) or []
    row = next((r for r in rows if r.get('variant') == variant), {})
    return row.get(key)


def rerun_spread(runs, key):
    """The largest max - min of ``key`` over any method's runs (main run and
    its seed reruns), or None without reruns."""
    spreads = []
    for items in runs.values():
        vals = [res.get(key) for _, res in items if res.get(key) is not None]
        if len(vals) > 1:
            spreads.append(max(vals) - min(vals))
    return max(spreads) if spreads else None


def verdict(better, worse, noise):
    """'holds' / 'does not hold' / 'within noise' (``noise`` None: the
    sign)."""
    diff = better - worse
    if noise is None:
        return ('holds'
                if diff > 0 else 'does not hold') + ' (no spread measured)'
    if diff > noise:
        return 'holds'
    if diff < -noise:
        return 'does not hold'
    return 'within noise'


def check(claim, runs, ablation_dirs=()):
    """One row: dict(paper, claim, key_better, key_worse, better, worse, diff,
    noise, verdict); ``key`` 'a>b' compares two keys of one run."""
    key_b, _, key_w = claim.key.partition('>')
    key_w = key_w or key_b
    b = measure(claim.better, key_b, runs, ablation_dirs)
    w = measure(claim.worse, key_w, runs, ablation_dirs)
    row = dict(
        paper=claim.paper,
        claim=claim.text,
        better_at=claim.better,
        worse_at=claim.worse,
        key_better=key_b,
        key_worse=key_w,
        better=b,
        worse=w,
        diff=None,
        noise=None)
    if b is None or w is None:
        missing = claim.better if b is None else claim.worse
        row['verdict'] = (f'not measured ({HOW[missing.partition(":")[0]]}: '
                          f'{missing})')
        return row
    # the noise of a val number is the val reruns' spread (CRF or not)
    noise_key = 'val_miou' if key_b.startswith('val') else key_b
    row.update(diff=b - w, noise=rerun_spread(runs, noise_key))
    row['verdict'] = verdict(b, w, row['noise'])
    return row


def check_all(runs, ablation_dirs=()):
    """The rows of every claim in ``CLAIMS``, in order."""
    return [check(c, runs, ablation_dirs) for c in CLAIMS]


def close_calls(rows, factor=2.0):
    """The bench methods of the claims whose difference lies within
    ``factor`` times the noise (``check`` rows): those rows need more random
    seeds before a verdict. Claims measured by ablation runs are left to
    ``make ablations``; a row without a spread is not one (its verdict says
    so)."""
    methods = []
    for r in rows:
        if r.get('diff') is None or r.get('noise') is None:
            continue
        if abs(r['diff']) > factor * r['noise']:
            continue
        for where in (r['better_at'], r['worse_at']):
            kind, _, name = where.partition(':')
            if kind == 'bench' and name not in methods:
                methods.append(name)
    return methods


def _cell(where, key, value):
    num = '–' if value is None else f'{value:.1f}'
    return f'{where.partition(":")[2]} ({KEY_TEXT.get(key, key)}): {num}'


def claims_table(rows):
    """Markdown lines of ``check_all``'s rows: one row a claim."""
    lines = [
        '| paper | claim | claimed better | claimed worse | difference | '
        'verdict |', '|---|---|---|---|---|---|'
    ]
    for r in rows:
        diff = '–' if r['diff'] is None else f'{r["diff"]:+.1f}'
        lines.append(
            f'| {r["paper"]} | {r["claim"]} | '
            f'{_cell(r["better_at"], r["key_better"], r["better"])} | '
            f'{_cell(r["worse_at"], r["key_worse"], r["worse"])} | {diff} | '
            f'{r["verdict"]} |')
    return lines


def claims_summary(rows):
    """One line for the README: how many claims hold, fail, tie or wait."""
    counts = {}
    for r in rows:
        word = r['verdict'].split(' (')[0]
        counts[word] = counts.get(word, 0) + 1
    order = ('holds', 'does not hold', 'within noise', 'not measured')
    return (f'Paper claims ({len(rows)}, table in docs/results.md): ' +
            ', '.join(f'{counts[w]} {w}' for w in order if w in counts) + '.')
