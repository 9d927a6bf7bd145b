"""FickleNet seeds: Grad-CAM of N random selections, aggregated (Sec. 3.2)."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.checks import check_choice, check_int, renamed_key
from ..utils.cam import normalize_cams
from ..utils.geometry import restore_geometry
from ..utils.saliency import PAPER_BG_THRESHOLD
from ..utils.selection_gradcam import (normalize_selection_maps,
                                       resolve_claims, selection_gradcam,
                                       selection_gradcam_autograd)
from ..utils.sparse_selection import sparse_selection_gradcam
from .base import BaseSeedGenerator, image_generator

AGGREGATIONS = ('selection_max', 'shared_max', 'mean')
PATHS = ('factorised', 'autograd', 'sparse')


def aggregate_claims(
        maps: Tensor,
        fg_threshold: float,
        aggregation: str = 'selection_max') -> Tuple[Tensor, Tensor]:
    """Claims and tie-break map of ``N`` selections' Grad-CAMs (Sec. 3.2.2).

    The paper: "a pixel u is allocated to class c if M_c[i] at u is higher
    than θ in any selection i"; a pixel allocated to several classes takes
    the class with the highest score in the map averaged over the
    selections. θ = 0.35 is relative to a normalised map, but the paper does
    not say what each map is normalised by. Options:

    - ``'selection_max'`` (default): each selection's map by its own spatial
      max, so every selection peaks at 1 and weak selections claim as much
      as strong ones (the union grows fastest with N);
    - ``'shared_max'``: all N maps of a class by their common maximum (over
      selections and pixels), so a selection claims a pixel only where it is
      strong relative to the strongest selection;
    - ``'mean'``: no union: the N raw maps are averaged, the average is
      normalised by its spatial max, and a pixel is claimed where it exceeds
      θ (the aggregation of an ordinary dropout ensemble).

    Args:
        maps: (N, C, H, W) non-negative Grad-CAMs.
    Returns:
        (claimed (C, H, W) bool, tie-break map (C, H, W)), the tie-break map
        being the normalised maps averaged over the selections ('mean': the
        normalised average).
    """
    if aggregation == 'selection_max':
        maps = normalize_selection_maps(maps, 'selection_max')
        return (maps > fg_threshold).any(0), maps.mean(0)
    if aggregation == 'shared_max':
        peak = maps.amax(dim=(0, 2, 3))[None, :, None, None]
        maps = torch.where(peak > 0, maps / peak.clamp_min(1e-30),
                           torch.zeros_like(maps))
        return (maps > fg_threshold).any(0), maps.mean(0)
    if aggregation == 'mean':
        mean = maps.mean(0)
        peak = mean.amax(dim=(1, 2))[:, None, None]
        mean = torch.where(peak > 0, mean / peak.clamp_min(1e-30),
                           torch.zeros_like(mean))
        return mean > fg_threshold, mean
    raise ValueError(
        f'aggregation must be one of {AGGREGATIONS}, got {aggregation!r}')


def sample_kept_units_of(model, num, height, width, device, generator):
    """The model's selections drawn sparsely
    (``WeakClassifier.sample_kept_units``), or ``None`` where it has none
    (modes G and D, a classifier without a selection neck)."""
    sample = getattr(model, 'sample_kept_units', None)
    if sample is None:
        return None
    return sample(num, height, width, device=device, generator=generator)


def to_all_classes(maps: Tensor, classes: Tensor, num_classes: int) -> Tensor:
    """``(len(classes), ...)`` maps of some classes -> ``(num_classes, ...)``,
    zero (False) for the others (an all-zero class map claims nothing and
    averages to zero under every aggregation)."""
    out = maps.new_zeros((num_classes, ) + maps.shape[1:])
    out[classes] = maps
    return out


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
       reference; slower, same maps); ``path='sparse'`` draws only the kept
       units (mode S, :mod:`~wsss_mm.models.utils.sparse_selection`: same
       law, another random stream) and sums ``P`` over them, for the
       image's classes only (the others never claim a pixel and their
       averaged maps are zeroed, so the seeds are those of the full maps);
    4. aggregation (Sec. 3.2.2, ``aggregation``): a pixel is *claimed* by
       class ``c`` if ``M_c > fg_threshold`` (θ = 0.35) in any selection, and a
       pixel claimed by several classes takes the class with the highest
       averaged map. The paper does not say what the maps are normalised
       by before θ; see :func:`aggregate_claims` for the three options
       (default ``'selection_max'``: each selection's map by its own spatial
       max). Claims are resized to the image by bilinear interpolation of the
       claim masks (> 0.5).

    Background. The paper's comes from a saliency model (DSRG's DRFI maps,
    saliency < 0.06): ``saliency_dir`` (a folder of grayscale saliency PNGs
    named like the images, ``saliency_bg_threshold``; the VOC config sets
    it). ``background_cue_dir`` takes label 0 of a folder of label PNGs
    instead (e.g. DCP seeds, ``configs/dcp/``: the saliency-free cue). With
    either, unclaimed pixels are background where the cue says so and
    ignored elsewhere. Without a cue, pixels that no class claims and whose
    max normalised *averaged* map is below ``bg_threshold`` are background,
    the others ignored (255); ``bg_threshold=0`` leaves every unclaimed pixel
    ignored.

    The neck's ``rescale`` (inverted dropout, 1/(1-p); off, as in the paper,
    which does not mention it) reaches the seeds through the selection
    weights (``model.sample_selection``). In G mode it multiplies every
    selection's Grad-CAM by one constant, which all three aggregations
    divide out; in S mode the always-kept centre is not scaled, so it
    weights the neighbours 1/(1-p) (10x) against the centre and changes the
    maps (measured in docs/fidelity.md).

    Args:
        num_selections (int): N. Default: 200 (paper).
        fg_threshold (float): θ. Default: 0.35 (paper). The old name
            ``threshold`` is accepted for one release, with a
            ``DeprecationWarning``.
        bg_threshold (float): see above. Default: 0.1.
        path (str): 'factorised' | 'autograd' | 'sparse' (see above; the
            neck's ``sample_kept_units``, in modes G and D the factorised
            maps of the image's classes). Default 'factorised'.
        chunk_size (int): selections per batch of the computation (not
            used by 'sparse').
        seed (int, optional): with the image id (the basename of
            ``img_path``), seeds a generator per image
            (:func:`~wsss_mm.models.seed_generators.base.image_generator`)
            for its N selections and, on an image without labels, for the
            one selection that predicts its classes: an image's seeds are the
            same for any batch size, worker count or number of ranks (and in
            a resumed run). ``None``: drawn from the global RNG (not
            reproducible).
        aggregation (str): 'selection_max' | 'shared_max' | 'mean', see
            :func:`aggregate_claims`. Default 'selection_max'.
        background_cue_dir (str, optional): see above.
        saliency_dir (str, optional): see above.
        saliency_bg_threshold (float): saliency below it is background.
            Default 0.06 (DSRG's DRFI cue, as Fan et al.).
        saliency_norm (str): 'range' (value / 255) or 'max' (value / the
            image's maximum; DSRG's "normalised saliency").
    """

    def __init__(self,
                 num_selections: int = 200,
                 fg_threshold: float = 0.35,
                 bg_threshold: float = 0.1,
                 path: str = 'factorised',
                 chunk_size: int = 16,
                 cls_threshold: float = 0.5,
                 seed: Optional[int] = 0,
                 background_cue_dir: Optional[str] = None,
                 aggregation: str = 'selection_max',
                 saliency_dir: Optional[str] = None,
                 saliency_bg_threshold: float = PAPER_BG_THRESHOLD,
                 saliency_norm: str = 'range',
                 threshold: Optional[float] = None):
        name = 'FickleNetSeedGenerator'
        fg_threshold = renamed_key(name, 'threshold', 'fg_threshold',
                                   threshold, fg_threshold, 0.35)
        check_int(name, 'num_selections', num_selections, min_value=1)
        for key, value in (('fg_threshold', fg_threshold), ('bg_threshold',
                                                            bg_threshold)):
            if not 0 <= value < 1:
                raise ValueError(
                    f'{name}: {key} must be in [0, 1), got {value}')
        check_choice(name, 'path', path, PATHS)
        self.num_selections = num_selections
        self.fg_threshold = fg_threshold
        self.bg_threshold = bg_threshold
        self.path = path
        self.chunk_size = chunk_size
        self.cls_threshold = cls_threshold
        self.seed = seed
        self.aggregation = check_choice(name, 'aggregation', aggregation,
                                        AGGREGATIONS)
        self.init_background_cue(background_cue_dir, saliency_dir,
                                 saliency_bg_threshold, saliency_norm)

    def selection_maps(self, model, x, generator=None, classes=None):
        """(K, H, W) pre-expansion map of one image -> (N, C, H, W) Grad-CAMs
        (``model.sample_selection`` and ``model.head_weights``), of the
        foreground classes ``classes`` (long indices) only when given."""
        _, h, w = x.shape
        weight = model.head_weights()
        if classes is not None:
            weight = weight.detach()[classes]
        if self.path == 'sparse':
            units = sample_kept_units_of(model, self.num_selections, h, w,
                                         x.device, generator)
            if units is not None:
                return sparse_selection_gradcam(x, weight, units)
        weights = model.sample_selection(
            self.num_selections,
            h,
            w,
            device=x.device,
            generator=generator,
            dtype=x.dtype)
        if self.path == 'autograd':
            return selection_gradcam_autograd(
                x, weight, weights, chunk_size=self.chunk_size)
        return selection_gradcam(x, weight, weights, self.chunk_size)

    def generators(self, data_samples, device, stream: str):
        """One generator per image (``None`` each without ``seed``)."""
        if self.seed is None:
            return [None] * len(data_samples)
        return [
            image_generator(s, self.seed, device, stream) for s in data_samples
        ]

    def generate(self, model, inputs, data_samples):
        with torch.no_grad():
            feats = model.backbone_features(inputs)
            device = feats[-1].device
            labels = self.image_labels(
                data_samples, lambda: model.class_scores(
                    model.class_maps(
                        model.apply_neck(
                            feats,
                            self.generators(data_samples, device, 'classes')
                            if self.seed is not None else None))))
        x_all = feats[-1]
        labels = labels.to(x_all)
        results = []
        gens = self.generators(data_samples, x_all.device, 'selections')
        for i, sample in enumerate(data_samples):
            present = labels[i] > 0
            classes = present.nonzero()[:, 0] if self.path == 'sparse' \
                else None
            maps = self.selection_maps(model, x_all[i].detach(), gens[i],
                                       classes)
            claimed, mean_map = aggregate_claims(maps, self.fg_threshold,
                                                 self.aggregation)
            if classes is not None:
                claimed, mean_map = (
                    to_all_classes(t, classes, len(present))
                    for t in (claimed, mean_map))
            claimed &= present[:, None, None]
            # to input resolution, then undo padding/flip and go to ori size
            size = inputs.shape[-2:]
            stacked = torch.cat([claimed.float(), mean_map])
            stacked = F.interpolate(
                stacked[None], size=size, mode='bilinear',
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
