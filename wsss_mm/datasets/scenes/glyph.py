"""Glyph scenes: the mini WSSS benchmark built from Fashion-MNIST.

Scenes of ``size x size`` RGB pixels hold 1-3 Fashion-MNIST objects of
distinct classes, pasted at varied scale, colour and texture on a cluttered
background. The ground-truth mask of an object is its (resized) glyph alpha,
so masks are exact. Written in VOC layout by
:func:`~wsss_mm.datasets.scenes.common.write_voc_scenes`.

The same renderer draws single objects for the *mini pretraining* set (the
stand-in for ImageNet weights, see :func:`write_object_classification_set`).
"""
import os
import os.path as osp
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from PIL import Image

from wsss_mm.utils.io import atomic_save_image, atomic_write_text
from wsss_mm.utils.progress import progress_bar
from .common import (FASHION_MNIST_CLASSES, SceneRecipe, load_fashion_mnist,
                     render_background, texture)


@dataclass
class SceneConfig(SceneRecipe):
    """How glyph scenes look. Defaults give the mini benchmark."""
    KIND: ClassVar[str] = 'glyph'

    size: int = 128
    min_objects: int = 1
    max_objects: int = 3
    min_scale: float = 0.3  # object side / scene side
    max_scale: float = 0.6
    min_visible: float = 0.6  # fraction of an object's mask left unoccluded
    # glyph intensity above which a pixel is object
    alpha_threshold: float = 0.25
    clutter_shapes: int = 12

    def render(self, rng, glyphs, labels, by_class=None):
        """One scene of this recipe (:func:`render_scene`)."""
        return render_scene(rng, glyphs, labels, self, by_class)


def render_object(rng: np.random.Generator, glyph: np.ndarray, side: int):
    """Resize a 28x28 glyph to ``side`` and colour/texture it.

    Returns (rgb (side, side, 3) float32 in [0, 1], alpha (side, side)
    float32).
    """
    g = Image.fromarray(glyph).resize((side, side), Image.BILINEAR)
    alpha = np.asarray(g, np.float32) / 255.0
    if rng.random() < 0.5:
        alpha = alpha[:, ::-1]
    colour = 0.15 + 0.85 * rng.random(3, dtype=np.float32)
    shade = 0.55 + 0.45 * alpha  # glyph intensity keeps the folds visible
    rgb = colour[None, None] * (shade * texture(rng, side, side))[..., None]
    return np.clip(rgb, 0, 1), np.ascontiguousarray(alpha)


def render_scene(rng: np.random.Generator,
                 glyphs: np.ndarray,
                 labels: np.ndarray,
                 cfg: SceneConfig = SceneConfig(),
                 by_class=None):
    """Draw one scene.

    Args:
        glyphs: (N, 28, 28) uint8 Fashion-MNIST images; labels: (N,) in 0..9.
        by_class: optional list of index arrays per class (speed-up).

    Returns:
        img (size, size, 3) uint8, mask (size, size) uint8 with 0 = background
        and k + 1 for Fashion-MNIST class k.
    """
    if by_class is None:
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
    size = cfg.size
    img = render_background(rng, size, cfg.clutter_shapes)
    mask = np.zeros((size, size), np.uint8)
    n_obj = int(rng.integers(cfg.min_objects, cfg.max_objects + 1))
    classes = rng.choice(10, size=n_obj, replace=False)
    for cls in classes:
        for _attempt in range(20):
            glyph = glyphs[rng.choice(by_class[cls])]
            side = int(size * (cfg.min_scale +
                               (cfg.max_scale - cfg.min_scale) * rng.random()))
            rgb, alpha = render_object(rng, glyph, side)
            y0, x0 = rng.integers(0, size - side + 1, size=2)
            obj = alpha > cfg.alpha_threshold
            new_mask = mask.copy()
            new_mask[y0:y0 + side, x0:x0 + side][obj] = cls + 1
            # every object already placed must stay mostly visible
            ok = True
            for prev in np.unique(mask[mask > 0]):
                visible = (new_mask == prev).sum()
                if visible < cfg.min_visible * (mask == prev).sum():
                    ok = False
                    break
            if ok:
                break
        else:
            continue  # could not place this class without hiding others
        a = np.clip(alpha * 1.6, 0, 1)[..., None]
        patch = img[y0:y0 + side, x0:x0 + side]
        img[y0:y0 + side, x0:x0 + side] = (1 - a) * patch + a * rgb
        mask = new_mask
    return (img * 255).round().astype(np.uint8), mask


def write_object_classification_set(out_dir: str,
                                    num_objects: int = 20000,
                                    size: int = 64,
                                    seed: int = 0,
                                    cfg: SceneConfig = SceneConfig(),
                                    fmnist_dir: str = None,
                                    num_val: int = 1000,
                                    progress: bool = True) -> dict:
    """Single objects rendered like the scenes, for mini pretraining.

    One Fashion-MNIST *train-split* object per ``size``² image, centred with
    jitter, on the same cluttered backgrounds. Written as an mmpretrain
    ``CustomDataset``: ``{train,val}.txt`` lines ``images/x.png label``.
    """
    glyphs, labels = load_fashion_mnist('train', fmnist_dir)
    os.makedirs(osp.join(out_dir, 'images'), exist_ok=True)
    bar = progress_bar(num_objects + num_val, 'objects') if progress else None
    lines = {'train': [], 'val': []}
    for i in range(num_objects + num_val):
        split = 'train' if i < num_objects else 'val'
        name = f'images/{split}_{i:06d}.png'
        rng = np.random.default_rng([seed, 7, i])
        idx = int(rng.integers(len(glyphs)))
        path = osp.join(out_dir, name)
        if not osp.exists(path):
            img = render_background(rng, size, cfg.clutter_shapes // 3)
            side = int(size * (0.55 + 0.4 * rng.random()))
            rgb, alpha = render_object(rng, glyphs[idx], side)
            y0, x0 = rng.integers(0, size - side + 1, size=2)
            a = np.clip(alpha * 1.6, 0, 1)[..., None]
            patch = img[y0:y0 + side, x0:x0 + side]
            img[y0:y0 + side, x0:x0 + side] = (1 - a) * patch + a * rgb
            atomic_save_image(
                Image.fromarray((img * 255).round().astype(np.uint8)), path)
        lines[split].append(f'{name} {labels[idx]}')
        if bar:
            bar.update()
    if bar:
        print()
    for split, rows in lines.items():
        atomic_write_text(
            osp.join(out_dir, split + '.txt'), '\n'.join(rows) + '\n')
    atomic_write_text(
        osp.join(out_dir, 'classes.txt'),
        '\n'.join(FASHION_MNIST_CLASSES) + '\n')
    return {k: len(v) for k, v in lines.items()}


__all__ = [
    'SceneConfig', 'render_object', 'render_scene',
    'write_object_classification_set'
]
