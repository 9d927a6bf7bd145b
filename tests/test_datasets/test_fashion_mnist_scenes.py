import os.path as osp

import numpy as np
from PIL import Image

from wsss_mm.datasets.scenes import (SceneConfig, load_fashion_mnist,
                                     render_scene, write_voc_scenes)


def test_fashion_mnist_loads():
    imgs, labels = load_fashion_mnist('test')
    assert imgs.shape == (10000, 28, 28) and imgs.dtype == np.uint8
    assert set(np.unique(labels)) == set(range(10))


def test_scene_is_deterministic_and_masks_are_objects():
    imgs, labels = load_fashion_mnist('test')
    cfg = SceneConfig(size=96)
    a_img, a_mask = render_scene(np.random.default_rng(3), imgs, labels, cfg)
    b_img, b_mask = render_scene(np.random.default_rng(3), imgs, labels, cfg)
    np.testing.assert_array_equal(a_img, b_img)
    np.testing.assert_array_equal(a_mask, b_mask)
    classes = set(np.unique(a_mask)) - {0}
    assert 1 <= len(classes) <= 3 and max(classes) <= 10
    assert a_img.shape == (96, 96, 3)
    # objects keep enough visible pixels to be recognisable
    for c in classes:
        assert (a_mask == c).sum() > 30


def test_voc_layout(tiny_voc):
    for split, n in (('train', 16), ('val', 8)):
        with open(
                osp.join(tiny_voc, 'ImageSets/Segmentation',
                         split + '.txt')) as f:
            ids = f.read().split()
        assert len(ids) == n
        img = Image.open(osp.join(tiny_voc, 'JPEGImages', ids[0] + '.jpg'))
        mask = Image.open(
            osp.join(tiny_voc, 'SegmentationClass', ids[0] + '.png'))
        assert img.size == (64, 64) and mask.mode == 'P'
    with open(osp.join(tiny_voc, 'classes.txt')) as f:
        assert f.read().split()[0] == 'background'


def test_build_resumes_without_rewriting(tmp_path):
    root = str(tmp_path)
    write_voc_scenes(
        root, 3, 2, seed=0, cfg=SceneConfig(size=48), progress=False)
    path = osp.join(root, 'JPEGImages', 'train_00000.jpg')
    mtime = osp.getmtime(path)
    write_voc_scenes(
        root, 3, 2, seed=0, cfg=SceneConfig(size=48), progress=False)
    assert osp.getmtime(path) == mtime
