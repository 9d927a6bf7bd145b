"""Seed generators: how a trained weak classifier turns an image into seeds.

A seed generator is what ``WeakClassifier.predict`` runs in *seed mode*. Each
method brings its own (CAM thresholds here; FickleNet's N-selection Grad-CAM,
DCP class patterns, ... elsewhere) and a config picks one with
``seed_generator=dict(type=...)``.
"""
from abc import ABCMeta, abstractmethod
from typing import Callable, List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor


def crop_and_restore(maps: Tensor, meta: dict) -> Tensor:
    """Undo the test-time geometry of one sample's maps.

    Removes the padding added by the data preprocessor, undoes a test flip and
    resizes bilinearly to ``ori_shape``.

    Args:
        maps: (C, H, W) maps at the network input size.
        meta: the sample's metainfo.
    Returns:
        (C, H0, W0) maps at the original image size.
    """
    h, w = maps.shape[-2:]
    pad = meta.get('img_padding_size', meta.get('padding_size', [0, 0, 0, 0]))
    left, right, top, bottom = pad
    maps = maps[:, top:h - bottom, left:w - right]
    if meta.get('flip', False):
        maps = maps.flip(-1 if meta.get('flip_direction') == 'horizontal' else -2)
    ori = tuple(meta.get('ori_shape', maps.shape[-2:]))[:2]
    if tuple(maps.shape[-2:]) != ori:
        maps = F.interpolate(maps[None], size=ori, mode='bilinear',
                             align_corners=False)[0]
    return maps


class BaseSeedGenerator(metaclass=ABCMeta):
    """Interface: ``generate(model, inputs, data_samples)``.

    Returns, per image, ``(scores, seeds)``: scores (C+1, H0, W0) float with
    background first (what a CRF or a visualiser reads), seeds (H0, W0) long
    with 0 background, 1..C foreground and ``ignore_index`` unlabelled, at the
    original image size.
    """
    ignore_index = 255

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
