"""Seed generators: how a trained weak classifier turns an image into seeds.

A seed generator is what ``WeakClassifier.predict`` runs in *seed mode*. Each
method brings its own (CAM thresholds here; FickleNet's N-selection Grad-CAM,
DCP class patterns, ... elsewhere) and a config picks one with
``seed_generator=dict(type=...)``.

The classifier interface
------------------------
``generate(model, inputs, data_samples)`` receives the
:class:`~wsss_mm.models.segmentors.WeakClassifier` and uses only these of its
methods (never ``model.backbone`` / ``model.neck`` / ``model.cls_head``):

- ``model.num_classes``: foreground classes C.
- ``model.features(inputs)``: backbone (+ neck) maps, the head's input.
- ``model.backbone_features(inputs)`` and ``model.apply_neck(feats)``: the
  same in two steps (FickleNet: the pre-selection map, and the stochastic
  neck applied to it once for the classes of unlabelled images;
  ``apply_neck(feats, generators)`` draws image i's mask from
  ``generators[i]``, see :func:`image_generator`).
- ``model.class_maps(feats)`` -> (B, C, h, w) class maps;
  ``model.class_scores(maps)`` -> (B, C) image logits (the head's pooling);
  ``model.cams(inputs)`` = ``class_maps(features(inputs))`` (CAM, DCP).
- ``model.head_weights()``: the head's linear classifier weight (FickleNet's
  factorised Grad-CAM).
- ``model.sample_selection(num, h, w, device=, generator=, dtype=)``: the
  neck's random hidden-unit selections as multipliers (FickleNet).
- ``model.tap(layer, stop_early=True)``: a callable ``inputs -> (B, D, h, w)``
  output of a named lower layer (DCP). Layers listed in a generator's
  ``feature_layers`` are resolved when the classifier is built.

Background cues (every generator, by config)
--------------------------------------------
A generator's own background (a low CAM, DCP's case 1) can be replaced by an
external cue read beside the image, the PNG named like it:

- ``background_cue_dir``: label PNGs whose label 0 is background (e.g. DCP
  seeds, the saliency-free cue);
- ``saliency_dir``: grayscale saliency PNGs (0-255), background where the
  saliency (``saliency_norm``: by 255, or by the image's maximum) is below
  ``saliency_bg_threshold`` (FickleNet via DSRG's DRFI maps and Fan et al.:
  0.06; :mod:`wsss_mm.models.utils.saliency`). CRF seeds use ``1 - saliency``
  as their background score.

At most one of the two; ``finish_seeds`` applies it (foreground kept,
background where the cue says so, the rest ignored) and generators that
need it earlier (CAM threshold / CRF seeds) read :meth:`background_cue` and
:meth:`saliency` themselves.

Geometry: maps at the network input size go back to the image with
:func:`~wsss_mm.models.utils.geometry.restore_geometry` (padding, flip,
resize; mmseg's ``postprocess_result`` geometry), the one helper shared with
``SingleStageSegmentor``.
"""
import hashlib
import os.path as osp
from abc import ABCMeta, abstractmethod
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor

from ..utils.saliency import (PAPER_BG_THRESHOLD, SALIENCY_NORMS,
                              resize_saliency, saliency_background,
                              saliency_to_unit)


def image_id(sample) -> str:
    """Stable id of a sample's image: the basename of ``img_path`` without its
    extension (the name of its seed PNG)."""
    meta = sample.metainfo if hasattr(sample, 'metainfo') else sample
    path = meta.get('img_path')
    if not path:
        raise KeyError(
            'per-image randomness needs the image id: the sample has no '
            '"img_path"')
    return osp.splitext(osp.basename(path))[0]


def image_seed(img_id: str, seed: int, stream: str = '') -> int:
    """A 60-bit seed of (configured seed, image id, stream): the same for an
    image whatever its batch, worker, rank or position in the data set."""
    text = f'{int(seed)}/{img_id}/{stream}'
    return int(hashlib.sha1(text.encode()).hexdigest()[:15], 16)


def image_generator(sample,
                    seed: int,
                    device=None,
                    stream: str = '') -> torch.Generator:
    """A ``torch.Generator`` on ``device`` seeded by :func:`image_seed` of the
    sample's :func:`image_id`. Test-time sampling (FickleNet's selections)
    draws from it, so seeds do not depend on the batch size, the number of
    workers or ranks. (The numbers still depend on the device type: CPU and
    CUDA generators differ.)"""
    gen = torch.Generator(device=device if device is not None else 'cpu')
    gen.manual_seed(image_seed(image_id(sample), seed, stream))
    return gen


def apply_background_cue(seeds: Tensor,
                         cue_background: Tensor,
                         ignore_index: int = 255) -> Tensor:
    """Replace a generator's own background by an external background cue.

    Args:
        seeds: (H, W) long, 0 background, 1..C foreground, ``ignore_index``.
        cue_background: (H, W) bool, background according to the cue (e.g.
            DCP seeds == 0, the saliency-free stand-in for the saliency
            background of FickleNet / Fan et al.).
    Returns:
        (H, W) long: foreground seeds kept, background where the cue says so
        and no foreground was claimed, ``ignore_index`` elsewhere.
    """
    if cue_background.shape != seeds.shape:
        raise ValueError(
            f'background cue has shape {tuple(cue_background.shape)}, '
            f'seeds {tuple(seeds.shape)}')
    fg = (seeds > 0) & (seeds != ignore_index)
    out = torch.full_like(seeds, ignore_index)
    out[cue_background.to(seeds.device) & ~fg] = 0
    out[fg] = seeds[fg]
    return out


class BaseSeedGenerator(metaclass=ABCMeta):
    """Interface: ``generate(model, inputs, data_samples)``.

    Returns, per image, ``(scores, seeds)``: scores (C+1, H0, W0) float with
    background first (what a CRF or a visualiser reads), seeds (H0, W0) long
    with 0 background, 1..C foreground and ``ignore_index`` unlabelled, at the
    original image size.
    """
    ignore_index = 255
    #: names of the classifier layers the generator taps (``model.tap``);
    #: resolved, and a wrong name reported, when the classifier is built.
    feature_layers: Tuple[str, ...] = ()
    #: folder of label PNGs (e.g. DCP seeds) whose label 0 is the background
    #: cue; set by subclasses from their ``background_cue_dir`` argument.
    background_cue_dir: Optional[str] = None
    #: folder of grayscale saliency PNGs; background where saliency <
    #: ``saliency_bg_threshold`` (set by :meth:`init_background_cue`).
    saliency_dir: Optional[str] = None
    saliency_bg_threshold: float = PAPER_BG_THRESHOLD
    saliency_norm: str = 'range'

    def init_background_cue(self,
                            background_cue_dir: Optional[str] = None,
                            saliency_dir: Optional[str] = None,
                            saliency_bg_threshold: float = PAPER_BG_THRESHOLD,
                            saliency_norm: str = 'range') -> None:
        """Check and store the background-cue arguments every generator
        takes (see the module docstring)."""
        name = type(self).__name__
        if background_cue_dir and saliency_dir:
            raise ValueError(
                f'{name}: background_cue_dir and saliency_dir are two '
                'background cues; set one')
        if not 0 < saliency_bg_threshold <= 1:
            raise ValueError(
                f'{name}: saliency_bg_threshold must be in (0, 1], got '
                f'{saliency_bg_threshold}')
        if saliency_norm not in SALIENCY_NORMS:
            raise ValueError(
                f'{name}: saliency_norm must be one of {SALIENCY_NORMS}, '
                f'got {saliency_norm!r}')
        self.background_cue_dir = background_cue_dir or None
        self.saliency_dir = saliency_dir or None
        self.saliency_bg_threshold = float(saliency_bg_threshold)
        self.saliency_norm = saliency_norm

    @abstractmethod
    def generate(self, model, inputs: Tensor,
                 data_samples: Sequence) -> List[Tuple[Tensor, Tensor]]:
        """Seeds of a batch; see the class docstring."""

    def image_labels(self, data_samples,
                     class_scores: Callable[[], Tensor]) -> Tensor:
        """Foreground classes to keep for each image, (B, C) float.

        The image-level labels when the samples carry them (train split: the
        weak supervision); else the classifier's prediction
        ``sigmoid(class_scores()) > cls_threshold`` ((B, C) logits). The
        callable runs only in that case, so labelled batches cost no extra
        forward pass.
        """
        if all('gt_img_labels' in s for s in data_samples):
            return torch.stack([s.gt_img_labels[1:]
                                for s in data_samples]).float()
        scores = class_scores()
        threshold = getattr(self, 'cls_threshold', 0.5)
        return (scores.sigmoid() > threshold).to(scores)

    @staticmethod
    def _cue_path(folder: str, sample, key: str) -> str:
        stem = osp.splitext(osp.basename(sample.metainfo['img_path']))[0]
        path = osp.join(folder, stem + '.png')
        if not osp.isfile(path):
            raise FileNotFoundError(f'background cue missing: {path} '
                                    f'(seed_generator.{key}={folder!r}; ' +
                                    ('run the cue\'s seed stage first)'
                                     if key == 'background_cue_dir' else
                                     'a saliency PNG named like each image)'))
        return path

    @staticmethod
    def _ori_size(sample):
        shape = sample.metainfo.get('ori_shape')
        return None if shape is None else tuple(shape)[:2]

    def saliency(self, sample) -> Optional[Tensor]:
        """(H0, W0) float saliency in [0, 1] of ``saliency_dir`` for one
        sample, resized to its original size; None without ``saliency_dir``."""
        if not self.saliency_dir:
            return None
        from PIL import Image
        path = self._cue_path(self.saliency_dir, sample, 'saliency_dir')
        with Image.open(path) as im:
            if im.mode in ('I;16', 'I;16B', 'I;16L'):
                png = np.asarray(im).astype(np.uint16)
            else:
                png = np.asarray(im.convert('L'))
        sal = saliency_to_unit(png, self.saliency_norm)
        size = self._ori_size(sample)
        return sal if size is None else resize_saliency(sal, size)

    def background_cue(self, sample) -> Optional[Tensor]:
        """(H0, W0) bool background of the configured cue for one sample:
        label 0 of ``background_cue_dir``'s PNG, or saliency below
        ``saliency_bg_threshold`` of ``saliency_dir``'s; None without a cue."""
        if self.saliency_dir:
            return saliency_background(
                self.saliency(sample), self.saliency_bg_threshold)
        if not self.background_cue_dir:
            return None
        from wsss_mm.utils.io import read_label_png
        path = self._cue_path(self.background_cue_dir, sample,
                              'background_cue_dir')
        return torch.from_numpy(read_label_png(path) == 0)

    def finish_seeds(self, seeds: Tensor, sample) -> Tensor:
        """Apply the configured background cue (if any) to one image's
        seeds."""
        cue = self.background_cue(sample)
        if cue is None:
            return seeds
        return apply_background_cue(seeds, cue, self.ignore_index)
