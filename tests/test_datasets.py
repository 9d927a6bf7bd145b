import os
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import wsss_mm  # noqa: F401
from mmseg.registry import DATASETS
from wsss_mm.datasets import labels_from_mask
from wsss_mm.utils.io import atomic_write_png, read_label_png


def make_dataset(root, pipeline, **kw):
    init_default_scope('mmseg')
    cfg = dict(type='WeakVOCDataset', data_root=root,
               ann_file='ImageSets/Segmentation/train.txt',
               data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'),
               pipeline=pipeline)
    cfg.update(kw)
    return DATASETS.build(cfg)


def test_labels_from_mask():
    mask = np.array([[0, 3], [255, 3]], np.uint8)
    np.testing.assert_array_equal(labels_from_mask(mask, 5), [1, 0, 0, 1, 0])
    with pytest.raises(ValueError, match='m.png: label 7 found but the dataset has 5'):
        labels_from_mask(np.array([[7]]), 5, source='m.png')


def test_dataset_reads_classes_and_image_labels(tiny_voc):
    ds = make_dataset(tiny_voc, [])
    assert ds.metainfo['classes'][0] == 'background' and len(ds.metainfo['classes']) == 11
    info = ds.get_data_info(0)
    mask = read_label_png(info['seg_map_path'])
    expected = np.zeros(11, np.float32)
    expected[np.unique(mask)] = 1
    np.testing.assert_array_equal(info['img_labels'], expected)


def test_label_file_overrides_masks(tiny_voc, tmp_path):
    import json
    ids = open(osp.join(tiny_voc, 'ImageSets/Segmentation/train.txt')).read().split()
    path = tmp_path / 'labels.json'
    path.write_text(json.dumps({i: [2, 5] for i in ids}))
    ds = make_dataset(tiny_voc, [], label_file=str(path))
    assert ds.get_data_info(0)['img_labels'].nonzero()[0].tolist() == [0, 2, 5]


def test_cls_pipeline_never_loads_gt(tiny_voc):
    pipeline = [dict(type='LoadImageFromFile'),
                dict(type='RandomCrop', crop_size=(48, 48)),
                dict(type='PackWeakSegInputs')]
    ds = make_dataset(tiny_voc, pipeline,
                      data_prefix=dict(img_path='JPEGImages', label_path='SegmentationClass'))
    sample = ds[0]['data_samples']
    assert 'gt_sem_seg' not in sample
    assert sample.gt_img_labels.shape == (11, ) and sample.gt_img_labels[0] == 1


def test_seeds_follow_image_geometry(tiny_voc, tmp_path):
    """K seed maps get exactly the resize/crop/flip of the image and GT."""
    seed_a, seed_b = tmp_path / 'a', tmp_path / 'b'
    ids = open(osp.join(tiny_voc, 'ImageSets/Segmentation/train.txt')).read().split()
    for i in ids:
        gt = read_label_png(osp.join(tiny_voc, 'SegmentationClass', i + '.png'))
        atomic_write_png(gt, str(seed_a / (i + '.png')))
        atomic_write_png(np.where(gt > 0, 255, 0).astype(np.uint8), str(seed_b / (i + '.png')))
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                dict(type='LoadSeedMaps'),
                dict(type='RandomResize', scale=(64, 64), ratio_range=(0.7, 1.4), keep_ratio=True),
                dict(type='RandomCrop', crop_size=(40, 40)),
                dict(type='RandomFlip', prob=1.0),
                dict(type='PackWeakSegInputs')]
    ds = make_dataset(tiny_voc, pipeline, seed_dirs=[str(seed_a), str(seed_b)])
    for idx in range(3):
        out = ds[idx]
        gt = out['data_samples'].gt_sem_seg.data[0]
        seeds = out['data_samples'].gt_seed_maps.data
        assert seeds.shape == (2, 40, 40) and out['inputs'].shape[-2:] == (40, 40)
        torch.testing.assert_close(seeds[0], gt)
        torch.testing.assert_close(seeds[1], torch.where(gt > 0, 255, 0))


def test_missing_files_are_named(tiny_voc, tmp_path):
    root = str(tmp_path / 'copy')
    shutil.copytree(tiny_voc, root)
    ids = open(osp.join(root, 'ImageSets/Segmentation/train.txt')).read().split()
    os.remove(osp.join(root, 'SegmentationClass', ids[3] + '.png'))
    with pytest.raises(FileNotFoundError, match=f'SegmentationClass/{ids[3]}.png'):
        make_dataset(root, [])
    os.remove(osp.join(root, 'JPEGImages', ids[2] + '.jpg'))
    with pytest.raises(FileNotFoundError, match=f'JPEGImages/{ids[2]}.jpg'):
        make_dataset(root, [])
    with pytest.raises(FileNotFoundError, match='nowhere/'):
        make_dataset(tiny_voc, [], seed_dirs=[str(tmp_path / 'nowhere')])


def test_wrong_class_count_is_reported(tiny_voc):
    with pytest.raises(ValueError, match='SegmentationClass/.*has 3 classes'):
        make_dataset(tiny_voc, [], metainfo=dict(classes=('background', 'a', 'b')))


def test_class_count_mismatch_with_model_head(tiny_voc):
    from wsss_mm.models.utils import stack_image_labels
    ds = make_dataset(tiny_voc, [dict(type='LoadImageFromFile'), dict(type='PackWeakSegInputs')],
                      data_prefix=dict(img_path='JPEGImages', label_path='SegmentationClass'))
    samples = [ds[0]['data_samples']]
    assert stack_image_labels(samples, 10).shape == (1, 10)
    with pytest.raises(ValueError, match='dataset has 11 classes'):
        stack_image_labels(samples, 20)


def test_relative_data_root_and_label_path(tiny_voc, monkeypatch):
    monkeypatch.chdir(osp.dirname(tiny_voc))
    ds = make_dataset(osp.basename(tiny_voc), [],
                      data_prefix=dict(img_path='JPEGImages', label_path='SegmentationClass'))
    assert ds.get_data_info(0)['img_labels'][0] == 1
