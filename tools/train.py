"""Train any mmseg/mmpretrain config, with wsss_mm's components registered.

    python tools/train.py CONFIG [--work-dir DIR] [--resume]
        [--cfg-options k=v ...]
    bash tools/dist_train.sh CONFIG GPUS        # --launcher pytorch

Same interface as mmsegmentation's tools/train.py. Without CUDA,
``--launcher pytorch`` runs on CPU with the gloo backend.
"""
import argparse
import logging

from mmengine.logging import print_log
from mmengine.runner import Runner

import wsss_mm  # noqa: F401  (registers components and the checkpoint loader)
from wsss_mm.utils.dist import setup_cpu_distributed, teardown_distributed
from wsss_mm.utils.tool_args import (add_common_args, load_config,
                                     parse_with_rank)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Train a segmentor (or classifier)')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        action='store_true',
        default=False,
        help='resume from the latest checkpoint in the work_dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training')
    return parse_with_rank(add_common_args(parser), argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args)
    if args.amp:
        optim_wrapper = cfg.optim_wrapper.type
        if optim_wrapper == 'AmpOptimWrapper':
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    cfg.resume = args.resume
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.train()
    teardown_distributed()


if __name__ == '__main__':
    main()
