"""Pseudo labels from PAMR masks and the class-balanced segmentation loss.

Araslanov & Roth, CVPR 2020, Sec. 3.3 ("Self-supervised segmentation
loss"). Numerics follow the reference code (visinf/1-stage-wseg,
``models/stage_net.py``: ``pseudo_gtmask`` and ``balanced_mask_loss_ce``).

Batch reduction used by the reference: the per-image balanced loss is
multiplied by the image-discard flag and averaged over ALL images of the
batch (discarded images count as zeros)::

    labels, keep = pamr_pseudo_labels(refined_masks, img_labels)
    loss = (keep.float() * balanced_cross_entropy(logits, labels)).mean()

In the reference, the logits (stride 4) and the PAMR output are both
bilinearly upsampled (align_corners=True) to the input-image size before
the pseudo labels and the loss are computed; these functions expect the
caller to do any such resizing (the spatial sizes must match). They run every
training step and validate nothing: ``SingleStageSegmentor`` checks the ratios
when it is built, and the labels of :func:`balanced_cross_entropy` come from
:func:`pamr_pseudo_labels`, in range by construction.
"""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = ['pamr_pseudo_labels', 'balanced_cross_entropy']


@torch.no_grad()
def pamr_pseudo_labels(masks: Tensor,
                       img_labels: Tensor,
                       fg_ratio: float = 0.6,
                       bg_ratio: float = 0.7,
                       min_score: float = 0.2,
                       ignore_index: int = 255) -> Tuple[Tensor, Tensor]:
    """Confident pseudo labels from refined masks, with the discard rule.

    For every image b and class k (k = 0 is the background):

    1. masks of classes absent from the image are zeroed;
    2. threshold t_k = max(ratio_k * max_ij m_k, ``min_score``) with
       ratio_0 = ``bg_ratio`` and ratio_k = ``fg_ratio`` for k >= 1. As in the
       reference (``mask_max.max(lowest)`` is applied to all channels), the
       ``min_score`` floor applies to the BACKGROUND too, so a background
       whose peak is below min_score / bg_ratio only claims pixels above
       ``min_score``;
    3. pixel i claims class k when m_k(i) > t_k (strict);
    4. pixels claimed by several classes (conflicts) and unclaimed pixels get
       ``ignore_index``;
    5. keep[b] is True iff the background and every class of the image own
       at least one pixel of the final pseudo label (the paper's "fully
       discard images for which some of the ground-truth classes do not give
       rise to any confident pseudo ground-truth pixels"). Since absent
       classes are zeroed they can never be claimed, so this equals the
       reference's "number of classes in the pseudo label == number of image
       classes + 1".

    Args:
        masks (Tensor): Refined masks of shape (B, C + 1, H, W), background
            first, values in [0, 1] (e.g. PAMR output of softmax masks).
        img_labels (Tensor): Image labels of shape (B, C), multi-hot (bool,
            int or float; non-zero means present) over the C foreground
            classes.
        fg_ratio (float): Foreground ratio of the class peak. Default: 0.6.
        bg_ratio (float): Background ratio of its peak. Default: 0.7.
        min_score (float): Absolute floor of every threshold. Default: 0.2.
        ignore_index (int): Label of ignored pixels. Default: 255.

    Returns:
        tuple[Tensor, Tensor]:

        - labels (Tensor): Pseudo labels of shape (B, H, W), long, in
          {0, ..., C} (0 = background) or ``ignore_index``.
        - keep (Tensor): Shape (B,), bool, the image-discard flag.
    """
    num_images, num_classes = masks.shape[:2]
    present = torch.cat([
        img_labels.new_ones(num_images, 1, dtype=torch.bool), img_labels != 0
    ],
                        dim=1)  # (B, C + 1)
    masks = masks * present[:, :, None, None].to(masks.dtype)

    ratios = masks.new_full((num_classes, ), fg_ratio)
    ratios[0] = bg_ratio
    peaks = masks.flatten(2).amax(dim=2)  # (B, C + 1)
    thresholds = (peaks * ratios).clamp(min=min_score)
    claims = masks > thresholds[:, :, None, None]  # (B, C + 1, H, W)

    unique = claims.sum(dim=1) == 1
    class_ids = torch.arange(num_classes, device=masks.device)
    labels = (claims.long() * class_ids[None, :, None, None]).sum(dim=1)
    labels = torch.where(unique, labels, torch.full_like(labels, ignore_index))

    owned = (claims & unique.unsqueeze(1)).flatten(2).any(dim=2)
    keep = (owned | ~present).all(dim=1)
    return labels, keep


def balanced_cross_entropy(logits: Tensor,
                           labels: Tensor,
                           ignore_index: int = 255,
                           reduction: str = 'none') -> Tensor:
    """Class-balanced pixel-wise cross-entropy (Sec. 3.3).

    Per image, with N the number of VALID (non-ignored) pixels and N_c the
    number of pixels labelled c, class c gets the weight
    ``w_c = (N - N_c) / (1 + N)`` (rare classes weigh more), and the loss is
    ``sum_i w_{l_i} CE_i / (H * W)``: averaged over ALL H * W pixels, ignored
    pixels contributing 0 (reference numerics).

    Ignore-label fix: ignored pixels are excluded from every count - they
    are neither a class of their own nor part of N, and their weight is 0.
    A direct port of the reference to a label map (argmax of an all-zero
    one-hot row is class 0, with ``ignore_index`` only added afterwards)
    easily counts unlabelled pixels as background or as an extra class,
    which inflates N and distorts all weights; here the counts come from
    the valid pixels only (tested against a per-pixel loop).

    Args:
        logits (Tensor): Segmentation logits of shape (B, K, H, W),
            K = C + 1 (background first, like the pseudo labels).
        labels (Tensor): Pseudo labels of shape (B, H, W), long, in
            [0, K) or ``ignore_index``.
        ignore_index (int): Ignored label. Default: 255.
        reduction (str): ``'none'`` returns the per-image losses of shape
            (B,); ``'mean'`` their batch mean. Default: ``'none'``.

    Returns:
        Tensor: Per-image losses (B,) or their mean (scalar).
    """
    num_images, num_classes = logits.shape[:2]
    labels = labels.long()
    valid = labels != ignore_index

    # counts reach H * W: keep them out of float16 even under AMP
    dtype = torch.promote_types(logits.dtype, torch.float32)
    safe_labels = torch.where(valid, labels, torch.zeros_like(labels))
    flat_labels = safe_labels.flatten(1)  # (B, H * W)
    flat_valid = valid.flatten(1).to(dtype)  # ignored pixels count 0
    class_counts = flat_valid.new_zeros(num_images, num_classes).scatter_add_(
        1, flat_labels, flat_valid)  # N_c, (B, K)
    total = class_counts.sum(dim=1, keepdim=True)  # N, (B, 1)
    class_weights = (total - class_counts) / (1.0 + total)  # (B, K)

    pixel_weights = class_weights.gather(1, flat_labels) * flat_valid
    pixel_ce = F.cross_entropy(
        logits.to(dtype), safe_labels, reduction='none').flatten(1)
    loss = (pixel_weights * pixel_ce).mean(dim=1)
    return {'none': loss, 'mean': loss.mean()}[reduction]
