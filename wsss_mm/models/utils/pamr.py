"""Pixel-Adaptive Mask Refinement (PAMR), pure functions.

Araslanov & Roth, CVPR 2020, Sec. 3.3, eq. (7)-(8). Numerics follow the
reference code (visinf/1-stage-wseg, ``models/mods/pamr.py``):

* Neighbourhood N(i): for every dilation d, the 8 pixels of the 3x3 window
  at dilation d around i, centre EXCLUDED (8 * len(dilations) neighbours,
  48 for the default (1, 2, 4, 8, 12, 24)). Borders use replicate padding
  (i.e. out-of-image coordinates are clamped to the image).
* Local std sigma_i (per channel): unbiased std over the full 3x3 windows at
  all dilations, centre INCLUDED once per dilation, i.e. over
  9 * len(dilations) values (54 by default, the centre counted 6 times).
  This is what the reference's ``LocalStDev`` computes; note that it is not
  the std of the 48 neighbours alone.
* Kernel (eq. 8 as implemented): k_ij = -|I_i - I_j| / (1e-8 + 0.1 sigma_i)
  per channel, then averaged over the channels (RGB), then a softmax over
  the neighbours j gives alpha_ij. The paper writes sigma^2 in eq. (8); the
  reference divides by 0.1 * sigma (not squared) - we follow the reference.
  The kernel is invariant to the intensity scale of the image (up to the
  1e-8), so [0, 1] or [0, 255] images give the same affinities.
* Update (eq. 7): m_i <- sum_j alpha_ij m_j over the neighbours only,
  ``num_iter`` times with the same alpha (computed once from the image).
* No gradient (PAMR is always in "evaluation" mode in the paper).
"""
from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    'check_dilations', 'check_num_iter', 'local_neighbours', 'pamr_affinity',
    'pamr_refine'
]

#: 3x3 offsets in raster order without the centre (reference kernel order).
_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0),
            (1, 1))


def check_dilations(dilations: Sequence[int]) -> Tuple[int, ...]:
    """Return ``dilations`` as a tuple; ValueError unless positive ints."""
    if isinstance(dilations, (int, str, bytes)) or not hasattr(
            dilations, '__iter__'):
        raise ValueError('dilations must be a non-empty sequence of positive '
                         f'ints, got {dilations!r}')
    dilations = tuple(dilations)
    if len(dilations) == 0 or any(
            isinstance(d, bool) or not isinstance(d, int) or d < 1
            for d in dilations):
        raise ValueError('dilations must be a non-empty sequence of positive '
                         f'ints, got {dilations!r}')
    return dilations


def check_num_iter(num_iter: int) -> int:
    """Return ``num_iter``; ValueError unless an int >= 0."""
    if isinstance(num_iter, bool) or not isinstance(num_iter,
                                                    int) or num_iter < 0:
        raise ValueError(f'num_iter must be an int >= 0, got {num_iter!r}')
    return num_iter


def local_neighbours(x: Tensor,
                     dilations: Sequence[int],
                     include_centre: bool = False) -> Tensor:
    """Gather the dilated 3x3 neighbours of every pixel (replicate padding).

    Args:
        x (Tensor): Input of shape (B, K, H, W).
        dilations (Sequence[int]): Dilation rates of the 3x3 windows.
        include_centre (bool): Also emit the centre pixel once per dilation
            (9 instead of 8 values per dilation). Default: False.

    Returns:
        Tensor: Shape (B, K, P, H, W) with P = 8 * len(dilations) (or
        9 * len(dilations) with the centre), ordered by dilation, then by
        offset in raster order.
    """
    h, w = x.shape[-2:]
    pad = max(dilations)
    # Clamping coordinates does not depend on the pad width, so one
    # replicate pad by the largest dilation serves every dilation.
    x_pad = F.pad(x, [pad] * 4, mode='replicate')
    offsets = _OFFSETS
    if include_centre:
        offsets = offsets[:4] + ((0, 0), ) + offsets[4:]
    shifted = []
    for d in dilations:
        for dy, dx in offsets:
            top, left = pad + dy * d, pad + dx * d
            shifted.append(x_pad[..., top:top + h, left:left + w])
    return torch.stack(shifted, dim=2)


def _check_image(image: Tensor) -> None:
    if not isinstance(image, Tensor) or image.dim() != 4:
        raise ValueError('image must be a (B, 3, H, W) tensor, got '
                         f'{getattr(image, "shape", type(image))}')


@torch.no_grad()
def pamr_affinity(image: Tensor,
                  dilations: Sequence[int] = (1, 2, 4, 8, 12, 24)) -> Tensor:
    """Pixel-adaptive affinities alpha_ij of eq. (7)-(8).

    Args:
        image (Tensor): Image of shape (B, K, H, W), K = 3 (RGB) in practice;
            the per-channel kernels are averaged over the K channels.
        dilations (Sequence[int]): Dilations of the 3x3 neighbourhoods.

    Returns:
        Tensor: Affinities of shape (B, P, H, W), P = 8 * len(dilations),
        non-negative and summing to 1 over dim 1 (neighbours in the order of
        :func:`local_neighbours`); float32 or float64.
    """
    _check_image(image)
    dilations = check_dilations(dilations)
    # at least float32: the 1e-8 of eq. (8) underflows in float16
    image = image.to(torch.promote_types(image.dtype, torch.float32))
    # Shifted views, accumulated one by one (no (B, K, P, H, W) stack).
    # sigma: unbiased std over the 9 * len(dilations) window values (centre
    # once per dilation), two-pass (mean, then squared deviations).
    h, w = image.shape[-2:]
    pad = max(dilations)
    padded = F.pad(image, [pad] * 4, mode='replicate')
    views = [padded[..., pad + dy * d:pad + dy * d + h,
                    pad + dx * d:pad + dx * d + w]
             for d in dilations for dy, dx in _OFFSETS]
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
def pamr_refine(image: Tensor,
                masks: Tensor,
                num_iter: int = 10,
                dilations: Sequence[int] = (1, 2, 4, 8, 12, 24)) -> Tensor:
    """Refine masks by ``num_iter`` PAMR iterations, eq. (7).

    Args:
        image (Tensor): Image of shape (B, K, H, W) (RGB, K = 3, in
            practice), at the resolution of ``masks``.
        masks (Tensor): Masks of shape (B, M, H, W) (any number M of
            channels, e.g. C + 1 softmax masks with the background first).
        num_iter (int): Number of iterations, >= 0 (0 returns the input).
        dilations (Sequence[int]): Dilations of the 3x3 neighbourhoods.

    Returns:
        Tensor: Refined masks of shape (B, M, H, W) and dtype of ``masks``
        (computed in at least float32). Each output pixel is a convex
        combination of input pixels, so per-pixel sums and the range of the
        masks are preserved.
    """
    _check_image(image)
    if not isinstance(masks, Tensor) or masks.dim() != 4:
        raise ValueError('masks must be a (B, M, H, W) tensor, got '
                         f'{getattr(masks, "shape", type(masks))}')
    if image.shape[0] != masks.shape[0] or image.shape[-2:] != masks.shape[
            -2:]:
        raise ValueError('image and masks must share batch size and spatial '
                         f'size, got image {tuple(image.shape)} and masks '
                         f'{tuple(masks.shape)}')
    num_iter = check_num_iter(num_iter)
    dilations = check_dilations(dilations)

    if num_iter == 0:
        return masks
    # at least float32: the 1e-8 of eq. (8) underflows in float16
    dtype = torch.promote_types(masks.dtype, torch.float32)
    alpha = pamr_affinity(image.to(dtype), dilations)
    refined = masks.to(dtype)
    for _ in range(num_iter):
        refined = _weighted_neighbour_sum(refined, alpha, dilations)
    return refined.to(masks.dtype)


def _weighted_neighbour_sum(x: Tensor, alpha: Tensor,
                            dilations: Tuple[int, ...]) -> Tensor:
    """``sum_p alpha[:, p] * neighbour_p(x)``, i.e. one step of eq. (7).

    Equal to ``(local_neighbours(x, dilations) * alpha[:, None]).sum(2)``
    but accumulates the P shifted views one by one instead of stacking them
    into a (B, M, P, H, W) tensor: the stacked copy made PAMR ~10x slower on
    CPU (it dominated the training step of the mini benchmark).

    Args:
        x (Tensor): Masks of shape (B, M, H, W).
        alpha (Tensor): Affinities of shape (B, P, H, W) in the order of
            :func:`local_neighbours`.
        dilations (tuple[int]): Dilations of the neighbourhoods.

    Returns:
        Tensor: Shape (B, M, H, W).
    """
    h, w = x.shape[-2:]
    pad = max(dilations)
    x_pad = F.pad(x, [pad] * 4, mode='replicate')
    out = torch.zeros_like(x)
    p = 0
    for d in dilations:
        for dy, dx in _OFFSETS:
            top, left = pad + dy * d, pad + dx * d
            out.addcmul_(x_pad[..., top:top + h, left:left + w],
                         alpha[:, p:p + 1])
            p += 1
    return out
