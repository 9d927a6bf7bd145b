"""Saliency background cue (FickleNet via DSRG's DRFI maps, Fan et al.):
grayscale PNGs beside the images, saliency < 0.06 = background, usable by
every seed generator through config."""
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401
from wsss_mm.models.utils.saliency import (resize_saliency,
                                           saliency_background,
                                           saliency_background_score,
                                           saliency_to_unit)
from wsss_mm.utils.io import atomic_write_png

IGN = 255

# A 4 x 6 image, two foreground classes, and a hand-made saliency map.
CAM0 = [[10, 8, 0, 0, 0, 0], [10, 5, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0]]
CAM1 = [[0, 0, 0, 0, 4, 4], [0, 0, 0, .5, 4, 2], [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0]]
SALIENCY = [[255, 200, 3, 10, 255, 255], [255, 0, 0, 20, 255, 255],
            [0, 0, 15, 16, 100, 0], [0, 0, 0, 0, 0, 255]]
# By hand: normalised CAMs (eq. 3) cam0 / 10, cam1 / 4; foreground where the
# largest reaches 0.1 (Fan et al.); background where saliency / 255 < 0.06,
# i.e. a PNG value <= 15 (15 / 255 = 0.0588, 16 / 255 = 0.0627);
# foreground that saliency calls background -> ignored (paper: "conflict
# assignments are marked as unknown"); neither -> ignored.
EXPECTED_THRESHOLD_SEEDS = [
    [1, 1, 0, 0, 2, 2],
    [1, IGN, 0, 2, 2, 2],  # (1, 1): cam0 0.5 but saliency 0 -> conflict
    [0, 0, 0, IGN, IGN, 0],  # (2, 2): 15 -> bg, (2, 3): 16 -> not
    [0, 0, 0, 0, 0, IGN],
]


class FixedCAMs:
    """The parts of WeakClassifier that CAMSeedGenerator reads: fixed CAMs."""
    num_classes = 2

    def cams(self, inputs):
        return torch.tensor([CAM0, CAM1], dtype=torch.float32)[None].expand(
            inputs.shape[0], -1, -1, -1)

    def class_scores(self, maps):  # pragma: no cover - labelled samples only
        raise AssertionError('labelled samples need no class scores')


def write_case(tmp_path, name='img0'):
    img_dir, sal_dir = tmp_path / 'JPEGImages', tmp_path / 'saliency'
    img_dir.mkdir(exist_ok=True)
    sal_dir.mkdir(exist_ok=True)
    rgb = (np.random.default_rng(0).random((4, 6, 3)) * 255).astype(np.uint8)
    import mmcv
    mmcv.imwrite(rgb[..., ::-1], str(img_dir / f'{name}.png'))
    atomic_write_png(
        np.array(SALIENCY, np.uint8),
        str(sal_dir / f'{name}.png'),
        palette=False)
    sample = SegDataSample(
        metainfo=dict(
            img_path=str(img_dir / f'{name}.png'),
            ori_shape=(4, 6),
            img_shape=(4, 6)))
    sample.gt_img_labels = torch.tensor([1., 1., 1.])
    return sample, str(sal_dir)


def cam_generator(**kwargs):
    init_default_scope('mmseg')
    cfg = dict(
        type='CAMSeedGenerator',
        scales=(1.0, ),
        fg_threshold=0.1,
        bg_threshold=0.05,
        conflict='ignore',
        bg_conflict='ignore')
    cfg.update(kwargs)
    return MODELS.build(cfg)


# ------------------------------------------------------------------ maths
def test_saliency_maths():
    png = np.array([[0, 15, 16], [128, 255, 255]], np.uint8)
    sal = saliency_to_unit(png)
    torch.testing.assert_close(sal, torch.from_numpy(png).float() / 255)
    assert saliency_background(sal, 0.06).tolist() == [[True, True, False],
                                                       [False, False, False]]
    torch.testing.assert_close(saliency_background_score(sal), 1 - sal)
    # 'max': normalised by the image's own maximum; 16 bit PNG values too
    half = saliency_to_unit(np.array([[0, 50], [100, 100]], np.uint8), 'max')
    assert half.tolist() == [[0.0, 0.5], [1.0, 1.0]]
    assert saliency_to_unit(np.array([[0, 65535]],
                                     np.uint16)).tolist() == [[0.0, 1.0]]
    assert saliency_to_unit(np.zeros((2, 2), np.uint8), 'max').sum() == 0
    # resized to the original image (bilinear); a constant map stays constant
    big = resize_saliency(torch.full((2, 3), 0.25), (8, 12))
    assert big.shape == (8, 12) and torch.allclose(big,
                                                   torch.full((8, 12), 0.25))
    assert saliency_background(torch.zeros(2, 3), size=(4, 6)).shape == (4, 6)
    with pytest.raises(ValueError, match='threshold'):
        saliency_background(sal, 0.0)
    with pytest.raises(ValueError, match='norm'):
        saliency_to_unit(png, 'sigmoid')
    with pytest.raises(ValueError, match='grayscale'):
        saliency_to_unit(np.zeros((2, 2, 3), np.uint8))


# ------------------------------------------------------- hand-made seeds
def test_threshold_seeds_with_saliency_match_the_hand_computed_result(
        tmp_path):
    sample, sal_dir = write_case(tmp_path)
    gen = cam_generator(saliency_dir=sal_dir)
    assert gen.saliency_bg_threshold == 0.06  # the papers' default
    (scores, seeds), = gen.generate(FixedCAMs(), torch.zeros(1, 3, 4, 6),
                                    [sample])
    assert seeds.tolist() == EXPECTED_THRESHOLD_SEEDS
    # 'foreground': a conflict keeps the CAM's class
    gen = cam_generator(saliency_dir=sal_dir, bg_conflict='foreground')
    (_, seeds), = gen.generate(FixedCAMs(), torch.zeros(1, 3, 4, 6), [sample])
    assert seeds[1, 1] == 1
    # a saliency map at another resolution is resized to the image
    small = np.array(SALIENCY, np.uint8)[::2, ::2]
    atomic_write_png(small, osp.join(sal_dir, 'img0.png'), palette=False)
    assert cam_generator(saliency_dir=sal_dir).saliency(sample).shape == (4, 6)


def test_crf_seeds_take_one_minus_saliency_as_background(tmp_path):
    sample, sal_dir = write_case(tmp_path)
    gen = cam_generator(saliency_dir=sal_dir, seed_type='crf')
    (scores, seeds), = gen.generate(FixedCAMs(), torch.zeros(1, 3, 4, 6),
                                    [sample])
    expected_bg = 1 - torch.tensor(SALIENCY, dtype=torch.float32) / 255
    torch.testing.assert_close(scores[0], expected_bg)
    assert (seeds != IGN).all() and set(seeds.unique().tolist()) <= {0, 1, 2}


def test_every_generator_takes_the_saliency_cue(tmp_path):
    """FickleNet: its seeds' background is the saliency background outside
    its foreground claims, the rest ignored; DCP accepts the same keys."""
    sample, sal_dir = write_case(tmp_path)
    init_default_scope('mmseg')
    model = MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=dict(type='DeepLabVGG', width_mult=0.0625),
            neck=dict(
                type='StochasticSelectionNeck',
                in_channels=32,
                kernel_size=3,
                dropout_ratio=0.5,
                infer_mode='stochastic'),
            cls_head=dict(
                type='CAMHead',
                in_channels=32,
                num_classes=2,
                kernel_size=3,
                stride=3),
            seed_generator=dict(
                type='FickleNetSeedGenerator',
                num_selections=4,
                seed=0,
                saliency_dir=sal_dir))).eval()
    torch.manual_seed(0)
    seeds = model.predict(torch.rand(1, 3, 4, 6),
                          [sample])[0].pred_sem_seg.data[0]
    fg = (seeds > 0) & (seeds != IGN)
    bg = torch.tensor(SALIENCY) <= 15
    assert ((seeds == 0) == (bg & ~fg)).all()
    assert ((seeds == IGN) == (~bg & ~fg)).all()

    dcp = MODELS.build(
        dict(
            type='DCPSeedGenerator',
            layer='backbone.features.0',
            patterns_file='unused.pth',
            saliency_dir=sal_dir,
            saliency_bg_threshold=0.07))
    assert dcp.background_cue(sample).sum() == (torch.tensor(SALIENCY) <
                                                0.07 * 255).sum()
    out = dcp.finish_seeds(torch.full((4, 6), 1), sample)
    assert (out == 1).all()  # foreground kept


def test_cue_arguments_are_checked_and_missing_files_named(tmp_path):
    sample, sal_dir = write_case(tmp_path)
    with pytest.raises(ValueError, match='set one'):
        cam_generator(saliency_dir=sal_dir, background_cue_dir=sal_dir)
    with pytest.raises(ValueError, match='saliency_bg_threshold'):
        cam_generator(saliency_dir=sal_dir, saliency_bg_threshold=1.5)
    with pytest.raises(ValueError, match='saliency_norm'):
        cam_generator(saliency_dir=sal_dir, saliency_norm='none')
    gen = cam_generator(saliency_dir=str(tmp_path / 'nowhere'))
    with pytest.raises(FileNotFoundError, match='saliency_dir'):
        gen.generate(FixedCAMs(), torch.zeros(1, 3, 4, 6), [sample])


def test_saliency_folder_is_part_of_the_provenance(tmp_path):
    from wsss_mm.utils.provenance import input_fingerprints
    _, sal_dir = write_case(tmp_path)
    found = input_fingerprints(
        dict(seed_generator=dict(saliency_dir=sal_dir)), 'model')
    assert list(found) == ['model.seed_generator.saliency_dir']
    before = found['model.seed_generator.saliency_dir']
    atomic_write_png(
        np.zeros((4, 7), np.uint8),
        osp.join(sal_dir, 'img1.png'),
        palette=False)
    after = input_fingerprints(
        dict(seed_generator=dict(saliency_dir=sal_dir)), 'model')
    assert after['model.seed_generator.saliency_dir'] != before


# ---------------------------------------------------------------- configs
def _cfg(rel):
    return Config.fromfile(osp.join(REPO, rel))


def test_voc_configs_use_saliency_and_their_twins_dcp():
    paths = _cfg('configs/_base_/paths.py')
    dcp_seeds = _cfg('configs/dcp/dcp_r101_voc12.py').test_evaluator.output_dir
    fickle = _cfg(
        'configs/ficklenet/ficklenet_vgg16_voc12.py').model.seed_generator
    assert (fickle.saliency_dir == paths.voc12_saliency_dir ==
            'data/VOCdevkit/VOC2012/saliency')
    assert fickle.saliency_bg_threshold == 0.06
    assert _cfg(
        'configs/ficklenet_vgg16_voc.py').model.seed_generator == fickle
    twin = _cfg('configs/ficklenet/ficklenet_vgg16_voc12_dcp-bg.py')
    assert twin.model.seed_generator.saliency_dir is None
    assert twin.model.seed_generator.background_cue_dir == dcp_seeds
    assert twin.test_evaluator.output_dir != _cfg(
        'configs/ficklenet/ficklenet_vgg16_voc12.py').test_evaluator.output_dir
    mini = _cfg(
        'configs/ficklenet/ficklenet_vgg16-slim_mini.py').model.seed_generator
    assert not mini.get(
        'saliency_dir')  # no saliency model on the mini benchmark

    wst = _cfg('configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py')
    wst_dcp = _cfg(
        'configs/multi_seed/wst_largefov_vgg16_voc12_12seeds_dcp-bg.py')
    dirs = wst_dcp.train_dataloader.dataset.seed_dirs
    assert len(set(dirs)) == 12 and not set(dirs) & set(
        wst.train_dataloader.dataset.seed_dirs)
    for d in dirs:
        name = osp.basename(d)
        seeds = _cfg(f'configs/multi_seed/seeds_voc12/{name}.py')
        gen = seeds.model.seed_generator
        assert gen.saliency_dir == paths.voc12_saliency_dir
        # the CRF seeds use 1 - saliency instead
        if gen.seed_type == 'threshold':
            assert gen.saliency_bg_threshold == 0.06
            assert gen.fg_threshold == 0.1
        twin = _cfg(f'configs/multi_seed/seeds_voc12_dcp-bg/{name}.py')
        assert osp.normpath(twin.test_evaluator.output_dir) == osp.normpath(d)
        assert not twin.model.seed_generator.get("saliency_dir")
        assert twin.model.seed_generator.background_cue_dir == dcp_seeds
        rest = {
            k: v
            for k, v in twin.model.seed_generator.items()
            if k not in ('saliency_dir', 'background_cue_dir')
        }
        assert rest == {
            k: v
            for k, v in gen.items()
            if k not in ('saliency_dir', 'background_cue_dir')
        }
    for name in ('vgg16_threshold_s100', 'resnet18_crf_s050'):
        assert not _cfg(f'configs/multi_seed/seeds_mini/{name}.py'
                        ).model.seed_generator.get('saliency_dir')
