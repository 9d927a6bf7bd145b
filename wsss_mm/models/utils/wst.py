"""Weighted selective training (WST) over K seeds — Fan et al., ECCV'20, Sec.
4.5.

Notation: ``p = softmax(seg_logits)`` over the C classes, ``y^(k)`` the label
of seed k at a pixel (``ignore_index`` = the seed leaves the pixel
unlabelled), ``V`` the seeds that label the pixel.

- eq. (7): ``w~_k = 1[argmax_c p = y^(k)]``;
- eq. (6): ``w_k = exp(s w~_k) / sum_{k'} exp(s w~_k')``. Where some seeds
  ignore the pixel the paper's text and formula disagree, so both are
  options (``ignored``):

  - ``'renormalise'`` (default): the sum runs over V, the seeds that label
    the pixel; seeds that ignore it get 0. The weights of a pixel's labels
    sum to 1, which is what the text says eq. (6) ensures ("to ensure
    sum_k w_ijk = 1"), and with one seed (K = 1) or ``s = 0`` on seeds that
    agree the loss is ordinary cross-entropy over the labelled pixels.
  - ``'keep_share'`` (the formula as printed): the sum runs over all K
    seeds; a seed that ignores the pixel has ``w~ = 0`` (no label can match
    the prediction), keeps its share of the denominator and contributes no
    loss term. The labels of a pixel that some seeds leave unlabelled then
    weigh less than 1 in all (e.g. 6 threshold seeds abstaining, 6 CRF
    seeds agreeing with the prediction, s = 1: 6e / (6 + 6e) = 0.73), so
    ambiguous pixels are down-weighted; ``s = 0`` gives eq. (4) as printed
    (every seed 1/K, an ignoring seed's share lost).
- eq. (5): pixel loss ``-sum_{k in V} w_k log p_{y^(k)}``; no gradient flows
  through ``w`` (it is a selection computed from the online prediction);
- eq. (4): ``s = 0`` gives ``w_k = 1/|V|``, the plain multi-seed loss.

Normalisation: eq. (4)/(5) divide by ``HW``; here the loss is averaged over
the pixels that have at least one valid seed (pixels no seed labels carry no
supervision). This equals the paper's ``1/HW`` whenever every pixel has a
valid seed (CRF seeds label every pixel, so with a CRF seed in the set the
two agree), and with K = 1 it is mmseg's cross-entropy averaged over the
non-ignored pixels.

Nothing is validated here (this runs every training step): ``WSTLoss`` checks
``scale`` when it is built and ``MultiSeedHead`` builds the seed stack.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

IGNORED_SEEDS = ('renormalise', 'keep_share')


@torch.no_grad()
def wst_weights(seg_logits: Tensor,
                seed_labels: Tensor,
                scale: float = 1.0,
                ignore_index: int = 255,
                ignored: str = 'renormalise') -> Tensor:
    """Per-pixel seed weights of eq. (6)-(7).

    Args:
        seg_logits: (B, C, H, W) logits (softmax is monotonic, so
            ``argmax_c p = argmax_c seg_logits``).
        seed_labels: (B, K, H, W) integer labels, ``ignore_index`` =
        unlabelled.
        scale: ``s >= 0``; 0 gives uniform weights over the valid seeds
            (eq. 4), the paper uses 1.
        ignored: ``'renormalise'`` | ``'keep_share'`` (module docstring).
    Returns:
        (B, K, H, W) weights (no gradient), in [0, 1]: zero for the seeds that
        ignore a pixel, all zero at pixels without a valid seed; summing to 1
        over the valid seeds of every pixel that has one ('renormalise'), or
        to less where some seeds ignore the pixel ('keep_share').
    """
    pred = seg_logits.argmax(1, keepdim=True)  # (B, 1, H, W)
    valid = seed_labels != ignore_index  # (B, K, H, W)
    dtype = seg_logits.dtype if seg_logits.dtype.is_floating_point \
        else torch.float32
    match = (seed_labels == pred).to(dtype)  # eq. (7)
    # eq. (6) as a softmax shifted by its largest term (exact; no overflow or
    # underflow for any s)
    if ignored == 'renormalise':
        top = match.masked_fill(~valid, 0).amax(1, keepdim=True)
        e = torch.exp(scale * (match - top)) * valid
        return e / e.sum(1, keepdim=True).clamp_min(torch.finfo(dtype).tiny)
    # keep_share: ignoring seeds (match 0) stay in the denominator
    e = torch.exp(scale * (match - match.amax(1, keepdim=True)))
    return e * valid / e.sum(1, keepdim=True)


def wst_loss(seg_logits: Tensor,
             seed_labels: Tensor,
             scale: float = 1.0,
             ignore_index: int = 255,
             reduction: str = 'mean',
             ignored: str = 'renormalise',
             pixel_weight: Optional[Tensor] = None) -> Tensor:
    """WST loss, eq. (5) (``scale=0``: the plain multi-seed loss, eq. 4).

    Args:
        seg_logits: (B, C, H, W) logits at the label resolution.
        seed_labels: (B, K, H, W) integer labels in ``[0, C)`` or
            ``ignore_index`` (an index >= C fails in ``gather``).
        scale: ``s`` of eq. (6), ``>= 0``.
        ignored: how seeds that ignore a pixel enter eq. (6):
            ``'renormalise'`` | ``'keep_share'`` (module docstring).
        reduction: 'mean' — mean of the pixel losses over the pixels with at
            least one valid seed (0, still differentiable, when there is none);
            'sum'; 'none' — the (B, H, W) pixel losses (0 where no seed is
            valid).
        pixel_weight: optional (B, H, W) factor of each pixel's loss (e.g. a
            pixel sampler's ``seg_weight``), applied before the reduction; the
            mean still divides by the number of pixels with a valid seed, as
            mmseg's weighted cross-entropy divides by its pixel count.
    Returns:
        scalar (or (B, H, W) for ``reduction='none'``).
    """
    valid = seed_labels != ignore_index
    weights = wst_weights(seg_logits, seed_labels, scale, ignore_index,
                          ignored)
    log_p = F.log_softmax(seg_logits, dim=1)
    safe = torch.where(valid, seed_labels,
                       torch.zeros_like(seed_labels)).long()
    log_p_seed = log_p.gather(1, safe)  # (B, K, H, W)
    pixel = -(weights.to(log_p.dtype) * valid * log_p_seed).sum(1)
    if pixel_weight is not None:
        pixel = pixel * pixel_weight.to(pixel.dtype)
    if reduction == 'none':
        return pixel
    if reduction == 'sum':
        return pixel.sum()
    num = valid.any(1).sum()
    return pixel.sum() / num.clamp_min(1).to(pixel.dtype)
