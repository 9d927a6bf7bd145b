"""Class activation maps (CAM) and CAM seeds — shared by every method.

Notation follows Fan et al. (ECCV'20), Sec. 4.1, which states the common CAM
recipe of the WSSS literature explicitly:

- eq. (2): ``M^c_ij = f_ij^T w^c`` for the classes present in the image, the
  maps of absent classes set to zero;
- eq. (3): ``M~^c = [M^c]_+ / max_ij [M^c]_+`` (normalised by the spatial max),
  then bilinearly resized to the image.
"""
from typing import Callable, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor


def normalize_cams(cams: Tensor, present: Optional[Tensor] = None,
                   eps: float = 1e-5) -> Tensor:
    """Eq. (3): ReLU, divide each map by its spatial max; absent classes -> 0.

    Args:
        cams: (..., C, H, W) raw class maps.
        present: (..., C) multi-hot of the classes in the image (eq. 2 zeroes
            the others); ``None`` keeps every class.
    Returns:
        (..., C, H, W) maps in [0, 1].
    """
    cams = F.relu(cams)
    peak = cams.flatten(-2).amax(-1)[..., None, None]
    cams = cams / (peak + eps)
    if present is not None:
        cams = cams * present.to(cams.dtype)[..., None, None]
    return cams


def cams_to_seeds(norm_cams: Tensor, fg_threshold: float, bg_threshold: float,
                  conflict: str = 'argmax', ignore_index: int = 255) -> Tensor:
    """Seeds from normalised foreground CAMs with a CAM-threshold background.

    A pixel is background (0) when every class map is below ``bg_threshold``,
    foreground when some map reaches ``fg_threshold`` (class ``c + 1`` of the
    largest map, or ``ignore_index`` for several claimants when
    ``conflict='ignore'``, as in Fan et al. Sec. 4.2), and ignored in between.
    With ``fg_threshold == bg_threshold`` every pixel is labelled.

    Args:
        norm_cams: (C, H, W) normalised foreground maps (absent classes zero).
    Returns:
        (H, W) long labels: 0 background, 1..C foreground, ``ignore_index``.
    """
    if conflict not in ('argmax', 'ignore'):
        raise ValueError(f"conflict must be 'argmax' or 'ignore', got {conflict!r}")
    if not 0 <= bg_threshold <= fg_threshold:
        raise ValueError('need 0 <= bg_threshold <= fg_threshold, got '
                         f'bg_threshold={bg_threshold}, fg_threshold={fg_threshold}')
    peak, cls = norm_cams.max(0)
    seeds = torch.full_like(cls, ignore_index)
    seeds[peak < bg_threshold] = 0
    fg = peak >= fg_threshold
    seeds[fg] = cls[fg] + 1
    if conflict == 'ignore':
        several = (norm_cams >= fg_threshold).sum(0) > 1
        seeds[several] = ignore_index
    return seeds


def multi_scale_maps(forward_maps: Callable[[Tensor], Tensor], inputs: Tensor,
                     scales: Sequence[float] = (1.0, ), flip: bool = False,
                     reduce: str = 'sum') -> Tensor:
    """Run ``forward_maps`` on rescaled (and flipped) copies of ``inputs``.

    Args:
        forward_maps: (B, 3, h, w) -> (B, C, h', w') class maps.
        inputs: (B, 3, H, W).
        reduce: 'sum' (the usual multi-scale CAM), 'max' or 'mean'.
    Returns:
        (B, C, H, W) maps combined over scales and flips, each resized
        bilinearly to the input size before combining.
    """
    if reduce not in ('sum', 'max', 'mean'):
        raise ValueError(f"reduce must be 'sum', 'max' or 'mean', got {reduce!r}")
    size = inputs.shape[-2:]
    outs = []
    for scale in scales:
        x = inputs if scale == 1 else F.interpolate(
            inputs, scale_factor=scale, mode='bilinear', align_corners=False)
        views = [x, x.flip(-1)] if flip else [x]
        for i, view in enumerate(views):
            maps = forward_maps(view)
            if i == 1:
                maps = maps.flip(-1)
            outs.append(F.interpolate(maps, size=size, mode='bilinear',
                                      align_corners=False))
    stacked = torch.stack(outs)
    if reduce == 'max':
        return stacked.amax(0)
    return stacked.sum(0) if reduce == 'sum' else stacked.mean(0)
