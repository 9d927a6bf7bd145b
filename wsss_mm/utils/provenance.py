"""Provenance of artefact folders and files: what made them, checked on reuse.

An artefact (a folder of seed / prediction PNGs written by ``tools/test.py``,
a DCP patterns file written by ``tools/dcp_statistics.py``) carries a small
JSON manifest, written atomically beside it:

- ``checkpoint_sha256``: sha256 of the checkpoint file (streamed; cached in
  the process by (path, size, mtime));
- ``model``: the resolved ``model`` config (after every ``--cfg-options``;
  with ``--tta`` the TTA wrapper and its module), so the seed generator and
  its settings, ``test_cfg``, the neck's inference mode, the data
  preprocessor, ...;
- ``pipeline``: the test pipeline; ``dataset``: the test dataset config
  without its pipeline (``data_root`` made absolute; ``indices``, which only
  picks images, goes to ``info``: a subset run and a full run share a
  folder), ``split``: the stem of its ``ann_file``;
- ``inputs``: a fingerprint of every file or folder the model config names
  (a DCP patterns file, a background-cue folder: the key of its own
  manifest, else its listing);
- ``info`` (not compared): time, tool, checkpoint path, torch version, world
  size.

Everything but ``info`` is compared: a rerun whose manifest matches resumes,
any other run is refused before anything is computed, with the differing
fields named, unless asked to overwrite (``tools/test.py --overwrite`` /
``test_evaluator.overwrite=True``), which first removes the folder's PNGs
and manifest. A folder holding PNGs but no manifest is refused the same way
(unknown provenance). Batch size, workers and ranks are not part of the
manifest: seeds do not depend on them (per-image random generators, see
:func:`wsss_mm.models.seed_generators.base.image_generator`).
"""
import datetime
import glob
import hashlib
import json
import os
import os.path as osp
import socket
from typing import Dict, Iterable, List, Optional

from .io import atomic_write_json, load_json

MANIFEST = 'provenance.json'
FORMAT = 'wsss_mm-provenance/1'
#: manifest keys that describe a run but do not change its outputs
INFO_KEY = 'info'


class ProvenanceError(RuntimeError):
    """An artefact was made by another run (or by an unknown one)."""


# ------------------------------------------------------------------ hashing
_SHA_CACHE: Dict[tuple, str] = {}


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    """sha256 (hex) of a file, streamed; cached by (real path, size, mtime)."""
    real = osp.realpath(path)
    st = os.stat(real)
    key = (real, st.st_size, st.st_mtime_ns)
    if key not in _SHA_CACHE:
        h = hashlib.sha256()
        with open(real, 'rb') as f:
            for block in iter(lambda: f.read(chunk), b''):
                h.update(block)
        _SHA_CACHE[key] = h.hexdigest()
    return _SHA_CACHE[key]


def checkpoint_fingerprint(checkpoint: Optional[str]) -> Optional[str]:
    """sha256 of a local checkpoint file; ``'url:NAME'`` for a remote one
    (``scheme://``), None for none."""
    if not checkpoint:
        return None
    if osp.isfile(checkpoint):
        return file_sha256(checkpoint)
    if '://' in str(checkpoint):
        return f'url:{checkpoint}'
    raise FileNotFoundError(f'checkpoint file not found: {checkpoint}')


def canonical(obj) -> str:
    """Canonical JSON text of ``obj`` (sorted keys)."""
    return json.dumps(jsonable(obj), sort_keys=True, separators=(',', ':'))


def manifest_key(manifest: dict) -> str:
    """sha256 of the compared part of a manifest (everything but ``info``)."""
    return hashlib.sha256(
        canonical({k: v
                   for k, v in manifest.items()
                   if k != INFO_KEY}).encode()).hexdigest()


def jsonable(obj):
    """Config values as plain JSON (tuples -> lists, other objects -> repr)."""
    if isinstance(obj, dict) or hasattr(obj, 'items') and hasattr(obj, 'keys'):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, type):
        return f'{obj.__module__}.{obj.__qualname__}'
    return repr(obj)


# ------------------------------------------------------------------ manifests
def folder_fingerprint(folder: str) -> str:
    """A folder another artefact reads (e.g. a background cue): the key of
    its manifest if it has one, else a hash of its file names and sizes."""
    path = osp.join(folder, MANIFEST)
    manifest = read_json(path)
    if manifest is not None:
        return 'manifest:' + manifest_key(manifest)
    entries = sorted(
        (e.name, e.stat().st_size) for e in os.scandir(folder) if e.is_file())
    return 'listing:' + hashlib.sha256(
        json.dumps(entries).encode()).hexdigest()


def input_fingerprints(cfg_part, prefix: str) -> Dict[str, str]:
    """Fingerprints of the files and folders named by string values of a
    config part, keyed by their dotted config key."""
    found = {}

    def walk(value, key):
        if isinstance(value, dict) or hasattr(value, 'items') and hasattr(
                value, 'keys'):
            for k, v in value.items():
                walk(v, f'{key}.{k}')
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(v, f'{key}.{i}')
        elif isinstance(value, str) and value and '://' not in value:
            if osp.isfile(value):
                found[key] = 'sha256:' + file_sha256(value)
            elif osp.isdir(value) and osp.abspath(value) != osp.abspath(
                    os.curdir):
                found[key] = folder_fingerprint(value)

    walk(cfg_part, prefix)
    return found


#: dataset keys that select images without changing any image's output
SELECTION_KEYS = ('indices', )


def _dataset_part(dataset) -> dict:
    part = jsonable(dataset or {})
    part.pop('pipeline', None)
    for key in SELECTION_KEYS:  # a subset run and a full run share a folder
        part.pop(key, None)
    if isinstance(part.get('data_root'), str):
        part['data_root'] = osp.realpath(osp.abspath(part['data_root']))
    return part


def _info(tool: str, checkpoint: Optional[str], **extra) -> dict:
    import torch
    try:
        from mmengine.dist import get_world_size
        world = get_world_size()
    except Exception:  # pragma: no cover - mmengine always there
        world = 1
    return dict(
        created=datetime.datetime.now().isoformat(timespec='seconds'),
        tool=tool,
        checkpoint=checkpoint,
        torch=torch.__version__,
        host=socket.gethostname(),
        world_size=world,
        **extra)


def run_manifest(cfg,
                 checkpoint: Optional[str],
                 kind: str = 'seeds',
                 tool: str = 'tools/test.py',
                 seed_set: Optional[str] = None) -> dict:
    """Manifest of the outputs of a test run of ``cfg`` (its ``model``,
    ``test_dataloader``) with ``checkpoint`` (see the module docstring).
    ``seed_set``: the folder of one set of a ``SeedSetsGenerator``, whose
    manifest is that of a run of the set's own generator alone."""
    loader = cfg.get('test_dataloader') or {}
    dataset = loader.get('dataset') or {}
    ann = dataset.get('ann_file') if hasattr(dataset, 'get') else None
    model = jsonable(cfg.get('model') or {})
    if seed_set is not None:
        sets = (model.get('seed_generator') or {}).get('sets') or {}
        if seed_set not in sets:
            raise KeyError(f'model.seed_generator.sets has no {seed_set!r} '
                           f'(it has {sorted(sets)})')
        # as the set's generator reads in a run of its own
        model = dict(model, seed_generator=sets[seed_set])
    return {
        'format':
        FORMAT,
        'kind':
        kind,
        'checkpoint_sha256':
        checkpoint_fingerprint(checkpoint),
        'model':
        model,
        'pipeline':
        jsonable(dataset.get('pipeline') if hasattr(dataset, 'get') else None),
        'dataset':
        _dataset_part(dataset),
        'split':
        osp.splitext(osp.basename(ann))[0]
        if isinstance(ann, str) and ann else None,
        'inputs':
        input_fingerprints(model, 'model'),
        INFO_KEY:
        _info(
            tool, checkpoint, **{
                f'dataset_{k}': jsonable(dataset.get(k))
                for k in SELECTION_KEYS
                if hasattr(dataset, 'get') and dataset.get(k) is not None
            }),
    }


# ------------------------------------------------------------------ compare
def _flatten(obj, prefix='') -> Dict[str, object]:
    out = {}
    if isinstance(obj, dict):
        if not obj and prefix:
            out[prefix] = {}
        for k, v in obj.items():
            out.update(_flatten(v, f'{prefix}.{k}' if prefix else str(k)))
    elif isinstance(obj, list):
        if not obj and prefix:
            out[prefix] = []
        for i, v in enumerate(obj):
            out.update(_flatten(v, f'{prefix}.{i}' if prefix else str(i)))
    else:
        out[prefix] = obj
    return out


def manifest_diff(old: dict, new: dict, limit: int = 8) -> List[str]:
    """``'key: old != new'`` for the compared fields that differ (at most
    ``limit`` lines, then a count)."""
    a = _flatten({k: v for k, v in jsonable(old).items() if k != INFO_KEY})
    b = _flatten({k: v for k, v in jsonable(new).items() if k != INFO_KEY})
    lines = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key, '<absent>'), b.get(key, '<absent>')
        if va != vb:
            lines.append(
                f'{key}: {_short(va)} (there) != {_short(vb)} (this run)')
    if len(lines) > limit:
        lines = lines[:limit] + [f'... and {len(lines) - limit} more']
    return lines


def _short(value, n: int = 80) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= n else text[:n - 3] + '...'


# ------------------------------------------------------------------ files
def read_json(path: str) -> Optional[dict]:
    """A JSON object from ``path``; None if missing, unreadable or not an
    object."""
    data = load_json(path)
    return data if isinstance(data, dict) else None


def write_manifest(path: str, manifest: dict) -> None:
    """Write a manifest (config values made plain, keys sorted) atomically."""
    atomic_write_json(path, jsonable(manifest), sort_keys=True)


def _outputs(folder: str) -> List[str]:
    return sorted(glob.glob(osp.join(glob.escape(folder), '*.png')))


def clear_outputs(folder: str) -> int:
    """Remove the PNGs (and temp files of interrupted writes) and the manifest
    of ``folder``; other files and sub-folders are left. Returns the count."""
    if not osp.isdir(folder):
        return 0
    doomed = _outputs(folder) + glob.glob(
        osp.join(glob.escape(folder), '*.png.tmp*'))
    if osp.isfile(osp.join(folder, MANIFEST)):
        doomed.append(osp.join(folder, MANIFEST))
    for path in doomed:
        os.remove(path)
    return len(doomed)


def guard_output_folder(folder: str,
                        manifest: dict,
                        overwrite: bool = False,
                        also_clear: Iterable[str] = (),
                        option: str = '--overwrite') -> str:
    """Check ``folder`` against ``manifest`` before a run writes into it.

    Returns ``'new'`` (no PNG there: the manifest is written), ``'resume'``
    (same provenance: files kept) or ``'overwritten'`` (``overwrite``: PNGs
    and manifest removed, also from the folders of ``also_clear``, e.g. the
    overlays, then the manifest written). Raises :class:`ProvenanceError`
    when the folder holds PNGs of another provenance or of an unknown one.
    Local to one process: call it on one rank (``SeedResumeHook`` does).
    """
    os.makedirs(folder, exist_ok=True)
    path = osp.join(folder, MANIFEST)
    if overwrite:
        for other in (folder, *also_clear):
            clear_outputs(other)
        write_manifest(path, manifest)
        return 'overwritten'
    pngs = _outputs(folder)
    if not pngs:
        write_manifest(path, manifest)
        return 'new'
    old = read_json(path)
    hint = (
        f'pass {option} to empty it first (its PNGs and {MANIFEST}), or write '
        f'elsewhere')
    if old is None:
        raise ProvenanceError(
            f'{folder} holds {len(pngs)} PNG files but no readable '
            f'{MANIFEST}: '
            'their provenance (checkpoint, config, data) is unknown, so they '
            'are '
            f'not reused or scored; {hint}')
    diff = manifest_diff(old, manifest)
    if diff:
        made = old.get(INFO_KEY, {})
        raise ProvenanceError(
            f'{folder} holds {len(pngs)} PNG files made by another run '
            f'({made.get("tool", "?")} with {made.get("checkpoint", "?")} on '
            f'{made.get("created", "?")}); it differs in:\n  ' +
            '\n  '.join(diff) + f'\nThey are not reused or scored; {hint}')
    return 'resume'


# ------------------------------------------------------------------ DCP
def sidecar_path(path: str) -> str:
    """The manifest beside a single-file artefact: ``PATH.provenance.json``."""
    return f'{path}.provenance.json'


def statistics_manifest(cfg,
                        checkpoint: Optional[str],
                        world_size: int = 1,
                        tool: str = 'tools/dcp_statistics.py') -> dict:
    """Manifest of a DCP patterns file: the seed-pass-only settings of the
    generator and its output path left out; the sampler, the randomness and
    the world size (the per-rank image cap) in."""
    manifest = run_manifest(cfg, checkpoint, kind='dcp_patterns', tool=tool)
    gen = manifest['model'].get('seed_generator') or {}
    manifest['model']['seed_generator'] = {
        k: gen.get(k)
        for k in ('type', 'layer', 'max_images_per_class', 'sign_rule',
                  'stop_early')
    }
    manifest['inputs'] = {
        k: v
        for k, v in manifest['inputs'].items()
        if not k.startswith('model.seed_generator.')
    }
    loader = cfg.get('test_dataloader') or {}
    dataset = loader.get('dataset') or {}
    # the images of the statistics: part of the result
    for key in SELECTION_KEYS:
        if hasattr(dataset, 'get') and dataset.get(key) is not None:
            manifest['dataset'][key] = jsonable(dataset.get(key))
    manifest['sampler'] = jsonable(loader.get('sampler'))
    manifest['randomness'] = jsonable(cfg.get('randomness'))
    manifest['world_size'] = int(world_size)
    return manifest


def guard_output_file(path: str,
                      manifest: dict,
                      overwrite: bool = False,
                      option: str = '--overwrite') -> str:
    """Like :func:`guard_output_folder` for a single file with a sidecar
    manifest: ``'new'`` (no file), ``'rerun'`` (same provenance: it is
    recomputed), ``'overwritten'``; :class:`ProvenanceError` otherwise."""
    if not osp.exists(path):
        return 'new'
    if overwrite:
        return 'overwritten'
    old = read_json(sidecar_path(path))
    hint = f'pass {option} to replace it, or write elsewhere'
    if old is None or old.get('file_sha256') != file_sha256(path):
        raise ProvenanceError(
            f'{path} exists but {sidecar_path(path)} is missing or describes '
            'another '
            f'file: its provenance is unknown; {hint}')
    diff = manifest_diff({k: v
                          for k, v in old.items() if k != 'file_sha256'},
                         manifest)
    if diff:
        raise ProvenanceError(
            f'{path} was made by another run; it differs in:\n  ' +
            '\n  '.join(diff) + f'\n{hint}')
    return 'rerun'


def write_file_manifest(path: str, manifest: dict) -> None:
    """Write the sidecar of ``path`` (after ``path`` itself), with its
    sha256."""
    write_manifest(
        sidecar_path(path), dict(manifest, file_sha256=file_sha256(path)))


def check_patterns_source(cfg, checkpoint: Optional[str]) -> Optional[str]:
    """A DCP seed run (``model.seed_generator.patterns_file``) must load the
    checkpoint its patterns were computed from. Raises
    :class:`ProvenanceError` when the patterns' sidecar names another
    checkpoint; returns a warning text when the provenance of the patterns is
    unknown (no or stale sidecar), else None."""
    model = cfg.get('model') or {}
    while 'seed_generator' not in model and hasattr(
            model.get('module'), 'get'):
        model = model['module']  # a TTA wrapper (tools/test.py --tta)
    gen = model.get('seed_generator') or {}
    if not hasattr(gen, 'get'):
        return None
    path = gen.get('patterns_file')
    if not isinstance(path, str) or not osp.isfile(path):
        return None
    side = read_json(sidecar_path(path))
    if side is None or side.get('file_sha256') != file_sha256(path):
        return (
            f'{path} has no provenance record ({sidecar_path(path)} missing '
            'or '
            f'stale): cannot check that it comes from this checkpoint')
    theirs = side.get('checkpoint_sha256')
    ours = checkpoint_fingerprint(checkpoint)
    if theirs != ours:
        raise ProvenanceError(
            f'{path} holds DCP class patterns computed with checkpoint '
            f'{side.get(INFO_KEY, {}).get("checkpoint")} (sha256 '
            f'{str(theirs)[:12]}), '
            f'this run loads {checkpoint} (sha256 {str(ours)[:12]}): the '
            'patterns '
            'project features of another network. Rerun '
            'tools/dcp_statistics.py '
            'with this checkpoint or point '
            'model.seed_generator.patterns_file '
            f'elsewhere')
    return None


# ------------------------------------------------------------------ ranks
def on_rank0(fn, *args, **kwargs):
    """Run ``fn`` on rank 0 only and return its (picklable) result on every
    rank; if it raises, rank 0 re-raises the error and the other ranks raise
    :class:`ProvenanceError` with its text (no rank waits for one that
    failed). Without a process group it is a plain call."""
    from mmengine.dist import broadcast_object_list, is_main_process
    outcome, error = [None], None
    if is_main_process():
        try:
            outcome[0] = ('ok', fn(*args, **kwargs))
        except Exception as err:  # every rank must learn of it
            outcome[0] = ('error', f'{type(err).__name__}: {err}')
            error = err
    broadcast_object_list(outcome)
    status, payload = outcome[0]
    if status == 'error':
        if error is not None:
            raise error
        raise ProvenanceError(f'rank 0 refused the run: {payload}')
    return payload
