"""Test (evaluate) a checkpoint, or write seeds with a seed-mode config.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out DIR]
        [--tta] [--metrics-out FILE.json] [--cfg-options k=v ...]
    bash tools/dist_test.sh CONFIG CHECKPOINT GPUS

Same interface as mmsegmentation's tools/test.py, plus --metrics-out (the
metrics as JSON, for scripts; with an ``IoUMetric``, also ``IoU_per_class``:
each class's IoU in %, the numbers of the logged per-class table),
--overwrite and --min-ckpt-match. A config whose seed generator is a
``SeedSetsGenerator`` writes each set into ``--out``/<set name>, each folder
with its own provenance, and its metrics as ``<set name>/seed/...``.

Output folders carry their provenance (``provenance.json``: checkpoint
sha256, resolved model config, test pipeline, dataset and split;
:mod:`wsss_mm.utils.provenance`). Seed runs resume: seeds already in
--out (``test_evaluator.output_dir``) of the *same* provenance are kept and
not computed again unless ``--cfg-options test_evaluator.resume=False``; a
folder made by another run (another checkpoint, config, data or split), or
PNGs without a manifest, are refused before anything is computed, unless
--overwrite, which empties the folder first (:class:`SeedResumeHook`,
registered here).

A checkpoint that would load fewer than --min-ckpt-match (default 50 %) of
the model's weights (e.g. a backbone-only pretrained file) is refused
before testing. Checkpoints saved by mmengine into a work dir load under
torch >= 2.6 (see wsss_mm/utils/checkpoint.py).
"""
import argparse

from mmengine.runner import Runner

import wsss_mm  # noqa: F401
from wsss_mm.engine.hooks.seed_resume_hook import SeedResumeHook
from wsss_mm.evaluation.class_iou import record_class_iou
from wsss_mm.evaluation.metrics.seed_metric import expand_seed_sets
from wsss_mm.utils.checkpoint import check_checkpoint_covers_model
from wsss_mm.utils.dist import setup_cpu_distributed, teardown_distributed
from wsss_mm.utils.io import atomic_write_json
from wsss_mm.utils.tool_args import (add_common_args, load_config,
                                     parse_with_rank)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out',
        help='dir to save predictions (segmentation '
        'maps / seeds) as PNGs: sets test_evaluator.output_dir; '
        'seeds already there are reused (test_evaluator.resume)')
    parser.add_argument('--show-dir', help='dir for painted predictions')
    parser.add_argument(
        '--tta',
        action='store_true',
        help='test-time augmentation '
        '(the config\'s tta_model and tta_pipeline)')
    parser.add_argument('--metrics-out', help='write the metrics as JSON here')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='empty the output '
        'folder (its PNGs and provenance.json) first, even when it holds '
        'outputs of another run (otherwise refused)')
    parser.add_argument(
        '--min-ckpt-match',
        type=float,
        default=0.5,
        metavar='FRACTION',
        help='refuse a checkpoint that loads fewer than this fraction of '
        'the model\'s weights (default 0.5; 0: no check)')
    return parse_with_rank(add_common_args(parser), argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True
    # a SeedSetsGenerator: one seed metric (and folder under --out) per set
    cfg.test_evaluator = expand_seed_sets(cfg.test_evaluator, cfg.model)
    if args.show_dir is not None:
        hook = cfg.default_hooks.get('visualization')
        if hook is None:
            raise KeyError(
                '--show-dir needs default_hooks.visualization in the config')
        hook['draw'] = True
        hook['interval'] = 1
        cfg.visualizer['save_dir'] = args.show_dir
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise KeyError(
                '--tta needs tta_model and tta_pipeline in the config')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    # before anything is computed: a file that loads (almost) no key of the
    # model would test its random initial weights
    check_checkpoint_covers_model(runner.model, args.checkpoint,
                                  args.min_ckpt_match)
    hooks = [h for h in runner.hooks if isinstance(h, SeedResumeHook)]
    if not hooks:
        hooks = [SeedResumeHook()]
        runner.register_hook(hooks[0])
    if args.overwrite:
        for hook in hooks:
            hook.overwrite = True
    per_class = record_class_iou(
        runner.test_loop.evaluator) if args.metrics_out else {}
    metrics = runner.test()
    if args.metrics_out and runner.rank == 0:
        out = {
            k: float(v) if hasattr(v, '__float__') else v
            for k, v in metrics.items()
        }
        if per_class:
            out['IoU_per_class'] = per_class
        atomic_write_json(args.metrics_out, out)
    teardown_distributed()
    return metrics


if __name__ == '__main__':
    main()
