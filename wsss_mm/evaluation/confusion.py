"""Which classes a segmentation confuses: the pixel confusion matrix of a
folder of predicted label maps against the GT masks.

The per-class IoU says *that* a class fails; the confusion matrix says *into
what* its pixels go (background: the masks are too small; another class:
the class evidence is ambiguous). ``tools/analysis_tools/confusion_matrix.py``
runs it on the ``--out`` folder of ``tools/test.py`` (mmseg's tool of that
name reads every file of the folder, our ``provenance.json`` included, and
needs the dataset built from a config).
"""
import os.path as osp
from typing import Iterable, List, Sequence, Tuple

import numpy as np
from PIL import Image


def confusion_matrix(pairs: Iterable[Tuple[np.ndarray, np.ndarray]],
                     num_classes: int,
                     ignore_index: int = 255,
                     unlabelled: bool = False) -> np.ndarray:
    """(num_classes, num_classes) int64 pixel counts, rows GT, columns
    prediction, over ``(pred, gt)`` label maps of equal shape; GT pixels
    equal to ``ignore_index`` are skipped. ``unlabelled``: predictions equal
    to ``ignore_index`` (seeds leave pixels unlabelled) are counted in one
    more, last column, shape (C, C + 1). A label outside ``[0, C)`` that is
    not ignored raises (a wrong class count, not a silent drop)."""
    cols = num_classes + int(unlabelled)
    m = np.zeros((num_classes, cols), np.int64)
    for pred, gt in pairs:
        if pred.shape != gt.shape:
            raise ValueError(
                f'prediction {pred.shape} and GT {gt.shape} differ in shape')
        keep = gt != ignore_index
        p, g = pred[keep].astype(np.int64), gt[keep].astype(np.int64)
        if unlabelled:
            p[p == ignore_index] = num_classes
        if p.size and (p.max() >= cols or g.max() >= num_classes
                       or min(p.min(), g.min()) < 0):
            raise ValueError(f'labels outside [0, {num_classes}) (prediction '
                             f'{p.min()}..{p.max()}, GT {g.min()}..{g.max()})')
        m += np.bincount(
            g * cols + p,
            minlength=num_classes * cols).reshape(num_classes, cols)
    return m


def read_label_maps(folders: Sequence[str], ids: Sequence[str]):
    """Yield, per id of ``ids``, the tuple of its uint8 label maps
    (``<id>.png``) in each of ``folders``; a missing file raises naming it."""
    for i in ids:
        maps = []
        for folder in folders:
            path = osp.join(folder, f'{i}.png')
            if not osp.isfile(path):
                raise FileNotFoundError(f'no label map {path}')
            maps.append(np.asarray(Image.open(path)))
        yield tuple(maps)


def read_label_pairs(pred_dir: str, gt_dir: str, ids: Sequence[str]):
    """Yield ``(pred, gt)`` uint8 maps of ``ids`` (``<id>.png`` in both
    folders); a missing file raises naming it."""
    return read_label_maps((pred_dir, gt_dir), ids)


def row_shares(matrix: np.ndarray) -> np.ndarray:
    """Each GT row as shares of its pixels (rows without pixels: 0)."""
    total = matrix.sum(1, keepdims=True)
    return np.divide(
        matrix, total, out=np.zeros(matrix.shape), where=total > 0)


def top_confusions(matrix: np.ndarray,
                   names: Sequence[str],
                   k: int = 2,
                   columns: Sequence[str] = None) -> List[dict]:
    """Per GT class: its share predicted right and the ``k`` other columns
    its pixels go to most, as dicts ``{class, right, into: [(name, share)]}``
    (shares in [0, 1]); ``columns``: the column names when the matrix has
    more columns than rows (default ``names``)."""
    shares = row_shares(matrix)
    columns = list(names if columns is None else columns)
    rows = []
    for c, name in enumerate(names):
        others = [j for j in np.argsort(-shares[c], kind='stable')
                  if j != c][:k]
        rows.append({
            'class': name,
            'right': float(shares[c, c]),
            'into': [(columns[j], float(shares[c, j])) for j in others]
        })
    return rows
