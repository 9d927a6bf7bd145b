"""Checkpoints that load with ``torch.load(weights_only=True)``.

torch >= 2.6 loads with ``weights_only=True`` by default and mmengine 0.10.7
calls plain ``torch.load``, so ``load_from``, ``resume`` and
``tools/test.py CFG CKPT`` fail on the very checkpoints mmengine saves
(open-mmlab/mmengine#1655). Measured on a checkpoint saved by a Runner
(mmengine 0.10.7, numpy 2.4): everything is tensors and plain Python except

* ``message_hub['log_scalars']``: mmengine ``HistoryBuffer`` objects. Their
  ``__getstate__`` adds the class-level ``statistics_methods`` (the functions
  ``HistoryBuffer.min/max/mean/current``), which pickle as
  ``getattr(HistoryBuffer, 'min')`` -- the ``getattr`` global that must never
  be allowlisted; their histories are numpy arrays;
* numpy scalars in ``message_hub['runtime_info']`` (``eta``, ``best_score``
  from a metric) and in ``meta['dataset_meta']`` / ``runtime_info`` when a
  dataset's ``metainfo`` holds numpy values.

Policy (docs/checkpoints.md):

1. Saving: :class:`~wsss_mm.engine.hooks.WeightsOnlyCheckpointHook`, which
   ``import wsss_mm`` adds to every Runner, converts the checkpoint with
   :func:`to_weights_only` before mmengine writes it: numpy scalars become
   Python scalars, numpy arrays lists, dtypes strings, and each
   ``HistoryBuffer`` a :class:`PlainHistoryBuffer` (a ``HistoryBuffer``
   subclass that pickles only its data, histories as tensors).
2. Loading (:func:`load_checkpoint_file`, registered as mmengine's local-file
   loader): ``weights_only=True`` with an allowlist of data-only types --
   :class:`PlainHistoryBuffer` and numpy arrays / scalars / dtypes. Never
   ``getattr``.
3. A file that is not weights-only is unpickled in full (which can run code)
   only if it lies under a directory listed in ``$WSSS_MM_TRUSTED_CKPT_DIRS``
   (``os.pathsep`` separated; ``~`` and ``$VARS`` expanded), with a warning
   naming the file and the variable. Nothing in or beside a file (e.g. a
   ``last_checkpoint`` marker, which anyone can put in an archive) grants
   trust. Anything else is refused; the process-wide switch
   ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` is never set.
"""
import logging
import os
import os.path as osp
import pickle
from collections import Counter, OrderedDict

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from .io import atomic_path

TRUSTED_DIRS_ENV = 'WSSS_MM_TRUSTED_CKPT_DIRS'

_PLAIN_LEAVES = (torch.Tensor, str, bytes, bool, int, float, complex,
                 type(None), torch.dtype, torch.device)


class PlainHistoryBuffer(HistoryBuffer):
    """A ``HistoryBuffer`` that pickles as data only.

    mmengine's ``HistoryBuffer.__getstate__`` stores the class-level
    statistics functions, which need ``getattr`` to unpickle. This subclass
    stores ``max_length`` and the two histories (as tensors, dtype kept) and
    turns them back into numpy arrays on load, so it is safe to allowlist for
    ``weights_only=True``: unpickling it only creates the object and sets
    those attributes (``__setstate__`` below; the statistics methods come from
    the class as for any ``HistoryBuffer``). It is a ``HistoryBuffer``, so
    ``MessageHub.load_state_dict`` (resume) accepts it.
    """

    @classmethod
    def from_buffer(cls, buf: HistoryBuffer) -> 'PlainHistoryBuffer':
        new = cls.__new__(cls)
        new.__dict__.update({
            k: v
            for k, v in buf.__dict__.items() if k != 'statistics_methods'
        })
        return new

    def __getstate__(self) -> dict:
        state = {}
        for key, value in self.__dict__.items():
            if key == 'statistics_methods':
                continue
            if isinstance(value, np.ndarray):
                value = _array_to_plain(value, as_tensor=True)
            state[key] = value
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        for key in ('_log_history', '_count_history'):
            value = state.get(key)
            if isinstance(value, torch.Tensor):
                state[key] = value.numpy()
            elif isinstance(value, list):
                state[key] = np.array(value)
        super().__setstate__(state)


def _array_to_plain(arr: np.ndarray, as_tensor: bool = False):
    if as_tensor and arr.dtype.kind in 'biuf':
        try:
            return torch.from_numpy(np.ascontiguousarray(arr)).clone()
        except TypeError:  # a dtype torch does not have
            pass
    return to_weights_only(arr.tolist())


def to_weights_only(obj):
    """Return ``obj`` with the types ``torch.load(weights_only=True)`` refuses
    replaced: numpy scalars -> Python scalars, numpy arrays -> (nested) lists,
    numpy dtypes -> their name, ``HistoryBuffer`` ->
    :class:`PlainHistoryBuffer`,
    dict subclasses other than ``OrderedDict``/``Counter`` -> ``dict``,
    namedtuples -> tuples. Containers are rebuilt only where something
    changed (a model ``state_dict`` keeps its ``_metadata``); objects of other
    types are left as they are (see :func:`non_weights_only_paths`)."""
    if isinstance(obj, (torch.Tensor, torch.Size)):
        return obj
    if isinstance(obj, np.generic):  # before float/int: np.float64 is a float
        return to_weights_only(obj.item())
    if isinstance(obj, np.ndarray):
        return _array_to_plain(obj)
    if isinstance(obj, np.dtype):
        return obj.name
    if isinstance(obj, type) and issubclass(obj, np.generic):
        return np.dtype(obj).name
    if isinstance(obj, HistoryBuffer):
        return obj if type(obj) is PlainHistoryBuffer else \
            PlainHistoryBuffer.from_buffer(obj)
    if isinstance(obj, dict):
        items = [(k, to_weights_only(k), v, to_weights_only(v))
                 for k, v in obj.items()]
        keep_type = type(obj) in (dict, OrderedDict, Counter)
        if keep_type and all(k is k2 and v is v2 for k, k2, v, v2 in items):
            return obj
        new = (type(obj) if keep_type else dict)(
            (k2, v2) for _, k2, _, v2 in items)
        if type(obj
                ) is OrderedDict and obj.__dict__:  # e.g. state_dict._metadata
            new.__dict__.update(obj.__dict__)
        return new
    if isinstance(obj, (list, tuple, set)):
        items = [to_weights_only(v) for v in obj]
        if type(obj) in (list, tuple, set) and all(
                a is b for a, b in zip(obj, items)):
            return obj
        base = list if isinstance(
            obj, list) else tuple if isinstance(obj, tuple) else set
        return base(items)
    return obj


def non_weights_only_paths(obj, path: str = '', limit: int = 20) -> list:
    """Paths (``/meta/x``) of values in ``obj`` that ``torch.load`` with
    ``weights_only=True`` and this module's allowlist would refuse (a quick
    type walk, at most ``limit`` of them)."""
    found = []

    def walk(o, p):
        if len(found) >= limit:
            return
        if type(o) in (dict, OrderedDict, Counter):
            for k, v in o.items():
                walk(k, f'{p}/<key {k!r}>')
                walk(v, f'{p}/{k}')
        elif type(o) in (list, tuple, set):
            for i, v in enumerate(o):
                walk(v, f'{p}[{i}]')
        elif type(o) is PlainHistoryBuffer:  # histories: numeric arrays
            walk(
                {
                    k: v
                    for k, v in o.__dict__.items()
                    if k != 'statistics_methods' and not (
                        isinstance(v, np.ndarray) and v.dtype.kind in 'biuf')
                }, p)
        elif type(o) in (torch.Size, torch.nn.Parameter):
            pass
        elif type(o) not in _PLAIN_LEAVES:
            found.append(
                f'{p or "/"} ({type(o).__module__}.{type(o).__qualname__})')

    walk(obj, path)
    return found


def _safe_globals():
    """Data-only types allowed on top of torch's weights-only set: our
    :class:`PlainHistoryBuffer` and numpy arrays, scalars and dtypes (files
    from other tools often hold them; they construct only array data)."""
    allowed = [PlainHistoryBuffer, np.ndarray, np.dtype]
    try:
        allowed.append(np._core.multiarray._reconstruct)
        allowed.append(np._core.multiarray.scalar)
    except AttributeError:  # numpy < 2
        allowed.append(np.core.multiarray._reconstruct)
        allowed.append(np.core.multiarray.scalar)
    # numpy >= 1.25 pickles dtypes through their classes
    # (np.dtypes.Float64DType)
    allowed += [
        type(np.dtype(t))
        for t in ('float16', 'float32', 'float64', 'int8', 'int16', 'int32',
                  'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool')
    ]
    return allowed


def _allowing(extra):
    """``torch.serialization.safe_globals`` for the entries of ``extra`` not
    yet allowlisted (its exit removes what it was given, which would drop the
    process-wide entry of :func:`register_checkpoint_loader`)."""
    present = set(torch.serialization.get_safe_globals())
    return torch.serialization.safe_globals(
        [g for g in extra if g not in present])


def trusted_dirs() -> list:
    """The directories listed in ``$WSSS_MM_TRUSTED_CKPT_DIRS`` (``~`` and
    environment variables expanded, symlinks resolved; relative entries are
    taken from the current directory)."""
    roots = []
    for entry in os.environ.get(TRUSTED_DIRS_ENV, '').split(os.pathsep):
        entry = entry.strip()
        if entry:
            roots.append(osp.realpath(osp.expanduser(osp.expandvars(entry))))
    return roots


def trusted_root(filename: str):
    """The entry of ``$WSSS_MM_TRUSTED_CKPT_DIRS`` that holds ``filename``
    (compared after resolving symlinks), or None."""
    path = osp.realpath(filename)
    for root in trusted_dirs():
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return root
    return None


def is_trusted_checkpoint(filename: str) -> bool:
    """True only for files under a directory of ``$WSSS_MM_TRUSTED_CKPT_DIRS``.
    Nothing beside the file (such as mmengine's ``last_checkpoint``) counts."""
    return trusted_root(filename) is not None


def load_checkpoint_file(filename: str, map_location=None):
    """Load a local checkpoint following the policy of this module."""
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    try:
        with _allowing(_safe_globals()):
            return torch.load(
                filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        root = trusted_root(filename)
        if root is None:
            raise pickle.UnpicklingError(
                f'{filename} cannot be loaded with weights_only=True; '
                'refusing '
                f'to unpickle it in full (that can run code from the file). '
                f'Checkpoints saved by a Runner with wsss_mm imported are '
                f'weights-only; an older one of your own (or another file you '
                f'trust) loads if you list its folder in ${TRUSTED_DIRS_ENV} '
                f'(or re-save it with '
                f'wsss_mm.utils.checkpoint.convert_to_weights_only). '
                f'Original error: {err}') from err
        print_log(
            f'{filename} is not weights-only; unpickling it in full '
            f'(weights_only=False, can run code) because it is under '
            f'{root}, listed in ${TRUSTED_DIRS_ENV}',
            logger='current',
            level=logging.WARNING)
        return torch.load(
            filename, map_location=map_location, weights_only=False)


def register_checkpoint_loader():
    """Replace mmengine's local-file loader by :func:`load_checkpoint_file`,
    and allowlist :class:`PlainHistoryBuffer` (data only, see its docstring)
    process-wide, so a plain ``torch.load(ckpt)`` after ``import wsss_mm``
    reads the checkpoints wsss_mm saves, too."""
    torch.serialization.add_safe_globals([PlainHistoryBuffer])
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_checkpoint_file, force=True)


def _save_checked(obj, filename: str, allowlist=()):
    """Atomically save ``obj`` (temp file, then rename) after checking that
    the temp file loads with ``weights_only=True`` and only ``allowlist`` on
    top of torch's own safe types (a memory-mapped load: cheap)."""
    with atomic_path(filename) as tmp:
        torch.save(obj, tmp)
        with _allowing(allowlist):
            torch.load(tmp, map_location='cpu', weights_only=True, mmap=True)


def save_weights_only(state_dict: dict, filename: str, meta: dict = None):
    """Atomically save ``{'state_dict': ..., 'meta': ...}`` loadable by plain
    ``torch.load(weights_only=True)`` anywhere, no allowlist needed (numpy
    values in ``meta`` are converted; raises ``pickle.UnpicklingError`` and
    writes nothing if the result would still not be weights-only)."""
    _save_checked(
        {
            'state_dict': state_dict,
            'meta': to_weights_only(meta or {})
        }, filename)


def convert_to_weights_only(src: str, dst: str):
    """Re-save a checkpoint (e.g. one written before wsss_mm's hook) as a
    weights-only file. ``src`` is loaded by :func:`load_checkpoint_file`, so
    a file that is not weights-only must be under
    ``$WSSS_MM_TRUSTED_CKPT_DIRS``."""
    ckpt = load_checkpoint_file(src, map_location='cpu')
    converted = to_weights_only(ckpt)
    bad = non_weights_only_paths(converted)
    if bad:
        raise TypeError(f'{src}: cannot convert to weights-only: {bad}')
    _save_checked(converted, dst, allowlist=[PlainHistoryBuffer])


def check_checkpoint_covers_model(model,
                                  filename: str,
                                  min_fraction: float = 0.5,
                                  checkpoint=None) -> tuple:
    """Refuse a checkpoint that would leave most of ``model`` at its initial
    weights.

    mmengine loads a checkpoint non-strictly: a file that matches no key of
    the model (e.g. the backbone-only file of ``tools/extract_backbone.py``,
    whose keys lack the ``backbone.`` prefix) loads "successfully" with a
    missing-keys warning and the run goes on with random weights. This
    compares the keys (``module.`` prefixes stripped, DDP / TTA wrappers
    unwrapped) and shapes of the file's state dict with ``model.state_dict()``
    and raises ``ValueError`` when fewer than ``min_fraction`` of the model's
    entries would load, naming the file, the count and a few missing /
    unexpected keys. ``min_fraction=0`` disables the check. ``checkpoint``:
    the loaded file, if already at hand. Returns ``(loaded, total)``.
    """
    while hasattr(model, 'module') and isinstance(
            getattr(model, 'module'), torch.nn.Module):
        model = model.module
    if checkpoint is None:
        if '://' in str(filename):
            checkpoint = CheckpointLoader.load_checkpoint(
                filename, map_location='cpu')
        else:
            checkpoint = load_checkpoint_file(filename, map_location='cpu')
    state = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, dict) else checkpoint
    if not isinstance(state, dict):
        raise ValueError(
            f'{filename}: holds no state dict (a {type(state).__name__})')

    def strip(key):
        while key.startswith('module.'):
            key = key[len('module.'):]
        return key

    theirs = {strip(k): v for k, v in state.items()}
    ours = {strip(k): v for k, v in model.state_dict().items()}
    loaded = [
        k for k, v in ours.items() if k in theirs
        and getattr(theirs[k], 'shape', None) == getattr(v, 'shape', None)
    ]
    total = len(ours)
    if total == 0 or len(loaded) >= min_fraction * total:
        return len(loaded), total
    missing = [k for k in ours if k not in theirs]
    unexpected = [k for k in theirs if k not in ours]
    shape = [k for k in ours if k in theirs and k not in loaded]
    hint = ''
    for prefix in sorted({k.split('.')[0] + '.' for k in ours}):
        if sum(prefix + k in ours for k in theirs) >= max(1, len(theirs) // 2):
            hint = (
                f' Its keys look like {prefix!r} weights without the prefix '
                '(a '
                'backbone-only / pretrained file, as '
                'tools/extract_backbone.py '
                f'writes?): pass the checkpoint of a trained model.')
            break
    raise ValueError(
        f'{filename} matches {len(loaded)} of the {total} weights of '
        f'{type(model).__name__} (need {100 * min_fraction:.0f} %): the rest '
        'would '
        f'keep their initial (random) values. Missing e.g. {missing[:4]}; '
        'unexpected '
        f'e.g. {unexpected[:4]}' +
        (f'; shape mismatch e.g. {shape[:4]}' if shape else '') + '.' +
        (hint or ' Pass the checkpoint of a trained model of this config.'))
