"""wsss_mm parts combined with mmseg/mmpretrain parts by config alone."""
import os.path as osp

import numpy as np
import torch
from conftest import REPO, run_tool
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from wsss_mm.utils.io import atomic_write_png, read_label_png


def test_mmseg_deeplabv3plus_config_trains_on_wsss_seeds(tiny_voc, tmp_path):
    """configs/compose/ inherits mmseg::deeplabv3plus/... and trains on
    seeds."""
    seeds = tmp_path / 'seeds'
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    for i in ids:  # seeds: GT with a ring of ignored pixels
        gt = read_label_png(
            osp.join(tiny_voc, 'SegmentationClass', i + '.png'))
        gt = gt.copy()
        gt[:8] = 255
        atomic_write_png(gt, str(seeds / (i + '.png')))
    work = tmp_path / 'work'
    run_tool(
        'tools/train.py',
        'configs/compose/deeplabv3plus_r50-d8_voc12_cam-seeds.py',
        '--work-dir', str(work), '--cfg-options',
        f'train_dataloader.dataset.data_root={tiny_voc}',
        'train_dataloader.dataset.ann_file=ImageSets/Segmentation/train.txt',
        f'train_dataloader.dataset.data_prefix.seg_map_path={seeds}',
        'train_dataloader.dataset.data_prefix.label_path=SegmentationClass',
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'model.pretrained=None',
        'model.data_preprocessor.size=(64,64)',
        'model.decode_head.num_classes=11',
        'model.auxiliary_head.num_classes=11', 'train_cfg.max_iters=2',
        'train_cfg.val_interval=100', 'default_hooks.checkpoint.interval=2',
        'val_cfg=None', 'val_dataloader=None', 'val_evaluator=None',
        'test_cfg=None', 'test_dataloader=None', 'test_evaluator=None')
    assert osp.isfile(work / 'iter_2.pth')
    cfg = Config.fromfile(
        osp.join(REPO,
                 'configs/compose/deeplabv3plus_r50-d8_voc12_cam-seeds.py'))
    # mmseg's own head
    assert cfg.model.decode_head.type == 'DepthwiseSeparableASPPHead'


def test_cam_classifier_on_mmpretrain_backbone(tiny_voc):
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/compose/cam_mmpretrain-resnet18_voc12.py'))
    init_default_scope('mmseg')
    import mmpretrain.models  # noqa: F401  (what custom_imports does)
    cfg.model.backbone.init_cfg = None
    cfg.model.cls_head.num_classes = 10
    model = MODELS.build(cfg.model)
    from mmseg.structures import SegDataSample
    sample = SegDataSample(
        metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64)))
    sample.gt_img_labels = torch.tensor([1.] + [0.] * 4 + [1.] + [0.] * 5)
    losses = model.loss(torch.rand(2, 3, 64, 64), [sample, sample])
    assert losses['loss_cls'].requires_grad
    model.eval()
    out = model.predict(torch.rand(1, 3, 64, 64), [sample])[0]
    seeds = out.pred_sem_seg.data
    assert seeds.shape == (1, 64, 64)
    assert set(np.unique(seeds.numpy())) <= {0, 5, 255
                                             }  # only the image's classes


# ------------------------------------------------ one geometry, mmseg's own
def test_restore_geometry_is_mmseg_postprocess_result():
    """The one test-time geometry helper (seed generators, single-stage
    predict) gives mmseg's BaseSegmentor.postprocess_result maps."""
    from types import SimpleNamespace

    import pytest
    from mmseg.models.segmentors.base import BaseSegmentor
    from mmseg.structures import SegDataSample

    from wsss_mm.models.utils.geometry import restore_geometry

    g = torch.Generator().manual_seed(0)
    metas = [
        dict(
            ori_shape=(30, 35),
            padding_size=[0, 4, 0, 6],
            flip=True,
            flip_direction='horizontal'),
        dict(
            ori_shape=(40, 40),
            img_padding_size=[2, 0, 3, 0],
            padding_size=[9] * 4,
            flip=True,
            flip_direction='vertical'),
        dict(ori_shape=(50, 20), flip=False),
        dict(ori_shape=(40, 40))
    ]
    for align_corners in (False, True):
        for meta in metas:
            maps = torch.randn(1, 3, 40, 40, generator=g)
            ref = BaseSegmentor.postprocess_result(
                SimpleNamespace(align_corners=align_corners), maps.clone(),
                [SegDataSample(metainfo=meta)])[0].seg_logits.data
            assert torch.equal(
                restore_geometry(maps[0], meta, align_corners), ref), meta
    # a flipped sample without a direction: mmseg asserts, the helper names it
    with pytest.raises(ValueError, match='flip_direction'):
        restore_geometry(torch.zeros(1, 4, 4), dict(flip=True))


# ------------------------------------------------ the classifier interface
class InterfaceOnly:
    """A WeakClassifier seen only through the classifier interface that seed
    generators may use (no backbone / neck / cls_head attributes)."""
    INTERFACE = ('num_classes', 'features', 'backbone_features', 'apply_neck',
                 'class_maps', 'class_scores', 'cams', 'head_weights',
                 'sample_selection', 'tap')

    def __init__(self, model):
        self._model = model

    def __getattr__(self, name):
        if name not in self.INTERFACE:
            raise AttributeError(
                f'{name!r} is not part of the classifier interface')
        return getattr(self._model, name)


def test_seed_generators_use_only_the_classifier_interface(tmp_path):
    from mmseg.structures import SegDataSample

    from wsss_mm.models.utils.dcp import ClassStatistics, save_patterns

    init_default_scope('mmseg')
    vgg = dict(type='DeepLabVGG', width_mult=0.0625)
    cam = dict(
        backbone=vgg,
        cls_head=dict(type='CAMHead', in_channels=32, num_classes=4),
        seed_generator=dict(
            type='CAMSeedGenerator',
            scales=(1.0, 0.5),
            flip=True,
            fg_threshold=0.2,
            bg_threshold=0.1))
    fickle = dict(
        backbone=vgg,
        neck=dict(
            type='StochasticSelectionNeck',
            in_channels=32,
            kernel_size=3,
            dropout_ratio=0.5),
        cls_head=dict(
            type='CAMHead',
            in_channels=32,
            num_classes=4,
            kernel_size=3,
            stride=3),
        seed_generator=dict(
            type='FickleNetSeedGenerator', num_selections=4, seed=1))
    patterns = str(tmp_path / 'p.pth')
    dcp = dict(
        backbone=vgg,
        cls_head=dict(type='CAMHead', in_channels=32, num_classes=4),
        seed_generator=dict(
            type='DCPSeedGenerator',
            layer='backbone.features.12',
            patterns_file=patterns,
            margin=0.5))
    x = torch.rand(2, 3, 40, 40)

    def samples(labelled):
        out = []
        for i, meta in enumerate([
                dict(
                    img_shape=(34, 36),
                    ori_shape=(30, 35),
                    padding_size=[0, 4, 0, 6],
                    flip=True,
                    flip_direction='horizontal'),
                dict(img_shape=(40, 40), ori_shape=(40, 40))
        ]):
            s = SegDataSample(metainfo=dict(meta, img_path=f'/x/{i}.jpg'))
            if labelled:
                s.gt_img_labels = torch.tensor([1., 1., 0., 1., 0.][:5])
            out.append(s)
        return out

    for cfg in (cam, fickle, dcp):
        torch.manual_seed(0)
        model = MODELS.build(dict(type='WeakClassifier', **cfg)).eval()
        with torch.no_grad():
            model.cls_head.classifier.weight.normal_(0, 0.05)
        if cfg is dcp:
            stats = ClassStatistics(4, 16, None)
            for f in model.tap('backbone.features.12')(x):
                stats.add(f, [0, 2])
                stats.add(f.flip(-1), [1, 3])
            save_patterns(patterns, stats.patterns(),
                          dict(layer='backbone.features.12'))
        for labelled in (True, False):
            torch.manual_seed(1)
            ref = model.predict(x, samples(labelled))
            torch.manual_seed(1)
            got = model.seed_generator.generate(
                InterfaceOnly(model), x, samples(labelled))
            for r, (scores, seeds) in zip(ref, got):
                assert torch.equal(r.seg_logits.data, scores)
                assert torch.equal(r.pred_sem_seg.data[0], seeds)
