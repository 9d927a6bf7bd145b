"""FickleNet seeds: Grad-CAM of N random selections, aggregated (Sec. 3.2)."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS

from ..utils.cam import normalize_cams
from ..utils.selection_gradcam import (normalize_selection_maps, resolve_claims,
                                       selection_gradcam, selection_gradcam_autograd)
from ..segmentors.geometry import restore_geometry
from .base import BaseSeedGenerator, image_generator


@MODELS.register_module()
class FickleNetSeedGenerator(BaseSeedGenerator):
    """Localisation maps of ``num_selections`` random hidden-unit selections.

    For each image (Algorithm 1, lines 8-11):

    1. one backbone pass gives the pre-expansion map ``x`` (K, H, W)
       (``model.backbone_features``);
    2. ``N`` keep masks are drawn by the model's selection neck
       (``model.sample_selection``: its inference mode, S, G or D);
    3. Grad-CAM of eq. (1) for every selection, ``(N, C, H, W)``:
       ``path='factorised'`` uses :func:`selection_gradcam` (the head is
       linear in ``x`` for a fixed mask, so the N maps cost about one CAM);
       ``path='autograd'`` backpropagates through the expanded head (the
       reference; slower, same maps);
    4. each map is normalised by its spatial max; a pixel is *claimed* by
       class ``c`` if ``M_c > threshold`` (θ = 0.35) in any selection, and a
       pixel claimed by several classes takes the class with the highest
       averaged map (Sec. 3.2.2). Claims are resized to the image by
       bilinear interpolation of the claim masks (> 0.5).

    Background (no saliency model here): pixels that no class claims and whose
    max normalised *averaged* map is below ``bg_threshold`` are background;
    the others are ignored (255). ``bg_threshold=0`` gives the paper's
    behaviour (unclaimed = ignore). ``background_cue_dir`` replaces this
    background by an external cue: a folder of label PNGs (e.g. DCP seeds,
    ``configs/dcp/``) whose label 0 marks background (the saliency-free
    stand-in for the paper's saliency background).

    Args:
        num_selections (int): N. Default: 200 (paper).
        threshold (float): θ. Default: 0.35 (paper).
        bg_threshold (float): see above. Default: 0.1.
        path (str): 'factorised' | 'autograd'.
        chunk_size (int): selections per batch of the computation.
        seed (int, optional): with the image id (the basename of
            ``img_path``), seeds a generator per image
            (:func:`~wsss_mm.models.seed_generators.base.image_generator`)
            for its N selections and, on an image without labels, for the
            one selection that predicts its classes: an image's seeds are the
            same for any batch size, worker count or number of ranks (and in
            a resumed run). ``None``: drawn from the global RNG (not
            reproducible).
        background_cue_dir (str, optional): see above.
    """

    def __init__(self,
                 num_selections: int = 200,
                 threshold: float = 0.35,
                 bg_threshold: float = 0.1,
                 path: str = 'factorised',
                 chunk_size: int = 16,
                 cls_threshold: float = 0.5,
                 seed: Optional[int] = 0,
                 background_cue_dir: Optional[str] = None):
        if num_selections < 1:
            raise ValueError(f'FickleNetSeedGenerator: num_selections must be >= 1, '
                             f'got {num_selections}')
        for key, value in (('threshold', threshold), ('bg_threshold', bg_threshold)):
            if not 0 <= value < 1:
                raise ValueError(f'FickleNetSeedGenerator: {key} must be in [0, 1), got {value}')
        if path not in ('factorised', 'autograd'):
            raise ValueError(f"FickleNetSeedGenerator: path must be 'factorised' or "
                             f"'autograd', got {path!r}")
        self.num_selections = num_selections
        self.threshold = threshold
        self.bg_threshold = bg_threshold
        self.path = path
        self.chunk_size = chunk_size
        self.cls_threshold = cls_threshold
        self.seed = seed
        self.background_cue_dir = background_cue_dir

    def selection_maps(self, model, x, generator=None):
        """(K, H, W) pre-expansion map of one image -> (N, C, H, W) Grad-CAMs
        (``model.sample_selection`` and ``model.head_weights``)."""
        _, h, w = x.shape
        weights = model.sample_selection(self.num_selections, h, w, device=x.device,
                                         generator=generator, dtype=x.dtype)
        if self.path == 'factorised':
            return selection_gradcam(x, model.head_weights(), weights, self.chunk_size)
        return selection_gradcam_autograd(x, model.head_weights(), weights,
                                          chunk_size=self.chunk_size)

    def generators(self, data_samples, device, stream: str):
        """One generator per image (``None`` each without ``seed``)."""
        if self.seed is None:
            return [None] * len(data_samples)
        return [image_generator(s, self.seed, device, stream) for s in data_samples]

    def generate(self, model, inputs, data_samples):
        with torch.no_grad():
            feats = model.backbone_features(inputs)
            device = feats[-1].device
            labels = self.image_labels(
                data_samples,
                lambda: model.class_scores(model.class_maps(model.apply_neck(
                    feats, self.generators(data_samples, device, 'classes')
                    if self.seed is not None else None))))
        x_all = feats[-1]
        labels = labels.to(x_all)
        results = []
        gens = self.generators(data_samples, x_all.device, 'selections')
        for i, sample in enumerate(data_samples):
            maps = self.selection_maps(model, x_all[i].detach(), gens[i])
            present = labels[i] > 0
            maps = normalize_selection_maps(maps, 'selection_max')
            claimed = (maps > self.threshold).any(0) & present[:, None, None]
            mean_map = maps.mean(0)
            # to input resolution, then undo padding/flip and go to ori size
            size = inputs.shape[-2:]
            stacked = torch.cat([claimed.float(), mean_map])
            stacked = F.interpolate(stacked[None], size=size, mode='bilinear',
                                    align_corners=False)[0]
            stacked = restore_geometry(stacked, sample.metainfo)
            num_fg = claimed.shape[0]
            claimed_img, mean_img = stacked[:num_fg] > 0.5, stacked[num_fg:]
            fg = resolve_claims(claimed_img, mean_img, unclaimed_index=-1)
            norm_mean = normalize_cams(mean_img, present)
            seeds = torch.full_like(fg, self.ignore_index)
            seeds[norm_mean.amax(0) < self.bg_threshold] = 0
            seeds[fg >= 0] = fg[fg >= 0] + 1
            seeds = self.finish_seeds(seeds, sample)
            bg = torch.full_like(norm_mean[:1], self.bg_threshold)
            results.append((torch.cat([bg, norm_mean]), seeds))
        return results
