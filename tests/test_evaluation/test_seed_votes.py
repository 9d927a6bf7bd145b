"""How K seed sets vote on each GT class (wsss_mm/evaluation/seed_votes.py)
and its tool."""
import json

import numpy as np
import pytest
from conftest import run_tool
from PIL import Image

from wsss_mm.evaluation.seed_votes import VOTES, seed_votes


def _example():
    gt = np.array([[0, 0, 1, 1], [2, 2, 255, 1]], np.uint8)
    seeds = np.array([
        [[0, 1, 1, 0], [2, 255, 1, 1]],
        [[0, 0, 255, 1], [0, 1, 2, 1]],
        [[255, 0, 1, 2], [2, 2, 0, 255]],
    ], np.uint8)
    return seeds, gt


def test_seed_votes_counts_class_background_other_unlabelled():
    seeds, gt = _example()
    votes = seed_votes([(seeds, gt)], 3)
    assert VOTES == ('class', 'background', 'other class', 'unlabelled')
    # background pixels (0, 0), (0, 1): labels 0 0 255 | 1 0 0
    np.testing.assert_array_equal(votes[0], [4, 0, 1, 1])
    # class 1 pixels (0, 2), (0, 3), (1, 3): 1 255 1 | 0 1 2 | 1 1 255
    np.testing.assert_array_equal(votes[1], [5, 1, 1, 2])
    # class 2 pixels (1, 0), (1, 1): 2 0 2 | 255 1 2; the ignored GT pixel is
    # skipped
    np.testing.assert_array_equal(votes[2], [3, 1, 1, 1])
    assert (votes.sum(1) == 3 * np.array([2, 3, 2])).all()  # K sets per pixel
    np.testing.assert_array_equal(seed_votes([(seeds, gt)] * 2, 3), 2 * votes)
    with pytest.raises(ValueError, match=r'outside \[0, 2\)'):
        seed_votes([(seeds, gt)], 2)
    with pytest.raises(ValueError, match='differ in shape'):
        seed_votes([(seeds[:, :, :3], gt)], 3)


def test_seed_votes_tool(tmp_path):
    seeds, gt = _example()
    root = tmp_path / 'data'
    (root / 'ImageSets' / 'Segmentation').mkdir(parents=True)
    (root / 'SegmentationClass').mkdir()
    (root / 'ImageSets' / 'Segmentation' / 'train.txt').write_text('a\n')
    (root / 'classes.txt').write_text('background\nx\ny\n')
    Image.fromarray(gt).save(root / 'SegmentationClass' / 'a.png')
    dirs = []
    for k, s in enumerate(seeds):
        d = tmp_path / f's{k}'
        d.mkdir()
        Image.fromarray(s).save(d / 'a.png')
        dirs.append(str(d))
    out = tmp_path / 'votes.json'
    proc = run_tool('tools/analysis_tools/seed_votes.py', *dirs, '--data-root',
                    str(root), '--out', str(out))
    assert '3 seed sets, 1 train images' in proc.stdout
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith('x '))
    assert [float(v) for v in line.split()[1:]
            ] == [round(3 * v / 9, 2) for v in (5, 1, 1, 2)]
    saved = json.loads(out.read_text())
    assert saved['counts'][1] == [5, 1, 1, 2
                                  ] and saved['columns'][0] == 'class'
    with pytest.raises(AssertionError, match='no label map'):
        run_tool('tools/analysis_tools/seed_votes.py', *dirs, str(tmp_path),
                 '--data-root', str(root))
