"""Part-and-body scenes: a mini benchmark with the WSSS problem of VOC.

A Fashion-MNIST glyph alone is one discriminative blob: a CAM covers it and
the CAM baseline is nearly as good as full supervision. VOC is different:
the classifier lights up a dog's head, not its body, and the water under a
boat. These scenes rebuild those three properties from Fashion-MNIST:

- **part and body.** An object is its class glyph (the *part*, the
  evidence a classifier needs) joined to a larger *body* drawn from a shape
  pool shared by all classes (ellipses, rounded boxes, blobs). Part and body
  share one colour and one texture, so low-level cues (colour, texture,
  edges) connect them. The body carries only *weak* class evidence, like fur:
  a low-contrast stripe pattern whose orientation and period depend on the
  class (``body_evidence``, the stripes' amplitude; ``body_stripes``). The
  object's mask is part ∪ body. Stands in for VOC's discriminative parts
  (heads, wheels). ``body_colour_jitter`` > 0 (not the benchmark's recipe)
  gives the body a colour of its own, mixed from the part's and a random
  one: VOC's many-coloured objects (a face above a coat), where colour
  affinity (PAMR, the dense CRF) cannot grow a part into its whole object.
- **evidence that survives the augmentations.** Like fur, the body's class
  evidence must mean the same class in a mirrored image, since every
  training pipeline flips (and rescales by ±25 %). Stripes at angle ``a``
  become stripes at ``180° - a`` in a mirror image, so the classes' stripes
  are chosen to stay distinct up to that (:func:`stripe_geometry`). The
  first recipe (``body_stripes='angle'``: class ``c`` at ``18° c``) gave the
  pairs c, 10 - c mirror-identical bodies (coat and shirt, trouser and
  ankle boot, ...); it is kept to reproduce the numbers measured on it.
- **class-correlated context.** With probability ``context_prob`` an object
  stands on a strip of its class's *context* (a fixed colour and dot pattern
  per class, just below the object, partly under it): like water under boats
  or rails under trains, it co-occurs with the class but is background in
  the mask. With probability ``distractor_prob`` a scene also holds the
  context of a class it does not contain.
- **VOC-like scale.** 256-pixel scenes: the stride-8 map of a full crop is
  32x32 (VOC's 321 crops: 41x41), objects span ``min_scale``..``max_scale``
  of the side, 9-19 cells of that map, their parts 4-9 cells. Object
  boundaries carry an ignore band (255) of ``ignore_band`` pixels on each
  side, as VOC's annotations do.

Everything else follows the glyph scenes (:mod:`.glyph`) through
:mod:`.common`: the cluttered background, 1-3 objects of distinct classes,
train scenes from Fashion-MNIST's train split and val scenes from its test
split, deterministic given ``seed``, VOC layout.
"""
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from PIL import Image

from .common import SceneRecipe, render_background, texture

#: one context colour per class (RGB in [0, 1]): fixed, so that the context
#: is class evidence, like water is for boats
CONTEXT_COLOURS = np.array(
    [[0.10, 0.35, 0.80], [0.55, 0.35, 0.15], [0.15, 0.60, 0.20],
     [0.85, 0.80, 0.20], [0.60, 0.10, 0.60], [0.90, 0.45, 0.10],
     [0.20, 0.75, 0.75], [0.45, 0.45, 0.45], [0.85, 0.15, 0.25],
     [0.30, 0.20, 0.55]], np.float32)

#: named recipes of part-and-body scenes (the converter's ``--recipe``):
#: fields that differ from :class:`PartBodySceneConfig`'s defaults.
#: ``shared-colour``: the first published recipe, a body of its part's colour
#: and texture (colour affinity grows a part into its object for free);
#: ``own-colour``: bodies of two colour regions of their own with a texture of
#: their own, clutter drawn like bodies from the objects' palette (no class
#: stripes), objects placed against each other (docs/benchmark.md).
PART_BODY_RECIPES = {
    'shared-colour': {},
    'own-colour':
    dict(
        body_colour_jitter=1.0,
        body_regions=2,
        body_own_texture=True,
        object_clutter=3,
        touch_prob=0.5),
}
#: harder variants of ``own-colour`` for the instrument's cam_pct target
#: (docs/benchmark.md): ``faint-body`` (the bench's default) halves the
#: body's class evidence, so the classifier leans on the part as a VOC
#: classifier does on a dog's head; ``small-part`` makes the part a smaller
#: share of its object
PART_BODY_RECIPES['faint-body'] = dict(
    PART_BODY_RECIPES['own-colour'], body_evidence=0.08)
PART_BODY_RECIPES['small-part'] = dict(
    PART_BODY_RECIPES['own-colour'], part_scale=0.33)


@dataclass
class PartBodySceneConfig(SceneRecipe):
    """How part-and-body scenes look; the defaults are the benchmark's."""
    KIND: ClassVar[str] = 'part-body'

    size: int = 256
    min_objects: int = 1
    max_objects: int = 3
    min_scale: float = 0.3  # object side / scene side
    max_scale: float = 0.6
    part_scale: float = 0.45  # part (glyph) side / object side
    body_evidence: float = 0.15  # amplitude of the class-oriented body stripes
    # stripe_geometry: 'angle-period' | 'angle'
    body_stripes: str = 'angle-period'
    context_prob: float = 0.8  # an object stands on its class's context
    distractor_prob: float = 0.15  # a scene holds an absent class's context
    min_visible: float = 0.6  # share of an object's mask left unoccluded
    # glyph intensity above which a pixel is object
    alpha_threshold: float = 0.25
    ignore_band: int = 2  # ignore (255) pixels on each side of a boundary
    clutter_shapes: int = 12
    # body colour: (1 - j) part colour + j random
    body_colour_jitter: float = 0.0
    body_regions: int = 1  # colour regions of a body, each its own jitter
    body_own_texture: bool = False  # the body draws a texture of its own
    object_clutter: int = 0  # clutter shapes drawn like bodies, no stripes
    touch_prob: float = 0.0  # an object is placed against an earlier one

    #: fields added after scenes were published, with the value that draws
    #: those scenes: a folder's record leaves them out at that value
    #: (:func:`~wsss_mm.datasets.scenes.common.scene_record`)
    ADDED_LATER: ClassVar[dict] = {
        'body_colour_jitter': 0.0,
        'body_regions': 1,
        'body_own_texture': False,
        'object_clutter': 0,
        'touch_prob': 0.0
    }

    def __post_init__(self):
        if self.body_stripes not in BODY_STRIPES:
            raise ValueError(
                f'PartBodySceneConfig.body_stripes must be one of '
                f'{BODY_STRIPES}, got {self.body_stripes!r}')
        for key in ('body_colour_jitter', 'touch_prob'):
            if not 0.0 <= getattr(self, key) <= 1.0:
                raise ValueError(
                    f'PartBodySceneConfig.{key} must lie in [0, 1], '
                    f'got {getattr(self, key)!r}')
        for key, low in (('body_regions', 1), ('object_clutter', 0)):
            value = getattr(self, key)
            if isinstance(value,
                          bool) or not isinstance(value, int) or value < low:
                raise ValueError(
                    f'PartBodySceneConfig.{key} must be an int >= {low}, '
                    f'got {value!r}')
        if self.body_regions > 1 and self.body_colour_jitter == 0:
            raise ValueError(
                'PartBodySceneConfig.body_regions > 1 needs '
                'body_colour_jitter > 0 (regions of the part colour '
                'are one region)')

    def render(self, rng, glyphs, labels, by_class=None):
        """One scene of this recipe (:func:`render_part_body_scene`)."""
        return render_part_body_scene(rng, glyphs, labels, self, by_class)


def body_shape(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A body from the pool shared by all classes: (h, w) bool."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx, ry, rx = (h - 1) / 2, (w - 1) / 2, h / 2, w / 2
    kind = rng.integers(3)
    if kind == 0:  # ellipse
        return ((yy - cy) / ry)**2 + ((xx - cx) / rx)**2 <= 1
    if kind == 1:  # rounded box (superellipse)
        return np.abs((yy - cy) / ry)**4 + np.abs((xx - cx) / rx)**4 <= 1
    shape = np.zeros((h, w), bool)  # blob: three overlapping ellipses
    for _ in range(3):
        oy, ox = (rng.random(2) - 0.5) * np.array([0.5 * h, 0.5 * w])
        sy, sx = 0.55 + 0.45 * rng.random(2)
        shape |= ((yy - cy - oy) / (ry * sy))**2 + ((xx - cx - ox) /
                                                    (rx * sx))**2 <= 1
    return shape


def body_colours(rng, colour, jitter: float, regions: int, side: int):
    """The colour of a body of its own colours: ``regions`` bands cut by
    parallel lines at a random angle, each ``(1 - jitter)`` the part's
    ``colour`` + ``jitter`` a random one of the object palette. Returns (3,)
    for one region, else (side, side, 3) float32."""
    if regions == 1:  # the draw of the first jitter recipe, unchanged
        other = 0.15 + 0.85 * rng.random(3, dtype=np.float32)
        return (1 - jitter) * colour + jitter * other
    others = 0.15 + 0.85 * rng.random((regions, 3), dtype=np.float32)
    cols = ((1 - jitter) * colour + jitter * others).astype(np.float32)
    angle = rng.random() * np.pi
    yy, xx = np.mgrid[0:side, 0:side].astype(np.float32)
    proj = (yy * np.cos(angle) + xx * np.sin(angle))
    lo, hi = proj.min(), proj.max()
    # cuts near the 1/k quantiles of the square, so no region is a sliver
    cuts = (np.arange(1, regions) + 0.5 *
            (rng.random(regions - 1) - 0.5)) / regions
    return cols[np.searchsorted(lo + cuts * (hi - lo), proj)]


def object_clutter(rng, img: np.ndarray, n: int, cfg) -> None:
    """Paste ``n`` background shapes drawn like bodies (shape pool, object
    palette and textures, opaque) but without class stripes: clutter that
    colour and texture cannot tell from objects, as VOC's backgrounds share
    their objects' colours."""
    size = img.shape[0]
    for _ in range(n):
        side = int(size * (cfg.min_scale +
                           (cfg.max_scale - cfg.min_scale) * rng.random()))
        h, w = int(side * (0.4 + 0.4 * rng.random())), int(
            side * (0.4 + 0.5 * rng.random()))
        shape = body_shape(rng, h, w)
        colour = 0.15 + 0.85 * rng.random(3, dtype=np.float32)
        rgb = colour * texture(rng, h, w, kinds=(0, 2, 3))[..., None]
        y0, x0 = rng.integers(-h // 3, size - 2 * h // 3), rng.integers(
            -w // 3, size - 2 * w // 3)
        ys, xs = slice(max(y0, 0),
                       min(y0 + h,
                           size)), slice(max(x0, 0), min(x0 + w, size))
        sub = shape[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0]
        img[ys, xs][sub] = rgb[ys.start - y0:ys.stop - y0,
                               xs.start - x0:xs.stop - x0][sub]


def touching_origin(rng, mask: np.ndarray, side: int):
    """Top-left corner of a ``side`` square whose centre lies half a side
    from a random pixel of the objects already placed (``mask > 0``), in a
    random direction: the new object meets or overlaps an earlier one."""
    ys, xs = np.nonzero(mask)
    i = int(rng.integers(ys.size))
    theta = rng.random() * 2 * np.pi
    cy, cx = ys[i] + 0.5 * side * np.sin(theta), xs[i] + 0.5 * side * np.cos(
        theta)
    hi = mask.shape[0] - side
    return (int(np.clip(round(cy - side / 2), 0,
                        hi)), int(np.clip(round(cx - side / 2), 0, hi)))


#: the ``body_stripes`` recipes of :func:`stripe_geometry`
BODY_STRIPES = ('angle-period', 'angle')


def stripe_geometry(cls: int, recipe: str = 'angle-period'):
    """(angle in degrees, period in px) of class ``cls``'s body stripes.

    ``'angle-period'`` (default): five angles 0, 22.5, ..., 90° (each in
    [0°, 90°], so a horizontal flip, ``a -> 180° - a``, never turns one class
    into another) times two periods, 5 px for classes 0-4 and 10 px for 5-9
    (far enough apart that the pipelines' ±25 % rescaling never makes one
    the other: 5 x 1.25 < 10 x 0.75). ``'angle'``: the first recipe, angle
    ``18° cls`` and period 6 px; its pairs ``cls``, ``10 - cls`` are mirror
    images of each other.
    """
    if recipe == 'angle-period':
        return 22.5 * (cls % 5), 5.0 if cls < 5 else 10.0
    if recipe == 'angle':
        return 18.0 * cls, 6.0
    raise ValueError(
        f'body_stripes must be one of {BODY_STRIPES}, got {recipe!r}')


def class_stripes(cls: int,
                  h: int,
                  w: int,
                  amplitude: float,
                  phase: float,
                  recipe: str = 'angle-period') -> np.ndarray:
    """The body's weak class evidence: stripes of :func:`stripe_geometry`, as
    a multiplicative (h, w) shade around 1."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    degrees, period = stripe_geometry(cls, recipe)
    angle = np.deg2rad(degrees)
    t = np.sin((yy * np.cos(angle) + xx * np.sin(angle)) * 2 * np.pi / period +
               phase)
    return (1 + amplitude * t).astype(np.float32)


def render_part_body_object(rng, glyph: np.ndarray, cls: int, side: int,
                            cfg: PartBodySceneConfig):
    """One object in a ``side`` square: returns rgb (side, side, 3) float32,
    object mask (side, side) bool (part ∪ body) and the part's mask."""
    part_side = max(4, int(round(side * cfg.part_scale)))
    g = Image.fromarray(glyph).resize((part_side, part_side), Image.BILINEAR)
    alpha = np.asarray(g, np.float32) / 255.0
    if rng.random() < 0.5:
        alpha = alpha[:, ::-1]
    rows, cols = np.nonzero(alpha > cfg.alpha_threshold)
    if rows.size == 0:  # an empty glyph: a centred dot keeps the part
        rows, cols = np.array([part_side // 2]), np.array([part_side // 2])
    # the body fills the lower part of the square; the part overlaps its top
    # edge by about a fifth of the part (a head on a body), at a random place
    bh = int(side * (0.55 + 0.2 * rng.random()))
    bw = int(side * (0.7 + 0.3 * rng.random()))
    by, bx = side - bh, int(rng.integers(0, side - bw + 1))
    body = np.zeros((side, side), bool)
    body[by:, bx:bx + bw] = body_shape(rng, bh, bw)
    overlap = int(part_side * (0.15 + 0.1 * rng.random()))
    py = int(np.clip(by + overlap - rows.max(), 0, side - part_side))
    # the part's columns over the body's middle half
    target = bx + bw * (0.25 + 0.5 * rng.random())
    px = int(np.clip(round(target - cols.mean()), 0, side - part_side))
    glyph_alpha = np.zeros((side, side), np.float32)
    glyph_alpha[py:py + part_side, px:px + part_side] = alpha
    part = glyph_alpha > cfg.alpha_threshold
    colour = 0.15 + 0.85 * rng.random(3, dtype=np.float32)
    shade = np.where(part, 0.55 + 0.45 * glyph_alpha,
                     0.8)  # folds of the glyph kept
    shading = texture(rng, side, side) * class_stripes(
        cls, side, side, cfg.body_evidence,
        rng.random() * 2 * np.pi, cfg.body_stripes)
    body_colour = colour
    # no draw at 0: the published scenes stay as they were
    if cfg.body_colour_jitter > 0:
        body_colour = body_colours(rng, colour, cfg.body_colour_jitter,
                                   cfg.body_regions, side)
    # the part keeps its texture, the body draws another
    if cfg.body_own_texture:
        body_shading = texture(rng, side, side) * class_stripes(
            cls, side, side, cfg.body_evidence,
            rng.random() * 2 * np.pi, cfg.body_stripes)
        shading = np.where(part, shading, body_shading)
    pixel_colour = np.where(part[..., None], colour, body_colour)
    rgb = np.clip(pixel_colour * (shade * shading)[..., None], 0,
                  1).astype(np.float32)
    return rgb, part | body, part


def ignore_band(mask: np.ndarray,
                width: int,
                ignore_index: int = 255) -> np.ndarray:
    """Set ``width`` pixels on each side of every label boundary to ignore."""
    if width <= 0:
        return mask

    def neighbours(a):  # (4-neighbour views of a padded array, centre)
        return (a[:-2, 1:-1], a[2:, 1:-1], a[1:-1, :-2], a[1:-1, 2:]), a[1:-1,
                                                                         1:-1]

    near, centre = neighbours(np.pad(mask, 1, mode='edge'))
    band = np.logical_or.reduce([centre != n
                                 for n in near])  # 1 px on each side
    for _ in range(width - 1):
        near, centre = neighbours(np.pad(band, 1))
        band = np.logical_or.reduce([centre, *near])
    out = mask.copy()
    out[band] = ignore_index
    return out


def _paste_free(img, mask, rgb, y0, x0):
    """Paste ``rgb`` at (y0, x0), clipped to the image, where no object is
    yet (``mask == 0``); returns the (H, W) bool of the pasted pixels."""
    h, w = rgb.shape[:2]
    H, W = mask.shape
    ys, xs = slice(max(y0, 0), min(y0 + h,
                                   H)), slice(max(x0, 0), min(x0 + w, W))
    free = np.zeros((H, W), bool)
    free[ys, xs] = mask[ys, xs] == 0
    src = rgb[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0]
    img[ys, xs][free[ys, xs]] = src[free[ys, xs]]
    return free


def context_strip(rng, cls: int, h: int, w: int):
    """A class's context: its colour with a dot pattern, (h, w, 3) float32."""
    yy, xx = np.mgrid[0:h, 0:w]
    period = 5
    dots = ((yy % period) < 2) & ((xx + (yy // period) * 2) % period < 2)
    rgb = np.repeat(CONTEXT_COLOURS[cls][None, None], h, 0).repeat(w, 1)
    rgb = rgb * np.where(dots, 0.7, 1.0)[..., None]
    return np.clip(rgb + rng.normal(0, 0.02, rgb.shape), 0,
                   1).astype(np.float32)


def render_part_body_scene(rng: np.random.Generator,
                           glyphs: np.ndarray,
                           labels: np.ndarray,
                           cfg: PartBodySceneConfig = PartBodySceneConfig(),
                           by_class=None,
                           return_layers: bool = False):
    """Draw one scene.

    Returns img (size, size, 3) uint8 and mask (size, size) uint8 (0
    background, k + 1 for Fashion-MNIST class k, 255 the ignore band); with
    ``return_layers`` also a dict of (size, size) bool layers ``part``,
    ``body`` (object pixels that are not part) and ``context`` (visible
    context pixels), for tests and pictures.
    """
    if by_class is None:
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
    size = cfg.size
    img = render_background(rng, size, cfg.clutter_shapes)
    if cfg.object_clutter:
        object_clutter(rng, img, cfg.object_clutter, cfg)
    mask = np.zeros((size, size), np.uint8)
    part_layer = np.zeros((size, size), bool)
    context = np.zeros((size, size), bool)
    n_obj = int(rng.integers(cfg.min_objects, cfg.max_objects + 1))
    classes = rng.choice(10, size=n_obj, replace=False)
    if rng.random() < cfg.distractor_prob:  # an absent class's context
        absent = [c for c in range(10) if c not in classes]
        cls = int(rng.choice(absent))
        h, w = int(size * 0.12), int(size * (0.3 + 0.3 * rng.random()))
        y0, x0 = rng.integers(0, size - h + 1), rng.integers(0, size - w + 1)
        context |= _paste_free(img, mask, context_strip(rng, cls, h, w), y0,
                               x0)
    for cls in classes:
        for _attempt in range(20):
            glyph = glyphs[rng.choice(by_class[cls])]
            side = int(size * (cfg.min_scale +
                               (cfg.max_scale - cfg.min_scale) * rng.random()))
            rgb, obj, part = render_part_body_object(rng, glyph, int(cls),
                                                     side, cfg)
            if cfg.touch_prob > 0 and mask.any(
            ) and rng.random() < cfg.touch_prob:
                y0, x0 = touching_origin(rng, mask, side)
            else:
                y0, x0 = rng.integers(0, size - side + 1, size=2)
            new_mask = mask.copy()
            new_mask[y0:y0 + side, x0:x0 + side][obj] = cls + 1
            if all((new_mask == prev).sum() >= cfg.min_visible *
                   (mask == prev).sum() for prev in np.unique(mask[mask > 0])):
                break
        else:
            continue  # could not place this class without hiding others
        if rng.random() < cfg.context_prob:  # the strip the object stands on
            rows = np.flatnonzero(obj.any(1))
            h = max(3, int(side * 0.25))
            w = min(size, int(side * 1.3))
            cy = y0 + rows[-1] - h // 3  # partly under the object's lower edge
            cx = x0 + side // 2 - w // 2
            context |= _paste_free(img, mask,
                                   context_strip(rng, int(cls), h, w), cy, cx)
        img[y0:y0 + side, x0:x0 + side][obj] = rgb[obj]
        mask = new_mask
        part_layer[y0:y0 + side, x0:x0 + side][obj] = part[obj]
    fg = mask > 0
    img += rng.normal(0, 0.02, img.shape).astype(np.float32)
    out_mask = ignore_band(mask, cfg.ignore_band)
    img = (np.clip(img, 0, 1) * 255).round().astype(np.uint8)
    if not return_layers:
        return img, out_mask
    part_layer &= fg
    return img, out_mask, dict(
        part=part_layer, body=fg & ~part_layer, context=context & ~fg)


__all__ = [
    'CONTEXT_COLOURS', 'BODY_STRIPES', 'PartBodySceneConfig', 'body_shape',
    'stripe_geometry', 'class_stripes', 'render_part_body_object',
    'ignore_band', 'context_strip', 'render_part_body_scene'
]
