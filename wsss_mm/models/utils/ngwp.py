"""Class scores from segmentation logits: nGWP + focal mask penalty.

Araslanov & Roth, "Single-Stage Semantic Segmentation from Image Labels",
CVPR 2020, Sec. 3.2, eq. (3)-(6). Numerics follow the reference code
(visinf/1-stage-wseg, ``models/stage_net.py``, ``SoftMaxAE.forward``).

Classification loss (eq. 6)
---------------------------
Eq. (6) is exactly PyTorch's ``F.multilabel_soft_margin_loss`` (mean over
the C classes of ``-[z log sigmoid(y) + (1 - z) log sigmoid(-y)]``, then mean
over the batch), which the reference also uses
(``nn.MultiLabelSoftMarginLoss``). No separate implementation is provided:
call ``torch.nn.functional.multilabel_soft_margin_loss(scores, labels)``
with ``scores`` from :func:`ngwp_class_scores` and ``labels`` the (B, C)
multi-hot float image labels (a test checks the equality with eq. 6).
"""
from typing import Tuple

import torch
from torch import Tensor

__all__ = ['background_softmax', 'focal_mask_penalty', 'ngwp_class_scores']


def background_softmax(logits: Tensor, bg_score: float = 1.0) -> Tensor:
    """Pixel-wise softmax over [constant background logit, class logits].

    Args:
        logits (Tensor): Foreground logits y of shape (B, C, H, W).
        bg_score (float): Constant background logit. The reference uses 1.0.

    Returns:
        Tensor: Masks m of shape (B, C + 1, H, W), background FIRST
        (channel 0), summing to 1 over dim 1.
    """
    bg = torch.full_like(logits[:, :1], bg_score)
    return torch.softmax(torch.cat([bg, logits], dim=1), dim=1)


def focal_mask_penalty(mean_mask: Tensor,
                       p: float = 3.0,
                       lam: float = 0.01) -> Tensor:
    """Focal mask-size penalty, eq. (5): ``(1 - m̄)^p * log(lam + m̄)``.

    With ``p = 0`` it reduces to the plain size penalty of eq. (4). The value
    is <= 0 for ``lam + m̄ <= 1`` and is large negative only for near-empty
    masks, pushing present classes towards non-empty masks (completeness).

    Args:
        mean_mask (Tensor): Mean mask value m̄_c, any shape, in [0, 1].
        p (float): Focal exponent (reference: 3).
        lam (float): Magnitude lambda > 0 (reference: 0.01).

    Returns:
        Tensor: Penalty with the shape of ``mean_mask``.
    """
    return torch.pow(1.0 - mean_mask, p) * torch.log(lam + mean_mask)


def ngwp_class_scores(logits: Tensor,
                      bg_score: float = 1.0,
                      eps: float = 1.0,
                      focal_p: float = 3.0,
                      focal_lambda: float = 0.01) -> Tuple[Tensor, Tensor]:
    """Class scores y_c = y_c^nGWP + y_c^size-focal (Sec. 3.2).

    Steps (reference numerics):

    1. ``m = softmax([bg_score, y])`` over the class dim (background first).
    2. nGWP, eq. (3): ``y_c^nGWP = sum_ij m_c y_c / (eps + sum_ij m_c)``
       with y_c the foreground logits; the reference uses ``eps = 1``.
    3. Focal penalty, eq. (5), on ``m̄_c = mean_ij m_c`` and simply ADDED to
       the nGWP score (paper: "y_c = y^nGWP + y^size-focal"; reference:
       ``cls = cls_1[:, 1:] + cls_2[:, 1:]``).

    Nothing is detached: gradients of the classification loss flow through
    both the logits and the softmax masks in eq. (3) and eq. (5), as in the
    reference. The background channel gets no score (it has no image label).

    Args:
        logits (Tensor): Foreground logits of shape (B, C, H, W).
        bg_score (float): Constant background logit. Default: 1.0.
        eps (float): Denominator offset of eq. (3), >= 0. Default: 1.0.
        focal_p (float): Focal exponent p of eq. (5), >= 0. Default: 3.0.
        focal_lambda (float): lambda of eq. (5), > 0. Default: 0.01.

    Returns:
        tuple[Tensor, Tensor]:

        - scores (Tensor): Class scores of shape (B, C), to be fed to the
          multi-label soft-margin loss (eq. 6).
        - masks (Tensor): Softmax masks of shape (B, C + 1, H, W),
          background first.
    """
    if not isinstance(logits, Tensor) or logits.dim() != 4:
        raise ValueError('logits must be a (B, C, H, W) tensor, got '
                         f'{getattr(logits, "shape", type(logits))}')
    if logits.shape[1] < 1:
        raise ValueError('logits must have at least one class channel')
    if eps < 0:
        raise ValueError(f'eps must be >= 0, got {eps}')
    if focal_p < 0:
        raise ValueError(f'focal_p must be >= 0, got {focal_p}')
    if focal_lambda <= 0:
        raise ValueError(f'focal_lambda must be > 0, got {focal_lambda}')

    masks = background_softmax(logits, bg_score)
    fg_masks = masks[:, 1:]
    ngwp = (fg_masks * logits).sum(dim=(2, 3)) / (
        eps + fg_masks.sum(dim=(2, 3)))
    penalty = focal_mask_penalty(
        fg_masks.mean(dim=(2, 3)), p=focal_p, lam=focal_lambda)
    return ngwp + penalty, masks
