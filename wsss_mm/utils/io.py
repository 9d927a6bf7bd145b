"""Small I/O helpers shared by datasets, seed writers and tools."""
import contextlib
import json
import os
import os.path as osp
from typing import IO, Iterator

import numpy as np
from PIL import Image

from wsss_mm.utils.palette import voc_palette


@contextlib.contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """A temp path beside ``path`` to write to; renamed onto ``path`` when the
    block ends without error, removed when it raises.

    The temp file is ``path + '.tmp<pid>'`` (one per process, in the same
    folder, so :func:`os.replace` is atomic): an interrupted run never leaves
    a truncated file that a resumed run would take for a finished one. The
    folder is created if needed. E.g.::

        with atomic_path(path) as tmp:
            torch.save(obj, tmp)
    """
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if osp.lexists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def atomic_open(path: str, mode: str = 'w', **kwargs) -> Iterator[IO]:
    """``open`` for writing through :func:`atomic_path`: the file appears
    under ``path`` complete, or not at all."""
    with atomic_path(path) as tmp:
        with open(tmp, mode, **kwargs) as f:
            yield f


def atomic_save_image(im: Image.Image, path: str, **kwargs):
    """Save a PIL image atomically (``format`` defaults to PNG); ``kwargs``
    go to :meth:`PIL.Image.Image.save`."""
    kwargs.setdefault('format', 'PNG')
    with atomic_path(path) as tmp:
        im.save(tmp, **kwargs)


def atomic_write_png(array: np.ndarray, path: str, palette: bool = True):
    """Write a (H, W) uint8 label map (palette PNG) or (H, W, 3) RGB image,
    atomically (:func:`atomic_path`)."""
    if array.ndim == 2 and palette:
        im = Image.fromarray(array.astype(np.uint8), mode='P')
        im.putpalette(voc_palette().flatten().tolist())
    else:
        im = Image.fromarray(array.astype(np.uint8))
    atomic_save_image(im, path)


def atomic_write_text(path: str, text: str):
    """Write a text file atomically (:func:`atomic_path`)."""
    with atomic_open(path, 'w') as f:
        f.write(text)


def atomic_write_json(path: str,
                      obj,
                      indent: int = 1,
                      sort_keys: bool = False):
    """Write ``obj`` as indented JSON, atomically."""
    atomic_write_text(path,
                      json.dumps(obj, indent=indent, sort_keys=sort_keys))


def load_json(path: str):
    """The JSON object in ``path``, or None when it is missing or unreadable
    (a result file of an unfinished run)."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_label_png(path: str) -> np.ndarray:
    """Read a label PNG as (H, W) uint8 class indices (palette indices
    kept)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'label/seed file not found: {path}')
    with Image.open(path) as im:
        return np.asarray(im).astype(np.uint8)


def read_class_names(path: str):
    """One class name a line, background first. Empty lines are skipped."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'class list not found: {path}')
    with open(path) as f:
        names = tuple(line.strip() for line in f if line.strip())
    if len(names) < 2:
        raise ValueError(f'{path}: need background plus at least one class, '
                         f'got {len(names)} names')
    return names


def resolve_class_names(data_root: str,
                        classes_file: str = None,
                        gt_dir: str = 'SegmentationClass'):
    """Class names of a VOC-layout dataset, background first.

    ``classes_file`` if given, else ``data_root/classes.txt`` if present, else
    ``('background', 'class1', ..., 'classK')`` with K the largest label found
    in ``data_root/gt_dir/*.png`` (255 ignored).
    """
    if classes_file:
        return read_class_names(classes_file)
    default = osp.join(data_root, 'classes.txt')
    if osp.isfile(default):
        return read_class_names(default)
    mask_dir = osp.join(data_root, gt_dir)
    if not osp.isdir(mask_dir):
        raise FileNotFoundError(f'no classes.txt in {data_root} and no mask '
                                f'folder {mask_dir} to count classes from')
    largest = 0
    for name in sorted(os.listdir(mask_dir)):
        if name.endswith('.png'):
            labels = np.unique(read_label_png(osp.join(mask_dir, name)))
            labels = labels[labels != 255]
            if labels.size:
                largest = max(largest, int(labels.max()))
    if largest == 0:
        raise ValueError(f'{mask_dir}: no foreground label found')
    return ('background', ) + tuple(f'class{i}' for i in range(1, largest + 1))
