"""Test-time geometry: from the network input back to the original image.

One helper for every place that undoes the data preprocessor's padding and a
test flip and resizes to ``ori_shape``: the seed generators (CAM, FickleNet,
DCP) and ``SingleStageSegmentor.predict``. It is the geometry of mmseg's
``BaseSegmentor.postprocess_result`` (which also takes the argmax and writes
the data sample, so it cannot be called on bare maps):

1. padding: ``img_padding_size`` if present, else ``padding_size``
   (``[left, right, top, bottom]``, default none);
2. flip: when ``flip`` is set, ``flip_direction`` must be ``'horizontal'``
   (last axis) or ``'vertical'`` (second to last). mmseg asserts this and
   has no default, so a flipped sample without a direction is an error here
   too (earlier copies defaulted to vertical in the seed generators and to
   horizontal in the single-stage segmentor);
3. resize (bilinear, mmseg's ``resize``) to ``ori_shape``, skipped when the
   maps already have that size (mmseg resizes unconditionally; same values).
"""
from typing import Sequence

from mmseg.models.utils import resize
from torch import Tensor

FLIP_DIRECTIONS = ('horizontal', 'vertical')


def padding_of(meta: dict) -> Sequence[int]:
    """``[left, right, top, bottom]`` padding of a sample (mmseg's keys)."""
    if 'img_padding_size' in meta:
        return meta['img_padding_size']
    return meta.get('padding_size', [0] * 4)


def restore_geometry(maps: Tensor,
                     meta: dict,
                     align_corners: bool = False) -> Tensor:
    """Undo padding and flip of one sample's maps and resize to ``ori_shape``.

    Args:
        maps: (C, H, W) maps at the network input size (padded, flipped).
        meta: the sample's metainfo.
        align_corners: of the bilinear resize (the segmentor's).
    Returns:
        (C, H0, W0) maps at the original image size (``ori_shape``; the
        cropped size when the sample has none).
    """
    h, w = maps.shape[-2:]
    left, right, top, bottom = padding_of(meta)
    maps = maps[:, top:h - bottom, left:w - right]
    if meta.get('flip', False):
        direction = meta.get('flip_direction')
        if direction not in FLIP_DIRECTIONS:
            raise ValueError(
                f'restore_geometry: a flipped sample needs flip_direction '
                f'in {FLIP_DIRECTIONS} (as mmseg\'s postprocess_result), '
                f'got {direction!r}')
        maps = maps.flip(-1 if direction == 'horizontal' else -2)
    ori = tuple(meta.get('ori_shape', maps.shape[-2:]))[:2]
    if tuple(maps.shape[-2:]) != ori:
        maps = resize(
            maps[None],
            size=ori,
            mode='bilinear',
            align_corners=align_corners,
            warning=False)[0]
    return maps


def unpad_features(feat: Tensor, meta: dict,
                   input_size: Sequence[int]) -> Tensor:
    """Drop the rows / columns of a lower-resolution map that lie in the
    preprocessor's padding (padding scaled by the map's stride and rounded;
    at least one row and column is kept).

    Args:
        feat: (D, h, w) map of the padded input of size ``input_size``.
        meta: the sample's metainfo.
    """
    pad = padding_of(meta)
    if not pad or not any(pad):
        return feat
    left, right, top, bottom = pad
    sy, sx = feat.shape[-2] / input_size[0], feat.shape[-1] / input_size[1]
    y0, y1 = int(round(top * sy)), feat.shape[-2] - int(round(bottom * sy))
    x0, x1 = int(round(left * sx)), feat.shape[-1] - int(round(right * sx))
    return feat[:, y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)]


__all__ = [
    'FLIP_DIRECTIONS', 'padding_of', 'restore_geometry', 'unpad_features'
]
