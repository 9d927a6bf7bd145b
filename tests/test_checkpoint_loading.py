import os
import pickle
import shutil

import pytest
import torch
from mmengine.logging.history_buffer import HistoryBuffer

from wsss_mm.utils.checkpoint import load_checkpoint_file, save_weights_only


class NotAllowed:
    pass


def test_weights_only_file_loads_anywhere(tmp_path):
    path = str(tmp_path / 'w.pth')
    save_weights_only({'a': torch.ones(2)}, path)
    assert torch.equal(load_checkpoint_file(path)['state_dict']['a'], torch.ones(2))
    assert not any(n.endswith('.tmp') or '.tmp' in n for n in os.listdir(tmp_path))


def test_mmengine_checkpoint_needs_work_dir_trust(tmp_path):
    """numpy 2 pickles dtypes through getattr, which is never allowlisted, so a
    checkpoint with mmengine's message hub loads only from its work dir."""
    import numpy as np
    buf = HistoryBuffer()
    buf.update(np.float64(1.0))
    state = {'state_dict': {'w': torch.ones(1)}, 'message_hub': {'log': buf}}
    path = str(tmp_path / 'c.pth')
    torch.save(state, path)
    with pytest.raises(pickle.UnpicklingError, match='getattr'):
        load_checkpoint_file(path)
    (tmp_path / 'last_checkpoint').write_text(path)
    out = load_checkpoint_file(path)
    assert isinstance(out['message_hub']['log'], HistoryBuffer)


def test_untrusted_pickle_rejected_unless_in_work_dir(tmp_path):
    outside = tmp_path / 'download'
    outside.mkdir()
    path = str(outside / 'c.pth')
    torch.save({'meta': NotAllowed()}, path)
    with pytest.raises(pickle.UnpicklingError, match='not in an mmengine work dir'):
        load_checkpoint_file(path)
    work = tmp_path / 'work'
    work.mkdir()
    shutil.copy(path, work / 'iter_1.pth')
    (work / 'last_checkpoint').write_text(str(work / 'iter_1.pth'))
    assert isinstance(load_checkpoint_file(str(work / 'iter_1.pth'))['meta'], NotAllowed)


def test_trusted_dirs_env(tmp_path, monkeypatch):
    path = str(tmp_path / 'c.pth')
    torch.save({'meta': NotAllowed()}, path)
    monkeypatch.setenv('WSSS_MM_TRUSTED_CKPT_DIRS', str(tmp_path))
    assert isinstance(load_checkpoint_file(path)['meta'], NotAllowed)


def test_missing_checkpoint_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_file(str(tmp_path / 'nope.pth'))
