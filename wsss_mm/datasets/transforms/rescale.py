"""Random rescaling relative to the image's own size."""
import math
from typing import Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.datasets.transforms import Resize
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomRescale(BaseTransform):
    """Rescale by a random factor of the image's OWN size.

    mmseg's ``RandomResize`` scales relative to a fixed target ``scale``;
    the WSSS recipes (AffinityNet, Araslanov & Roth Sec. 4.1: "random
    rescaling in the (0.9, 1.0) range w.r.t. the original image area")
    scale relative to the image. A factor r ~ U(ratio_range) is drawn per
    sample; the sides are multiplied by sqrt(r) when ``area=True`` (r is an
    area ratio), else by r. Image and segmentation maps are resized by
    mmseg's ``Resize`` (bilinear / nearest), keeping the aspect ratio.

    Args:
        ratio_range (tuple[float, float]): (min, max) ratio, both > 0.
        area (bool): The ratio is an area ratio. Default: True.
        interpolation (str): Image interpolation. Default: 'bilinear'.
    """

    def __init__(self,
                 ratio_range: Tuple[float, float] = (0.9, 1.0),
                 area: bool = True,
                 interpolation: str = 'bilinear') -> None:
        ratio_range = tuple(ratio_range)
        if len(ratio_range) != 2 or not 0 < ratio_range[0] <= ratio_range[1]:
            raise ValueError('RandomRescale: ratio_range must be (min, max) '
                             f'with 0 < min <= max, got {ratio_range!r}')
        self.ratio_range = ratio_range
        self.area = bool(area)
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        ratio = float(np.random.uniform(*self.ratio_range))
        factor = math.sqrt(ratio) if self.area else ratio
        return Resize(
            scale_factor=factor,
            keep_ratio=True,
            interpolation=self.interpolation)(
                results)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(ratio_range={self.ratio_range}, '
                f'area={self.area})')
