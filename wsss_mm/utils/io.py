"""Small I/O helpers shared by datasets, seed writers and tools."""
import os
import os.path as osp

import numpy as np
from PIL import Image

from wsss_mm.utils.palette import voc_palette


def atomic_write_png(array: np.ndarray, path: str, palette: bool = True):
    """Write a (H, W) uint8 label map (palette PNG) or (H, W, 3) RGB image.

    Written to ``path + '.tmp<pid>'`` then renamed, so an interrupted run never
    leaves a truncated PNG that a resumed run would take for a finished one.
    """
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    if array.ndim == 2 and palette:
        im = Image.fromarray(array.astype(np.uint8), mode='P')
        im.putpalette(voc_palette().flatten().tolist())
    else:
        im = Image.fromarray(array.astype(np.uint8))
    tmp = f'{path}.tmp{os.getpid()}'
    im.save(tmp, format='PNG')
    os.replace(tmp, path)


def atomic_write_text(path: str, text: str):
    """Write a text file through a temp file and a rename."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def atomic_write_json(path: str, obj):
    """Write ``obj`` as indented JSON, atomically."""
    import json
    atomic_write_text(path, json.dumps(obj, indent=1))


def load_json(path: str):
    """The JSON object in ``path``, or None when it is missing or unreadable
    (a result file of an unfinished run)."""
    import json
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_label_png(path: str) -> np.ndarray:
    """Read a label PNG as (H, W) uint8 class indices (palette indices kept)."""
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


def resolve_class_names(data_root: str, classes_file: str = None,
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
