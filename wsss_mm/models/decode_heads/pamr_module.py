"""Registered Pixel-Adaptive Mask Refinement (PAMR) module."""
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.pamr import check_dilations, check_num_iter, pamr_refine


@MODELS.register_module()
class PAMR(nn.Module):
    """Pixel-Adaptive Mask Refinement (Araslanov & Roth, CVPR 2020).

    Parameter-free refinement of eq. (7)-(8): ``num_iter`` times, every pixel
    of the masks becomes the affinity-weighted (softmax over its dilated 3x3
    neighbours, centre excluded) average of its neighbours, the affinities
    depending only on the image. See :mod:`wsss_mm.models.utils.pamr` for
    the exact numerics. Always runs without gradient.

    If the image and the masks differ in spatial size, the image is resized
    to the masks with bilinear interpolation (``align_corners=True``), as
    the reference does before calling PAMR (masks at stride 4). The output
    always has the shape of ``masks``.

    Args:
        num_iter (int): Number of refinement iterations, >= 0. Default: 10.
        dilations (Sequence[int]): Dilations of the 3x3 neighbourhoods,
            positive ints. Default: (1, 2, 4, 8, 12, 24).
    """

    def __init__(self,
                 num_iter: int = 10,
                 dilations: Sequence[int] = (1, 2, 4, 8, 12, 24)) -> None:
        super().__init__()
        self.num_iter = check_num_iter(num_iter)
        self.dilations = check_dilations(dilations)

    def extra_repr(self) -> str:
        return f'num_iter={self.num_iter}, dilations={self.dilations}'

    @torch.no_grad()
    def forward(self, image: Tensor, masks: Tensor) -> Tensor:
        """Refine ``masks`` with the appearance cues of ``image``.

        Args:
            image (Tensor): Image of shape (B, 3, H_i, W_i), RGB in [0, 1]
                (the affinities are scale-invariant, so other ranges give
                the same result).
            masks (Tensor): Masks of shape (B, K, H, W), e.g. softmax masks
                with the background first.

        Returns:
            Tensor: Refined masks of shape (B, K, H, W), no gradient.
        """
        if not isinstance(image, Tensor) or image.dim() != 4 or image.shape[
                1] != 3:
            raise ValueError('image must be a (B, 3, H, W) tensor, got '
                             f'{getattr(image, "shape", type(image))}')
        if not isinstance(masks, Tensor) or masks.dim() != 4:
            raise ValueError('masks must be a (B, K, H, W) tensor, got '
                             f'{getattr(masks, "shape", type(masks))}')
        if image.shape[0] != masks.shape[0]:
            raise ValueError('image and masks must have the same batch size, '
                             f'got {image.shape[0]} and {masks.shape[0]}')
        if not image.is_floating_point():
            image = image.float()
        if image.shape[-2:] != masks.shape[-2:]:
            image = F.interpolate(
                image,
                size=masks.shape[-2:],
                mode='bilinear',
                align_corners=True)
        return pamr_refine(image, masks, self.num_iter, self.dilations)
