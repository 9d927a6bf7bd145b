"""Single-stage WSSS (Araslanov & Roth, CVPR'20): head, segmentor, warm-up
hook, inference options, configs end to end (tools/train.py, tools/test.py).

The math (nGWP, PAMR, pseudo labels, SG, GCI) is tested in
test_single_stage_math.py.
"""
import json
import os.path as osp
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import REPO
from mmengine.registry import init_default_scope
from mmengine.runner import EpochBasedTrainLoop, IterBasedTrainLoop
from mmseg.registry import HOOKS, MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401
from wsss_mm.models.utils.pseudo_labels import pamr_pseudo_labels

init_default_scope('mmseg')


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    """Tiny tensors: one intra-op thread. On an oversubscribed 2-core
    machine every multi-threaded op can wait a scheduler time slice
    (measured: a 64x64 predict 1.75 s with 2 threads, 5 ms with 1)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


NUM_CLASSES = 6  # with background
PREPROC = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True)
VGG = (dict(
    type='DeepLabVGG',
    width_mult=1 / 16,
    norm_cfg=dict(type='BN'),
    out_indices=(2, 4),
    out_before_pool=True), 16, 32)
RESNET = (dict(
    type='ResNetV1c',
    depth=18,
    stem_channels=8,
    base_channels=8,
    out_indices=(0, 3),
    strides=(1, 2, 2, 1),
    dilations=(1, 1, 1, 2),
    contract_dilation=True), 8, 64)


def head_cfg(c1_ch, deep_ch, **kw):
    cfg = dict(
        type='NGWPHead',
        in_channels=deep_ch,
        in_index=1,
        c1_in_channels=c1_ch,
        c1_index=0,
        channels=16,
        c1_channels=4,
        num_classes=NUM_CLASSES,
        dilations=(1, 2, 3),
        norm_cfg=dict(type='BN'))
    cfg.update(kw)
    return cfg


def build(backbone=VGG, head=None, **kw):
    torch.manual_seed(0)
    bb, c1_ch, deep_ch = backbone
    cfg = dict(
        type='SingleStageSegmentor',
        data_preprocessor=PREPROC,
        backbone=bb,
        decode_head=head_cfg(c1_ch, deep_ch, **(head or {})),
        pamr=dict(type='PAMR', num_iter=3, dilations=(1, 2)))
    cfg.update(kw)
    return MODELS.build(cfg)


def sample(labels=(2, ), shape=(32, 32), ori=None, pad=None, flip=False):
    ori = ori or shape
    meta = dict(
        img_shape=shape,
        ori_shape=ori,
        pad_shape=shape,
        flip=flip,
        flip_direction='horizontal' if flip else None)
    if pad is not None:
        meta['padding_size'] = pad
    s = SegDataSample(metainfo=meta)
    img_labels = torch.zeros(NUM_CLASSES)
    img_labels[0] = 1
    img_labels[list(labels)] = 1
    s.gt_img_labels = img_labels
    return s


# ----------------------------------------------------------------- head --
@pytest.mark.parametrize(
    'backbone', [VGG, RESNET], ids=['DeepLabVGG', 'ResNetV1c'])
def test_head_shapes_on_backbones(backbone):
    model = build(backbone)
    x = torch.rand(2, 3, 64, 48)
    feats = model.extract_feat(x)
    assert feats[0].shape[-2:] == (16, 12)  # stride 4
    logits = model._forward(x)
    # foreground channels only, at the stride-4 resolution
    assert logits.shape == (2, NUM_CLASSES - 1, 16, 12)
    assert model.num_classes == model.out_channels == NUM_CLASSES
    # as a plain mmseg head: full logits [bg, y] at the input size
    full = model.decode_head.predict_by_feat(logits,
                                             [dict(img_shape=(64, 48))])
    assert full.shape == (2, NUM_CLASSES, 64, 48)
    assert torch.allclose(full[:, 0], torch.ones_like(full[:, 0]))


def test_head_in_plain_encoder_decoder_trains_on_masks():
    """NGWPHead composes with mmseg's EncoderDecoder (e.g. trained on
    seeds)."""
    bb, c1_ch, deep_ch = VGG
    model = MODELS.build(
        dict(
            type='EncoderDecoder',
            data_preprocessor=PREPROC,
            backbone=bb,
            decode_head=head_cfg(c1_ch, deep_ch)))
    from mmengine.structures import PixelData
    s = sample()
    s.gt_sem_seg = PixelData(data=torch.randint(0, NUM_CLASSES, (1, 32, 32)))
    losses = model.loss(torch.rand(2, 3, 32, 32), [s, s])
    assert losses['decode.loss_ce'].requires_grad


def test_stochastic_gate_train_vs_eval_through_head():
    no_dropout = dict(
        aspp_dropout_ratio=0.0, decoder_dropout_ratios=(0.0, 0.0))
    model = build(
        head=dict(no_dropout, gate=dict(type='StochasticGate', psi=0.5)))
    head = model.decode_head
    feats = [f.detach() for f in model.extract_feat(torch.rand(2, 3, 32, 32))]
    head.train()
    torch.manual_seed(1)
    a = head(feats)
    torch.manual_seed(2)
    b = head(feats)
    assert not torch.allclose(a, b)  # Bernoulli mixing at training time
    head.eval()
    c, d = head(feats), head(feats)
    assert torch.equal(c, d)
    x_d, x_s = head.deep_and_shallow(feats)  # eq. (10) at inference
    expected = head.cls_seg(head.decoder(0.5 * x_d + 0.5 * x_s))
    assert torch.allclose(c, expected, atol=1e-6)
    # without gate: deterministic in training mode too
    plain = build(head=dict(no_dropout, gate=None)).decode_head.train()
    assert plain.gate is None and plain.gci is None
    assert torch.allclose(plain(feats), plain(feats))
    # deterministic gate (Table 1c) and "w/o GCI"
    det = build(
        head=dict(
            no_dropout,
            gci=None,
            gate=dict(type='StochasticGate', psi=0.5,
                      deterministic=True))).decode_head.train()
    assert det.gci is None and det.shallow_proj is not None
    assert torch.allclose(det(feats), det(feats))


# ------------------------------------------------------------ segmentor --
def two_region_batch(model):
    """Image: dark left / bright right; logits: class 2 confident on the left
    (5 vs background 1), every other class -5: a clean pseudo label."""
    img = torch.zeros(2, 3, 32, 32)
    img[..., 16:] = 255.
    mean = torch.tensor(PREPROC['mean']).view(1, 3, 1, 1)
    std = torch.tensor(PREPROC['std']).view(1, 3, 1, 1)
    inputs = (img - mean) / std
    logits = torch.full((2, NUM_CLASSES - 1, 8, 8), -5.)
    logits[:, 1, :, :4] = 5.
    logits.requires_grad_(True)
    return inputs, logits


def test_loss_keys_warmup_and_gradient():
    model = build()
    inputs, logits = two_region_batch(model)
    model._forward = lambda x, data_samples=None: logits
    samples = [sample(labels=(2, )), sample(labels=(2, ))]
    model.seg_loss_enabled = False  # warm-up: classification only
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_cls', 'loss_seg'}
    assert float(
        losses['loss_seg']) == 0 and not losses['loss_seg'].requires_grad
    model.seg_loss_enabled = True
    losses = model.loss(inputs, samples)
    assert {'loss_cls', 'loss_seg', 'seg_keep'} <= set(losses)
    assert float(losses['seg_keep']) == 1.0  # both images keep their labels
    assert float(losses['loss_seg']) > 0
    losses['loss_seg'].backward()
    assert logits.grad is not None and logits.grad.abs().sum() > 0
    # a class without confident pixels discards the image (loss 0)
    model.pseudo_label_cfg['resolution'] = 'mask'
    losses = model.loss(inputs, [sample(labels=(2, 4)), sample(labels=(2, 4))])
    assert float(losses['seg_keep']) == 0 and float(losses['loss_seg']) == 0
    # seg_loss_weight scales the loss
    model.pseudo_label_cfg['resolution'] = 'input'
    model.seg_loss_weight = 2.0
    doubled = model.loss(inputs, samples)['loss_seg']
    model.seg_loss_weight = 1.0
    assert torch.allclose(doubled, 2 * model.loss(inputs, samples)['loss_seg'])


def test_without_pamr_pseudo_labels_come_from_raw_masks():
    """Table 1b "w/o PAMR": pamr=None trains on the unrefined masks."""
    model = build(pamr=None)
    assert model.pamr is None
    inputs, logits = two_region_batch(model)
    model._forward = lambda x, data_samples=None: logits
    samples = [sample(labels=(2, )), sample(labels=(2, ))]
    with mock.patch(
            'wsss_mm.models.segmentors.single_stage_segmentor.'
            'pamr_pseudo_labels',
            wraps=pamr_pseudo_labels) as spy:
        loss = model.loss(inputs, samples)['loss_seg']
    _, _, masks = model.class_scores_and_masks(inputs)
    raw = F.interpolate(
        masks, size=inputs.shape[-2:], mode='bilinear', align_corners=True)
    assert torch.allclose(spy.call_args.args[0], raw.detach())
    assert float(loss) > 0


def test_real_forward_loss_is_finite():
    model = build(RESNET)
    losses = model.loss(torch.randn(2, 3, 32, 32), [sample(), sample((1, 3))])
    assert torch.isfinite(losses['loss_cls']) and torch.isfinite(
        losses['loss_seg'])
    total = losses['loss_cls'] + losses['loss_seg']
    total.backward()
    assert model.decode_head.conv_seg.weight.grad is not None


class FakeRunner:

    def __init__(self,
                 model,
                 loop,
                 iters_per_epoch=4,
                 max_iters=None,
                 max_epochs=None):
        self.model, self.train_loop = model, loop
        self.iter = self.epoch = 0
        self.train_dataloader = [None] * iters_per_epoch
        self.max_iters, self.max_epochs = max_iters, max_epochs


class Wrapped(nn.Module):  # stands for a DDP-like wrapper

    def __init__(self, module):
        super().__init__()
        self.module = module


def test_warmup_hook_toggles_iters_and_epochs():
    model = build()
    hook = HOOKS.build(dict(type='SegLossWarmupHook', warmup_iters=3))
    runner = FakeRunner(
        Wrapped(model), mock.MagicMock(spec=IterBasedTrainLoop))
    hook.before_train(runner)
    states = []
    for it in range(5):
        runner.iter = it
        hook.before_train_iter(runner, it)
        states.append(model.seg_loss_enabled)
    assert states == [False, False, False, True, True]
    # epochs, epoch-based loop: the first 2 epochs
    hook = HOOKS.build(dict(type='SegLossWarmupHook', warmup_epochs=2))
    runner = FakeRunner(model, mock.MagicMock(spec=EpochBasedTrainLoop))
    states = []
    for epoch in range(4):
        runner.epoch, runner.iter = epoch, 10 * epoch
        hook.before_train_iter(runner, 0)
        states.append(model.seg_loss_enabled)
    assert states == [False, False, True, True]
    # epochs with an iteration-based loop: epochs * len(train_dataloader)
    runner = FakeRunner(model, mock.MagicMock(spec=IterBasedTrainLoop), 4)
    runner.iter = 7
    hook.before_train_iter(runner, 7)
    assert model.seg_loss_enabled is False
    runner.iter = 8
    hook.before_train_iter(runner, 8)
    assert model.seg_loss_enabled is True
    # bad configurations
    for kw in (dict(), dict(warmup_iters=1,
                            warmup_epochs=1), dict(warmup_iters=-1),
               dict(warmup_ratio=0.25,
                    warmup_iters=2), dict(warmup_ratio=0.25, warmup_epochs=1),
               dict(warmup_ratio=0), dict(warmup_ratio=1),
               dict(warmup_ratio=1.5), dict(warmup_ratio=-0.1),
               dict(warmup_ratio=True), dict(warmup_ratio='0.25')):
        with pytest.raises(ValueError):
            HOOKS.build(dict(type='SegLossWarmupHook', **kw))
    with pytest.raises(AttributeError, match='seg_loss_enabled'):
        hook.before_train(FakeRunner(nn.Linear(1, 1), None))


def test_warmup_hook_ratio_follows_the_loop_length():
    """warmup_ratio: max(1, int(ratio * max_iters)) iterations, or
    max(1, int(ratio * max_epochs)) epochs of an epoch-based loop; the
    length comes from the runner, so a changed max_iters needs no hook key."""
    model = build()
    hook = HOOKS.build(dict(type='SegLossWarmupHook', warmup_ratio=0.25))
    assert hook.warmup_ratio == 0.25 and hook.warmup_iters is None
    iters = mock.MagicMock(spec=IterBasedTrainLoop)
    # 1000 x 0.25 = 250; 150 x 0.25 = 37.5 -> 37 (rounded down, as the
    # runner's former max(1, iters // 4)); 3 x 0.25 -> at least 1
    for max_iters, length in ((1000, 250), (150, 37), (4, 1), (3, 1)):
        runner = FakeRunner(model, iters, max_iters=max_iters)
        assert hook.ratio_length(runner) == length == max(1, max_iters // 4)
        hook.before_train(runner)
        assert model.seg_loss_enabled is False
        runner.iter = length - 1
        hook.before_train_iter(runner, length - 1)
        assert model.seg_loss_enabled is False
        runner.iter = length
        hook.before_train_iter(runner, length)
        assert model.seg_loss_enabled is True
    runner = FakeRunner(Wrapped(model), iters, max_iters=8)  # DDP-like wrapper
    hook = HOOKS.build(dict(type='SegLossWarmupHook', warmup_ratio=0.5))
    states = []
    for it in range(6):
        runner.iter = it
        hook.before_train_iter(runner, it)
        states.append(model.seg_loss_enabled)
    assert states == [False] * 4 + [True] * 2
    # epoch-based loop: the paper's 5 of 20 epochs
    hook = HOOKS.build(dict(type='SegLossWarmupHook', warmup_ratio=0.25))
    runner = FakeRunner(
        model, mock.MagicMock(spec=EpochBasedTrainLoop), max_epochs=20)
    assert hook.ratio_length(runner) == 5
    states = []
    for epoch in range(7):
        runner.epoch, runner.iter = epoch, 10 * epoch
        hook.before_train_iter(runner, 0)
        states.append(model.seg_loss_enabled)
    assert states == [False] * 5 + [True] * 2


# -------------------------------------------------------------- predict --
def confident_logits(present=(1, ), weak=(3, )):
    """Foreground logits: the classes in ``present`` fill a region with 6
    (sigmoid(score) ~ 1), those in ``weak`` are 1.5 on one pixel (low
    confidence), the rest -6."""
    logits = torch.full((1, NUM_CLASSES - 1, 8, 8), -6.)
    for i, c in enumerate(present):
        logits[0, c - 1, :, 2 * i:2 * i + 3] = 6.
    for c in weak:
        logits[0, c - 1, 7, 7] = 1.5
    return logits


def test_predict_shapes_geometry_and_cls_threshold():
    model = build(test_cfg=dict(cls_threshold=0.5)).eval()
    logits = confident_logits(present=(1, ), weak=(3, ))
    model._forward = lambda x, data_samples=None: logits
    # 32x32 input = 28x30 image padded, original 56x60, flipped
    s = sample(ori=(56, 60), pad=[0, 2, 0, 4], flip=True)
    out = model.predict(torch.rand(1, 3, 32, 32), [s])[0]
    assert out.seg_logits.data.shape == (NUM_CLASSES, 56, 60)
    assert out.pred_sem_seg.data.shape == (1, 56, 60)
    probs = out.seg_logits.data.softmax(0)
    assert torch.allclose(probs.sum(0), torch.ones(56, 60), atol=1e-5)
    scores = torch.tensor(out.metainfo['cls_scores'])
    assert scores[0] > 0.5 and scores[2] < 0.5  # class 3 is weak
    assert torch.all(probs[3] < 1e-6)  # removed
    assert set(out.pred_sem_seg.data.unique().tolist()) <= {0, 1}
    # flip undone: class 1 sits on the right of the original image
    pred = out.pred_sem_seg.data[0]
    assert (pred[:, -5:] == 1).float().mean() > (pred[:, :5]
                                                 == 1).float().mean()
    # threshold 0 keeps every class
    model.test_cfg['cls_threshold'] = 0.0
    out = model.predict(torch.rand(1, 3, 32, 32), [sample()])[0]
    assert out.seg_logits.data.softmax(0)[3].max() > 1e-6
    # no data samples: shapes from the input
    out = model.predict(torch.rand(1, 3, 32, 32))[0]
    assert out.pred_sem_seg.data.shape == (1, 32, 32)


def test_use_gt_labels_mode():
    model = build(test_cfg=dict(use_gt_labels=True)).eval()
    model._forward = lambda x, data_samples=None: confident_logits(
        present=(1, 4), weak=())
    out = model.predict(torch.rand(1, 3, 32, 32), [sample(labels=(4, ))])[0]
    assert set(out.pred_sem_seg.data.unique().tolist()) <= {0, 4}
    assert (out.pred_sem_seg.data == 4).any()
    bad = SegDataSample(metainfo=dict(img_shape=(32, 32), ori_shape=(32, 32)))
    with pytest.raises(KeyError, match='gt_img_labels'):
        model.predict(torch.rand(1, 3, 32, 32), [bad])


def test_crf_post_processing_runs():
    pytest.importorskip('pydensecrf.densecrf')
    model = build(test_cfg=dict(crf=True, cls_threshold=0.5)).eval()
    assert model.test_cfg['crf']['bilateral'] == dict(
        sxy=80, srgb=13, compat=10)
    model._forward = lambda x, data_samples=None: confident_logits((1, ),
                                                                   (3, ))
    out = model.predict(torch.rand(1, 3, 32, 32), [sample(ori=(40, 40))])[0]
    probs = out.seg_logits.data.softmax(0)
    assert probs.shape == (NUM_CLASSES, 40, 40)
    assert set(out.pred_sem_seg.data.unique().tolist()) <= {0, 1}
    assert torch.all(
        probs[2:] < 1e-6)  # only background + kept class in the CRF


# ---------------------------------------------------------- bad inputs --
def test_bad_inputs_are_named():
    model = build()
    with pytest.raises(KeyError, match='gt_img_labels'):
        model.loss(
            torch.rand(2, 3, 32, 32),
            [SegDataSample(metainfo=dict(img_shape=(32, 32)))] * 2)
    for psi in (-0.1, 1.5):
        with pytest.raises(ValueError, match='psi'):
            build(head=dict(gate=dict(type='StochasticGate', psi=psi)))
    for value in (1.5, -0.1, 'high', True):
        with pytest.raises(ValueError, match='cls_threshold'):
            build(test_cfg=dict(cls_threshold=value))
    with pytest.raises(ValueError, match='unknown test_cfg'):
        build(test_cfg=dict(cls_thresh=0.2))
    with pytest.raises(ValueError, match='fg_ratio'):
        build(pseudo_label_cfg=dict(fg_ratio=2))
    with pytest.raises(ValueError, match='focal_lambda'):
        build(focal_lambda=0)
    with pytest.raises(ValueError, match='num_classes'):
        build(head=dict(num_classes=1))
    wrong = build(head=dict(c1_index=2))
    with pytest.raises(IndexError, match='c1_index'):
        wrong._forward(torch.rand(2, 3, 32, 32))
    with pytest.raises(ValueError, match='stride-4 channels'):
        build(head=dict(c1_in_channels=5))._forward(torch.rand(2, 3, 32, 32))


# ---------------------------------------------------------- end to end --
def test_mini_config_train_test_tta_and_pseudo_masks(tiny_voc, tmp_path):
    """tools/train.py (warm-up then seg loss) + tools/test.py (+ --tta) of the
    mini config on the tiny fixture, and the pseudo-mask (seed) config."""
    from tools import test as test_tool
    from tools import train as train_tool
    data = [
        f'{k}.dataset.data_root={tiny_voc}'
        for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]
    loaders = [
        f'{k}.{o}'
        for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')
        for o in ('num_workers=0', 'persistent_workers=False', 'batch_size=2')
    ]
    common = data + loaders + [
        'model.backbone.init_cfg=None', 'model.data_preprocessor.size=(64,64)'
    ]
    work = tmp_path / 'work'
    train_tool.main([
        'configs/single_stage/ngwp_vgg16-slim_mini.py', '--work-dir',
        str(work), '--cfg-options', *common,
        'train_dataloader.dataset.pipeline.2.crop_size=(64,64)',
        'train_cfg.max_iters=4', 'val_cfg=None', 'val_dataloader=None',
        'val_evaluator=None', 'custom_hooks.0.warmup_ratio=0.5',
        'default_hooks.checkpoint.interval=4',
        'default_hooks.logger.interval=1'
    ])
    ckpt = work / 'iter_4.pth'
    assert ckpt.is_file()
    log = open(next(work.rglob('*.log'))).read()
    assert 'seg_loss_enabled=False at epoch 0, iteration 0' in log
    assert 'seg_loss_enabled=True at epoch 0, iteration 2' in log
    assert 'seg_keep' in log  # the segmentation loss ran after the warm-up
    # TTA (4 scales x flip) on two val images only
    for flags, opts in (([], []), (['--tta'],
                                   ['test_dataloader.dataset.indices=2'])):
        metrics = tmp_path / f'metrics{len(flags)}.json'
        test_tool.main([
            'configs/single_stage/ngwp_vgg16-slim_mini.py',
            str(ckpt), *flags, '--work-dir',
            str(tmp_path / 'test'), '--metrics-out',
            str(metrics), '--cfg-options', *common, *opts
        ])
        result = json.load(open(metrics))
        assert 0 <= result['mIoU'] <= 100
    seeds = tmp_path / 'pseudo'
    metrics = tmp_path / 'seed.json'
    test_tool.main([
        'configs/single_stage/ngwp_vgg16-slim_mini_pseudo-masks.py',
        str(ckpt), '--work-dir',
        str(tmp_path / 'seed'), '--metrics-out',
        str(metrics), '--cfg-options', *common,
        f'test_evaluator.output_dir={seeds}'
    ])
    assert 0 <= json.load(open(metrics))['seed/mIoU'] <= 100
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    assert sorted(p.name for p in seeds.glob('*.png')) == sorted(i + '.png'
                                                                 for i in ids)


def test_voc_configs_compose():
    from mmengine.config import Config
    vgg = Config.fromfile(
        osp.join(REPO, 'configs/single_stage/ngwp_vgg16_voc12.py'))
    r101 = Config.fromfile(
        osp.join(REPO, 'configs/single_stage/ngwp_r101_voc12.py'))
    mini = Config.fromfile(
        osp.join(REPO, 'configs/single_stage/ngwp_vgg16-slim_mini.py'))
    # warm-up: a quarter of the loop, 5 of 20 epochs (paper)
    assert vgg.train_cfg.max_epochs == 20 and vgg.custom_hooks[
        0].warmup_ratio == 0.25
    assert vgg.optim_wrapper.paramwise_cfg.custom_keys.head.lr_mult == 10
    assert vgg.tta_model.type == mini.tta_model.type == 'SingleStageTTAModel'
    assert r101.model.backbone.type == 'ResNetV1c'
    assert r101.model.decode_head.in_channels == 2048
    for cfg in (vgg, r101, mini):
        assert cfg.model.type == 'SingleStageSegmentor'
        assert cfg.model.decode_head.type == 'NGWPHead'
    # mini twin: warm-up a quarter of the iterations (the same hook); it keeps
    # the optimiser and ASPP BN the bench measured (head 10x, BN trained),
    # the VOC configs take the reference's (bias multipliers, frozen stats)
    assert mini.custom_hooks == vgg.custom_hooks == r101.custom_hooks
    assert 'warmup_iters' not in mini.custom_hooks[0]
    assert mini.optim_wrapper.paramwise_cfg == dict(
        custom_keys={'decode_head': dict(lr_mult=10.0)})
    assert mini.model.decode_head.aspp_norm_eval is False
    assert vgg.model.decode_head.aspp_norm_eval is True
    assert r101.optim_wrapper.paramwise_cfg == vgg.optim_wrapper.paramwise_cfg
    assert (mini.optim_wrapper.optimizer.type ==
            vgg.optim_wrapper.optimizer.type == 'SGD')
    cfg = dict(r101.model)
    cfg['backbone'] = dict(cfg['backbone'], depth=18, init_cfg=None)
    cfg['decode_head'] = dict(
        cfg['decode_head'], in_channels=512, c1_in_channels=64)
    model = MODELS.build(cfg)
    assert model._forward(torch.rand(2, 3, 64, 64)).shape == (2, 20, 16, 16)
    assert np.isclose(model.test_cfg['bg_pow'], 3.0)


def test_random_rescale_is_relative_to_the_image():
    from mmseg.registry import TRANSFORMS
    t = TRANSFORMS.build(dict(type='RandomRescale', ratio_range=(0.25, 0.25)))
    out = t(
        dict(
            img=np.zeros((100, 60, 3), np.uint8),
            gt_seg_map=np.zeros((100, 60), np.uint8),
            seg_fields=['gt_seg_map']))
    assert out['img'].shape[:2] == (50, 30) and out['gt_seg_map'].shape == (50,
                                                                            30)
    t = TRANSFORMS.build(
        dict(type='RandomRescale', ratio_range=(0.5, 0.5), area=False))
    assert t(
        dict(img=np.zeros((100, 60, 3), np.uint8)))['img'].shape[:2] == (50,
                                                                         30)
    with pytest.raises(ValueError):
        TRANSFORMS.build(dict(type='RandomRescale', ratio_range=(1.0, 0.5)))


# ------------------------------------------- reference details (#17) --
def _group_of(model, optim_wrapper):
    """{parameter name: (lr, weight_decay)} of a built optimiser."""
    names = {id(p): n for n, p in model.named_parameters()}
    return {
        names[id(p)]: (g['lr'], g['weight_decay'])
        for g in optim_wrapper.optimizer.param_groups for p in g['params']
    }


@pytest.mark.parametrize('config',
                         ['ngwp_vgg16_voc12.py', 'ngwp_wrn38_voc12.py'])
def test_voc_parameter_groups_are_the_references(config):
    """base_net.py parameter_groups: backbone weights 1x (wd), backbone biases
    2x (no wd), new weights 10x (wd), new biases 20x (no wd); frozen
    parameters train at no rate (reference: not in the optimiser)."""
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    cfg = Config.fromfile(osp.join(REPO, 'configs/single_stage', config))
    cfg.model.backbone.init_cfg = None
    if cfg.model.backbone.type == 'WideResNet38':  # same names, 1/16 width
        cfg.model.backbone.width_mult = 1 / 16
        cfg.model.decode_head.update(in_channels=256, c1_in_channels=16)
    model = MODELS.build(cfg.model)
    model.train()  # freezing happens here for some backbones
    groups = _group_of(model, build_optim_wrapper(model, cfg.optim_wrapper))
    optimizer = cfg.optim_wrapper.optimizer
    lr, wd = optimizer.lr, optimizer.weight_decay
    assert (lr, wd) == (1e-3, 5e-4)
    seen = set()
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        new = name.startswith('decode_head.')
        bias = name.endswith('.bias')
        expected = (lr * (10 if new else 1) * (2 if bias else 1),
                    0.0 if bias else wd)
        assert groups[name] == pytest.approx(expected), name
        seen.add((new, bias))
    # every kind occurs (VGG-16 has conv biases; ResNet-38 none: frozen BN)
    assert {(True, True), (True, False), (False, False)} <= seen
    assert ((False, True) in seen) == (config == 'ngwp_vgg16_voc12.py')
    if config == 'ngwp_wrn38_voc12.py':
        frozen = [
            n for n, p in model.named_parameters() if not p.requires_grad
        ]
        assert all(n.startswith('backbone.') for n in frozen)
        assert 'backbone.conv1a.weight' in frozen
        assert 'backbone.b2_2.conv_branch2b1.weight' in frozen
        assert 'backbone.b3.conv_branch2a.weight' in groups
        assert not any('.bn' in n for n in groups if n.startswith('backbone.'))


def test_aspp_norm_statistics_frozen():
    """aspp_norm_eval (reference _fix_running_stats(self.aspp)): the ASPP BNs
    normalise with their initial statistics in training (affine still
    learnt); the skip / fusion / GCI / decoder BNs train as usual."""
    from torch.nn.modules.batchnorm import _BatchNorm
    model = build()
    head = model.decode_head
    assert head.aspp_norm_eval
    aspp = head.aspp_norms()
    assert len(aspp) == len(
        head.aspp_modules) + 2  # rates + image pool + projection
    model.train()
    assert all(not m.training for m in aspp)
    others = [
        m for m in head.modules()
        if isinstance(m, _BatchNorm) and m.affine and all(m is not a
                                                          for a in aspp)
    ]
    assert others and all(m.training for m in others)
    before = [m.running_mean.clone() for m in aspp]
    model.loss(torch.rand(2, 3, 32, 32), [sample(), sample()])
    assert all(torch.equal(b, m.running_mean) for b, m in zip(before, aspp))
    assert all(m.weight.requires_grad for m in aspp)
    # a single image in training: fine with frozen statistics
    model.decode_head(model.extract_feat(torch.rand(1, 3, 32, 32)))
    # off: the ASPP BNs train
    model = build(head=dict(aspp_norm_eval=False)).train()
    assert all(m.training for m in model.decode_head.aspp_norms())
    model.eval()
    assert not any(m.training for m in model.decode_head.aspp_norms())


def _tta_data(model, views):
    """The TTA loader's batch of one image: ``views`` = [(flip, logits)]."""
    inputs, samples = [], []
    for flip, _ in views:
        inputs.append([torch.randint(0, 255, (3, 32, 32), dtype=torch.uint8)])
        s = sample(ori=(40, 40), flip=flip)
        samples.append([s])
    queue = [logits for _, logits in views]
    model._forward = lambda x, data_samples=None: queue.pop(0)
    return dict(inputs=inputs, data_samples=samples)


def test_tta_averages_views_then_filters_and_crfs_once():
    """SingleStageTTAModel: mean of the views' raw masks at the original size,
    max confidence over the views, then ONE finalize (class filter, bg_pow,
    CRF), as the reference's infer_val.py / MergeMultiScale."""
    model = build(test_cfg=dict(cls_threshold=0.6, bg_pow=2.0)).eval()
    tta = MODELS.build(dict(type='SingleStageTTAModel', module=model))
    # class 1 confident in both views; class 3 confident in the flipped one
    # only (mean confidence ~0.5 < 0.6, max ~1 -> kept); class 4 weak in both
    views = [(False, confident_logits(present=(1, ), weak=(4, ))),
             (True, confident_logits(present=(1, 3), weak=(4, )))]
    data = _tta_data(model, views)
    # expected, by hand from the module's single-view pieces
    probs, confs = [], []
    for (flip, logits), inp, smp in zip(views, data['inputs'],
                                        data['data_samples']):
        model._forward = lambda x, data_samples=None, _l=logits: _l
        batch = model.data_preprocessor(
            dict(inputs=inp, data_samples=smp), False)
        p, c = model.view_probs(batch['inputs'], batch['data_samples'])
        probs.append(p[0])
        confs.append(c[0])
    mean = (probs[0] + probs[1]) / 2
    conf = torch.maximum(confs[0], confs[1])
    assert conf[2] > 0.6 > (confs[0][2] + confs[1][2]) / 2 and conf[3] < 0.6
    keep = torch.tensor([1., 0., 1., 0., 0.])
    expected = torch.cat([mean[:1]**2, mean[1:] * keep[:, None, None]])
    data = _tta_data(model, views)
    out = tta.test_step(data)
    assert len(out) == 1
    res = out[0]
    assert res.seg_logits.data.shape == (NUM_CLASSES, 40, 40)
    assert torch.allclose(res.seg_logits.data.exp(), expected, atol=1e-6)
    assert torch.equal(res.pred_sem_seg.data[0], expected.argmax(0))
    assert set(res.pred_sem_seg.data.unique().tolist()) <= {0, 1, 3}
    assert res.metainfo['cls_scores'] == pytest.approx(conf.tolist())
    for field in ('view_probs', 'view_cls_conf', 'crf_image'):
        assert field not in res
    # mean confidence instead: class 3 removed
    tta_mean = MODELS.build(
        dict(type='SingleStageTTAModel', module=model, cls_merge='mean'))
    res = tta_mean.test_step(_tta_data(model, views))[0]
    assert not (res.pred_sem_seg.data == 3).any()
    # one CRF per image (not per view), on the averaged map
    model.test_cfg['crf'] = dict(
        num_iter=1,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=80, srgb=13, compat=10))
    calls = []
    model._crf = lambda image, p, k: calls.append(
        (image.shape, p.clone(), k.clone())) or p
    res = tta.test_step(_tta_data(model, views))[0]
    assert len(calls) == 1
    assert calls[0][0] == (40, 40, 3)
    assert torch.allclose(calls[0][1], expected, atol=1e-6)
    assert torch.equal(calls[0][2], keep)


def test_single_view_predict_is_finalize_of_view_probs():
    """predict() and the TTA path share finalize: one view through the TTA
    model equals predict()."""
    model = build(test_cfg=dict(cls_threshold=0.5, bg_pow=3.0)).eval()
    logits = confident_logits(present=(1, 2), weak=(3, ))
    model._forward = lambda x, data_samples=None: logits
    x = torch.rand(1, 3, 32, 32)
    a = model.predict(x, [sample(ori=(40, 40), flip=True)])[0]
    tta = MODELS.build(dict(type='SingleStageTTAModel', module=model))
    raw = model.predict(x, [sample(ori=(40, 40), flip=True)], finalize=False)
    b = tta.merge_preds([raw])[0]
    assert torch.equal(a.seg_logits.data, b.seg_logits.data)
    assert torch.equal(a.pred_sem_seg.data, b.pred_sem_seg.data)


def test_tta_model_bad_inputs():
    model = build()
    with pytest.raises(ValueError, match='cls_merge'):
        MODELS.build(
            dict(type='SingleStageTTAModel', module=model, cls_merge='min'))

    class PlainSegmentor(nn.Module):  # has test_step / predict, no finalize

        def test_step(self, data):
            return []

        def predict(self, inputs, data_samples=None):
            return []

    with pytest.raises(TypeError, match='SingleStageSegmentor'):
        MODELS.build(dict(type='SingleStageTTAModel', module=PlainSegmentor()))
    with pytest.raises(ValueError, match='original image'):
        m = build(test_cfg=dict(crf=True))
        m.finalize(
            torch.rand(NUM_CLASSES, 4, 4), torch.rand(NUM_CLASSES - 1),
            sample())


def test_wrn38_configs_compose():
    """The paper's configs: WideResNet-38 (stride-4 256-ch skip, stride-8
    4096-ch deep map), the reference's test protocol with --tta."""
    from mmengine.config import Config
    val = Config.fromfile(
        osp.join(REPO, 'configs/single_stage/ngwp_wrn38_voc12.py'))
    crf = Config.fromfile(
        osp.join(REPO, 'configs/single_stage/ngwp_wrn38_voc12_crf.py'))
    assert val.model.backbone.type == 'WideResNet38'
    assert val.model.backbone.init_cfg.checkpoint.endswith(
        'ilsvrc-cls_rna-a1_cls1000_ep-0001.pth')
    assert (val.model.decode_head.in_channels,
            val.model.decode_head.c1_in_channels) == (4096, 256)
    assert val.model.test_cfg.crf is None and crf.model.test_cfg.crf is True
    assert val.tta_model.type == crf.tta_model.type == 'SingleStageTTAModel'
    scales = [t['scale_factor'] for t in val.tta_pipeline[1]['transforms'][0]]
    assert scales == [1.0, 0.5, 1.5, 2.0]
    assert val.test_dataloader == crf.test_dataloader == val.val_dataloader
    # the whole network on the meta device: the head taps the right maps
    cfg = dict(val.model)
    cfg['backbone'] = dict(cfg['backbone'], init_cfg=None)
    with torch.device('meta'):
        model = MODELS.build(cfg)
        out = model._forward(torch.empty(1, 3, 321, 321))
    assert out.shape == (1, 20, 81, 81)


def test_wrn38_train_pipeline_is_the_references(tiny_voc):
    """RandomResizedCrop to 321 of 90-100 % of the area, flip, colour
    jitter."""
    from mmengine.config import Config
    from mmengine.dataset import Compose
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/single_stage/ngwp_wrn38_voc12.py'))
    pipeline = Compose(cfg.train_dataloader.dataset.pipeline)
    import glob
    img = sorted(glob.glob(osp.join(tiny_voc, 'JPEGImages', '*')))[0]
    out = pipeline(dict(img_path=img))
    assert out['inputs'].shape == (3, 321, 321)
    assert out['inputs'].dtype == torch.uint8


# ------------------------------------ full supervision, part-and-body --
def gt_batch():
    """(inputs, samples with GT masks, the masks (2, 1, 32, 32)): two images
    whose masks have a 4-row ignore band."""
    from mmengine.structures import PixelData
    inputs = torch.rand(2, 3, 32, 32)
    samples = [sample(), sample()]
    gt = torch.randint(0, NUM_CLASSES, (2, 1, 32, 32))
    gt[:, :, :4] = 255  # an ignore band
    for s, g in zip(samples, gt):
        s.gt_sem_seg = PixelData(data=g)
    return inputs, samples, gt


def test_full_supervision_is_ce_on_the_gt_masks():
    """supervision='full': the head's cross-entropy on [bg, y] (resized to
    the masks, 255 ignored) is the only loss; no nGWP, PAMR or warm-up."""
    model = build(supervision='full')
    assert build().supervision == 'weak'
    inputs, samples, gt = gt_batch()
    model.seg_loss_enabled = False  # the warm-up switch does not apply
    no_pamr = mock.patch.object(
        model.pamr, 'forward', side_effect=AssertionError('PAMR ran'))
    no_ngwp = mock.patch(
        'wsss_mm.models.segmentors.single_stage_segmentor.ngwp_class_scores',
        side_effect=AssertionError('nGWP ran'))
    with no_pamr, no_ngwp:
        torch.manual_seed(3)
        losses = model.loss(inputs, samples)
    assert set(losses) == {'decode.loss_ce', 'decode.acc_seg'}
    torch.manual_seed(3)  # the same gate draws
    logits = model.decode_head.full_logits(model._forward(inputs))
    logits = F.interpolate(
        logits, size=(32, 32), mode='bilinear', align_corners=False)
    ce = F.cross_entropy(logits, gt[:, 0], ignore_index=255, reduction='none')
    assert torch.allclose(
        losses['decode.loss_ce'], ce.mean(), atol=1e-6)  # mmseg's mean
    losses['decode.loss_ce'].backward()
    assert model.decode_head.conv_seg.weight.grad.abs().sum() > 0
    with pytest.raises(ValueError, match='supervision'):
        build(supervision='gt')


def test_full_cls_supervision_is_the_weak_loss_on_the_gt_masks():
    """supervision='full_cls': loss_cls on the nGWP scores + the balanced CE
    of [bg, y] (at the input size) against the GT masks (255 ignored), even
    while the warm-up switch is off; PAMR never runs."""
    from wsss_mm.models.utils.labels import stack_image_labels
    from wsss_mm.models.utils.ngwp import ngwp_class_scores
    from wsss_mm.models.utils.pseudo_labels import balanced_cross_entropy
    model = build(supervision='full_cls')
    inputs, samples, gt = gt_batch()
    model.seg_loss_enabled = False  # the warm-up switch does not apply
    with mock.patch.object(
            model.pamr, 'forward', side_effect=AssertionError('PAMR ran')):
        torch.manual_seed(3)
        losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_cls', 'loss_seg'}
    torch.manual_seed(3)  # the same gate draws
    logits = model._forward(inputs)
    scores, _ = ngwp_class_scores(logits, model.bg_score, model.eps,
                                  model.focal_p, model.focal_lambda)
    labels = stack_image_labels(samples, NUM_CLASSES - 1).to(inputs)
    assert torch.allclose(losses['loss_cls'], model.loss_cls(scores, labels))
    full = model.decode_head.full_logits(logits)
    full = F.interpolate(
        full, size=(32, 32), mode='bilinear', align_corners=True)
    expected = balanced_cross_entropy(full, gt[:, 0], reduction='mean')
    assert torch.allclose(losses['loss_seg'], expected, atol=1e-6)
    (losses['loss_seg'] + losses['loss_cls']).backward()
    assert model.decode_head.conv_seg.weight.grad.abs().sum() > 0


def test_partbody_configs_follow_the_scale_rule():
    """docs/scale.md, partbody (k = 32/41): the VOC twin's values, map
    quantities x k, image ones x 256/500, batch 8 x 256^2 for 2,000
    iterations at seg_2k's LR; the GT reference trains the same network."""
    from mmengine.config import Config

    def load(path):
        return Config.fromfile(osp.join(REPO, 'configs', path))

    voc = load('single_stage/ngwp_vgg16_voc12.py')
    mini = load('single_stage/ngwp_vgg16-slim_mini.py')
    pb = load('single_stage/ngwp_vgg16-slim_partbody.py')
    crf = load('single_stage/ngwp_vgg16-slim_partbody_crf.py')
    seeds = load('single_stage/ngwp_vgg16-slim_partbody_pseudo-masks.py')
    gt = load('full/ngwp_vgg16-slim_partbody_gt.py')
    gt_cls = load('full/ngwp_vgg16-slim_partbody_gt-cls.py')
    head, vhead = pb.model.decode_head, voc.model.decode_head
    k = 32 / 41
    assert head.dilations == (1, ) + tuple(
        round(d * k) for d in vhead.dilations[1:])
    assert head.dilations == (1, 9, 19, 28)
    assert pb.model.pamr.dilations == tuple(
        round(d * k) for d in voc.model.pamr.dilations)
    assert pb.model.pamr.dilations == (1, 2, 3, 6, 9, 19)
    assert crf.model.test_cfg.crf.bilateral == dict(
        sxy=41, srgb=13, compat=10)  # 80 x 256/500
    assert crf.model.test_cfg.crf.gaussian == dict(sxy=3, compat=3)
    assert crf.model.test_cfg.crf.num_iter == 10
    # relative quantities: the VOC twin's (not the mini's bench-era choices);
    # trained ASPP BN statistics are the one instrument choice
    # (docs/fidelity.md)
    assert vhead.aspp_norm_eval is True and head.aspp_norm_eval is False
    assert pb.optim_wrapper.paramwise_cfg == voc.optim_wrapper.paramwise_cfg
    for key in ('pseudo_label_cfg', 'test_cfg', 'bg_score', 'eps', 'focal_p',
                'focal_lambda', 'loss_cls', 'seg_loss_weight'):
        assert pb.model[key] == voc.model[key], key
    assert (head.gate, head.gci, head.num_classes) == (vhead.gate, vhead.gci,
                                                       11)
    assert pb.custom_hooks == voc.custom_hooks
    assert pb.tta_pipeline == voc.tta_pipeline
    assert pb.tta_model == voc.tta_model
    voc_pipeline = voc.train_dataloader.dataset.pipeline
    assert [t for t in pb.train_pipeline if t.type != 'RandomCrop'] == \
        [t for t in voc_pipeline if t.type != 'RandomCrop']
    # width: the slim nets (as the mini twin)
    for key in ('in_channels', 'c1_in_channels', 'channels', 'c1_channels',
                'aspp_dropout_ratio', 'decoder_dropout_ratios'):
        assert head[key] == mini.model.decode_head[key], key
    assert pb.model.backbone == mini.model.backbone
    # scale and schedule
    crop = [
        t for t in pb.train_dataloader.dataset.pipeline
        if t.type == 'RandomCrop'
    ]
    assert crop[0].crop_size == (256, 256) == pb.model.data_preprocessor.size
    assert pb.train_dataloader.batch_size == 8
    assert pb.train_dataloader.dataset.data_root == 'data/mini_partbody'
    assert pb.train_cfg.max_iters == 2000 and pb.param_scheduler == [
    ]  # seg_2k, constant
    # SGD 0.01
    assert pb.optim_wrapper.optimizer == mini.optim_wrapper.optimizer
    assert pb.test_dataloader.dataset.ann_file.endswith('val.txt')
    assert seeds.test_dataloader.dataset.ann_file.endswith('train.txt')
    assert seeds.model.test_cfg.use_gt_labels
    assert seeds.test_evaluator.output_dir.endswith('ngwp_vgg16-slim_partbody')
    # the GT reference: the same network, data and schedule, CE on the masks
    assert gt.model.supervision == 'full'
    assert gt.model.test_cfg.cls_threshold == 0
    for key in ('backbone', 'data_preprocessor'):
        assert gt.model[key] == pb.model[key], key
    assert {
        k: v
        for k, v in gt.model.decode_head.items() if k != 'loss_decode'
    } == head
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'tta_pipeline', 'tta_model'):
        assert gt[key] == pb[key], key
    assert gt.custom_hooks == []
    gt_pipe = gt.train_dataloader.dataset.pipeline
    assert [t for t in gt_pipe
            if t.type != 'LoadAnnotations'] == pb.train_pipeline
    assert (gt.train_dataloader.dataset.data_prefix.seg_map_path ==
            'SegmentationClass')
    assert gt.test_dataloader == pb.test_dataloader
    # the bench's reference: the weak model itself with the GT masks as labels
    assert gt_cls.model.supervision == 'full_cls'
    assert {k: v
            for k, v in gt_cls.model.items() if k != 'supervision'} == pb.model
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'test_dataloader', 'tta_pipeline', 'tta_model'):
        assert gt_cls[key] == pb[key], key
    assert gt_cls.custom_hooks == []
    assert gt_cls.train_dataloader.dataset.pipeline == gt_pipe
    from wsss_mm.recipes import full_ngwp, single_stage
    assert full_ngwp.SEGMENTOR['partbody'].endswith(
        'ngwp_vgg16-slim_partbody_gt-cls.py')
    assert single_stage.MODEL['partbody'].endswith(
        'ngwp_vgg16-slim_partbody.py')
    assert single_stage.WITH_CRF['partbody'].endswith(
        'ngwp_vgg16-slim_partbody_crf.py')
    assert single_stage.PSEUDO_MASKS['partbody'].endswith(
        'ngwp_vgg16-slim_partbody_pseudo-masks.py')


@pytest.mark.parametrize('config', [
    'ngwp_vgg16-slim_partbody_gt.py', 'ngwp_vgg16-slim_mini_gt.py',
    'ngwp_vgg16-slim_partbody_gt-cls.py'
])
def test_gt_config_trains_and_tests(config, tiny_voc, tmp_path):
    """tools/train.py (two iterations on the GT masks) + tools/test.py of the
    fully supervised single-stage configs on the tiny fixture."""
    from tools import test as test_tool
    from tools import train as train_tool
    common = [
        f'{k}.dataset.data_root={tiny_voc}'
        for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]
    common += [
        f'{k}.{o}'
        for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')
        for o in ('num_workers=0', 'persistent_workers=False', 'batch_size=2')
    ]
    common += [
        'model.backbone.init_cfg=None', 'model.data_preprocessor.size=(64,64)'
    ]
    work = tmp_path / 'work'
    path = f'configs/full/{config}'
    train_tool.main([
        path, '--work-dir',
        str(work), '--cfg-options', *common,
        'train_dataloader.dataset.pipeline.3.crop_size=(64,64)',
        'train_cfg.max_iters=2', 'val_cfg=None', 'val_dataloader=None',
        'val_evaluator=None', 'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1'
    ])
    ckpt = work / 'iter_2.pth'
    assert ckpt.is_file()
    log = open(next(work.rglob('*.log'))).read()
    steps = [line for line in log.splitlines() if 'Iter(train)' in line]
    assert len(steps) == 2
    if config.endswith(
            'gt-cls.py'):  # both weak losses, on from the first step
        assert all('loss_cls' in line and 'loss_seg' in line for line in steps)
    else:
        assert all('decode.loss_ce' in line and 'loss_cls' not in line
                   for line in steps)
    metrics = tmp_path / 'metrics.json'
    test_tool.main([
        path,
        str(ckpt), '--work-dir',
        str(tmp_path / 'test'), '--metrics-out',
        str(metrics), '--cfg-options', *common
    ])
    out = json.load(open(metrics))
    assert 0 <= out['mIoU'] <= 100
    # tools/test.py --metrics-out: the per-class table too (None: class absent)
    assert len(out['IoU_per_class']
               ) == 11  # background + the 10 Fashion-MNIST classes
    assert all(v is None or 0 <= v <= 100
               for v in out['IoU_per_class'].values())
