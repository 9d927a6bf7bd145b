"""Pixel-Adaptive Mask Refinement (PAMR), Araslanov & Roth, CVPR 2020, Sec.
3.3.

Numerics of the reference code (visinf/1-stage-wseg, ``models/mods/pamr.py``):

* Neighbours N(i): for every dilation d, the 8 pixels of the 3x3 window at
  dilation d around i, centre excluded, P = 8 * len(dilations) of them (48 by
  default); replicate padding (coordinates clamped to the image).
* Eq. (8) as implemented: ``k_ij = -|I_i - I_j| / (1e-8 + 0.1 sigma_i)`` per
  channel, averaged over the channels, ``alpha_ij = softmax_j k_ij``. sigma_i
  is the unbiased per-channel std over the 9 * len(dilations) window values
  (the centre once per dilation), and it is not squared (the paper writes
  sigma^2). The kernel does not depend on the image's intensity scale.
* Eq. (7): ``m_i <- sum_j alpha_ij m_j``, ``num_iter`` times, alpha fixed.
* No gradient; computed in at least float32 (the 1e-8 underflows in float16).
"""
from typing import List, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.checks import check_int, check_ints

#: 3x3 offsets in raster order without the centre (reference kernel order).
_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1,
                                                                           1))


def neighbour_views(x: Tensor, dilations: Sequence[int]) -> List[Tensor]:
    """The P shifted views of x (B, K, H, W): view p holds neighbour p of every
    pixel, ordered by dilation, then by offset in raster order."""
    h, w = x.shape[-2:]
    pad = max(dilations)  # clamping does not depend on the pad width
    x_pad = F.pad(x, [pad] * 4, mode='replicate')
    return [
        x_pad[..., pad + dy * d:pad + dy * d + h,
              pad + dx * d:pad + dx * d + w] for d in dilations
        for dy, dx in _OFFSETS
    ]


def local_neighbours(x: Tensor, dilations: Sequence[int]) -> Tensor:
    """(B, K, H, W) -> (B, K, P, H, W): :func:`neighbour_views` stacked."""
    return torch.stack(neighbour_views(x, dilations), dim=2)


@torch.no_grad()
def pamr_affinity(
        image: Tensor,
        dilations: Sequence[int] = (1, 2, 4, 8, 12, 24),
) -> Tensor:
    """Affinities alpha_ij of eq. (8): image (B, K, H, W) -> (B, P, H, W),
    non-negative, summing to 1 over dim 1; float32 or float64."""
    image = image.to(torch.promote_types(image.dtype, torch.float32))
    views = neighbour_views(image, dilations)
    # sigma over the 9 * len(dilations) window values, two-pass
    count = len(views) + len(dilations)
    mean = (sum(views) + len(dilations) * image) / count
    sq_dev = len(dilations) * (image - mean).square()
    for view in views:
        sq_dev = sq_dev + (view - mean).square()
    denom = 1e-8 + 0.1 * (sq_dev / (count - 1)).sqrt()  # (B, K, H, W)
    kernel = torch.stack(
        [-((image - view).abs() / denom).mean(dim=1) for view in views],
        dim=1)  # (B, P, H, W), averaged over the channels
    return torch.softmax(kernel, dim=1)


@torch.no_grad()
def pamr_refine(
        image: Tensor,
        masks: Tensor,
        num_iter: int = 10,
        dilations: Sequence[int] = (1, 2, 4, 8, 12, 24),
) -> Tensor:
    """``num_iter`` steps of eq. (7) with the affinities of eq. (8).

    Args:
        image (Tensor): (B, K, H, W), at the resolution of ``masks``.
        masks (Tensor): (B, M, H, W), e.g. softmax masks, background first.

    Returns:
        Tensor: (B, M, H, W) in the dtype of ``masks``; every pixel a convex
        combination of its neighbours (per-pixel sums and range preserved).
    """
    if num_iter == 0:
        return masks
    dtype = torch.promote_types(masks.dtype, torch.float32)
    alpha = pamr_affinity(image.to(dtype), dilations)
    refined = masks.to(dtype)
    for _ in range(num_iter):
        # accumulate the P views one by one: a stacked (B, M, P, H, W) copy
        # made PAMR ~10x slower on CPU
        out = torch.zeros_like(refined)
        for p, view in enumerate(neighbour_views(refined, dilations)):
            out.addcmul_(view, alpha[:, p:p + 1])
        refined = out
    return refined.to(masks.dtype)


@MODELS.register_module()
class PAMR(nn.Module):
    """Parameter-free mask refinement, eq. (7)-(8); no gradient.

    ``forward(image (B, K, H_i, W_i), masks (B, M, H, W))``: the image (RGB,
    any intensity scale) is resized to the masks (bilinear,
    ``align_corners=True``, as the reference does before PAMR), the result is
    refined masks (B, M, H, W).

    Args:
        num_iter (int): Iterations, >= 0. Default: 10.
        dilations (Sequence[int]): Dilations of the 3x3 windows, positive
            ints. Default: (1, 2, 4, 8, 12, 24).
    """

    def __init__(
        self,
        num_iter: int = 10,
        dilations: Sequence[int] = (1, 2, 4, 8, 12, 24)
    ) -> None:
        super().__init__()
        check_int('PAMR', 'num_iter', num_iter, min_value=0)
        dils = check_ints('PAMR', 'dilations', dilations, min_value=1)
        self.num_iter, self.dilations = num_iter, dils

    def extra_repr(self) -> str:
        return f'num_iter={self.num_iter}, dilations={self.dilations}'

    @torch.no_grad()
    def forward(self, image: Tensor, masks: Tensor) -> Tensor:
        if not image.is_floating_point():
            image = image.float()
        if image.shape[-2:] != masks.shape[-2:]:
            image = F.interpolate(
                image,
                size=masks.shape[-2:],
                mode='bilinear',
                align_corners=True)
        return pamr_refine(image, masks, self.num_iter, self.dilations)
