"""Weighted selective training loss over K seeds (Fan et al., ECCV'20)."""
from typing import Optional

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.wst import IGNORED_SEEDS, wst_loss


@MODELS.register_module()
class WSTLoss(nn.Module):
    """Multi-seed cross-entropy with WST weights, eq. (4)-(7) of Fan et al.

    ``forward(seg_logits (B, C, H, W), seed_labels (B, K, H, W) long)`` ->
    scalar ``loss_weight * mean`` over the pixels with at least one valid
    seed of ``-sum_{k in V} w_k log p_{label_k}``, ``w`` = softmax over the
    valid seeds of ``scale * 1[argmax p = label_k]`` (no gradient through w).
    See :mod:`wsss_mm.models.utils.wst` for the equations. Arguments are
    checked here once; the call checks only the shape of an optional
    per-pixel ``weight`` (:class:`MultiSeedHead` gives
    seeds (B, K, H, W) long and logits resized to them, ``LoadSeedMaps``
    refuses a sample without seed maps, so K >= 1). A seed
    label outside ``[0, C)`` and not ``ignore_index`` fails in ``gather``
    (an index error on CPU, a device-side assert on CUDA); the runs of
    ``tools/train.py`` check before training that the head's C is the data
    set's class count (``ClassCountCheckHook``).

    Args:
        scale (float): ``s`` of eq. (6); 1 in the paper, 0 gives the plain
            multi-seed loss (eq. 4). Must be >= 0.
        ignored_seeds (str): how a seed that leaves a pixel unlabelled enters
            the softmax of eq. (6). ``'renormalise'`` (default): it does not;
            the softmax runs over the seeds that label the pixel, so a
            pixel's label weights sum to 1, as the paper's text says eq. (6)
            ensures. ``'keep_share'``: eq. (6) as printed, the softmax over
            all K seeds; the ignoring seed keeps its share of the weight, so
            pixels that some seeds leave unlabelled are down-weighted. See
            :mod:`wsss_mm.models.utils.wst`.
        ignore_index (int): label of unlabelled seed pixels.
        loss_weight (float): multiplier.
        loss_name (str): key in the loss dict / log (mmseg convention: must
            start with ``loss_`` to be back-propagated).
    """

    def __init__(self,
                 scale: float = 1.0,
                 ignored_seeds: str = 'renormalise',
                 ignore_index: int = 255,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_wst'):
        super().__init__()
        if not scale >= 0:  # also rejects NaN
            raise ValueError(f'WSTLoss: scale must be >= 0, got {scale}')
        if ignored_seeds not in IGNORED_SEEDS:
            raise ValueError(
                f'WSTLoss: ignored_seeds must be one of {IGNORED_SEEDS}, '
                f'got {ignored_seeds!r}')
        self.scale = float(scale)
        self.ignored_seeds = ignored_seeds
        self.ignore_index = ignore_index
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self,
                seg_logits: Tensor,
                seed_labels: Tensor,
                weight: Optional[Tensor] = None,
                ignore_index: Optional[int] = None,
                **kwargs) -> Tensor:
        """seg_logits (B, C, H, W), seed_labels (B, K, H, W) -> scalar.

        mmseg's calling convention: ``weight`` is a per-pixel factor
        (B, H, W) such as a pixel sampler's ``seg_weight`` (it scales each
        pixel's loss; the mean still divides by the pixels with a valid
        seed), ``ignore_index`` defaults to the constructor's.
        """
        ignore = self.ignore_index if ignore_index is None else ignore_index
        if weight is not None and weight.shape != seed_labels[:, 0].shape:
            raise ValueError(
                f'WSTLoss: weight must be per pixel, shape '
                f'{tuple(seed_labels[:, 0].shape)} (B, H, W) of the seed '
                f'labels, got {tuple(weight.shape)}')
        return self.loss_weight * wst_loss(
            seg_logits,
            seed_labels,
            self.scale,
            ignore,
            ignored=self.ignored_seeds,
            pixel_weight=weight)

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def extra_repr(self) -> str:
        return (
            f'scale={self.scale}, ignored_seeds={self.ignored_seeds!r}, '
            f'ignore_index={self.ignore_index}, '
            f'loss_weight={self.loss_weight}, loss_name={self._loss_name!r}')
