"""The bench's measured results into the model index (``configs/<method>/
metafile.yaml``), so that ``mim search`` / ``modelindex`` show what
``docs/results.md`` shows.

For each method run of the bench, the config its ``val`` stage tests (the
recipe's, for the bench's config set) gets one ``Results`` entry on the
benchmark's own dataset name: ``mIoU`` (val) and, where the run has one,
``seed mIoU``. Entries on other datasets (the papers' VOC figures, marked
``paper figure``) are kept; an earlier entry of the same benchmark is
replaced. The metafile's leading comment lines are kept.
"""
import glob
import os.path as osp

import yaml

from wsss_mm.recipes import RECIPES
from wsss_mm.utils.io import atomic_write_text

TASK = 'Weakly-supervised Semantic Segmentation'


def val_config(method, config_set):
    """The config the ``val`` stage of ``method`` tests on ``config_set``
    (None: no such stage)."""
    stages = {s.name: s for s in RECIPES.get(method, ())}
    val = stages.get('val')
    if val is None or not val.runs_on(config_set):
        return None
    return val.config_for(config_set)


def measured_entries(runs, config_set, dataset):
    """{config path: Results entry} of the finished bench runs."""
    out = {}
    for method, reps in runs.items():
        res = reps[0][1]
        config = val_config(method, config_set)
        if config is None or res.get('val_miou') is None:
            continue
        metrics = {'mIoU': round(float(res['val_miou']), 2)}
        if res.get('seed_miou') is not None:
            metrics['seed mIoU'] = round(float(res['seed_miou']), 2)
        out[config] = dict(Task=TASK, Dataset=dataset, Metrics=metrics)
    return out


def _split_header(text):
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith('#'):
        n += 1
    return ''.join(lines[:n]), ''.join(lines[n:])


def update_metafiles(entries, dataset, repo):
    """Write ``entries`` into every ``configs/*/metafile.yaml`` of ``repo``
    that lists their configs; returns the files changed."""
    changed = []
    for path in sorted(
            glob.glob(osp.join(repo, 'configs', '*', 'metafile.yaml'))):
        with open(path) as f:
            header, body = _split_header(f.read())
        data = yaml.safe_load(body)
        touched = False
        for model in data.get('Models', []):
            results = [
                r for r in model.get('Results') or []
                if r.get('Dataset') != dataset
            ]
            entry = entries.get(model.get('Config'))
            if entry is not None:
                results.append(entry)
            if results != (model.get('Results') or []):
                model['Results'] = results
                touched = True
        if touched:
            atomic_write_text(
                path, header + yaml.safe_dump(
                    data, sort_keys=False, allow_unicode=True, width=100))
            changed.append(path)
    return changed
