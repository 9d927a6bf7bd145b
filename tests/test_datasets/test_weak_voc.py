import os
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from conftest import weak_voc_dataset

import wsss_mm  # noqa: F401
from wsss_mm.datasets import labels_from_mask
from wsss_mm.utils.io import atomic_write_png, read_label_png


def test_labels_from_mask():
    mask = np.array([[0, 3], [255, 3]], np.uint8)
    np.testing.assert_array_equal(labels_from_mask(mask, 5), [1, 0, 0, 1, 0])
    with pytest.raises(
            ValueError, match='m.png: label 7 found but the dataset has 5'):
        labels_from_mask(np.array([[7]]), 5, source='m.png')


def test_dataset_reads_classes_and_image_labels(tiny_voc):
    ds = weak_voc_dataset(tiny_voc, [])
    assert ds.metainfo['classes'][0] == 'background' and len(
        ds.metainfo['classes']) == 11
    info = ds.get_data_info(0)
    mask = read_label_png(info['seg_map_path'])
    expected = np.zeros(11, np.float32)
    expected[np.unique(mask)] = 1
    np.testing.assert_array_equal(info['img_labels'], expected)


def test_label_file_overrides_masks(tiny_voc, tmp_path):
    import json
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    path = tmp_path / 'labels.json'
    path.write_text(json.dumps({i: [2, 5] for i in ids}))
    ds = weak_voc_dataset(tiny_voc, [], label_file=str(path))
    assert ds.get_data_info(0)['img_labels'].nonzero()[0].tolist() == [0, 2, 5]


def test_run_relative_paths_resolve_against_the_run_directory(
        tiny_voc, tmp_path, monkeypatch):
    """'./x' (configs/_base_/paths.py's artefacts) is relative to where the
    run starts, not to data_root; a plain relative path stays data_root's."""
    run_dir = tmp_path / 'run'
    shutil.copytree(
        osp.join(tiny_voc, 'SegmentationClass'),
        run_dir / 'work_dirs' / 'seeds' / 'cam')
    monkeypatch.chdir(run_dir)
    ds = weak_voc_dataset(
        tiny_voc, [],
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='./work_dirs/seeds/cam'),
        seed_dirs=['./work_dirs/seeds/cam'])
    info = ds.get_data_info(0)
    seeds = str(run_dir / 'work_dirs' / 'seeds' / 'cam')
    assert osp.dirname(info['seg_map_path']) == seeds
    assert osp.dirname(info['seed_map_paths'][0]) == seeds
    assert osp.dirname(info['img_path']) == osp.join(tiny_voc, 'JPEGImages')
    from wsss_mm.datasets.weak_voc import run_relative
    assert run_relative('../x') == str(tmp_path / 'x')
    assert run_relative('x') == 'x' and run_relative(None) is None


def test_cls_pipeline_never_loads_gt(tiny_voc):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='RandomCrop', crop_size=(48, 48)),
        dict(type='PackWeakSegInputs')
    ]
    ds = weak_voc_dataset(
        tiny_voc,
        pipeline,
        data_prefix=dict(
            img_path='JPEGImages', label_path='SegmentationClass'))
    sample = ds[0]['data_samples']
    assert 'gt_sem_seg' not in sample
    assert sample.gt_img_labels.shape == (
        11, ) and sample.gt_img_labels[0] == 1


def test_seeds_follow_image_geometry(tiny_voc, tmp_path):
    """K seed maps get exactly the resize/crop/flip of the image and GT."""
    seed_a, seed_b = tmp_path / 'a', tmp_path / 'b'
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    for i in ids:
        gt = read_label_png(
            osp.join(tiny_voc, 'SegmentationClass', i + '.png'))
        atomic_write_png(gt, str(seed_a / (i + '.png')))
        atomic_write_png(
            np.where(gt > 0, 255, 0).astype(np.uint8),
            str(seed_b / (i + '.png')))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='LoadSeedMaps'),
        dict(
            type='RandomResize',
            scale=(64, 64),
            ratio_range=(0.7, 1.4),
            keep_ratio=True),
        dict(type='RandomCrop', crop_size=(40, 40)),
        dict(type='RandomFlip', prob=1.0),
        dict(type='PackWeakSegInputs')
    ]
    ds = weak_voc_dataset(
        tiny_voc, pipeline, seed_dirs=[str(seed_a), str(seed_b)])
    for idx in range(3):
        out = ds[idx]
        gt = out['data_samples'].gt_sem_seg.data[0]
        seeds = out['data_samples'].gt_seed_maps.data
        assert seeds.shape == (2, 40, 40) and out['inputs'].shape[-2:] == (40,
                                                                           40)
        torch.testing.assert_close(seeds[0], gt)
        torch.testing.assert_close(seeds[1], torch.where(gt > 0, 255, 0))


def test_missing_files_are_named(tiny_voc, tmp_path):
    root = str(tmp_path / 'copy')
    shutil.copytree(tiny_voc, root)
    ids = open(osp.join(root,
                        'ImageSets/Segmentation/train.txt')).read().split()
    os.remove(osp.join(root, 'SegmentationClass', ids[3] + '.png'))
    with pytest.raises(
            FileNotFoundError, match=f'SegmentationClass/{ids[3]}.png'):
        weak_voc_dataset(root, [])
    os.remove(osp.join(root, 'JPEGImages', ids[2] + '.jpg'))
    with pytest.raises(FileNotFoundError, match=f'JPEGImages/{ids[2]}.jpg'):
        weak_voc_dataset(root, [])
    with pytest.raises(FileNotFoundError, match='nowhere/'):
        weak_voc_dataset(tiny_voc, [], seed_dirs=[str(tmp_path / 'nowhere')])


def test_wrong_class_count_is_reported(tiny_voc):
    with pytest.raises(ValueError, match='SegmentationClass/.*has 3 classes'):
        weak_voc_dataset(
            tiny_voc, [], metainfo=dict(classes=('background', 'a', 'b')))


def test_class_count_mismatch_with_model_head(tiny_voc):
    from wsss_mm.models.utils import stack_image_labels
    ds = weak_voc_dataset(
        tiny_voc,
        [dict(type='LoadImageFromFile'),
         dict(type='PackWeakSegInputs')],
        data_prefix=dict(
            img_path='JPEGImages', label_path='SegmentationClass'))
    samples = [ds[0]['data_samples']]
    assert stack_image_labels(samples, 10).shape == (1, 10)
    with pytest.raises(ValueError, match='dataset has 11 classes'):
        stack_image_labels(samples, 20)


def test_relative_data_root_and_label_path(tiny_voc, monkeypatch):
    monkeypatch.chdir(osp.dirname(tiny_voc))
    ds = weak_voc_dataset(
        osp.basename(tiny_voc), [],
        data_prefix=dict(
            img_path='JPEGImages', label_path='SegmentationClass'))
    assert ds.get_data_info(0)['img_labels'][0] == 1


def _copy_voc(tiny_voc, tmp_path, name='voc'):
    root = tmp_path / name
    shutil.copytree(tiny_voc, root)
    return str(root)


def _seed_dir(root, ids, fill):
    seeds = osp.join(root, 'seeds')
    os.makedirs(seeds, exist_ok=True)
    for i in ids:
        mask = read_label_png(osp.join(root, 'SegmentationClass', i + '.png'))
        atomic_write_png(np.full_like(mask, fill), osp.join(seeds, i + '.png'))
    return seeds


def test_corrupt_files_are_named(tiny_voc, tmp_path):
    """A zero-byte image is refused at start-up; a truncated mask fails at
    load time with its path (issue: cv2 / PIL errors named no file)."""
    root = _copy_voc(tiny_voc, tmp_path)
    ids = open(osp.join(root,
                        'ImageSets/Segmentation/train.txt')).read().split()
    open(osp.join(root, 'JPEGImages', ids[1] + '.jpg'), 'wb').close()
    with pytest.raises(
            ValueError, match=f'image file is empty: .*{ids[1]}.jpg'):
        weak_voc_dataset(root, [])
    root = _copy_voc(tiny_voc, tmp_path, 'voc2')
    mask_path = osp.join(root, 'SegmentationClass', ids[2] + '.png')
    data = open(mask_path, 'rb').read()
    ds = weak_voc_dataset(root, [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='PackWeakSegInputs')
    ])
    with open(mask_path, 'wb') as f:  # truncated after the start-up check
        f.write(data[:len(data) // 2])
    with pytest.raises(
            RuntimeError, match=f'could not load sample 2 .*{ids[2]}.png'):
        ds[2]


def test_seed_labels_checked_and_empty_maps_counted(tiny_voc, tmp_path):
    from mmengine.logging import MMLogger
    root = _copy_voc(tiny_voc, tmp_path)
    ids = open(osp.join(root,
                        'ImageSets/Segmentation/train.txt')).read().split()
    seeds = _seed_dir(root, ids, 255)
    bad = np.zeros((64, 64), np.uint8)
    bad[0, 0] = 11  # one class too many for the 11 classes
    atomic_write_png(bad, osp.join(seeds, ids[3] + '.png'))
    prefix = dict(
        img_path='JPEGImages',
        seg_map_path='seeds',
        label_path='SegmentationClass')
    with pytest.raises(
            ValueError,
            match=f'{ids[3]}.png holds label 11, but the data set '
            'has 11 classes'):
        weak_voc_dataset(root, [], data_prefix=prefix)
    atomic_write_png(
        np.full((64, 64), 255, np.uint8), osp.join(seeds, ids[3] + '.png'))
    logged = []
    logger = MMLogger.get_current_instance()
    orig = logger.warning
    logger.warning = lambda msg, *a, **k: logged.append(msg)
    try:
        weak_voc_dataset(root, [], data_prefix=prefix)
        _seed_dir(root, ids[:1], 0)  # one seed map with a label: a count
        weak_voc_dataset(root, [], data_prefix=prefix)
        # a GT mask that is all ignore: an image without any image-level label
        atomic_write_png(
            np.full((64, 64), 255, np.uint8),
            osp.join(root, 'SegmentationClass', ids[4] + '.png'))
        weak_voc_dataset(root, [])
    finally:
        logger.warning = orig
    assert any('every label map' in m and 'all ignore' in m for m in logged)
    assert any(f'{len(ids) - 1} of {len(ids)} label maps' in m for m in logged)
    assert any(f'1 of {len(ids)} images have no image-level label' in m
               for m in logged)


def test_head_class_count_checked(tiny_voc, tmp_path):
    """num_classes=21 on 11-class data trained and scored silently before."""
    from conftest import run_tool

    from wsss_mm.engine.hooks.class_count_check_hook import ClassCountCheckHook

    class Head:
        num_classes = 21

    class Model:
        decode_head = Head()

    class Loader:
        dataset = weak_voc_dataset(tiny_voc, [])

    class Runner:
        model = Model()

    with pytest.raises(
            ValueError,
            match='model.decode_head.num_classes gives 21 classes'):
        ClassCountCheckHook()._check(Runner, Loader, 'train_dataloader')
    Head.num_classes = 11
    ClassCountCheckHook()._check(Runner, Loader, 'train_dataloader')
    with pytest.raises(
            AssertionError, match='decode_head.num_classes gives 21'):
        run_tool('tools/train.py',
                 'configs/full/deeplab_largefov_vgg16-slim_mini_gt.py',
                 '--work-dir', str(tmp_path / 'w'), '--cfg-options',
                 f'train_dataloader.dataset.data_root={tiny_voc}',
                 f'val_dataloader.dataset.data_root={tiny_voc}',
                 'model.decode_head.num_classes=21',
                 'model.backbone.init_cfg=None', 'train_cfg.max_iters=2')
