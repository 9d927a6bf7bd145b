"""Image-level labels from a file: the whole supervision of WSSS.

Three forms, chosen by the file's extension:

- ``.json``: ``{"<image id>": [classes, ...], ...}``;
- ``.npy``: VOC's ``cls_labels.npy`` (AffinityNet / IRN): a pickled dict
  ``{"<image id>": (C - 1,) multi-hot over the foreground classes}``, loaded
  with ``allow_pickle`` (a file you trust);
- anything else (``.txt``, ``.csv``): one line an image, ``<id> <class>
  <class> ...``; separated by commas or tabs when the line has any (class
  names with spaces: ``img_7,traffic light,person``), else by spaces. Blank
  lines and lines starting with ``#`` are skipped; an image without any
  class gets a line with its id alone.

A class is a foreground class name of ``class_names`` (background first) or
its integer index (1 .. C - 1). Every entry becomes a (C,) float32 multi-hot
vector with the background (index 0) set, as :func:`labels_from_mask` gives.
Errors name the file, and the line where there is one.
"""
import json
import os.path as osp
from typing import Dict, Sequence

import numpy as np


def _multi_hot(classes, names, index, where):
    """(C,) multi-hot of ``classes`` (names or foreground indices; ``index``:
    name -> index of ``names``), background set."""
    num_classes = len(names)
    out = np.zeros(num_classes, np.float32)
    out[0] = 1
    for c in classes:
        if isinstance(c, str) and not c.strip().lstrip('-').isdigit():
            if c not in index or index[c] == 0:
                raise ValueError(
                    f'{where}: unknown class {c!r} (foreground classes: '
                    f'{", ".join(names[1:])})')
            i = index[c]
        else:
            i = int(c)
            if not 1 <= i < num_classes:
                raise ValueError(f'{where}: class index {i} not in '
                                 f'1..{num_classes - 1}')
        out[i] = 1
    return out


def _split(line):
    if ',' in line or '\t' in line:
        sep = ',' if ',' in line else '\t'
        return [t.strip() for t in line.split(sep) if t.strip()]
    return line.split()


def load_image_labels(path: str,
                      class_names: Sequence[str]) -> Dict[str, np.ndarray]:
    """``{image id: (C,) multi-hot}`` from a label file (see the module)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'label_file not found: {path}')
    names = list(class_names)
    num_classes = len(names)
    index = {n: i for i, n in enumerate(names)}
    ext = osp.splitext(path)[1].lower()
    table = {}
    if ext == '.json':
        with open(path) as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError(f'{path}: expected a JSON object '
                             '{image id: [classes]}')
        for img_id, classes in data.items():
            table[str(img_id)] = _multi_hot(classes, names, index,
                                            f'{path} ({img_id})')
    elif ext == '.npy':
        data = np.load(path, allow_pickle=True)
        data = data.item() if data.dtype == object else None
        if not isinstance(data, dict):
            raise ValueError(f'{path}: expected a pickled dict {{image id: '
                             'multi-hot}} (VOC cls_labels.npy)')
        for img_id, vec in data.items():
            vec = np.asarray(vec).reshape(-1)
            if vec.size != num_classes - 1:
                raise ValueError(
                    f'{path} ({img_id}): {vec.size} foreground entries, the '
                    f'dataset has {num_classes - 1} foreground classes')
            table[str(img_id)] = _multi_hot(
                np.flatnonzero(vec > 0) + 1, names, index,
                f'{path} ({img_id})')
    else:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                img_id, *classes = _split(line)
                if img_id in table:
                    raise ValueError(f'{path}:{n}: {img_id} listed twice')
                table[img_id] = _multi_hot(classes, names, index,
                                           f'{path}:{n}')
    if not table:
        raise ValueError(f'{path}: no image-level labels in it')
    return table
