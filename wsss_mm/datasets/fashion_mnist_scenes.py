"""Mini WSSS benchmark built from Fashion-MNIST.

Scenes of ``size x size`` RGB pixels hold 1-3 Fashion-MNIST objects of distinct
classes, pasted at varied scale, colour and texture on a cluttered background.
The ground-truth mask of an object is its (resized) glyph alpha, so masks are
exact.  Train scenes take their objects from Fashion-MNIST's train split, val
scenes from its test split.  Everything is deterministic given ``seed``.

The same renderer draws single objects for the *mini pretraining* set (the
stand-in for ImageNet weights, see :func:`write_object_classification_set`).

Layout written by :func:`write_voc_scenes` (VOC-like, so every VOC tool works)::

    root/JPEGImages/{id}.jpg
    root/SegmentationClass/{id}.png          palette PNG, 0 = background
    root/ImageSets/Segmentation/{train,val}.txt
    root/classes.txt                         background first
"""
import gzip
import os
import os.path as osp
from dataclasses import dataclass

import numpy as np
from PIL import Image

from wsss_mm.utils.io import atomic_write_json, atomic_write_text
from wsss_mm.utils.palette import voc_palette

FASHION_MNIST_CLASSES = ('t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                         'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot')
DEFAULT_FMNIST_DIR = '/usr/share/datasets/fashion-mnist'


def _open_idx(path: str) -> np.ndarray:
    for candidate in (path, path + '.gz'):
        if osp.exists(candidate):
            opener = gzip.open if candidate.endswith('.gz') else open
            with opener(candidate, 'rb') as f:
                data = f.read()
            ndim = data[3]
            dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big')
                    for i in range(ndim)]
            return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)
    raise FileNotFoundError(
        f'Fashion-MNIST file not found: {path}[.gz]. Install Debian\'s '
        f'dataset-fashion-mnist or set FASHION_MNIST_DIR.')


def load_fashion_mnist(split: str, root: str = None):
    """Return (images (N, 28, 28) uint8, labels (N,) int64) of 'train'/'test'."""
    root = root or os.environ.get('FASHION_MNIST_DIR', DEFAULT_FMNIST_DIR)
    prefix = {'train': 'train', 'test': 't10k'}[split]
    images = _open_idx(osp.join(root, f'{prefix}-images-idx3-ubyte'))
    labels = _open_idx(osp.join(root, f'{prefix}-labels-idx1-ubyte'))
    return images, labels.astype(np.int64)


@dataclass
class SceneConfig:
    """How scenes look. Defaults give the mini benchmark."""
    size: int = 128
    min_objects: int = 1
    max_objects: int = 3
    min_scale: float = 0.3      # object side / scene side
    max_scale: float = 0.6
    min_visible: float = 0.6    # fraction of an object's mask left unoccluded
    alpha_threshold: float = 0.25  # glyph intensity above which a pixel is object
    clutter_shapes: int = 12


def _smooth_noise(rng, size, cells):
    coarse = rng.random((cells, cells, 3)).astype(np.float32)
    img = Image.fromarray((coarse * 255).astype(np.uint8)).resize(
        (size, size), Image.BICUBIC)
    return np.asarray(img, np.float32) / 255.0


def render_background(rng: np.random.Generator, size: int,
                      clutter_shapes: int) -> np.ndarray:
    """Cluttered background: smooth colour noise, random shapes, fine grain."""
    img = 0.5 * _smooth_noise(rng, size, int(rng.integers(2, 6)))
    img += 0.5 * rng.random(3, dtype=np.float32)[None, None]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    for _ in range(clutter_shapes):
        colour = rng.random(3, dtype=np.float32)
        cy, cx = rng.random(2) * size
        ry, rx = (0.03 + 0.15 * rng.random(2)) * size
        kind = rng.integers(3)
        if kind == 0:    # ellipse
            m = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1
        elif kind == 1:  # rectangle
            m = (np.abs(yy - cy) <= ry) & (np.abs(xx - cx) <= rx)
        else:            # thick line through (cy, cx)
            angle = rng.random() * np.pi
            d = np.abs((yy - cy) * np.cos(angle) - (xx - cx) * np.sin(angle))
            m = d <= max(1.0, 0.15 * ry)
        alpha = 0.35 + 0.5 * rng.random()
        img[m] = (1 - alpha) * img[m] + alpha * colour
    img += rng.normal(0, 0.03, img.shape).astype(np.float32)
    return np.clip(img, 0, 1)


def _texture(rng, h, w):
    """A multiplicative texture for an object: flat, stripes, checks or noise."""
    kind = rng.integers(4)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == 0:
        return np.ones((h, w), np.float32)
    period = 3 + 5 * rng.random()
    if kind == 1:
        angle = rng.random() * np.pi
        t = np.sin((yy * np.cos(angle) + xx * np.sin(angle)) * 2 * np.pi / period)
    elif kind == 2:
        t = np.sign(np.sin(yy * 2 * np.pi / period) * np.sin(xx * 2 * np.pi / period))
    else:
        t = rng.normal(0, 1, (h, w)).astype(np.float32)
    return (1 - 0.25 * (1 + t) / 2).astype(np.float32)


def render_object(rng: np.random.Generator, glyph: np.ndarray, side: int):
    """Resize a 28x28 glyph to ``side`` and colour/texture it.

    Returns (rgb (side, side, 3) float32 in [0, 1], alpha (side, side) float32).
    """
    g = Image.fromarray(glyph).resize((side, side), Image.BILINEAR)
    alpha = np.asarray(g, np.float32) / 255.0
    if rng.random() < 0.5:
        alpha = alpha[:, ::-1]
    colour = 0.15 + 0.85 * rng.random(3, dtype=np.float32)
    shade = 0.55 + 0.45 * alpha          # glyph intensity keeps the folds visible
    rgb = colour[None, None] * (shade * _texture(rng, side, side))[..., None]
    return np.clip(rgb, 0, 1), np.ascontiguousarray(alpha)


def render_scene(rng: np.random.Generator, glyphs: np.ndarray,
                 labels: np.ndarray, cfg: SceneConfig = SceneConfig(),
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
            side = int(size * (cfg.min_scale + (cfg.max_scale - cfg.min_scale) * rng.random()))
            rgb, alpha = render_object(rng, glyph, side)
            y0, x0 = rng.integers(0, size - side + 1, size=2)
            obj = alpha > cfg.alpha_threshold
            new_mask = mask.copy()
            new_mask[y0:y0 + side, x0:x0 + side][obj] = cls + 1
            # every object already placed must stay mostly visible
            ok = True
            for prev in np.unique(mask[mask > 0]):
                if (new_mask == prev).sum() < cfg.min_visible * (mask == prev).sum():
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


def _atomic_save(pil_img: Image.Image, path: str, **kwargs):
    tmp = f'{path}.tmp{os.getpid()}'
    pil_img.save(tmp, format=kwargs.pop('format'), **kwargs)
    os.replace(tmp, path)


def save_mask_png(mask: np.ndarray, path: str):
    """Palette PNG with the VOC colour map (255 = ignore), written atomically."""
    im = Image.fromarray(mask.astype(np.uint8), mode='P')
    im.putpalette(voc_palette().flatten().tolist())
    _atomic_save(im, path, format='PNG')


def scene_renderer(cfg):
    """The render function of a scene config: ``SceneConfig`` -> glyph
    scenes, ``PartBodySceneConfig`` -> part-and-body scenes."""
    from .part_body_scenes import PartBodySceneConfig, render_part_body_scene
    if isinstance(cfg, PartBodySceneConfig):
        return 'part-body', render_part_body_scene
    if isinstance(cfg, SceneConfig):
        return 'glyph', render_scene
    raise TypeError(f'unknown scene config {type(cfg).__name__}')


def read_manifest(data_root: str):
    """The recipe of the generated scenes in ``data_root`` (its
    ``scenes.json``), or None for other data (VOC, COCO). Runs put it in
    their provenance: scenes rebuilt with another recipe in the same folder
    make every stage that read them run again."""
    import json
    path = osp.join(data_root, 'scenes.json')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def scene_record(cfg) -> dict:
    """A scene config as a folder's ``scenes.json`` records it.

    Fields added to a config after its scenes were published (its
    ``ADDED_LATER``: field -> the value that draws the older scenes) are left
    out at that value, so folders built before the field existed, and the
    runs whose provenance holds their record, stay valid."""
    from dataclasses import asdict
    record = asdict(cfg)
    for name, value in getattr(cfg, 'ADDED_LATER', {}).items():
        if record.get(name) == value:
            del record[name]
    return record


def check_manifest(out_dir: str, manifest: dict, overwrite: bool = False):
    """Scenes of another recipe must never mix with these ones.

    ``OUT/scenes.json`` records what made the scenes of a folder (kind,
    scene config, seed); a rebuild with the same record resumes, with another
    one raises (``overwrite=True`` deletes the old scenes first). The number
    of scenes may change: scene ``i`` depends only on (seed, split, i)."""
    import shutil
    path = osp.join(out_dir, 'scenes.json')
    old = read_manifest(out_dir)
    if old is not None:
        if old != manifest:
            diff = sorted(k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k))
            if not overwrite:
                raise ValueError(
                    f'{out_dir} holds scenes of another recipe ({path}: {diff} differ: '
                    f'{ {k: old.get(k) for k in diff} } there, '
                    f'{ {k: manifest.get(k) for k in diff} } asked); use another folder '
                    'or --overwrite')
            for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets'):
                shutil.rmtree(osp.join(out_dir, sub), ignore_errors=True)
    elif osp.isdir(osp.join(out_dir, 'JPEGImages')) and os.listdir(
            osp.join(out_dir, 'JPEGImages')) and not overwrite:
        raise ValueError(f'{out_dir} holds images without a scenes.json: not built by '
                         'this tool with these options; use another folder or --overwrite')
    atomic_write_json(path, manifest)


def write_voc_scenes(out_dir: str, num_train: int = 1500, num_val: int = 300,
                     seed: int = 0, cfg=SceneConfig(), fmnist_dir: str = None,
                     progress: bool = True, overwrite: bool = False) -> dict:
    """Write a mini dataset in VOC layout. Returns a summary dict.

    ``cfg`` picks the scenes (:func:`scene_renderer`). Files already complete
    are kept, so an interrupted build resumes; a folder of other scenes is
    refused (:func:`check_manifest`).
    """
    kind, render = scene_renderer(cfg)
    check_manifest(out_dir, dict(kind=kind, seed=seed, config=scene_record(cfg)), overwrite)
    for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'):
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)
    summary = dict(kind=kind)
    for split, fm_split, n, offset in (('train', 'train', num_train, 0),
                                       ('val', 'test', num_val, 1)):
        glyphs, labels = load_fashion_mnist(fm_split, fmnist_dir)
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
        ids = [f'{split}_{i:05d}' for i in range(n)]
        bar = None
        if progress:
            from mmengine.utils import ProgressBar
            bar = ProgressBar(n)
        for i, name in enumerate(ids):
            img_path = osp.join(out_dir, 'JPEGImages', name + '.jpg')
            mask_path = osp.join(out_dir, 'SegmentationClass', name + '.png')
            if not (osp.exists(img_path) and osp.exists(mask_path)):
                rng = np.random.default_rng([seed, offset, i])
                img, mask = render(rng, glyphs, labels, cfg, by_class)
                _atomic_save(Image.fromarray(img), img_path, format='JPEG', quality=95)
                save_mask_png(mask, mask_path)
            if bar:
                bar.update()
        if bar:
            print()
        list_path = osp.join(out_dir, 'ImageSets', 'Segmentation', split + '.txt')
        atomic_write_text(list_path, '\n'.join(ids) + '\n')
        summary[split] = n
    with open(osp.join(out_dir, 'classes.txt'), 'w') as f:
        f.write('\n'.join(('background', ) + FASHION_MNIST_CLASSES) + '\n')
    return summary


def write_object_classification_set(out_dir: str, num_objects: int = 20000,
                                    size: int = 64, seed: int = 0,
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
    bar = None
    if progress:
        from mmengine.utils import ProgressBar
        bar = ProgressBar(num_objects + num_val)
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
            _atomic_save(Image.fromarray((img * 255).round().astype(np.uint8)),
                         path, format='PNG')
        lines[split].append(f'{name} {labels[idx]}')
        if bar:
            bar.update()
    if bar:
        print()
    for split, rows in lines.items():
        with open(osp.join(out_dir, split + '.txt'), 'w') as f:
            f.write('\n'.join(rows) + '\n')
    with open(osp.join(out_dir, 'classes.txt'), 'w') as f:
        f.write('\n'.join(FASHION_MNIST_CLASSES) + '\n')
    return {k: len(v) for k, v in lines.items()}
