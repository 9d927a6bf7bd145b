"""Class activation maps (CAM) and CAM seeds — shared by every method.

Notation follows Fan et al. (ECCV'20), Sec. 4.1, which states the common CAM
recipe of the WSSS literature explicitly:

- eq. (2): ``M^c_ij = f_ij^T w^c`` for the classes present in the image, the
  maps of absent classes set to zero;
- eq. (3): ``M~^c = [M^c]_+ / max_ij [M^c]_+`` (normalised by the spatial max),
  then bilinearly resized to the image.
"""
from typing import Callable, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor


def normalize_cams(cams: Tensor,
                   present: Optional[Tensor] = None,
                   eps: float = 1e-5) -> Tensor:
    """Eq. (3): ReLU, divide each map by its spatial max; absent classes -> 0.

    Args:
        cams: (..., C, H, W) raw class maps.
        present: (..., C) multi-hot of the classes in the image (eq. 2 zeroes
            the others); ``None`` keeps every class.
    Returns:
        (..., C, H, W) maps in [0, 1].
    """
    cams = F.relu(cams)
    peak = cams.flatten(-2).amax(-1)[..., None, None]
    cams = cams / (peak + eps)
    if present is not None:
        cams = cams * present.to(cams.dtype)[..., None, None]
    return cams


def cams_to_seeds(norm_cams: Tensor,
                  fg_threshold: float,
                  bg_threshold: float,
                  conflict: str = 'argmax',
                  ignore_index: int = 255,
                  bg_mask: Optional[Tensor] = None,
                  bg_conflict: str = 'ignore') -> Tensor:
    """Seeds from normalised foreground CAMs (threshold seeds, Fan et al. 4.2).

    A pixel is background (0) when every class map is below ``bg_threshold``,
    foreground when some map reaches ``fg_threshold`` (class ``c + 1`` of the
    largest map, or ``ignore_index`` for several claimants when
    ``conflict='ignore'``, as in Fan et al. Sec. 4.2), and ignored in between.
    With ``fg_threshold == bg_threshold`` every pixel is labelled.

    With an external background cue ``bg_mask`` (the paper's saliency < 0.06;
    here e.g. DCP seeds == 0) the background is ``bg_mask`` instead of the
    CAM threshold (``bg_threshold`` is unused) and a pixel that is both
    foreground and cue background is ignored (``bg_conflict='ignore'``, the
    paper's "conflict assignments are marked as unknown") or stays foreground
    (``'foreground'``).

    Args:
        norm_cams: (C, H, W) normalised foreground maps (absent classes zero).
        bg_mask: optional (H, W) bool background cue.
    Returns:
        (H, W) long labels: 0 background, 1..C foreground, ``ignore_index``.
    """
    if conflict not in ('argmax', 'ignore'):
        raise ValueError(
            f"conflict must be 'argmax' or 'ignore', got {conflict!r}")
    if not 0 <= bg_threshold <= fg_threshold:
        raise ValueError(
            'need 0 <= bg_threshold <= fg_threshold, got '
            f'bg_threshold={bg_threshold}, fg_threshold={fg_threshold}')
    if bg_conflict not in ('ignore', 'foreground'):
        raise ValueError("bg_conflict must be 'ignore' or 'foreground', got "
                         f"{bg_conflict!r}")
    peak, cls = norm_cams.max(0)
    seeds = torch.full_like(cls, ignore_index)
    if bg_mask is None:
        seeds[peak < bg_threshold] = 0
    else:
        if tuple(bg_mask.shape) != tuple(peak.shape):
            raise ValueError(
                f'bg_mask has shape {tuple(bg_mask.shape)}, the CAMs '
                f'{tuple(peak.shape)}')
        bg_mask = bg_mask.to(device=peak.device, dtype=torch.bool)
        seeds[bg_mask] = 0
    fg = peak >= fg_threshold
    seeds[fg] = cls[fg] + 1
    if conflict == 'ignore':
        several = (norm_cams >= fg_threshold).sum(0) > 1
        seeds[several] = ignore_index
    if bg_mask is not None and bg_conflict == 'ignore':
        seeds[fg & bg_mask] = ignore_index
    return seeds


def crf_background_score(norm_cams: Tensor,
                         bg_power: Optional[float] = 1.0,
                         bg_constant: Optional[float] = None,
                         bg_cue: Optional[Tensor] = None) -> Tensor:
    """Background score for CRF seeds (the paper: saliency; none exists here).

    - ``bg_constant`` given: that constant everywhere (a plain threshold
      before the CRF: a pixel starts as background where every CAM is below
      it);
    - else ``(1 - max_c M~_c)^bg_power`` (AffinityNet's background, Ahn &
      Kwak CVPR'18; ``bg_power`` = alpha: larger -> less background; the
      unary alone flips to foreground where ``M~ = (1 - M~)^alpha``, i.e. at
      0.5 for alpha 1, 0.38 for 2, 0.28 for 4);
    - ``bg_cue`` (H, W) bool (an external background cue, e.g. DCP seeds ==
      0) sets the score to 1 where it marks background and keeps the CAM
      score elsewhere.

    Args:
        norm_cams: (C, H, W) normalised CAMs in [0, 1] (absent classes zero).
    Returns:
        (H, W) float score in [0, 1].
    """
    if bg_constant is not None:
        if not 0 <= bg_constant <= 1:
            raise ValueError(
                f'bg_constant must be in [0, 1], got {bg_constant}')
        score = torch.full(
            norm_cams.shape[-2:],
            float(bg_constant),
            dtype=norm_cams.dtype,
            device=norm_cams.device)
    else:
        if bg_power is None or not bg_power > 0:
            raise ValueError(f'bg_power must be > 0, got {bg_power}')
        peak = norm_cams.amax(0) if norm_cams.shape[0] else torch.zeros(
            norm_cams.shape[-2:],
            dtype=norm_cams.dtype,
            device=norm_cams.device)
        score = (1 - peak.clamp(0, 1))**bg_power
    if bg_cue is not None:
        if tuple(bg_cue.shape) != tuple(score.shape):
            raise ValueError(
                f'bg_cue has shape {tuple(bg_cue.shape)}, the CAMs '
                f'{tuple(score.shape)}')
        score = torch.where(
            bg_cue.to(device=score.device, dtype=torch.bool),
            torch.ones_like(score), score)
    return score


def cams_to_crf_seeds(image: np.ndarray,
                      norm_cams: Tensor,
                      present: Tensor,
                      bg_score: Optional[Tensor] = None,
                      bg_power: Optional[float] = 1.0,
                      bg_constant: Optional[float] = None,
                      num_iter: int = 10,
                      gaussian: Optional[dict] = None,
                      bilateral: Optional[dict] = None) -> Tensor:
    """CRF seeds (Fan et al. Sec. 4.2, second type): concatenate a background
    score with the normalised CAMs of the image's classes, refine with a
    dense CRF (Kraehenbuehl & Koltun), take the argmax: every pixel gets a
    label, only background and the present classes occur.

    Args:
        image: (H, W, 3) uint8 RGB image at the CAM resolution.
        norm_cams: (C, H, W) normalised foreground CAMs (eq. 3).
        present: (C,) multi-hot / bool of the image's foreground classes.
        bg_score: (H, W) background score; default
            :func:`crf_background_score` with ``bg_power`` / ``bg_constant``.
        num_iter, gaussian, bilateral: dense CRF settings (defaults: 10
            iterations, Gaussian sxy 3 compat 3, bilateral sxy 80 srgb 13
            compat 10; see :func:`dense_crf`).
    Returns:
        (H, W) long: 0 background, ``c + 1`` for present class c (on
        ``norm_cams``' device).
    """
    from .dense_crf import dense_crf
    if norm_cams.dim() != 3:
        raise ValueError(
            f'norm_cams must be (C, H, W), got {tuple(norm_cams.shape)}')
    h, w = norm_cams.shape[-2:]
    if image.shape[:2] != (h, w):
        raise ValueError(
            f'image {image.shape[:2]} and CAMs {(h, w)} differ in size')
    if tuple(present.shape) != (norm_cams.shape[0], ):
        raise ValueError(f'present must be ({norm_cams.shape[0]},), got '
                         f'{tuple(present.shape)}')
    classes = torch.nonzero(present.to(norm_cams.device) > 0).flatten()
    if classes.numel() == 0:  # no foreground class: all background
        return torch.zeros((h, w), dtype=torch.long, device=norm_cams.device)
    if bg_score is None:
        bg_score = crf_background_score(norm_cams[classes], bg_power,
                                        bg_constant)
    elif tuple(bg_score.shape) != (h, w):
        raise ValueError(
            f'bg_score must be {(h, w)}, got {tuple(bg_score.shape)}')
    probs = torch.cat([bg_score[None].to(norm_cams), norm_cams[classes]])
    q = dense_crf(
        np.ascontiguousarray(image, dtype=np.uint8),
        probs.float().cpu().numpy(),
        num_iter=num_iter,
        gaussian=gaussian,
        bilateral=bilateral)
    idx = torch.from_numpy(q.argmax(0)).to(norm_cams.device)
    lut = torch.cat([classes.new_zeros(1), classes + 1])
    return lut[idx].long()


def multi_scale_maps(forward_maps: Callable[[Tensor], Tensor],
                     inputs: Tensor,
                     scales: Sequence[float] = (1.0, ),
                     flip: bool = False,
                     reduce: str = 'sum') -> Tensor:
    """Run ``forward_maps`` on rescaled (and flipped) copies of ``inputs``.

    Args:
        forward_maps: (B, 3, h, w) -> (B, C, h', w') class maps.
        inputs: (B, 3, H, W).
        reduce: 'sum' (the usual multi-scale CAM), 'max' or 'mean'.
    Returns:
        (B, C, H, W) maps combined over scales and flips, each resized
        bilinearly to the input size before combining.
    """
    if reduce not in ('sum', 'max', 'mean'):
        raise ValueError(
            f"reduce must be 'sum', 'max' or 'mean', got {reduce!r}")
    size = inputs.shape[-2:]
    outs = []
    for scale in scales:
        x = inputs if scale == 1 else F.interpolate(
            inputs, scale_factor=scale, mode='bilinear', align_corners=False)
        views = [x, x.flip(-1)] if flip else [x]
        for i, view in enumerate(views):
            maps = forward_maps(view)
            if i == 1:
                maps = maps.flip(-1)
            outs.append(
                F.interpolate(
                    maps, size=size, mode='bilinear', align_corners=False))
    stacked = torch.stack(outs)
    if reduce == 'max':
        return stacked.amax(0)
    return stacked.sum(0) if reduce == 'sum' else stacked.mean(0)
