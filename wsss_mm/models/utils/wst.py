"""Weighted selective training (WST) over K seeds — Fan et al., ECCV'20, Sec. 4.5.

Notation: ``p = softmax(seg_logits)`` over the C classes, ``y^(k)`` the label
of seed k at a pixel (``ignore_index`` = the seed leaves the pixel
unlabelled), ``V`` the seeds that label the pixel.

- eq. (7): ``w~_k = 1[argmax_c p = y^(k)]``;
- eq. (6): ``w_k = exp(s w~_k) / sum_{k' in V} exp(s w~_k')`` for k in V,
  0 for the seeds that ignore the pixel (the paper's sum runs over all K
  seeds; every seed labels every pixel in its notation);
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
import torch
import torch.nn.functional as F
from torch import Tensor


@torch.no_grad()
def wst_weights(seg_logits: Tensor, seed_labels: Tensor, scale: float = 1.0,
                ignore_index: int = 255) -> Tensor:
    """Per-pixel seed weights of eq. (6)-(7).

    Args:
        seg_logits: (B, C, H, W) logits (softmax is monotonic, so
            ``argmax_c p = argmax_c seg_logits``).
        seed_labels: (B, K, H, W) integer labels, ``ignore_index`` = unlabelled.
        scale: ``s >= 0``; 0 gives uniform weights over the valid seeds
            (eq. 4), the paper uses 1.
    Returns:
        (B, K, H, W) weights (no gradient), in [0, 1]: zero for the seeds that
        ignore a pixel, summing to 1 over the valid seeds of every pixel that
        has one, all zero at pixels without a valid seed.
    """
    pred = seg_logits.argmax(1, keepdim=True)                    # (B, 1, H, W)
    valid = seed_labels != ignore_index                           # (B, K, H, W)
    dtype = seg_logits.dtype if seg_logits.dtype.is_floating_point else torch.float32
    match = (seed_labels == pred).to(dtype)                       # eq. (7)
    # eq. (6) as exp(s (w~ - 1)) / sum: the same softmax, no overflow for big s
    e = torch.exp(scale * (match - 1)) * valid
    return e / e.sum(1, keepdim=True).clamp_min(torch.finfo(dtype).tiny)


def wst_loss(seg_logits: Tensor, seed_labels: Tensor, scale: float = 1.0,
             ignore_index: int = 255, reduction: str = 'mean') -> Tensor:
    """WST loss, eq. (5) (``scale=0``: the plain multi-seed loss, eq. 4).

    Args:
        seg_logits: (B, C, H, W) logits at the label resolution.
        seed_labels: (B, K, H, W) integer labels in ``[0, C)`` or
            ``ignore_index`` (an index >= C fails in ``gather``).
        scale: ``s`` of eq. (6), ``>= 0``.
        reduction: 'mean' — mean of the pixel losses over the pixels with at
            least one valid seed (0, still differentiable, when there is none);
            'sum'; 'none' — the (B, H, W) pixel losses (0 where no seed is
            valid).
    Returns:
        scalar (or (B, H, W) for ``reduction='none'``).
    """
    valid = seed_labels != ignore_index
    weights = wst_weights(seg_logits, seed_labels, scale, ignore_index)
    log_p = F.log_softmax(seg_logits, dim=1)
    safe = torch.where(valid, seed_labels, torch.zeros_like(seed_labels)).long()
    log_p_seed = log_p.gather(1, safe)                              # (B, K, H, W)
    pixel = -(weights.to(log_p.dtype) * valid * log_p_seed).sum(1)
    if reduction == 'none':
        return pixel
    if reduction == 'sum':
        return pixel.sum()
    num = valid.any(1).sum()
    return pixel.sum() / num.clamp_min(1).to(pixel.dtype)
