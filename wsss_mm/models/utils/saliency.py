"""Saliency background cue: the background of FickleNet's and Fan et al.'s
seeds.

Both papers take their background seeds from a class-agnostic saliency map,
not from the classifier:

- FickleNet (Lee et al., CVPR'19, Sec. 4.1) segments with DSRG (Huang et al.,
  CVPR'18), whose background cues come from DRFI saliency maps (DSRG's
  README: "saliency detection technology DRFI for localizing background
  seed"; its public code ships the finished cues, not the script that made
  them). DSRG's paper (Sec. 4.1) takes pixels whose *normalised* saliency is
  below 0.06 as background.
- Fan et al. (ECCV'20, Sec. 4.2), threshold seeds: "Pixels with saliency
  scores less than 0.06 are taken as background, which follows the same
  setting in previous approaches" (their saliency model is DSS, Hou et al.
  CVPR'17, as in OAA). CRF seeds: "concatenates the background scores from
  the saliency and the foreground scores from the normalized CAM" before the
  CRF; the background score here is ``1 - saliency``.

A saliency map is a grayscale PNG (0-255, or 16 bit) named like the image.
The functions below are the maths only; reading the folder is
``BaseSeedGenerator.saliency`` (``saliency_dir``).
"""
from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

#: normalisations of a saliency map to [0, 1]: by the PNG's range (a value of
#: 255 is 1.0) or by the map's own maximum (a "normalised saliency" whose
#: peak is 1 in every image).
SALIENCY_NORMS = ('range', 'max')
#: the papers' threshold: saliency < 0.06 (of 1.0) is background
PAPER_BG_THRESHOLD = 0.06


def saliency_to_unit(png: np.ndarray, norm: str = 'range') -> Tensor:
    """(H, W) integer saliency image -> (H, W) float32 in [0, 1].

    Args:
        png: uint8 (0-255) or uint16 (0-65535) grayscale values.
        norm: ``'range'``: divide by the dtype's maximum (255 -> 1.0);
            ``'max'``: divide by the image's own maximum (an all-zero map
            stays zero).
    """
    if norm not in SALIENCY_NORMS:
        raise ValueError(
            f'saliency norm must be one of {SALIENCY_NORMS}, got {norm!r}')
    if png.ndim != 2:
        raise ValueError(
            f'a saliency map must be (H, W) grayscale, got shape {png.shape}')
    if not np.issubdtype(png.dtype, np.integer):
        raise ValueError(
            f'a saliency map must hold integers (a PNG), got {png.dtype}')
    sal = torch.from_numpy(png.astype(np.float32))
    if norm == 'range':
        return sal / float(np.iinfo(png.dtype).max)
    peak = sal.max()
    return sal / peak if peak > 0 else sal


def resize_saliency(saliency: Tensor, size: Sequence[int]) -> Tensor:
    """(h, w) saliency -> (H0, W0) by bilinear interpolation (unchanged when
    the sizes agree): a map computed at another resolution is brought to the
    original image, where the seeds are made."""
    size = tuple(int(s) for s in size[:2])
    if tuple(saliency.shape[-2:]) == size:
        return saliency
    return F.interpolate(
        saliency[None, None].float(),
        size=size,
        mode='bilinear',
        align_corners=False)[0, 0]


def saliency_background(saliency: Tensor,
                        threshold: float = PAPER_BG_THRESHOLD,
                        size: Optional[Sequence[int]] = None) -> Tensor:
    """Background where the saliency is *below* ``threshold`` (both papers:
    0.06 of 1.0); resized to ``size`` (the original image) first.

    Args:
        saliency: (h, w) float in [0, 1] (:func:`saliency_to_unit`).
        threshold: in (0, 1].
        size: (H0, W0) of the seeds; ``None`` keeps the map's size.
    Returns:
        (H0, W0) bool.
    """
    if not 0 < threshold <= 1:
        raise ValueError(
            f'saliency background threshold must be in (0, 1], got {threshold}'
        )
    if size is not None:
        saliency = resize_saliency(saliency, size)
    return saliency < threshold


def saliency_background_score(saliency: Tensor,
                              size: Optional[Sequence[int]] = None) -> Tensor:
    """The background score of Fan et al.'s CRF seeds: ``1 - saliency`` (in
    [0, 1]), resized to ``size`` first."""
    if size is not None:
        saliency = resize_saliency(saliency, size)
    return (1.0 - saliency).clamp(0, 1)


__all__ = [
    'PAPER_BG_THRESHOLD', 'SALIENCY_NORMS', 'resize_saliency',
    'saliency_background', 'saliency_background_score', 'saliency_to_unit'
]
