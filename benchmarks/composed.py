"""The report's section on the composed recipe (configs/combined).

- the line ``combined: val=<its val mIoU> best_single=<the best single-paper
  val mIoU> spread=<the larger of the two rows' seed spreads>`` and whether
  the recipe beats that row by more than the spread;
- the leave-one-out table: the recipe with each paper's part removed in
  turn, and the part held-out train left out (DCP's retraining) added (the
  runs of ``benchmarks/ablations.py``).
"""
import os.path as osp

from wsss_mm.utils.io import load_json

#: the composed recipe's bench run
COMPOSED = 'combined'
#: the single-paper rows it is compared with (the CAM baseline included:
#: the strictest comparison)
SINGLE_PAPER = ('cam', 'ficklenet', 'single_stage', 'multi_seed', 'dcp')
#: (row, whose part it removes, ablation run or None for the main run, key)
LEAVE_ONE_OUT = (
    ('composed recipe, every part', '–', None, 'val_miou'),
    ('without PAMR on the seeds', 'single-stage', 'combined_wo_pamr',
     'val_miou'),
    ('without the CRF seed set (one set: cross-entropy)', 'multi-estimations',
     'combined_wo_crf', 'val_miou'),
    ('without the threshold seed set (one set: cross-entropy)',
     'multi-estimations', 'combined_wo_threshold', 'val_miou'),
    ("with DCP's retraining on predicted masks (left out)", 'DCP',
     'combined_retrain', 'val_miou'),
)


def _vals(runs, method, key='val_miou'):
    return [
        r.get(key) for _, r in runs.get(method, []) if r.get(key) is not None
    ]


def seed_spread(runs, method):
    """max - min of val mIoU over a method's main run and reruns, or None
    with fewer than two."""
    vals = _vals(runs, method)
    return max(vals) - min(vals) if len(vals) > 1 else None


def combined_numbers(runs):
    """{val, best_single, best_method, spread} of the main runs (spread:
    the larger seed spread of the two rows, None without reruns of both);
    None without a composed or a single-paper run."""
    val = (_vals(runs, COMPOSED) or [None])[0]
    singles = [(_vals(runs, m)[0], m) for m in SINGLE_PAPER if _vals(runs, m)]
    if val is None or not singles:
        return None
    best, method = max(singles)
    spreads = [seed_spread(runs, COMPOSED), seed_spread(runs, method)]
    spread = max(spreads) if None not in spreads else None
    return dict(val=val, best_single=best, best_method=method, spread=spread)


def combined_line(runs):
    """The ``combined:`` line and a sentence on it; ('', '') without the
    runs."""
    n = combined_numbers(runs)
    if n is None:
        return '', ''
    spread = 'n/a' if n['spread'] is None else f'{n["spread"]:.2f}'
    line = (f'combined: val={n["val"]:.2f} best_single={n["best_single"]:.2f}'
            f' spread={spread}')
    lead = n['val'] - n['best_single']
    if n['spread'] is None:
        verdict = ('no seed spread of both rows yet (`run_bench.py --repeats '
                   '3`): no verdict')
    elif lead > n['spread']:
        verdict = (f'it beats the best single-paper row (`{n["best_method"]}`)'
                   f' by {lead:.2f}, more than the spread')
    else:
        verdict = (f'it does not beat the best single-paper row '
                   f'(`{n["best_method"]}`) by more than the spread '
                   f'(difference {lead:+.2f})')
    return line, f'The composed recipe (`combined`): {verdict}.'


def leave_one_out_rows(runs, ablation_dirs=()):
    """[(row, part's paper, val mIoU or None)] of :data:`LEAVE_ONE_OUT`."""
    main = (runs.get(COMPOSED) or [(None, {})])[0][1]
    by_name = {osp.basename(osp.normpath(d)): d for d in ablation_dirs}
    out = []
    for row, paper, run, key in LEAVE_ONE_OUT:
        if run is None:
            value = main.get(key)
        else:
            res = load_json(osp.join(by_name[run], 'result.json')) \
                if run in by_name else None
            value = (res or {}).get(key)
        out.append((row, paper, value))
    return out


def composed_section(runs, ablation_dirs=()):
    """Markdown lines of the section; [] without a composed run."""
    line, sentence = combined_line(runs)
    if not line:
        return []
    rows = leave_one_out_rows(runs, ablation_dirs)
    full = rows[0][2]
    table = [
        '| recipe | the part removed is from | val mIoU | change |',
        '|---|---|---|---|'
    ]
    for row, paper, value in rows:
        change = ('–' if value is None or full is None or row == rows[0][0]
                  else f'{value - full:+.1f}')
        shown = 'not run' if value is None else f'{value:.1f}'
        table.append(f'| {row} | {paper} | {shown} | {change} |')
    return [
        '## Composed recipe', '', 'Parts of four papers composed by config '
        '([configs/combined](../configs/combined/README.md), '
        '[docs/composing.md](composing.md)), against the best single-paper '
        'row (CAM baseline included):', '', '```', line, '```', '', sentence,
        '', 'Leave-one-out (each part removed in turn; seed 0; the runs of '
        '`benchmarks/ablations.py`; the last row adds the part that '
        'held-out train left out):', ''
    ] + table + ['']
