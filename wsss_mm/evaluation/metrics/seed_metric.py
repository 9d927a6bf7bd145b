"""Seed quality and the seed writer."""
import os
import os.path as osp
from typing import Dict, Optional, Sequence

import mmcv
import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.logging import MMLogger
from mmseg.evaluation.metrics import IoUMetric
from mmseg.registry import METRICS

from wsss_mm.utils.io import atomic_write_png, read_label_png
from wsss_mm.utils.provenance import MANIFEST, ProvenanceError
from wsss_mm.visualization import seed_overlay


def expand_seed_sets(evaluator: dict, model: dict):
    """The test evaluator of a run that writes several seed sets.

    A model whose ``seed_generator`` is a ``SeedSetsGenerator`` with one
    ``SeedMetric`` evaluator gets one metric per set, ``seed_set=NAME``,
    writing into ``{output_dir}/NAME``; any other evaluator is returned as
    it is. (``tools/test.py`` applies it after ``--out``, so a config writes
    ``test_evaluator = dict(type='SeedMetric', output_dir=ROOT)`` once.)
    """
    generator = (model or {}).get('seed_generator') or {}
    if generator.get('type') != 'SeedSetsGenerator' or not isinstance(
            evaluator, dict) or evaluator.get('type') != 'SeedMetric':
        return evaluator
    if evaluator.get('seed_set'):
        raise ValueError(
            'test_evaluator.seed_set: the metrics of a SeedSetsGenerator are '
            'made one per set; leave seed_set out')
    root = evaluator.get('output_dir')
    out = []
    prefix = evaluator.get('prefix') or 'seed'
    for name in generator['sets']:
        metric = dict(evaluator, seed_set=name, prefix=f'{name}/{prefix}')
        if root:
            metric['output_dir'] = osp.join(root, name)
        if evaluator.get('overlay_dir'):
            metric['overlay_dir'] = osp.join(evaluator['overlay_dir'], name)
        out.append(metric)
    return out


@METRICS.register_module()
class SeedMetric(IoUMetric):
    """Seed mIoU / precision / recall, and writes seeds as PNGs.

    Seeds hold ``ignore_index`` (255) where no label is given. Against the GT,
    an ignored seed pixel counts as a *miss* of its GT class (it lowers recall
    and IoU, not precision), so:

    - ``mIoU`` is the usual seed mIoU of the WSSS literature,
    - ``mPrecision`` is the accuracy of the labelled seed pixels,
    - ``mRecall`` the share of each class's pixels that got its label,
    - ``coverage`` the share of all pixels that got a label.

    Writing (``output_dir``): one palette PNG per image, named after the image
    (``{img_id}.png``), written atomically (temp file + rename) so an
    interrupted run leaves no corrupt file.

    Provenance: before the test loop,
    :class:`~wsss_mm.engine.hooks.seed_resume_hook.SeedResumeHook`
    (registered by ``tools/test.py``) checks ``output_dir`` against the run
    (``provenance.json``: checkpoint sha256, resolved model config, test
    pipeline, dataset and split; :mod:`wsss_mm.utils.provenance`): a
    folder of another run, or PNGs without a manifest, are refused before any
    seed is computed, unless ``overwrite`` (``tools/test.py --overwrite``),
    which empties the folder (its PNGs and manifest, and the overlays)
    first. Without that hook (another entry point) a folder that already held
    PNGs is refused at the first batch: their provenance cannot be checked.

    Resuming (``resume``, default True) is the one seed-resume option: files
    already in ``output_dir`` (of the same provenance) are kept and scored as
    they are, and ``SeedResumeHook`` hands :attr:`resume_dir` to the model so
    that it does not compute those seeds again. In a distributed run every
    rank writes the seeds of its own shard; the metric sums the areas over
    ranks.

    Pictures: the first ``num_overlays`` images of rank 0 are saved as
    image | CAM | seeds | GT panels in ``overlay_dir`` (default
    ``{output_dir}_overlays``).

    Several seed sets in one run (``SeedSetsGenerator``): one metric per set,
    ``seed_set=NAME`` reads that set (the sample's ``seed_sets[NAME]``),
    writes it into its own ``output_dir`` and names its metrics
    ``NAME/seed/...`` (``prefix``, default ``NAME/seed``).
    """

    def __init__(self,
                 output_dir: Optional[str] = None,
                 resume: bool = True,
                 overwrite: bool = False,
                 num_overlays: int = 8,
                 overlay_dir: Optional[str] = None,
                 iou_metrics: Sequence[str] = ('mIoU', 'mFscore'),
                 prefix: Optional[str] = None,
                 seed_set: Optional[str] = None,
                 **kwargs):
        self.seed_set = seed_set
        if prefix is None:
            prefix = f'{seed_set}/seed' if seed_set else 'seed'
        super().__init__(
            iou_metrics=list(iou_metrics), prefix=prefix, **kwargs)
        # IoUMetric only creates output_dir on rank 0; every rank writes here.
        self.output_dir = output_dir
        if output_dir:
            os.makedirs(output_dir, exist_ok=True)
        self.resume = resume
        self.overwrite = overwrite
        #: set by SeedResumeHook once the folder's provenance is checked
        self.provenance_checked = False
        self._held_outputs = bool(output_dir) and (
            any(n.endswith('.png') for n in os.listdir(output_dir))
            or osp.isfile(osp.join(output_dir, MANIFEST)))
        self.num_overlays = num_overlays
        self.overlay_dir = overlay_dir or (f'{output_dir.rstrip("/")}_overlays'
                                           if output_dir else None)
        self._overlays_done = 0

    @property
    def resume_dir(self) -> Optional[str]:
        """Folder whose existing seeds are kept (``output_dir`` when
        ``resume``), else None."""
        return self.output_dir if self.resume and self.output_dir else None

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        if self._held_outputs and not self.provenance_checked:
            raise ProvenanceError(
                f'SeedMetric: {self.output_dir} already held seeds or a '
                'manifest and '
                'their provenance was not checked (SeedResumeHook, which '
                'tools/test.py '
                'registers, is not in this run): they are not reused or '
                'scored. Run '
                f'through tools/test.py, add dict(type="SeedResumeHook") to '
                f'custom_hooks, or write to an empty folder')
        num_classes = len(self.dataset_meta['classes'])
        for sample in data_samples:
            if self.seed_set is None and sample.get('seed_sets'):
                raise ValueError(
                    'SeedMetric: the model writes the seed sets '
                    f'{sorted(sample["seed_sets"])} but this metric names '
                    'none (seed_set): one SeedMetric per set is needed '
                    '(tools/test.py makes them from test_evaluator; other '
                    'entry points: wsss_mm.evaluation.metrics.seed_metric.'
                    'expand_seed_sets)')
            if self.seed_set is not None:
                sets = sample.get('seed_sets') or {}
                if self.seed_set not in sets:
                    raise KeyError(
                        f'SeedMetric(seed_set={self.seed_set!r}): the model '
                        f'wrote no such seed set (it wrote {sorted(sets)}); '
                        'the seed generator must be a SeedSetsGenerator '
                        'with that set')
                sample = dict(
                    sample,
                    pred_sem_seg=dict(data=sets[self.seed_set]['seeds'][None]),
                    seg_logits=dict(data=sets[self.seed_set]['scores']))
            pred = sample['pred_sem_seg']['data'].squeeze(0).cpu()
            img_id = osp.splitext(osp.basename(sample['img_path']))[0]
            if self.output_dir:
                path = osp.join(self.output_dir, img_id + '.png')
                if self.resume and osp.isfile(path):
                    pred = torch.from_numpy(
                        read_label_png(path).astype(np.int64))
                else:
                    atomic_write_png(pred.numpy().astype(np.uint8), path)
            gt = None
            if 'gt_sem_seg' in sample:
                gt = sample['gt_sem_seg']['data'].squeeze(0).cpu().to(pred)
                areas = self.intersect_and_union(pred, gt, num_classes,
                                                 self.ignore_index)
                labelled = (pred != self.ignore_index).sum()
                self.results.append(tuple(areas) + (labelled, pred.numel()))
            self._save_overlay(sample, img_id, pred, gt)

    def _save_overlay(self, sample, img_id, pred, gt):
        if (self.overlay_dir is None
                or self._overlays_done >= self.num_overlays
                or get_rank() != 0):
            return
        image = mmcv.imread(sample['img_path'], channel_order='rgb')
        cam = None
        logits = sample.get('seg_logits', {}).get('data')
        if logits is not None and logits.shape[0] > 1 and logits[1:].abs().sum(
        ) > 0:
            if logits.min() < 0:  # logits / log-probabilities, not scores
                logits = logits.float().softmax(0)
            cam = logits[1:].max(0).values.float().cpu().numpy()
            cam = cam / max(cam.max(), 1e-5)
        panel = seed_overlay(image, pred.numpy(), cam,
                             None if gt is None else gt.numpy())
        atomic_write_png(
            panel, osp.join(self.overlay_dir, img_id + '.png'), palette=False)
        self._overlays_done += 1

    def compute_metrics(self, results: list) -> Dict[str, float]:
        logger = MMLogger.get_current_instance()
        if not results:
            logger.warning('SeedMetric: no GT masks, seeds written only')
            return {}
        labelled = sum(int(r[4]) for r in results)
        total = sum(int(r[5]) for r in results)
        metrics = super().compute_metrics([r[:4] for r in results])
        metrics['coverage'] = round(100.0 * labelled / max(total, 1), 2)
        return metrics
