"""Per-class IoU of mmseg's ``IoUMetric``, kept for scripts.

mmseg's ``IoUMetric.compute_metrics`` logs its per-class table and returns
only the means. :func:`record_class_iou` wraps the ``compute_metrics`` of
every ``IoUMetric`` of one evaluator instance (nothing global is patched), so
that after ``runner.test()`` the returned dict holds each class's IoU in
percent (None for a class with no pixel in GT or prediction), computed from
the same summed areas as the logged table. ``tools/test.py --metrics-out``
writes it as ``IoU_per_class``. A metric of one seed set among several
(``SeedMetric(seed_set=NAME)``) fills ``{NAME: {class: IoU}}`` instead.
"""
from typing import Dict, Optional

import torch
from mmseg.evaluation import IoUMetric


def class_iou(results: list, class_names) -> Dict[str, Optional[float]]:
    """{class: IoU in %} from ``IoUMetric`` results (per batch: the areas of
    intersection, union, prediction and label, each (num_classes,)); empty
    for no results (a split without masks: nothing was scored)."""
    if not results:
        return {}
    inter = sum(r[0] for r in results)
    union = sum(r[1] for r in results)
    iou = torch.as_tensor(
        inter, dtype=torch.float64) / torch.as_tensor(
            union, dtype=torch.float64)
    return {
        name: (None if torch.isnan(v) else round(float(v) * 100, 2))
        for name, v in zip(class_names, iou)
    }


def record_class_iou(evaluator) -> Dict[str, Optional[float]]:
    """Wrap the ``IoUMetric`` instances of ``evaluator`` (an mmengine
    ``Evaluator``); return the dict their next evaluation fills."""
    out: Dict[str, Optional[float]] = {}
    for metric in getattr(evaluator, 'metrics', []):
        if not isinstance(metric, IoUMetric) or metric.format_only:
            continue

        def compute(results, _metric=metric, _orig=metric.compute_metrics):
            table = class_iou(results, _metric.dataset_meta['classes'])
            name = getattr(_metric, 'seed_set', None)
            out.update({name: table} if name else table)
            return _orig(results)

        metric.compute_metrics = compute
    return out
