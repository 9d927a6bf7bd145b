"""What the mini scene generators share: Fashion-MNIST, the cluttered
background, object textures, and the VOC-layout writer.

A scene recipe is a dataclass config (:class:`~.glyph.SceneConfig`,
:class:`~.part_body.PartBodySceneConfig`) that names its ``KIND`` and draws
one scene with :meth:`render`; :func:`write_voc_scenes` writes any recipe.

Layout written by :func:`write_voc_scenes` (VOC-like, so every VOC tool
works)::

    root/JPEGImages/{id}.jpg
    root/SegmentationClass/{id}.png          palette PNG, 0 = background
    root/ImageSets/Segmentation/{train,val}.txt
    root/classes.txt                         background first
    root/scenes.json                         the recipe (kind, config, seed)

Train scenes take their objects from Fashion-MNIST's train split, val scenes
from its test split. Scene ``i`` of a split depends only on (seed, split,
i), so everything is deterministic given ``seed`` and an interrupted build
resumes.
"""
import gzip
import json
import os
import os.path as osp
import shutil
from abc import ABC, abstractmethod
from dataclasses import asdict
from typing import ClassVar, Optional, Sequence

import numpy as np
from PIL import Image

from wsss_mm.utils.io import (atomic_save_image, atomic_write_json,
                              atomic_write_png, atomic_write_text)
from wsss_mm.utils.progress import progress_bar

FASHION_MNIST_CLASSES = ('t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                         'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot')
DEFAULT_FMNIST_DIR = '/usr/share/datasets/fashion-mnist'
MANIFEST = 'scenes.json'


# ------------------------------------------------------------ Fashion-MNIST
def _open_idx(path: str) -> np.ndarray:
    for candidate in (path, path + '.gz'):
        if osp.exists(candidate):
            opener = gzip.open if candidate.endswith('.gz') else open
            with opener(candidate, 'rb') as f:
                data = f.read()
            ndim = data[3]
            dims = [
                int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big')
                for i in range(ndim)
            ]
            return np.frombuffer(
                data, np.uint8, offset=4 + 4 * ndim).reshape(dims)
    raise FileNotFoundError(
        f'Fashion-MNIST file not found: {path}[.gz]. Install Debian\'s '
        f'dataset-fashion-mnist or set FASHION_MNIST_DIR.')


def load_fashion_mnist(split: str, root: str = None):
    """Return (images (N, 28, 28) uint8, labels (N,) int64) of
    'train'/'test'."""
    root = root or os.environ.get('FASHION_MNIST_DIR', DEFAULT_FMNIST_DIR)
    prefix = {'train': 'train', 'test': 't10k'}[split]
    images = _open_idx(osp.join(root, f'{prefix}-images-idx3-ubyte'))
    labels = _open_idx(osp.join(root, f'{prefix}-labels-idx1-ubyte'))
    return images, labels.astype(np.int64)


# ------------------------------------------------------------ drawing
def _smooth_noise(rng, size, cells):
    coarse = rng.random((cells, cells, 3)).astype(np.float32)
    img = Image.fromarray((coarse * 255).astype(np.uint8)).resize(
        (size, size), Image.BICUBIC)
    return np.asarray(img, np.float32) / 255.0


def render_background(rng: np.random.Generator, size: int,
                      clutter_shapes: int) -> np.ndarray:
    """Cluttered background: smooth colour noise, random shapes, fine
    grain."""
    img = 0.5 * _smooth_noise(rng, size, int(rng.integers(2, 6)))
    img += 0.5 * rng.random(3, dtype=np.float32)[None, None]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    for _ in range(clutter_shapes):
        colour = rng.random(3, dtype=np.float32)
        cy, cx = rng.random(2) * size
        ry, rx = (0.03 + 0.15 * rng.random(2)) * size
        kind = rng.integers(3)
        if kind == 0:  # ellipse
            m = ((yy - cy) / ry)**2 + ((xx - cx) / rx)**2 <= 1
        elif kind == 1:  # rectangle
            m = (np.abs(yy - cy) <= ry) & (np.abs(xx - cx) <= rx)
        else:  # thick line through (cy, cx)
            angle = rng.random() * np.pi
            d = np.abs((yy - cy) * np.cos(angle) - (xx - cx) * np.sin(angle))
            m = d <= max(1.0, 0.15 * ry)
        alpha = 0.35 + 0.5 * rng.random()
        img[m] = (1 - alpha) * img[m] + alpha * colour
    img += rng.normal(0, 0.03, img.shape).astype(np.float32)
    return np.clip(img, 0, 1)


def texture(rng: np.random.Generator,
            h: int,
            w: int,
            kinds: Optional[Sequence[int]] = None) -> np.ndarray:
    """A multiplicative (h, w) texture for an object: flat, stripes, checks
    or noise (kinds 0-3), drawn from ``kinds`` (default: all four)."""
    if kinds is None:
        kind = rng.integers(4)
    else:
        kind = kinds[int(rng.integers(len(kinds)))]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == 0:
        return np.ones((h, w), np.float32)
    period = 3 + 5 * rng.random()
    if kind == 1:
        angle = rng.random() * np.pi
        t = np.sin(
            (yy * np.cos(angle) + xx * np.sin(angle)) * 2 * np.pi / period)
    elif kind == 2:
        t = np.sign(
            np.sin(yy * 2 * np.pi / period) * np.sin(xx * 2 * np.pi / period))
    else:
        t = rng.normal(0, 1, (h, w)).astype(np.float32)
    return (1 - 0.25 * (1 + t) / 2).astype(np.float32)


# ------------------------------------------------------------ recipes
class SceneRecipe(ABC):
    """What a scene config (a dataclass) adds for :func:`write_voc_scenes`:
    its ``KIND`` (recorded in ``scenes.json``) and :meth:`render`."""
    #: the kind of scenes, as ``scenes.json`` and the converter name it
    KIND: ClassVar[str] = ''
    #: fields added after scenes were published, with the value that draws
    #: those scenes: a folder's record leaves them out at that value
    #: (:func:`scene_record`)
    ADDED_LATER: ClassVar[dict] = {}

    @abstractmethod
    def render(self,
               rng: np.random.Generator,
               glyphs: np.ndarray,
               labels: np.ndarray,
               by_class=None):
        """One scene: img (size, size, 3) uint8, mask (size, size) uint8."""


def scene_record(cfg: SceneRecipe) -> dict:
    """A scene config as a folder's ``scenes.json`` records it.

    Fields added to a config after its scenes were published (its
    ``ADDED_LATER``: field -> the value that draws the older scenes) are left
    out at that value, so folders built before the field existed, and the
    runs whose provenance holds their record, stay valid."""
    record = asdict(cfg)
    for name, value in cfg.ADDED_LATER.items():
        if record.get(name) == value:
            del record[name]
    return record


def read_manifest(data_root: str):
    """The recipe of the generated scenes in ``data_root`` (its
    ``scenes.json``), or None for other data (VOC, COCO). Runs put it in
    their provenance: scenes rebuilt with another recipe in the same folder
    make every stage that read them run again."""
    path = osp.join(data_root, MANIFEST)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def check_manifest(out_dir: str, manifest: dict, overwrite: bool = False):
    """Scenes of another recipe must never mix with these ones.

    ``OUT/scenes.json`` records what made the scenes of a folder (kind,
    scene config, seed); a rebuild with the same record resumes, with another
    one raises (``overwrite=True`` deletes the old scenes first). The number
    of scenes may change: scene ``i`` depends only on (seed, split, i)."""
    path = osp.join(out_dir, MANIFEST)
    old = read_manifest(out_dir)
    images = osp.join(out_dir, 'JPEGImages')
    if old is not None:
        if old != manifest:
            diff = sorted(
                k for k in set(old) | set(manifest)
                if old.get(k) != manifest.get(k))
            if not overwrite:
                raise ValueError(
                    f'{out_dir} holds scenes of another recipe ({path}: '
                    f'{diff} differ: '
                    f'{ {k: old.get(k) for k in diff} } there, '
                    f'{ {k: manifest.get(k) for k in diff} } asked); use '
                    'another folder or --overwrite')
            for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets'):
                shutil.rmtree(osp.join(out_dir, sub), ignore_errors=True)
    elif osp.isdir(images) and os.listdir(images) and not overwrite:
        raise ValueError(
            f'{out_dir} holds images without a scenes.json: not built by '
            'this tool with these options; use another folder or --overwrite')
    atomic_write_json(path, manifest)


def write_voc_scenes(out_dir: str,
                     num_train: int = 1500,
                     num_val: int = 300,
                     seed: int = 0,
                     *,
                     cfg: SceneRecipe,
                     fmnist_dir: str = None,
                     progress: bool = True,
                     overwrite: bool = False) -> dict:
    """Write a mini dataset of ``cfg``'s scenes in VOC layout. Returns a
    summary dict.

    Files already complete are kept, so an interrupted build resumes; a
    folder of other scenes is refused (:func:`check_manifest`).
    """
    kind = cfg.KIND
    check_manifest(out_dir,
                   dict(kind=kind, seed=seed,
                        config=scene_record(cfg)), overwrite)
    for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'):
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)
    summary = dict(kind=kind)
    for split, fm_split, n, offset in (('train', 'train', num_train, 0),
                                       ('val', 'test', num_val, 1)):
        glyphs, labels = load_fashion_mnist(fm_split, fmnist_dir)
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
        ids = [f'{split}_{i:05d}' for i in range(n)]
        bar = progress_bar(n, f'{kind} {split} scenes') if progress else None
        for i, name in enumerate(ids):
            img_path = osp.join(out_dir, 'JPEGImages', name + '.jpg')
            mask_path = osp.join(out_dir, 'SegmentationClass', name + '.png')
            if not (osp.exists(img_path) and osp.exists(mask_path)):
                rng = np.random.default_rng([seed, offset, i])
                img, mask = cfg.render(rng, glyphs, labels, by_class)
                atomic_save_image(
                    Image.fromarray(img), img_path, format='JPEG', quality=95)
                atomic_write_png(mask, mask_path)
            if bar:
                bar.update()
        if bar:
            print()
        list_path = osp.join(out_dir, 'ImageSets', 'Segmentation',
                             split + '.txt')
        atomic_write_text(list_path, '\n'.join(ids) + '\n')
        summary[split] = n
    atomic_write_text(
        osp.join(out_dir, 'classes.txt'),
        '\n'.join(('background', ) + FASHION_MNIST_CLASSES) + '\n')
    return summary


__all__ = [
    'FASHION_MNIST_CLASSES', 'DEFAULT_FMNIST_DIR', 'load_fashion_mnist',
    'render_background', 'texture', 'SceneRecipe', 'scene_record',
    'read_manifest', 'check_manifest', 'write_voc_scenes'
]
