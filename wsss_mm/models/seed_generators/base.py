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

Geometry: maps at the network input size go back to the image with
:func:`~wsss_mm.models.segmentors.geometry.restore_geometry` (padding, flip,
resize; mmseg's ``postprocess_result`` geometry), the one helper shared with
``SingleStageSegmentor``.
"""
import hashlib
import os.path as osp
from abc import ABCMeta, abstractmethod
from typing import Callable, List, Optional, Sequence, Tuple

import torch
from torch import Tensor


def image_id(sample) -> str:
    """Stable id of a sample's image: the basename of ``img_path`` without its
    extension (the name of its seed PNG)."""
    meta = sample.metainfo if hasattr(sample, 'metainfo') else sample
    path = meta.get('img_path')
    if not path:
        raise KeyError('per-image randomness needs the image id: the sample has no '
                       '"img_path"')
    return osp.splitext(osp.basename(path))[0]


def image_seed(img_id: str, seed: int, stream: str = '') -> int:
    """A 60-bit seed of (configured seed, image id, stream): the same for an
    image whatever its batch, worker, rank or position in the data set."""
    text = f'{int(seed)}/{img_id}/{stream}'
    return int(hashlib.sha1(text.encode()).hexdigest()[:15], 16)


def image_generator(sample, seed: int, device=None, stream: str = '') -> torch.Generator:
    """A ``torch.Generator`` on ``device`` seeded by :func:`image_seed` of the
    sample's :func:`image_id`. Test-time sampling (FickleNet's selections)
    draws from it, so seeds do not depend on the batch size, the number of
    workers or ranks. (The numbers still depend on the device type: CPU and
    CUDA generators differ.)"""
    gen = torch.Generator(device=device if device is not None else 'cpu')
    gen.manual_seed(image_seed(image_id(sample), seed, stream))
    return gen


def apply_background_cue(seeds: Tensor, cue_background: Tensor,
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
        raise ValueError(f'background cue has shape {tuple(cue_background.shape)}, '
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

    @abstractmethod
    def generate(self, model, inputs: Tensor,
                 data_samples: Sequence) -> List[Tuple[Tensor, Tensor]]:
        """Seeds of a batch; see the class docstring."""

    def image_labels(self, data_samples, class_scores: Callable[[], Tensor]) -> Tensor:
        """Foreground classes to keep for each image, (B, C) float.

        The image-level labels when the samples carry them (train split: the
        weak supervision); else the classifier's prediction
        ``sigmoid(class_scores()) > cls_threshold`` ((B, C) logits). The
        callable runs only in that case, so labelled batches cost no extra
        forward pass.
        """
        if all('gt_img_labels' in s for s in data_samples):
            return torch.stack([s.gt_img_labels[1:] for s in data_samples]).float()
        scores = class_scores()
        threshold = getattr(self, 'cls_threshold', 0.5)
        return (scores.sigmoid() > threshold).to(scores)

    def background_cue(self, sample) -> Optional[Tensor]:
        """(H0, W0) bool background of ``background_cue_dir`` for one sample
        (the PNG named like the image), or None when no cue is configured."""
        if not self.background_cue_dir:
            return None
        from wsss_mm.utils.io import read_label_png
        stem = osp.splitext(osp.basename(sample.metainfo['img_path']))[0]
        path = osp.join(self.background_cue_dir, stem + '.png')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'background cue missing: {path} (seed_generator.background_cue_dir='
                f'{self.background_cue_dir!r}; run the cue\'s seed stage first)')
        return torch.from_numpy(read_label_png(path) == 0)

    def finish_seeds(self, seeds: Tensor, sample) -> Tensor:
        """Apply the configured background cue (if any) to one image's seeds."""
        cue = self.background_cue(sample)
        if cue is None:
            return seeds
        return apply_background_cue(seeds, cue, self.ignore_index)
