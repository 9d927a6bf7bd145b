"""Image-level labels from a file (the three forms) and a split without
masks."""
import json
import os
import os.path as osp

import numpy as np
import pytest
from conftest import weak_voc_dataset

import wsss_mm  # noqa: F401
from wsss_mm.datasets.image_labels import load_image_labels

NAMES = ('background', 'cat', 'traffic light', 'dog')


def hot(*idx):
    v = np.zeros(4, np.float32)
    v[[0, *idx]] = 1
    return v


def test_text_json_and_npy_forms(tmp_path):
    txt = tmp_path / 'labels.txt'
    txt.write_text('# id classes\n'
                   'a cat dog\n'
                   '\n'
                   'b,traffic light,cat\n'
                   'c 3\n'
                   'd\n')
    table = load_image_labels(str(txt), NAMES)
    assert sorted(table) == ['a', 'b', 'c', 'd']
    np.testing.assert_array_equal(table['a'], hot(1, 3))
    np.testing.assert_array_equal(table['b'], hot(1, 2))
    np.testing.assert_array_equal(table['c'], hot(3))
    np.testing.assert_array_equal(table['d'], hot())
    js = tmp_path / 'labels.json'
    js.write_text(json.dumps({'a': [1, 3], 'b': ['traffic light']}))
    table = load_image_labels(str(js), NAMES)
    np.testing.assert_array_equal(table['a'], hot(1, 3))
    np.testing.assert_array_equal(table['b'], hot(2))
    # VOC's cls_labels.npy: foreground multi-hot, no background entry
    npy = tmp_path / 'cls_labels.npy'
    np.save(str(npy), {'2007_000032': np.array([0, 1, 1], np.float32)})
    np.testing.assert_array_equal(
        load_image_labels(str(npy), NAMES)['2007_000032'], hot(2, 3))


@pytest.mark.parametrize('text,match', [
    ('a horse\n', r'labels.txt:1: unknown class \'horse\''),
    ('a cat\nb 4\n', r'labels.txt:2: class index 4 not in 1..3'),
    ('a 0\n', r'labels.txt:1: class index 0'),
    ('a cat\na dog\n', r'labels.txt:2: a listed twice'),
    ('# nothing\n', 'no image-level labels'),
])
def test_bad_label_files_name_the_file_and_line(tmp_path, text, match):
    path = tmp_path / 'labels.txt'
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        load_image_labels(str(path), NAMES)


def test_npy_of_another_class_count_is_refused(tmp_path):
    npy = tmp_path / 'cls_labels.npy'
    np.save(str(npy), {'x': np.zeros(20, np.float32)})
    with pytest.raises(ValueError, match='20 foreground entries'):
        load_image_labels(str(npy), NAMES)
    with pytest.raises(FileNotFoundError, match='label_file not found'):
        load_image_labels(str(tmp_path / 'none.txt'), NAMES)


def test_split_without_masks_reads_labels_from_the_file(tiny_voc, tmp_path):
    """Train masks removed: the labels come from the file, LoadAnnotations
    skips the images without a mask, the others keep theirs."""
    import shutil
    root = tmp_path / 'voc'
    shutil.copytree(tiny_voc, root)
    ids = (root / 'ImageSets/Segmentation/train.txt').read_text().split()
    names = (root / 'classes.txt').read_text().split('\n')
    names = [n for n in names if n]
    from wsss_mm.utils.io import read_label_png
    lines = []
    for i in ids:
        mask = read_label_png(str(root / 'SegmentationClass' / f'{i}.png'))
        fg = [names[c] for c in np.unique(mask) if 0 < c < 255]
        lines.append(' '.join([i, *fg]))
    (root / 'labels.txt').write_text('\n'.join(lines) + '\n')
    for i in ids[1:]:  # every train mask but the first
        os.remove(root / 'SegmentationClass' / f'{i}.png')
    ds = weak_voc_dataset(str(root), label_file='labels.txt')
    assert len(ds) == len(ids)
    assert 'seg_map_path' in ds.get_data_info(0)
    assert 'seg_map_path' not in ds.get_data_info(1)
    first, second = ds[0]['data_samples'], ds[1]['data_samples']
    assert 'gt_sem_seg' in first and 'gt_sem_seg' not in second
    mask = read_label_png(
        osp.join(tiny_voc, 'SegmentationClass', f'{ids[1]}.png'))
    expected = np.zeros(len(names), np.float32)
    expected[[c for c in np.unique(mask) if c < 255]] = 1
    np.testing.assert_array_equal(ds.get_data_info(1)['img_labels'], expected)
