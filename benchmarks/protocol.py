"""The protocol of every bench row, read from the configs its recipe runs.

For each method of the report, the seed read-out of its seed stages (seed
generator, test scales, flip, thresholds or CRF) and the network and
schedule of the segmentation that its val stage scores (decode head,
iterations, batch, learning-rate schedule). What the table shows is what the
configs say, so a row that runs under another protocol than its neighbours
is visible in docs/results.md rather than in a review of the configs.
"""
import os.path as osp

from mmengine.config import Config

from wsss_mm.recipes import RECIPES
from wsss_mm.recipes.runner import REPO


def _fmt(v):
    if isinstance(v, float):
        return f'{v:g}'
    if isinstance(v, (tuple, list)):
        return '/'.join(_fmt(x) for x in v)
    return str(v)


def seed_protocol(gen):
    """One line for a seed generator config (None: none)."""
    if not gen:
        return None
    kind = gen.get('type', '?').replace('SeedGenerator', '')
    parts = [kind]
    # a generator without test scales reads one view of the image
    parts.append('scales ' +
                 _fmt(gen['scales']) if 'scales' in gen else 'scale 1')
    parts.append('flip' if gen.get('flip') else 'no flip')
    if gen.get('refine'):
        parts.append(gen['refine'].get('type', '?') + '-refined')
    if gen.get('seed_type') == 'crf' or (kind == 'DCP' and gen.get('crf')):
        parts.append('dense CRF')
    elif 'fg_threshold' in gen:
        parts.append(f'fg {_fmt(gen["fg_threshold"])} / bg '
                     f'{_fmt(gen.get("bg_threshold", "–"))}')
    if 'num_selections' in gen:
        parts.append(f'N = {gen["num_selections"]}')
    return ', '.join(parts)


def generators(gen):
    """The seed generators a config runs: the members of a
    ``SeedSetsGenerator`` (one run, several sets), else the generator."""
    if gen and gen.get('type') == 'SeedSetsGenerator':
        return list(gen['sets'].values())
    return [gen]


def schedule(cfg):
    """``'2000 it., batch 8, poly 0.9'`` for a training config."""
    iters = cfg.get('train_cfg', {}).get('max_iters', '?')
    batch = cfg.get('train_dataloader', {}).get('batch_size', '?')
    scheds = []
    for s in cfg.get('param_scheduler') or []:
        if s['type'] == 'PolyLR':
            scheds.append(f'poly {_fmt(s.get("power", 1.0))}')
        elif s['type'] == 'StepLR':
            scheds.append(f'step ×{_fmt(s["gamma"])} / {s["step_size"]} it.')
        else:
            scheds.append(s['type'])
    return f'{iters} it., batch {batch}, ' + (' + '.join(scheds)
                                              or 'constant lr')


def network(cfg):
    head = cfg.model.get('decode_head', {})
    inner = head.get('head', {}).get('type') if isinstance(
        head.get('head'), dict) else None
    name = head.get('type', cfg.model.get('type', '?'))
    if inner:
        name = f'{name} on {inner}'
    return f'{name} ({cfg.model.backbone.type})'


def _load(path):
    return Config.fromfile(osp.join(REPO, path))


def protocol_rows(methods, config_set):
    """[(method, seed protocol, segmentation network, schedule)], one per
    method with a recipe for ``config_set``."""
    rows = []
    for method in methods:
        stages = [s for s in RECIPES.get(method, ()) if s.runs_on(config_set)]
        if not stages:
            continue
        by_name = {s.name: s for s in stages}
        sets = [
            seed_protocol(gen) or 'the model\'s own pseudo labels'
            for s in stages if s.metrics == 'seed' for gen in generators(
                _load(s.config_for(config_set)).model.get('seed_generator'))
        ]
        seeds = sorted(set(sets))
        val = by_name.get('val')
        trained = by_name.get(val.checkpoint) if val else None
        if trained is None or trained.tool != 'train':
            continue
        cfg = _load(trained.config_for(config_set))
        if len(seeds) > 3:
            seed_text = (f'{len(sets)} seed sets, {len(seeds)} distinct '
                         'read-outs: ' + '; '.join(seeds))
        else:
            seed_text = '; '.join(seeds) or 'GT masks'
        rows.append((method, seed_text, network(cfg), schedule(cfg)))
    return rows


def protocol_table(rows, names):
    out = [
        '| method | seed protocol (train split) | segmentation network | '
        'schedule |', '|---|---|---|---|'
    ]
    for method, seeds, net, sched in rows:
        out.append(f'| {names.get(method, method)} | {seeds} | {net} | '
                   f'{sched} |')
    return out
