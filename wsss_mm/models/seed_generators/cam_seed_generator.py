"""CAM seeds: multi-scale CAM, normalisation (Fan et al. eq. 2-3), thresholds."""
from typing import Optional, Sequence

import torch
from mmseg.registry import MODELS

from ..utils.cam import cams_to_seeds, multi_scale_maps, normalize_cams
from .base import BaseSeedGenerator, crop_and_restore


@MODELS.register_module()
class CAMSeedGenerator(BaseSeedGenerator):
    """Normalised-CAM seeds with a CAM-threshold background.

    Args:
        scales (Sequence[float]): input scales whose CAMs are summed
            (multi-scale inference); ``reduce`` = 'sum' | 'max' | 'mean'.
        flip (bool): add horizontally flipped views.
        fg_threshold (float): normalised CAM at or above which a pixel is
            foreground (the largest class wins, or conflicts are ignored with
            ``conflict='ignore'``).
        bg_threshold (float): max normalised CAM below which a pixel is
            background; pixels in between are ignored (255).
        cls_threshold (float): classes kept on images without labels.
        refine (dict, optional): a refiner applied to the (C+1) score maps
            before thresholding, e.g. ``dict(type='PAMR')`` (registered module
            taking ``(image, scores)``).
    The score maps returned have the constant ``bg_threshold`` as background
    channel, so their argmax is the seed wherever a seed is labelled.
    """

    def __init__(self,
                 scales: Sequence[float] = (1.0, ),
                 flip: bool = False,
                 reduce: str = 'sum',
                 fg_threshold: float = 0.3,
                 bg_threshold: float = 0.3,
                 conflict: str = 'argmax',
                 cls_threshold: float = 0.5,
                 refine: Optional[dict] = None):
        if not scales or any(s <= 0 for s in scales):
            raise ValueError(f'CAMSeedGenerator: scales must be positive, got {scales}')
        for key, value in (('fg_threshold', fg_threshold),
                           ('bg_threshold', bg_threshold)):
            if not 0 <= value <= 1:
                raise ValueError(f'CAMSeedGenerator: {key} must be in [0, 1], got {value}')
        if bg_threshold > fg_threshold:
            raise ValueError('CAMSeedGenerator: bg_threshold must be <= fg_threshold')
        self.scales = tuple(scales)
        self.flip = flip
        self.reduce = reduce
        self.fg_threshold = fg_threshold
        self.bg_threshold = bg_threshold
        self.conflict = conflict
        self.cls_threshold = cls_threshold
        self.refine = MODELS.build(refine) if refine else None

    @torch.no_grad()
    def generate(self, model, inputs, data_samples):
        cams = multi_scale_maps(model.class_maps, inputs, self.scales,
                                self.flip, self.reduce)
        labels = self.image_labels(data_samples, lambda: model.cls_head.class_scores(
            model.class_maps(inputs))).to(cams)
        results = []
        for i, sample in enumerate(data_samples):
            cam = crop_and_restore(cams[i], sample.metainfo)
            cam = normalize_cams(cam, labels[i])
            bg = torch.full_like(cam[:1], self.bg_threshold)
            maps = torch.cat([bg, cam])
            if self.refine is not None:
                maps = self._refine(maps, sample)
                cam = maps[1:]
            seeds = cams_to_seeds(cam, self.fg_threshold, self.bg_threshold,
                                  self.conflict, self.ignore_index)
            results.append((maps, seeds))
        return results

    def _refine(self, maps, sample):
        import mmcv
        img = mmcv.imread(sample.metainfo['img_path'], channel_order='rgb')
        image = torch.from_numpy(img).permute(2, 0, 1)[None].float().to(maps) / 255
        return self.refine(image, maps[None])[0]
