"""CAM seeds: multi-scale CAM, normalisation (Fan et al. eq. 2-3), thresholds
or dense CRF (Fan et al. Sec. 4.2, the two seed types)."""
from typing import Optional, Sequence

import torch
from mmseg.registry import MODELS

from ..utils.cam import (cams_to_crf_seeds, cams_to_seeds,
                         crf_background_score, multi_scale_maps,
                         normalize_cams)
from ..utils.geometry import restore_geometry
from ..utils.saliency import (PAPER_BG_THRESHOLD, saliency_background,
                              saliency_background_score)
from .base import BaseSeedGenerator

SEED_TYPES = ('threshold', 'crf')
CRF_KEYS = ('num_iter', 'gaussian', 'bilateral')


@MODELS.register_module()
class CAMSeedGenerator(BaseSeedGenerator):
    """Normalised-CAM seeds, by thresholds or by a dense CRF.

    ``seed_type='threshold'`` (default): foreground where the largest
    normalised CAM reaches ``fg_threshold`` (Fan et al.: 0.1), background
    where it is below ``bg_threshold`` (the CAM standing in for a saliency
    background) or, with a background cue, where the cue says background:
    ``saliency_dir`` (Fan et al.: saliency < 0.06) or ``background_cue_dir``
    (label 0 of e.g. DCP seeds); other pixels are ignored (255).

    ``seed_type='crf'``: the background score (``(1 - max_c M~_c)^bg_power``
    or ``bg_constant``; with ``saliency_dir`` ``1 - saliency``, Fan et al.'s
    "background scores from the saliency"; 1 where a ``background_cue_dir``
    says background) and the CAMs of the image's classes go through a dense
    CRF (``crf``) and the argmax labels *every* pixel
    (:func:`cams_to_crf_seeds`). The image is read from ``img_path`` at the
    original size.

    Args:
        scales (Sequence[float]): input scales whose CAMs are summed
            (multi-scale inference); ``reduce`` = 'sum' | 'max' | 'mean'.
            Fan et al.'s multi-scale seeds are one seed set per single scale
            (1, 0.75, 0.5).
        flip (bool): add horizontally flipped views.
        fg_threshold (float): normalised CAM at or above which a pixel is
            foreground (the largest class wins, or conflicts are ignored with
            ``conflict='ignore'``). Threshold seeds only.
        bg_threshold (float): max normalised CAM below which a pixel is
            background; pixels in between are ignored (255). Threshold seeds
            without a background cue only.
        cls_threshold (float): classes kept on images without labels.
        refine (dict, optional): a refiner applied to the (C+1) score maps
            before thresholding / the CRF, e.g. ``dict(type='PAMR')``
            (registered module taking ``(image, scores)``).
        seed_type (str): 'threshold' or 'crf'.
        bg_power (float): alpha of the CRF background ``(1 - max cam)^alpha``
            (AffinityNet's; the paper's background is a saliency score).
        bg_constant (float, optional): a constant CRF background score
            instead (overrides ``bg_power``).
        crf (dict): ``num_iter``, ``gaussian`` (sxy, compat), ``bilateral``
            (sxy, srgb, compat) of :func:`dense_crf`; defaults 10, (3, 3),
            (80, 13, 10), the settings common in this line of work.
        background_cue_dir (str, optional): folder of label PNGs (e.g. DCP
            seeds) whose label 0 is background, replacing the CAM background.
        saliency_dir (str, optional): folder of grayscale saliency PNGs
            (0-255) named like the images, replacing the CAM background
            (see :class:`BaseSeedGenerator`); not with ``background_cue_dir``.
        saliency_bg_threshold (float): saliency below it is background
            (threshold seeds). Default 0.06 (Fan et al. Sec. 4.2).
        saliency_norm (str): 'range' (value / 255) or 'max' (value / the
            image's maximum).
        bg_conflict (str): threshold seeds with a cue: a pixel that is both
            foreground and cue background is ignored ('ignore', Fan et al.
            Sec. 4.2) or stays foreground ('foreground').

    The score maps returned are ``[background, CAMs]`` at the original size:
    the background channel is the constant ``bg_threshold`` (threshold
    seeds; their argmax is the seed wherever a seed is labelled) or the CRF's
    background score before the CRF.
    """

    def __init__(self,
                 scales: Sequence[float] = (1.0, ),
                 flip: bool = False,
                 reduce: str = 'sum',
                 fg_threshold: float = 0.3,
                 bg_threshold: float = 0.3,
                 conflict: str = 'argmax',
                 cls_threshold: float = 0.5,
                 refine: Optional[dict] = None,
                 seed_type: str = 'threshold',
                 bg_power: float = 1.0,
                 bg_constant: Optional[float] = None,
                 crf: Optional[dict] = None,
                 background_cue_dir: Optional[str] = None,
                 bg_conflict: str = 'ignore',
                 saliency_dir: Optional[str] = None,
                 saliency_bg_threshold: float = PAPER_BG_THRESHOLD,
                 saliency_norm: str = 'range'):
        if not scales or any(s <= 0 for s in scales):
            raise ValueError(
                f'CAMSeedGenerator: scales must be positive, got {scales}')
        for key, value in (('fg_threshold', fg_threshold), ('bg_threshold',
                                                            bg_threshold)):
            if not 0 <= value <= 1:
                raise ValueError(
                    f'CAMSeedGenerator: {key} must be in [0, 1], got {value}')
        if bg_threshold > fg_threshold:
            raise ValueError(
                'CAMSeedGenerator: bg_threshold must be <= fg_threshold')
        if seed_type not in SEED_TYPES:
            raise ValueError(
                f'CAMSeedGenerator: seed_type must be one of {SEED_TYPES}, '
                f'got {seed_type!r}')
        if not bg_power > 0:
            raise ValueError(
                f'CAMSeedGenerator: bg_power must be > 0, got {bg_power}')
        if bg_constant is not None and not 0 <= bg_constant <= 1:
            raise ValueError(
                f'CAMSeedGenerator: bg_constant must be in [0, 1], got '
                f'{bg_constant}')
        if bg_conflict not in ('ignore', 'foreground'):
            raise ValueError(
                "CAMSeedGenerator: bg_conflict must be 'ignore' or "
                f"'foreground', got {bg_conflict!r}")
        crf = dict(crf or {})
        unknown = set(crf) - set(CRF_KEYS)
        if unknown:
            raise ValueError(
                f'CAMSeedGenerator: unknown crf keys {sorted(unknown)}; '
                f'expected {CRF_KEYS}')
        if crf.get('num_iter', 10) < 1:
            raise ValueError(
                f'CAMSeedGenerator: crf.num_iter must be >= 1, got '
                f'{crf["num_iter"]}')
        self.scales = tuple(scales)
        self.flip = flip
        self.reduce = reduce
        self.fg_threshold = fg_threshold
        self.bg_threshold = bg_threshold
        self.conflict = conflict
        self.cls_threshold = cls_threshold
        self.refine = MODELS.build(refine) if refine else None
        self.seed_type = seed_type
        self.bg_power = bg_power
        self.bg_constant = bg_constant
        self.crf = crf
        self.init_background_cue(background_cue_dir, saliency_dir,
                                 saliency_bg_threshold, saliency_norm)
        self.bg_conflict = bg_conflict

    @property
    def views(self):
        """What the forward pass depends on: ``(scales, flip, reduce)``.
        Generators with equal views compute the same maps
        (:class:`SeedSetsGenerator` runs them once)."""
        return (self.scales, self.flip, self.reduce)

    @torch.no_grad()
    def forward_maps(self, model, inputs):
        """(B, C, H, W) CAMs of ``inputs`` over :attr:`views`."""
        return multi_scale_maps(model.cams, inputs, self.scales, self.flip,
                                self.reduce)

    @torch.no_grad()
    def generate(self, model, inputs, data_samples):
        return self.read_out(model, inputs, data_samples,
                             self.forward_maps(model, inputs))

    @torch.no_grad()
    def read_out(self, model, inputs, data_samples, cams):
        """Seeds of a batch from its :meth:`forward_maps` ``cams``."""
        labels = self.image_labels(
            data_samples,
            lambda: model.class_scores(model.cams(inputs))).to(cams)
        results = []
        for i, sample in enumerate(data_samples):
            cam = restore_geometry(cams[i], sample.metainfo)
            cam = normalize_cams(cam, labels[i])
            sal = self.saliency(sample)
            cue = self.background_cue(sample) if sal is None else \
                saliency_background(sal, self.saliency_bg_threshold)
            if self.seed_type == 'crf' and sal is not None:
                bg = saliency_background_score(sal).to(cam)[None]
            elif self.seed_type == 'crf':
                bg = crf_background_score(cam, self.bg_power, self.bg_constant,
                                          cue)[None]
            else:
                bg = torch.full_like(cam[:1], self.bg_threshold)
            maps = torch.cat([bg, cam])
            image = None
            if self.refine is not None:
                image = self._read_image(sample)
                maps = self._refine(maps, sample, image)
                cam = maps[1:]
            if self.seed_type == 'crf':
                image = self._read_image(sample) if image is None else image
                seeds = cams_to_crf_seeds(
                    image, cam, labels[i], bg_score=maps[0], **self.crf)
            else:
                seeds = cams_to_seeds(
                    cam,
                    self.fg_threshold,
                    self.bg_threshold,
                    self.conflict,
                    self.ignore_index,
                    bg_mask=cue,
                    bg_conflict=self.bg_conflict)
            results.append((maps, seeds))
        return results

    @staticmethod
    def _read_image(sample):
        """(H0, W0, 3) uint8 RGB image of the sample, read from
        ``img_path``."""
        import mmcv
        path = sample.metainfo.get('img_path')
        if not path:
            raise KeyError(
                'CAMSeedGenerator: the sample has no "img_path" (needed by '
                'the CRF / refiner)')
        img = mmcv.imread(path, channel_order='rgb')
        if img is None:
            raise FileNotFoundError(
                f'CAMSeedGenerator: cannot read image {path}')
        return img

    def _refine(self, maps, sample, img=None):
        img = self._read_image(sample) if img is None else img
        image = torch.from_numpy(img).permute(2, 0,
                                              1)[None].float().to(maps) / 255
        return self.refine(image, maps[None])[0]
