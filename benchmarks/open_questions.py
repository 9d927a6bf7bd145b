"""The open questions of the fair benchmark, each answered by a measurement
that ``make bench`` / ``make ablations`` leave behind (docs/results.md).

- DCP: are the class patterns of eq. 2 near-parallel? The statistics stage of
  the bench's DCP run (``BENCH/dcp/statistics/metrics.json``): the mean and
  max off-diagonal ``|ξ_c ᵀ ξ_k|``, the explained variance of the top
  eigenvector and the sign margin (cosine between a pattern and the class's
  contrast direction).
- WST: does its weighting lock in an early background prediction? The
  multi-estimations ablation: all seed sets with WST from scratch, with the
  plain loss, and WST from the plain loss's final checkpoint.
- FickleNet: s (7 / 9) and the rescaling of kept units (off / on), each
  classifier's best held-out seed mIoU (``choose_ficklenet_*``), and
  stochastic against deterministic training at the bench's protocol (the
  bench's S/S row, the ``ficklenet_dd`` run).

Each question prints its numbers or what is missing; nothing is inferred.
"""
import os.path as osp

from wsss_mm.utils.io import load_json


def _fmt(v, digits=1):
    return '–' if v is None else f'{v:.{digits}f}'


def dcp_patterns(bench_root):
    m = load_json(osp.join(bench_root, 'dcp', 'statistics',
                           'metrics.json')) or {}
    if 'dcp/pattern_cos_mean' not in m:
        return [
            'not measured yet: the bench\'s DCP statistics stage '
            f'({osp.join(bench_root, "dcp", "statistics")}) has no '
            'pattern overlap'
        ]
    return [
        f'Over {m.get("dcp/images", 0):.0f} train images and '
        f'{m.get("dcp/classes", 0):.0f} classes: off-diagonal '
        f'|patterns @ patterns.T| mean {m["dcp/pattern_cos_mean"]:.3f}, '
        f'max {m["dcp/pattern_cos_max"]:.3f}; the top eigenvector explains '
        f'{m.get("dcp/explained_variance", 0):.1f} % of a class\'s variance '
        f'on average; sign margin (cosine to the class contrast) '
        f'{m.get("dcp/sign_margin", 0):.3f}.'
    ]


#: the variants of the multi-estimations ablation that answer the question
WST_VARIANTS = ('all sets, WST s=1', 'all sets, plain s=0',
                'all sets, WST s=1 from plain')


def wst_lock_in(ablation_root, bench_root):
    """The ablation's three rows, and which sets the bench's WST row read
    (the question's second half: without the sets that have no VOC
    counterpart)."""
    bench = load_json(osp.join(bench_root, 'multi_seed', 'result.json')) or {}
    sets = sorted(bench.get('seed_miou_per_set') or {})
    lines = [] if not sets else [
        f'The bench\'s WST row trains on {len(sets)} seed sets, '
        f'{"none" if not any("_s050" in n for n in sets) else "some"} at '
        'the 0.5 scale (whose 16-cell maps have no VOC counterpart): val '
        f'{_fmt(bench.get("val_miou"))}.', ''
    ]
    rows = load_json(osp.join(ablation_root, 'multi_seed',
                              'ablation.json')) or []
    val = {r.get('variant'): r.get('val_miou') for r in rows}
    if not any(val.get(v) is not None for v in WST_VARIANTS):
        return lines + [
            'not measured yet: `make ablations` (the multi_seed table)'
        ]
    return lines + [
        '| all seed sets | val mIoU |', '|---|---|',
        *(f'| {v} | {_fmt(val.get(v))} |' for v in WST_VARIANTS)
    ]


#: FickleNet classifier variants -> their held-out choice folder
FICKLENET_VARIANTS = (('s = 7, no rescaling', 'norescale'),
                      ('s = 7, kept units × 1/(1-p) (the config\'s choice)',
                       'rescale'), ('s = 9, no rescaling', 's9'),
                      ('s = 9, kept units × 1/(1-p)', 's9_rescale'),
                      ('D/D: trained and read out deterministically, s = 7',
                       'dd'))


def _best(choice):
    rows = (choice or {}).get('table') or []
    scored = [r for r in rows if r.get('seed_miou') is not None]
    if not scored:
        return None, None
    best = max(scored, key=lambda r: r['seed_miou'])
    return best['value'], best['seed_miou']


def ficklenet_choices(ablation_root, bench_root):
    lines = [
        '| classifier (S/S unless named) | best θ | held-out seed mIoU |',
        '|---|---|---|'
    ]
    found = False
    for name, suffix in FICKLENET_VARIANTS:
        value, miou = _best(
            load_json(
                osp.join(ablation_root, f'choose_ficklenet_{suffix}',
                         'choice.json')))
        found |= miou is not None
        lines.append(f'| {name} | {value if value is not None else "–"} | '
                     f'{_fmt(miou)} |')
    ss = load_json(osp.join(bench_root, 'ficklenet', 'result.json')) or {}
    dd = load_json(osp.join(ablation_root, 'ficklenet_dd',
                            'result.json')) or {}
    lines += [
        '', '| training / inference | seed mIoU (train) | val mIoU |',
        '|---|---|---|',
        f'| S/S, N = 200 (bench) | {_fmt(ss.get("seed_miou"))} | '
        f'{_fmt(ss.get("val_miou"))} |',
        f'| D/D, one deterministic pass | {_fmt(dd.get("seed_miou"))} | '
        f'{_fmt(dd.get("val_miou"))} |'
    ]
    found |= bool(ss or dd)
    return lines if found else [
        'not measured yet: `make ablations` (choose_ficklenet_*, '
        'ficklenet_dd) after `make bench`'
    ]


def default_ablation_root(bench_root):
    """``work_dirs/bench_<set>`` -> ``work_dirs/ablation_<set>`` (the
    Makefile's pair)."""
    head, name = osp.split(osp.normpath(bench_root))
    return osp.join(
        head, 'ablation_' +
        name[len('bench_'):] if name.startswith('bench_') else 'ablation')


def open_questions_section(bench_root, ablation_dirs=()):
    """Markdown lines of the section. The ablation root is the folder of
    the ablation dirs that exist, else the bench root's pair
    (:func:`default_ablation_root`)."""
    present = [d for d in ablation_dirs if osp.isdir(d)]
    ablation_root = (
        osp.dirname(osp.normpath(present[0]))
        if present else default_ablation_root(bench_root))
    return [
        '## Open questions', '',
        'Each answered by one measurement (`benchmarks/open_questions.py`).',
        '', '**DCP: are the class patterns near-parallel?** (eq. 2 over the '
        'pixels of every image with the class, its objects a small part of '
        'them)', '', *dcp_patterns(bench_root), '',
        '**WST: does its weighting lock in an early background prediction?** '
        '(WST from the plain loss\'s final checkpoint)', '',
        *wst_lock_in(ablation_root, bench_root), '',
        '**FickleNet: s, rescaling, and stochastic against deterministic '
        'training at the bench\'s protocol**', '',
        *ficklenet_choices(ablation_root, bench_root), ''
    ]
