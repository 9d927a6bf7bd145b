"""Loading mmengine checkpoints under torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True`` by default and mmengine 0.10.7
calls plain ``torch.load``, so ``load_from``, ``resume`` and
``tools/test.py CFG CKPT`` fail on the very checkpoints mmengine saves (their
``message_hub`` holds ``HistoryBuffer`` objects and numpy scalars;
open-mmlab/mmengine#1655).

Policy (deliberate, see README "Checkpoints"):

1. Every local file is first loaded with ``weights_only=True`` and a short
   allowlist of the harmless types mmengine writes (``HistoryBuffer``, numpy
   arrays, dtypes and scalars). ``getattr`` is *not* allowlisted.
2. If that still fails, the file is trusted only if it lies in an mmengine
   *work dir*, i.e. next to the ``last_checkpoint`` marker that mmengine's
   ``CheckpointHook`` writes, or under a directory listed in the environment
   variable ``WSSS_MM_TRUSTED_CKPT_DIRS`` (``os.pathsep`` separated). Such
   files are your own training outputs and are loaded with
   ``weights_only=False``.
3. Anything else raises with an explanation; the process-wide switch
   ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` is never set.
"""
import os
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader

TRUSTED_DIRS_ENV = 'WSSS_MM_TRUSTED_CKPT_DIRS'


def _safe_globals():
    from mmengine.logging.history_buffer import HistoryBuffer
    allowed = [HistoryBuffer, np.ndarray, np.dtype]
    try:
        allowed.append(np._core.multiarray._reconstruct)
        allowed.append(np._core.multiarray.scalar)
    except AttributeError:  # numpy < 2
        allowed.append(np.core.multiarray._reconstruct)
        allowed.append(np.core.multiarray.scalar)
    # numpy >= 1.25 pickles dtypes through their classes (np.dtypes.Float64DType)
    allowed += [type(np.dtype(t)) for t in
                ('float16', 'float32', 'float64', 'int8', 'int16', 'int32',
                 'int64', 'uint8', 'bool')]
    return allowed


def is_trusted_checkpoint(filename: str) -> bool:
    """True for files written by mmengine into a work dir (or trusted dirs)."""
    path = osp.abspath(filename)
    folder = osp.dirname(path)
    if osp.exists(osp.join(folder, 'last_checkpoint')):
        return True
    for root in filter(None, os.environ.get(TRUSTED_DIRS_ENV, '').split(os.pathsep)):
        root = osp.abspath(root)
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def load_checkpoint_file(filename: str, map_location=None):
    """Load a local checkpoint following the policy of this module."""
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    try:
        with torch.serialization.safe_globals(_safe_globals()):
            return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        if not is_trusted_checkpoint(filename):
            raise pickle.UnpicklingError(
                f'{filename} cannot be loaded with weights_only=True and is not '
                f'in an mmengine work dir (no "last_checkpoint" beside it). If '
                f'you trust it, add its folder to ${TRUSTED_DIRS_ENV}. '
                f'Original error: {err}') from err
        print_log(f'{filename}: work-dir checkpoint, loading with '
                  f'weights_only=False', logger='current')
        return torch.load(filename, map_location=map_location, weights_only=False)


def register_checkpoint_loader():
    """Replace mmengine's local-file loader by :func:`load_checkpoint_file`."""
    CheckpointLoader.register_scheme(prefixes='', loader=load_checkpoint_file, force=True)


def save_weights_only(state_dict: dict, filename: str, meta: dict = None):
    """Atomically save ``{'state_dict': ..., 'meta': ...}`` loadable with
    ``weights_only=True`` anywhere (temp file, then rename)."""
    os.makedirs(osp.dirname(osp.abspath(filename)), exist_ok=True)
    tmp = f'{filename}.tmp{os.getpid()}'
    torch.save({'state_dict': state_dict, 'meta': meta or {}}, tmp)
    os.replace(tmp, filename)
