"""The pixel confusion matrix (wsss_mm/evaluation/confusion.py) and its
tool."""
import json

import numpy as np
import pytest
from conftest import run_tool
from PIL import Image

from wsss_mm.evaluation.confusion import (confusion_matrix, row_shares,
                                          top_confusions)


def test_confusion_matrix_counts_rows_gt_columns_pred():
    gt = np.array([[0, 1, 1, 255], [2, 2, 2, 2]], np.uint8)
    pred = np.array([[0, 2, 1, 1], [2, 2, 1, 0]], np.uint8)
    m = confusion_matrix([(pred, gt)], 3)
    expected = np.zeros((3, 3), np.int64)
    for g, p in ((0, 0), (1, 2), (1, 1), (2, 2), (2, 2), (2, 1), (2, 0)):
        expected[g, p] += 1
    np.testing.assert_array_equal(m,
                                  expected)  # the ignored GT pixel is skipped
    np.testing.assert_array_equal(
        confusion_matrix([(pred, gt)] * 2, 3), 2 * expected)
    shares = row_shares(m)
    np.testing.assert_allclose(shares.sum(1), 1)
    rows = top_confusions(m, ['bg', 'a', 'b'], k=1)
    assert rows[1] == {'class': 'a', 'right': 0.5, 'into': [('b', 0.5)]}
    assert rows[2]['right'] == 0.5 and rows[2]['into'][0][1] == 0.25
    # a class count too small for the labels fails, not drops pixels
    with pytest.raises(ValueError, match=r'labels outside \[0, 2\)'):
        confusion_matrix([(pred, gt)], 2)
    with pytest.raises(ValueError, match='differ in shape'):
        confusion_matrix([(pred[:, :3], gt)], 3)
    # seeds: unlabelled predictions raise unless counted in their own column
    seeds = pred.copy()
    seeds[1, 3] = 255  # GT 2 left unlabelled
    with pytest.raises(ValueError, match=r'prediction 0\.\.255'):
        confusion_matrix([(seeds, gt)], 3)
    m = confusion_matrix([(seeds, gt)], 3, unlabelled=True)
    with_col = np.concatenate([expected, np.zeros((3, 1), np.int64)], 1)
    with_col[2, 0], with_col[2, 3] = 0, 1
    np.testing.assert_array_equal(m, with_col)
    rows = top_confusions(
        m, ['bg', 'a', 'b'], k=3, columns=['bg', 'a', 'b', '(none)'])
    assert rows[2]['right'] == 0.5 and ('(none)', 0.25) in rows[2]['into']


def test_confusion_tool(tmp_path):
    root, pred = tmp_path / 'data', tmp_path / 'run' / 'pred'
    (root / 'ImageSets' / 'Segmentation').mkdir(parents=True)
    (root / 'SegmentationClass').mkdir()
    pred.mkdir(parents=True)
    (root / 'classes.txt').write_text('background\ncat\ndog\n')
    (root / 'ImageSets' / 'Segmentation' / 'val.txt').write_text('a\nb\n')
    gt = np.zeros((4, 4), np.uint8)
    gt[:2] = 1
    gt[2:] = 2
    for i in 'ab':
        Image.fromarray(gt).save(root / 'SegmentationClass' / f'{i}.png')
        Image.fromarray(np.where(gt == 2, 1,
                                 gt).astype(np.uint8)).save(pred / f'{i}.png')
    (pred / 'provenance.json').write_text(
        '{}')  # other files in the folder are not read
    out = run_tool('tools/analysis_tools/confusion_matrix.py', str(pred),
                   '--data-root', str(root)).stdout
    assert 'dog' in out and 'cat 100%' in out
    saved = json.load(open(tmp_path / 'run' / 'confusion.json'))
    assert saved['classes'] == saved['columns'] == ['background', 'cat', 'dog']
    assert saved['matrix'][2] == [0, 16, 0] and saved['rows'][2]['right'] == 0
    assert (tmp_path / 'run' / 'confusion.png').stat().st_size > 0
    # a seed folder: unlabelled pixels get their own column
    seeds = np.where(gt == 2, 1, gt).astype(np.uint8)
    seeds[3] = 255
    Image.fromarray(seeds).save(pred / 'b.png')
    out = run_tool('tools/analysis_tools/confusion_matrix.py', str(pred),
                   '--data-root', str(root)).stdout
    saved = json.load(open(tmp_path / 'run' / 'confusion.json'))
    assert saved['columns'][-1] == '(unlabelled)'
    assert saved['matrix'][2] == [0, 12, 0, 4] and '(unlabelled) 25%' in out
    (pred / 'b.png').unlink()
    with pytest.raises(AssertionError, match='no label map'):
        run_tool('tools/analysis_tools/confusion_matrix.py', str(pred),
                 '--data-root', str(root))
