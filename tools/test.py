"""Test (evaluate) a checkpoint, or write seeds with a seed-mode config.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out DIR]
        [--tta] [--metrics-out FILE.json] [--cfg-options k=v ...]
    bash tools/dist_test.sh CONFIG CHECKPOINT GPUS

Same interface as mmsegmentation's tools/test.py, plus --metrics-out (the
metrics as JSON, for scripts). Seed runs resume: seeds already in --out
(``test_evaluator.output_dir``) are kept and not computed again unless
``--cfg-options test_evaluator.resume=False`` (:class:`SeedResumeHook`,
registered here). Checkpoints saved by mmengine into a work dir
load under torch >= 2.6 (see wsss_mm/utils/checkpoint.py).
"""
import argparse
import json
import os
import os.path as osp

from mmengine.runner import Runner

import wsss_mm  # noqa: F401
from wsss_mm.engine.hooks.seed_resume_hook import SeedResumeHook
from wsss_mm.utils.dist import setup_cpu_distributed
from wsss_mm.utils.tool_args import add_common_args, load_config, parse_with_rank


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dir to save predictions (segmentation '
                        'maps / seeds) as PNGs: sets test_evaluator.output_dir; '
                        'seeds already there are reused (test_evaluator.resume)')
    parser.add_argument('--show-dir', help='dir for painted predictions')
    parser.add_argument('--tta', action='store_true', help='test-time augmentation '
                        '(the config\'s tta_model and tta_pipeline)')
    parser.add_argument('--metrics-out', help='write the metrics as JSON here')
    return parse_with_rank(add_common_args(parser), argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True
    if args.show_dir is not None:
        hook = cfg.default_hooks.get('visualization')
        if hook is None:
            raise KeyError('--show-dir needs default_hooks.visualization in the config')
        hook['draw'] = True
        hook['interval'] = 1
        cfg.visualizer['save_dir'] = args.show_dir
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise KeyError('--tta needs tta_model and tta_pipeline in the config')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    if not any(isinstance(h, SeedResumeHook) for h in runner.hooks):
        runner.register_hook(SeedResumeHook())
    metrics = runner.test()
    if args.metrics_out and runner.rank == 0:
        os.makedirs(osp.dirname(osp.abspath(args.metrics_out)), exist_ok=True)
        tmp = args.metrics_out + '.tmp'
        with open(tmp, 'w') as f:
            json.dump({k: float(v) if hasattr(v, '__float__') else v
                       for k, v in metrics.items()}, f, indent=1)
        os.replace(tmp, args.metrics_out)


if __name__ == '__main__':
    main()
