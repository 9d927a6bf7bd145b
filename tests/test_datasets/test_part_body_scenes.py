"""Part-and-body scenes (wsss_mm/datasets/scenes/part_body.py): determinism,
mask = part ∪ body, context never in the mask, the ignore band, and the
scene manifest that keeps other scenes out of a folder."""
import json

import numpy as np
import pytest
from PIL import Image

from wsss_mm.datasets.scenes import (PartBodySceneConfig, SceneConfig,
                                     ignore_band, load_fashion_mnist,
                                     render_part_body_scene, write_voc_scenes)
from wsss_mm.datasets.scenes.part_body import class_stripes, stripe_geometry
from wsss_mm.visualization.overlays import colorize_labels


@pytest.fixture(scope='module')
def fmnist():
    glyphs, labels = load_fashion_mnist('test')
    return glyphs[:2000], labels[:2000]


def _scene(fmnist, i, cfg=PartBodySceneConfig(size=128)):
    rng = np.random.default_rng([3, 0, i])
    return render_part_body_scene(rng, *fmnist, cfg, return_layers=True)


def test_deterministic(fmnist):
    a, b = _scene(fmnist, 1), _scene(fmnist, 1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], _scene(fmnist, 2)[0])


def test_mask_is_part_and_body_context_is_background(fmnist):
    cfg = PartBodySceneConfig(size=128, ignore_band=0, context_prob=1.0)
    parts = bodies = 0
    for i in range(12):
        rng = np.random.default_rng([5, 0, i])
        img, mask, layers = render_part_body_scene(
            rng, *fmnist, cfg, return_layers=True)
        obj = mask > 0
        np.testing.assert_array_equal(obj, layers['part'] | layers['body'])
        assert not (layers['part'] & layers['body']).any()
        assert layers['context'].any() and not (obj & layers['context']).any()
        assert set(np.unique(mask)) <= set(range(11))
        parts += layers['part'].sum()
        bodies += layers['body'].sum()
    # the body is the larger share of an object: the CAM's part is a minority
    assert 0.05 < parts / (parts + bodies) < 0.4


def test_ignore_band():
    mask = np.zeros((6, 10), np.uint8)
    mask[:, 5:] = 4  # a straight edge between columns 4 and 5
    for width, cols in ((1, [4, 5]), (2, [3, 4, 5, 6]), (3, [2, 3, 4, 5, 6,
                                                             7])):
        out = ignore_band(mask, width)
        assert (np.flatnonzero((out == 255).all(0)) == cols).all(), width
        assert not ((out == 255).any(0) & ~(out == 255).all(0)).any()
        keep = out != 255
        np.testing.assert_array_equal(out[keep],
                                      mask[keep])  # nothing relabelled
    assert ignore_band(mask, 0) is mask
    # rendered scenes carry it at every object boundary
    cfg = PartBodySceneConfig(size=96, ignore_band=2)
    rng = np.random.default_rng(0)
    glyphs = np.zeros((10, 28, 28), np.uint8)
    glyphs[:, 6:22, 6:22] = 255
    _, m = render_part_body_scene(rng, glyphs, np.arange(10), cfg)
    assert (m == 255).any() and ((m > 0) & (m < 255)).any()


def test_writer_manifest_refuses_other_scenes(tmp_path):
    root = str(tmp_path / 'pb')
    cfg = PartBodySceneConfig(size=64)
    summary = write_voc_scenes(root, 2, 1, seed=0, cfg=cfg, progress=False)
    assert summary['kind'] == 'part-body'
    manifest = json.load(open(tmp_path / 'pb' / 'scenes.json'))
    assert manifest['kind'] == 'part-body' and manifest['config']['size'] == 64
    img = np.asarray(
        Image.open(tmp_path / 'pb' / 'JPEGImages' / 'train_00000.jpg'))
    assert img.shape == (64, 64, 3)
    write_voc_scenes(
        root, 3, 1, seed=0, cfg=cfg, progress=False)  # more scenes: resumes
    with pytest.raises(ValueError, match="'seed'"):
        write_voc_scenes(root, 2, 1, seed=1, cfg=cfg, progress=False)
    with pytest.raises(ValueError, match="'config'|'kind'"):
        write_voc_scenes(
            root, 2, 1, seed=0, cfg=SceneConfig(size=64), progress=False)
    write_voc_scenes(
        root, 2, 1, seed=1, cfg=cfg, progress=False, overwrite=True)
    assert json.load(open(tmp_path / 'pb' / 'scenes.json'))['seed'] == 1
    old = tmp_path / 'legacy' / 'JPEGImages'
    old.mkdir(parents=True)
    (old / 'x.jpg').write_bytes(b'')
    with pytest.raises(ValueError, match='without a scenes.json'):
        write_voc_scenes(
            str(tmp_path / 'legacy'), 1, 1, cfg=cfg, progress=False)


def test_converter_sets_scene_fields():
    """--set FIELD=VALUE reaches the scene config, typed; a bad field or value
    is refused naming the option."""
    import pytest

    from tools.dataset_converters.fashion_mnist_scenes import scene_overrides
    got = scene_overrides(PartBodySceneConfig,
                          ['body_evidence=0.05', 'ignore_band=3'])
    assert got == dict(body_evidence=0.05, ignore_band=3)
    assert isinstance(got['ignore_band'], int)
    for bad in (['body_evidence'], ['no_such=1'], ['size=64'],
                ['ignore_band=x']):
        with pytest.raises(SystemExit, match='--set'):
            scene_overrides(PartBodySceneConfig, bad)


def _orbit(degrees):
    """A stripe orientation as a horizontal flip leaves it: a and 180 - a."""
    a = degrees % 180
    return min(a, (180 - a) % 180)


def test_body_stripes_distinct_under_flip_and_rescale():
    # every pipeline flips and rescales by +-25 %: two classes' body evidence
    # must differ in the flip-invariant orientation or in the period by more
    # than the rescaling can bridge
    for c in range(10):
        for d in range(c + 1, 10):
            (ac, pc), (ad, pd) = stripe_geometry(c), stripe_geometry(d)
            lo, hi = sorted((pc, pd))
            assert _orbit(ac) != _orbit(ad) or lo * 1.25 < hi * 0.75, (c, d)
    # the first recipe: mirror pairs c, 10 - c collide (what the default fixes)
    assert _orbit(stripe_geometry(4, 'angle')[0]) == _orbit(
        stripe_geometry(6, 'angle')[0])
    # the pixels agree: class 3's stripes mirrored are its own orientation
    # (a -> 180 - a), never another class's
    h = w = 64
    a3, p3 = stripe_geometry(3)
    flipped = class_stripes(3, h, w, 0.5, 0.0)[:, ::-1]
    spec = np.abs(np.fft.fft2(flipped - flipped.mean()))
    fy, fx = np.unravel_index(spec.argmax(), spec.shape)
    fy, fx = (fy + h // 2) % h - h // 2, (fx + w // 2) % w - w // 2
    seen = np.rad2deg(np.arctan2(abs(fx),
                                 abs(fy)))  # angle from the y axis, folded
    assert abs(seen - _orbit(a3)) < 6 and abs(np.hypot(fy, fx) - h / p3) < 1.5
    with pytest.raises(ValueError, match='body_stripes'):
        PartBodySceneConfig(body_stripes='stripes')


def _chromaticity(rgb, where):
    """Median r, g, b / (r + g + b) of ``rgb``'s pixels at ``where``."""
    px = rgb[where].astype(np.float64)
    return np.median(px / np.maximum(px.sum(1, keepdims=True), 1e-6), axis=0)


def test_body_colour_jitter(fmnist):
    """0 (the benchmark's recipe): part and body of one colour, shaded alike;
    1: the body takes a colour of its own. The published folders' record
    leaves the field out at 0, so they stay valid."""
    from wsss_mm.datasets.scenes import render_part_body_object, scene_record
    glyphs, labels = fmnist
    gaps = {}
    for jitter in (0.0, 1.0):
        cfg = PartBodySceneConfig(body_colour_jitter=jitter)
        gap = []
        for i in range(8):
            rng = np.random.default_rng([7, i])
            rgb, obj, part = render_part_body_object(rng, glyphs[i],
                                                     int(labels[i]), 96, cfg)
            body = obj & ~part
            gap.append(
                np.abs(_chromaticity(rgb, part) -
                       _chromaticity(rgb, body)).sum())
        gaps[jitter] = np.mean(gap)
    assert gaps[0.0] < 0.03 and gaps[1.0] > 0.1, gaps
    assert 'body_colour_jitter' not in scene_record(PartBodySceneConfig())
    assert scene_record(PartBodySceneConfig(
        body_colour_jitter=0.5))['body_colour_jitter'] == 0.5
    with pytest.raises(ValueError, match='body_colour_jitter'):
        PartBodySceneConfig(body_colour_jitter=1.5)


def test_converter_preview(tmp_path):
    """--preview N: N train scenes over their colourised masks, one PNG."""
    from tools.dataset_converters.fashion_mnist_scenes import main
    out = tmp_path / 'pb'
    main([
        '--scenes', 'part-body', '--out',
        str(out), '--size', '64', '--num-train', '3', '--num-val', '1',
        '--set', 'body_colour_jitter=0.5', '--preview', '2'
    ])
    assert json.load(open(
        out / 'scenes.json'))['config']['body_colour_jitter'] == 0.5
    preview = np.asarray(Image.open(out / 'preview.png'))
    assert preview.shape == (2 * 64 + 2, 2 * 64 + 2, 3)
    mask = np.asarray(
        Image.open(out / 'SegmentationClass' / 'train_00001.png'))
    np.testing.assert_array_equal(preview[66:, 66:], colorize_labels(mask))
