"""tools/fill_uncertain.py refuses mis-sized predictions before it writes."""
import os

import numpy as np
import pytest

from wsss_mm.utils.io import atomic_write_png


def test_size_mismatch_reported_before_any_write(tmp_path):
    from tools.fill_uncertain import main
    for d in ('seeds', 'preds'):
        os.makedirs(tmp_path / d)
    for i in range(5):  # four good pairs, one mis-sized prediction at the end
        atomic_write_png(
            np.full((4, 6), 255, np.uint8),
            str(tmp_path / 'seeds' / f'{i}.png'))
        shape = (4, 6) if i < 4 else (6, 4)
        atomic_write_png(
            np.zeros(shape, np.uint8), str(tmp_path / 'preds' / f'{i}.png'))
    with pytest.raises(
            ValueError,
            match=r'1 prediction\(s\) differ in size .*4.png is '
            r'\(4, 6\), the seed .*4.png \(6, 4\)'):
        main([
            str(tmp_path / 'seeds'),
            str(tmp_path / 'preds'),
            str(tmp_path / 'out'), '--no-progress'
        ])
    assert not (tmp_path / 'out').exists()  # nothing written
