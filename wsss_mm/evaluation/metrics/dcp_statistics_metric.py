"""DCP statistics pass: streaming class sums -> class patterns file."""
import time
from typing import Dict, Optional, Sequence

import torch
from mmengine.dist import (all_gather_object, broadcast_object_list, get_rank,
                           get_world_size, is_main_process)
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmseg.registry import METRICS

from wsss_mm.models.seed_generators.dcp_seed_generator import (FEATURE_KEY,
                                                               STATISTICS_META_KEY)
from wsss_mm.models.utils.dcp import ClassStatistics, save_patterns


def rank_share(cap: Optional[int], rank: int, world_size: int) -> Optional[int]:
    """This rank's part of a per-class image cap (the parts sum to ``cap``)."""
    if cap is None:
        return None
    return cap // world_size + (1 if rank < cap % world_size else 0)


@METRICS.register_module()
class DCPStatisticsMetric(BaseMetric):
    """Accumulates eq. (2) of DCP over a ``tools/test.py`` pass and saves the
    class patterns.

    Pair it with ``DCPSeedGenerator(mode='statistics')``, which attaches each
    image's hooked feature map (``dcp_feats``, (D, h, w)) and its settings
    (layer, ``patterns_file``, ``max_images_per_class``, ``sign_rule``) to
    the data samples. ``process`` adds every image to a per-rank
    :class:`ClassStatistics` (float64 sums, O(C·D²) memory, on the features'
    device) using the GT image labels (``gt_img_labels``, background first);
    nothing is stored per image, so ``self.results`` stays empty and
    mmengine's result collection is not used. ``evaluate`` (every rank)
    all-reduces the sums, and rank 0 computes the patterns and writes
    ``patterns_file`` atomically; the metrics returned summarise them.

    Per-class cap in a W-rank run: rank r keeps at most its share of
    ``max_images_per_class`` (the shares sum to the cap, see
    :func:`rank_share`), so a class whose images are unevenly spread over the
    shards may end with a few images fewer than the cap. Use a sampler with
    ``round_up=False`` so that no image is counted twice.

    Args:
        prefix (str): metric key prefix. Default ``'dcp'``.
        output_dir, keep_results: accepted (``tools/test.py --out`` sets them)
            and ignored: the pass writes only the patterns file.
    """
    default_prefix = 'dcp'

    def __init__(self, prefix: Optional[str] = None, collect_device: str = 'cpu',
                 output_dir: Optional[str] = None, keep_results: bool = False,
                 **kwargs):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if output_dir:
            MMLogger.get_current_instance().warning(
                f'DCPStatisticsMetric writes no seeds: output_dir={output_dir!r} is unused')
        self.stats: Optional[ClassStatistics] = None
        self.spec: Optional[dict] = None
        self._t0 = None

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            feat = sample.get(FEATURE_KEY)
            spec = sample.get(STATISTICS_META_KEY)
            if feat is None or spec is None:
                raise KeyError(
                    'DCPStatisticsMetric: the data sample carries no DCP features; '
                    "the model needs seed_generator=dict(type='DCPSeedGenerator', "
                    "mode='statistics', ...) and no test_cfg.reuse_seed_dir")
            labels = sample.get('gt_img_labels')
            if labels is None:
                raise KeyError(f'DCPStatisticsMetric: {sample.get("img_path")} has no '
                               'gt_img_labels (image-level labels are needed for eq. 2)')
            if self.stats is None:
                self._start(spec, num_classes=len(labels) - 1, dim=feat.shape[0],
                            device=feat.device)
            elif spec != self.spec:
                raise ValueError(f'DCPStatisticsMetric: settings changed during the pass: '
                                 f'{self.spec} vs {spec}')
            classes = torch.nonzero(torch.as_tensor(labels)[1:] > 0).flatten()
            self.stats.add(feat, classes)

    def _start(self, spec, num_classes, dim, device):
        self.spec = dict(spec)
        cap = rank_share(spec.get('max_images_per_class'), get_rank(), get_world_size())
        self.stats = ClassStatistics(num_classes, dim, cap, device=device)
        self._t0 = time.time()

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Unused: :meth:`evaluate` reduces the running sums instead."""
        raise NotImplementedError('DCPStatisticsMetric reduces in evaluate()')

    def evaluate(self, size: int) -> dict:
        logger = MMLogger.get_current_instance()
        shapes = all_gather_object(None if self.stats is None else
                                   (self.stats.num_classes, self.stats.dim, self.spec))
        known = [s for s in shapes if s is not None]
        if not known:
            raise RuntimeError('DCPStatisticsMetric: no image was processed by any rank')
        if any(s[:2] != known[0][:2] or s[2] != known[0][2] for s in known):
            raise ValueError(f'DCPStatisticsMetric: ranks disagree on (C, D, settings): {known}')
        if self.stats is None:  # an empty shard still joins the reduction
            dev = 'cuda' if torch.cuda.is_available() and \
                torch.distributed.get_backend() == 'nccl' else 'cpu'
            self._start(known[0][2], known[0][0], known[0][1], dev)
        self.stats.all_reduce()
        metrics = [None]
        if is_main_process():
            metrics[0] = self._finish(logger)
        broadcast_object_list(metrics)
        self.stats, self.spec = None, None
        return metrics[0]

    def _finish(self, logger) -> dict:
        spec, stats = self.spec, self.stats
        result = stats.patterns(spec.get('sign_rule', 'contrast'))
        classes = list(self.dataset_meta.get('classes', ())) if self.dataset_meta else []
        meta = dict(layer=spec['layer'], sign_rule=spec.get('sign_rule', 'contrast'),
                    max_images_per_class=spec.get('max_images_per_class'),
                    classes=classes, dim=stats.dim, world_size=get_world_size(),
                    total_images=int(stats.total_images))
        save_patterns(spec['patterns_file'], result, meta)
        names = classes[1:] if len(classes) == stats.num_classes + 1 else \
            [str(c) for c in range(stats.num_classes)]
        lines = [f'{"class":>16} {"images":>7} {"pixels":>10} {"top eig %":>9} {"sign cos":>8}']
        for c, name in enumerate(names):
            lines.append(f'{name[:16]:>16} {int(result["num_images"][c]):7d} '
                         f'{int(result["num_pixels"][c]):10d} '
                         f'{100 * float(result["explained_variance"][c]):9.2f} '
                         f'{float(result["sign_margin"][c]):8.3f}')
        logger.info(f'DCP class patterns of {spec["layer"]} (D = {stats.dim}) over '
                    f'{int(stats.total_images)} images -> {spec["patterns_file"]}\n'
                    + '\n'.join(lines))
        valid = result['valid']
        missing = [n for n, v in zip(names, valid.tolist()) if not v]
        if missing:
            logger.warning(f'DCP: no image of class(es) {missing}: their pattern is zero '
                           '(never foreground)')
        ev = result['explained_variance'][valid]
        out = {
            'classes': float(valid.sum()),
            'images': float(stats.total_images),
            'min_images_per_class': float(result['num_images'][valid].min()) if valid.any() else 0.,
            'explained_variance': round(100 * float(ev.mean()), 2) if valid.any() else 0.,
            'time_s': round(time.time() - self._t0, 2),
        }
        prefix = f'{self.prefix}/' if self.prefix else ''
        return {prefix + k: v for k, v in out.items()}
