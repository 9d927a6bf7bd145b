"""DCP stage 2a: the statistics pass (eq. 2 of Luo & Yang) -> class patterns
file.

    python tools/dcp_statistics.py CONFIG CHECKPOINT [--out PATTERNS.pth]
        [--work-dir DIR] [--metrics-out FILE.json] [--cfg-options k=v ...]
        [--launcher pytorch] [--no-progress] [--overwrite] [--min-ckpt-match F]
    torchrun --nproc_per_node N tools/dcp_statistics.py CONFIG CKPT
        --launcher pytorch

CONFIG is a DCP config (``configs/dcp/*_statistics.py``): the model is its
``WeakClassifier`` with a ``DCPSeedGenerator`` whose settings the pass reads
(``layer``, ``max_images_per_class``, ``sign_rule``, ``stop_early``;
``patterns_file`` is the output unless ``--out`` is given); the images are its
``test_dataloader`` (the statistics configs shuffle the train split with a
fixed seed, ``round_up=False``) and their image-level labels
(``gt_img_labels``). Every image's ``layer`` output (``WeakClassifier.tap``;
rows and columns of the preprocessor's padding removed) goes into per-class
float64 sums (:class:`~wsss_mm.models.utils.dcp.ClassStatistics`), which are
summed over ranks (``mmengine.dist``); rank 0 computes the class patterns
and writes them atomically. Nothing is stored per image.

Why a tool and not a hook or a metric: the pass fits a model artefact (the
patterns file the seed pass reads), it predicts nothing and has no metric to
report; it needs the GT image labels and a train-split sampler, not the test
loop's. Run through ``tools/test.py`` it had to smuggle features through data
samples into an evaluator that wrote the file as a side effect. Here the
data flow is direct: dataloader -> preprocessor -> tap -> sums -> file. The
model, the dataloader, the checkpoint loading and the distributed setup are
mmengine's ``Runner``'s (the same as ``tools/test.py``), so the features,
their order and therefore the patterns are those of the former route
(``tests/test_models/test_dcp.py`` checks the file against a direct
computation).

Per-class cap in a W-rank run: rank r keeps at most its share of
``max_images_per_class`` (the shares sum to the cap, :func:`rank_share`), so
a class whose images are unevenly spread over the shards may end with a few
images fewer than the cap.

``--metrics-out`` writes a summary (``dcp/classes``, ``dcp/images``,
``dcp/min_images_per_class``, ``dcp/explained_variance`` (%), ``dcp/time_s``).

Provenance: beside the patterns file, ``PATTERNS.provenance.json`` records
the checkpoint's sha256, the model config (the generator's statistics
settings), the dataset, split, pipeline, sampler, randomness and world size,
and the sha256 of the patterns file itself
(:func:`wsss_mm.utils.provenance.statistics_manifest`). An existing
patterns file of another provenance (or of none) is refused unless
``--overwrite``; one of the same provenance is recomputed. The seed pass
(``tools/test.py``) refuses a patterns file whose record names another
checkpoint than the one it loads. A checkpoint that would load fewer than
``--min-ckpt-match`` (50 %) of the model's weights is refused.
"""
import argparse
import sys
import time
from typing import Dict, Optional

import torch
from mmengine.dist import (all_gather_object, broadcast_object_list, get_rank,
                           get_world_size, is_main_process)
from mmengine.logging import MMLogger

import wsss_mm  # noqa: F401  (registers the modules)
from wsss_mm.models.utils.dcp import (ClassStatistics, pattern_cosines,
                                      save_patterns)
from wsss_mm.models.utils.geometry import unpad_features

GENERATOR = 'DCPSeedGenerator'


def rank_share(cap: Optional[int], rank: int,
               world_size: int) -> Optional[int]:
    """This rank's part of a per-class image cap (the parts sum to ``cap``)."""
    if cap is None:
        return None
    return cap // world_size + (1 if rank < cap % world_size else 0)


class StatisticsAccumulator:
    """One rank's streaming sums of the statistics pass.

    ``add(feat, gt_img_labels)`` per image (labels background first, as
    ``gt_img_labels``); ``reduce()`` on every rank sums the ranks (an empty
    shard joins with zeros) and returns the :class:`ClassStatistics` of all.
    """

    def __init__(self, max_images_per_class: Optional[int] = None):
        self.max_images_per_class = max_images_per_class
        self.stats: Optional[ClassStatistics] = None

    def _start(self, num_classes: int, dim: int, device) -> None:
        cap = rank_share(self.max_images_per_class, get_rank(),
                         get_world_size())
        self.stats = ClassStatistics(num_classes, dim, cap, device=device)

    def add(self, feat: torch.Tensor, gt_img_labels) -> list:
        labels = torch.as_tensor(gt_img_labels)
        if self.stats is None:
            self._start(len(labels) - 1, feat.shape[0], feat.device)
        classes = torch.nonzero(labels[1:] > 0).flatten()
        return self.stats.add(feat, classes)

    def reduce(self) -> ClassStatistics:
        shapes = all_gather_object(None if self.stats is None else (
            self.stats.num_classes, self.stats.dim))
        known = [s for s in shapes if s is not None]
        if not known:
            raise RuntimeError(
                'dcp_statistics: no image was processed by any rank')
        if any(s != known[0] for s in known):
            raise ValueError(
                f'dcp_statistics: ranks disagree on (C, D): {known}')
        if self.stats is None:  # an empty shard still joins the reduction
            dev = 'cuda' if torch.cuda.is_available() and \
                torch.distributed.get_backend() == 'nccl' else 'cpu'
            self._start(known[0][0], known[0][1], dev)
        return self.stats.all_reduce()


def write_patterns(stats: ClassStatistics,
                   path: str,
                   layer: str,
                   sign_rule: str,
                   max_images_per_class: Optional[int],
                   classes=(),
                   logger=None,
                   t0: Optional[float] = None) -> Dict[str, float]:
    """Eq. (2) from the summed statistics; writes ``path`` atomically (main
    process only: call it there) and returns the summary metrics."""
    logger = logger or MMLogger.get_current_instance()
    result = stats.patterns(sign_rule)
    classes = list(classes)
    meta = dict(
        layer=layer,
        sign_rule=sign_rule,
        max_images_per_class=max_images_per_class,
        classes=classes,
        dim=stats.dim,
        world_size=get_world_size(),
        total_images=int(stats.total_images))
    save_patterns(path, result, meta)
    names = classes[1:] if len(classes) == stats.num_classes + 1 else \
        [str(c) for c in range(stats.num_classes)]
    lines = [
        f'{"class":>16} {"images":>7} {"pixels":>10} {"top eig %":>9} '
        f'{"sign cos":>8}'
    ]
    for c, name in enumerate(names):
        lines.append(f'{name[:16]:>16} {int(result["num_images"][c]):7d} '
                     f'{int(result["num_pixels"][c]):10d} '
                     f'{100 * float(result["explained_variance"][c]):9.2f} '
                     f'{float(result["sign_margin"][c]):8.3f}')
    logger.info(f'DCP class patterns of {layer} (D = {stats.dim}) over '
                f'{int(stats.total_images)} images -> {path}\n' +
                '\n'.join(lines))
    valid = result['valid']
    # the open question of docs/results.md: are the patterns near-parallel?
    cos, cos_mean, cos_max = pattern_cosines(result['patterns'], valid)
    kept = [n for n, v in zip(names, valid.tolist()) if v]
    logger.info('DCP |patterns @ patterns.T| (off-diagonal mean '
                f'{cos_mean:.3f}, max {cos_max:.3f}):\n' +
                '\n'.join(f'{n[:16]:>16} ' + ' '.join(f'{x:5.2f}' for x in row)
                          for n, row in zip(kept, cos.tolist())))
    missing = [n for n, v in zip(names, valid.tolist()) if not v]
    if missing:
        logger.warning(
            f'DCP: no image of class(es) {missing}: their pattern is zero '
            '(never foreground)')
    ev = result['explained_variance'][valid]
    out = {
        'classes':
        float(valid.sum()),
        'images':
        float(stats.total_images),
        'min_images_per_class':
        float(result['num_images'][valid].min()) if valid.any() else 0.,
        'explained_variance':
        round(100 * float(ev.mean()), 2) if valid.any() else 0.,
        'pattern_cos_mean':
        round(cos_mean, 4),
        'pattern_cos_max':
        round(cos_max, 4),
        'sign_margin':
        round(float(result['sign_margin'][valid].mean()), 4)
        if valid.any() else 0.,
        'time_s':
        round(time.time() - (t0 or time.time()), 2),
    }
    return {'dcp/' + k: v for k, v in out.items()}


def accumulate(model,
               dataloader,
               layer: str,
               max_images_per_class: Optional[int],
               stop_early: bool = True,
               progress: bool = True) -> StatisticsAccumulator:
    """Stream this rank's images through ``model.tap(layer)`` into the sums."""
    from wsss_mm.utils.progress import progress_bar
    tap = model.tap(layer, stop_early)
    acc = StatisticsAccumulator(max_images_per_class)
    bar = None
    if progress and is_main_process():
        has_len = hasattr(dataloader.sampler, '__len__')
        bar = progress_bar(
            len(dataloader.sampler) if has_len else len(dataloader.dataset),
            'dcp statistics')
    model.eval()
    for batch in dataloader:
        with torch.no_grad():
            data = model.data_preprocessor(batch, False)
            inputs, samples = data['inputs'], data['data_samples']
            feats = tap(inputs)
        for feat, sample in zip(feats, samples):
            labels = sample.get('gt_img_labels')
            if labels is None:
                raise KeyError(
                    f'dcp_statistics: {sample.metainfo.get("img_path")} has '
                    'no '
                    'gt_img_labels (image-level labels are needed for eq. 2; '
                    'the pipeline must end with PackWeakSegInputs)')
            acc.add(
                unpad_features(feat, sample.metainfo, inputs.shape[-2:]),
                labels)
            if bar is not None:
                bar.update()
    if bar is not None:
        sys.stdout.write('\n')
    return acc


def run(model,
        dataloader,
        out: str,
        layer: str,
        max_images_per_class: Optional[int] = 800,
        sign_rule: str = 'contrast',
        stop_early: bool = True,
        classes=(),
        progress: bool = True,
        logger=None) -> Dict[str, float]:
    """The whole pass on every rank: accumulate, sum the ranks, rank 0 writes
    ``out``; returns the summary metrics on every rank."""
    t0 = time.time()
    acc = accumulate(model, dataloader, layer, max_images_per_class,
                     stop_early, progress)
    stats = acc.reduce()
    metrics = [None]
    if is_main_process():
        metrics[0] = write_patterns(stats, out, layer, sign_rule,
                                    max_images_per_class, classes, logger, t0)
    broadcast_object_list(metrics)
    return metrics[0]


def parse_args(argv=None):
    from wsss_mm.utils.tool_args import add_common_args, parse_with_rank
    parser = argparse.ArgumentParser(
        description='DCP statistics pass: class patterns of a hooked layer',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__)
    parser.add_argument(
        'config', help='DCP config (configs/dcp/*_statistics.py)')
    parser.add_argument(
        'checkpoint',
        help='classifier checkpoint (the keys of the '
        'whole model, backbone. prefix included)')
    parser.add_argument(
        '--out',
        help='the patterns file to write (default: '
        'model.seed_generator.patterns_file of the config)')
    parser.add_argument('--metrics-out', help='write the summary as JSON here')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bar')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing '
        'patterns file even if another run (or an unknown one) made it')
    parser.add_argument(
        '--min-ckpt-match',
        type=float,
        default=0.5,
        metavar='FRACTION',
        help='refuse a checkpoint that loads fewer than this fraction of '
        'the model\'s weights (default 0.5; 0: no check)')
    return parse_with_rank(add_common_args(parser), argv)


def main(argv=None) -> Dict[str, float]:
    from mmengine.model import is_model_wrapper
    from mmengine.runner import Runner

    from wsss_mm.utils.checkpoint import check_checkpoint_covers_model
    from wsss_mm.utils.dist import setup_cpu_distributed, teardown_distributed
    from wsss_mm.utils.io import atomic_write_json
    from wsss_mm.utils.provenance import (guard_output_file, on_rank0,
                                          statistics_manifest,
                                          write_file_manifest)
    from wsss_mm.utils.tool_args import load_config

    args = parse_args(argv)
    cfg = load_config(args)
    gen = cfg.model.get('seed_generator') or {}
    if gen.get('type') != GENERATOR:
        raise ValueError(
            f'dcp_statistics: {args.config} has model.seed_generator.type='
            f'{gen.get("type")!r}, need {GENERATOR!r}')
    out = args.out or gen.get('patterns_file')
    if not out:
        raise ValueError('dcp_statistics: no output: pass --out or set '
                         'model.seed_generator.patterns_file')
    cfg.model.seed_generator.patterns_file = out
    cfg.load_from = None  # loaded below, explicitly
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    check_checkpoint_covers_model(runner.model, args.checkpoint,
                                  args.min_ckpt_match)

    def guard():
        manifest = statistics_manifest(cfg, args.checkpoint, get_world_size())
        state = guard_output_file(out, manifest, args.overwrite)
        if state != 'new':
            runner.logger.info(
                f'dcp_statistics: {out} exists ({state}): recomputed')
        return manifest

    manifest = on_rank0(guard)  # before the pass: refuse another run's file
    runner.load_checkpoint(args.checkpoint)
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    loader = runner.build_dataloader(
        cfg.test_dataloader,
        seed=runner.seed,
        diff_rank_seed=runner._randomness_cfg.get('diff_rank_seed', False))
    generator = model.seed_generator
    metrics = run(
        model,
        loader,
        out,
        generator.layer,
        generator.max_images_per_class,
        generator.sign_rule,
        generator.stop_early,
        classes=loader.dataset.metainfo.get('classes', ()),
        progress=not args.no_progress,
        logger=runner.logger)
    if is_main_process():
        write_file_manifest(out, manifest)
        if args.metrics_out:
            atomic_write_json(args.metrics_out, metrics)
    teardown_distributed()
    return metrics


if __name__ == '__main__':
    main()
