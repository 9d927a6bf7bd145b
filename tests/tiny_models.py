"""Tiny models, configs and checkpoints for the tools/test.py probes
(tests/test_tools/test_provenance.py, tests/test_utils/test_distributed.py):
configs written on the fly, no file of ``configs/`` read."""
import os
import os.path as osp

import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import wsss_mm  # noqa: F401
from wsss_mm.utils.checkpoint import save_weights_only
from wsss_mm.utils.io import read_label_png

VGG = dict(type='DeepLabVGG', width_mult=0.0625)  # 32 channels, stride 8


def num_fg(root):
    return len(open(osp.join(root, 'classes.txt')).read().split()) - 1


def cam_model(root, **gen):
    return dict(
        type='WeakClassifier',
        backbone=VGG,
        cls_head=dict(
            type='CAMHead', in_channels=32, num_classes=num_fg(root)),
        seed_generator=dict(
            dict(type='CAMSeedGenerator', fg_threshold=0.3, bg_threshold=0.2),
            **gen))


def ficklenet_model(root, seed=0, kernel=3):
    return dict(
        type='WeakClassifier',
        backbone=VGG,
        neck=dict(
            type='StochasticSelectionNeck',
            in_channels=32,
            kernel_size=3,
            dropout_ratio=0.5),
        cls_head=dict(
            type='CAMHead',
            in_channels=32,
            num_classes=num_fg(root),
            kernel_size=kernel,
            stride=kernel),
        seed_generator=dict(
            type='FickleNetSeedGenerator',
            num_selections=4,
            fg_threshold=0.5,
            bg_threshold=0.2,
            seed=seed))


def dcp_model(root, patterns):
    return dict(
        type='WeakClassifier',
        backbone=VGG,
        cls_head=dict(
            type='CAMHead', in_channels=32, num_classes=num_fg(root)),
        seed_generator=dict(
            type='DCPSeedGenerator',
            layer='backbone.features.12',
            patterns_file=str(patterns),
            max_images_per_class=8))


def write_config(path, root, model, batch_size=4):
    """A complete seed-mode config (mmseg scope, the tiny VOC-layout data)."""
    model = dict(
        model,
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            pad_val=0,
            seg_pad_val=255))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='PackWeakSegInputs')
    ]
    loader = dict(
        batch_size=batch_size,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='WeakVOCDataset',
            data_root=str(root),
            ann_file='ImageSets/Segmentation/train.txt',
            data_prefix=dict(
                img_path='JPEGImages', seg_map_path='SegmentationClass'),
            pipeline=pipeline))
    text = '\n'.join([
        "default_scope = 'mmseg'",
        "custom_imports = dict(imports=['wsss_mm'], "
        "allow_failed_imports=False)",
        'randomness = dict(seed=0)',
        "env_cfg = dict(cudnn_benchmark=False, "
        "mp_cfg=dict(mp_start_method='fork', "
        "opencv_num_threads=0), dist_cfg=dict(backend='gloo'))",
        "log_level = 'WARNING'",
        'load_from = None',
        'resume = False',
        f'model = {model!r}',
        f'test_dataloader = {loader!r}',
        "test_cfg = dict(type='TestLoop')",
        "test_evaluator = dict(type='SeedMetric', prefix='seed', "
        "num_overlays=1)",
    ])
    with open(path, 'w') as f:
        f.write(text + '\n')
    return str(path)


def save_random_checkpoint(cfg_path, path, seed):
    from mmengine.config import Config
    init_default_scope('mmseg')
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(cfg_path).model)
    model.init_weights()
    save_weights_only(model.state_dict(), str(path))
    return str(path)


def run_test(cfg, ckpt, work, *extra):
    from tools.test import main
    return main([cfg, ckpt, '--work-dir', str(work), *extra])


def pngs(folder):
    return {
        p: read_label_png(osp.join(folder, p))
        for p in sorted(os.listdir(folder)) if p.endswith('.png')
    }
