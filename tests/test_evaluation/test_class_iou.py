"""wsss_mm.evaluation.class_iou: the per-class IoU of mmseg's IoUMetric."""
import torch
from mmseg.evaluation import IoUMetric

from wsss_mm.evaluation.class_iou import class_iou, record_class_iou


class _Evaluator:

    def __init__(self, *metrics):
        self.metrics = list(metrics)


def _results():
    # two batches of (intersection, union, prediction, label) areas, 3 classes;
    # class 2 appears nowhere (union 0)
    return [(torch.tensor([2., 1., 0.]), torch.tensor([4., 2., 0.]),
             torch.tensor([3., 1., 0.]), torch.tensor([3., 2., 0.])),
            (torch.tensor([1., 0., 0.]), torch.tensor([2., 2., 0.]),
             torch.tensor([1., 1., 0.]), torch.tensor([2., 1., 0.]))]


def test_class_iou_sums_the_areas_before_dividing():
    assert class_iou(_results(), ('bg', 'a', 'b')) == {
        'bg': 50.0,
        'a': 25.0,
        'b': None
    }
    # a split without masks scored nothing: no table, no error
    assert class_iou([], ('bg', 'a')) == {}


def test_record_class_iou_fills_on_evaluation_and_keeps_the_means():
    metric = IoUMetric(iou_metrics=['mIoU'])
    metric.dataset_meta = dict(classes=('bg', 'a', 'b'))
    other = object()  # not an IoUMetric: left alone
    per_class = record_class_iou(_Evaluator(metric, other))
    assert per_class == {}
    means = metric.compute_metrics(_results())
    assert per_class == {'bg': 50.0, 'a': 25.0, 'b': None}
    assert means['mIoU'] == 37.5  # mmseg's own mean over the classes present
    # the wrapper is per instance: a fresh metric is untouched
    assert 'compute_metrics' not in vars(IoUMetric(iou_metrics=['mIoU']))
