"""Grad-CAM of FickleNet's random selections and their aggregation.

FickleNet (Lee et al., CVPR 2019) draws ``N`` random hidden-unit selections
per image (Algorithm 1, lines 8-11), computes one Grad-CAM per selection
(Sec. 3.2.1, eq. 1) and aggregates the ``N`` maps (Sec. 3.2.2).

Eq. (1): ``M_c = ReLU(sum_k x_k * dS_c/dx_k)`` with ``x`` the feature map
*before* expansion and ``S_c`` the class score.

Closed form used here (derived, not in the paper). The classifier is a conv
with kernel ``s`` and stride ``s`` on the expanded, masked map, followed by
global average pooling, so for a fixed keep mask ``S_c`` is linear in ``x``::

    S_c = 1/(HW) sum_{v} sum_o sum_k W_c[k, o] keep[v, o] x[k, v + o - r] + b_c

(``v`` window centres, ``o`` the ``s*s`` offsets, ``r = s // 2``). The
window centred at ``v = u - (o - r)`` covers position ``u`` with offset
``o``, hence::

    dS_c/dx[k, u] = 1/(HW) sum_o W_c[k, o] keep[u - (o - r), o]
    M_c[u] = ReLU(1/(HW) sum_o keep[u - (o - r), o] P_c[o, u]),
    P_c[o, u] = sum_k W_c[k, o] x[k, u]

where windows centred outside the map contribute nothing. ``P`` is computed
once per image (``C*s*s*H*W`` values); each selection then costs
``C*s*s*H*W`` multiply-adds and no backward pass.

``S_c`` is the pre-sigmoid score (GAP of the head output). Using the sigmoid
score would multiply each map by ``sigmoid'(S_c) > 0``, a per-(selection,
class) constant that the per-selection max normalisation of
:func:`aggregate_selection_maps` removes. The head bias does not enter the
gradient.
"""
from typing import NamedTuple, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from .feature_expansion import expand_windows, keep_to_expanded_mask

NORMALIZE_MODES = ('selection_max', 'none')


def _check_inputs(x: Tensor, weight: Tensor, keep: Tensor) -> None:
    if x.dim() != 3:
        raise ValueError(f'x must be (K, H, W), got {tuple(x.shape)}')
    k, h, w = x.shape
    if weight.dim() != 4 or weight.shape[1] != k or \
            weight.shape[2] != weight.shape[3]:
        raise ValueError(f'weight must be (C, {k}, s, s), '
                         f'got {tuple(weight.shape)}')
    s = weight.shape[-1]
    if keep.dim() != 5 or tuple(keep.shape[1:]) != (h, w, s, s):
        raise ValueError(f'keep must be (N, {h}, {w}, {s}, {s}), '
                         f'got {tuple(keep.shape)}')


def keep_by_source(keep: Tensor) -> Tensor:
    """Re-index a per-window keep mask by the covered position.

    Args:
        keep (Tensor): ``(N, H, W, s, s)``; ``keep[n, i, j, a, c]``: window
            centred at ``(i, j)`` keeps offset ``(a - r, c - r)``.

    Returns:
        Tensor: ``(N, H, W, s, s)``, same dtype, ``out[n, u, a', c']`` =
        ``keep[n, u - (o - r), o]`` with the *flipped* offset
        ``o = (s-1-a', s-1-c')`` (zero for windows centred outside the map).
        With the flip, ``u - (o - r) = u + (a', c') - r``, so the result is a
        diagonal of the sliding windows of the padded, flipped mask: a view,
        no ``s**4`` copy.
    """
    n, h, w, s, _ = keep.shape
    r = s // 2
    padded = keep.new_zeros((n, h + 2 * r, w + 2 * r, s, s))
    padded[:, r:r + h, r:r + w] = keep.flip(-2, -1)
    # windows[n, i, j, A, C, wa, wc] = padded[n, i + wa, j + wc, A, C]
    windows = padded.unfold(1, s, 1).unfold(2, s, 1)
    # keep wa == A, then wc == C  ->  (n, i, j, a', c')
    return windows.diagonal(dim1=3, dim2=5).diagonal(dim1=3, dim2=4)


@torch.no_grad()
def selection_gradcam(x: Tensor,
                      weight: Tensor,
                      keep: Tensor,
                      chunk_size: int = 16) -> Tensor:
    """Grad-CAM (eq. 1) of every random selection, in closed form.

    Args:
        x (Tensor): ``(K, H, W)`` pre-expansion feature map of one image.
        weight (Tensor): ``(C, K, s, s)`` weight of the classifier conv
            (kernel ``s``, stride ``s`` on the expanded map).
        keep (Tensor): bool ``(N, H, W, s, s)`` selections; ``keep[n, i, j,
            a, c]``: in selection ``n``, window ``(i, j)`` keeps offset
            ``(a - s//2, c - s//2)``. Layout of
            ``feature_expansion.sample_selection_keep``. A float tensor is
            used as per-unit multipliers (e.g. the neck's
            ``selection_weights`` with ``rescale=True``).
        chunk_size (int): Selections processed at once; peak extra memory is
            about ``chunk_size * H * W * s * s`` values. Default: 16.

    Returns:
        Tensor: ``(N, C, H, W)`` maps ``ReLU(sum_k x_k * dS_c/dx_k)`` with
        ``S_c`` the GAP of the head output, no ``1/(1-p)`` scaling. Equal to
        :func:`selection_gradcam_autograd` up to rounding.
    """
    _check_inputs(x, weight, keep)
    if chunk_size < 1:
        raise ValueError(f'chunk_size must be >= 1, got {chunk_size}')
    _, h, w = x.shape
    c, _, s, _ = weight.shape
    # P[u, o', c] with flipped offsets o' to match keep_by_source.
    proj = torch.einsum('cxab,xij->ijabc', weight.flip(-2, -1), x)
    proj = proj.reshape(h * w, s * s, c) / (h * w)
    out = []
    for start in range(0, keep.shape[0], chunk_size):
        chunk = keep_by_source(keep[start:start + chunk_size].to(x.dtype))
        n = chunk.shape[0]
        chunk = chunk.reshape(n, h * w, s * s).transpose(0, 1)  # (HW, n, o)
        maps = torch.bmm(chunk, proj)  # (HW, n, C)
        out.append(maps.permute(1, 2, 0).reshape(n, c, h, w))
    return torch.cat(out).relu_()


def selection_gradcam_autograd(x: Tensor,
                               weight: Tensor,
                               keep: Tensor,
                               bias: Optional[Tensor] = None,
                               chunk_size: Optional[int] = None) -> Tensor:
    """Reference Grad-CAM (eq. 1) by autograd through the expanded head.

    Builds the expanded map (Sec. 3.1.1), applies each selection's mask
    (Sec. 3.1.2), the stride-``s`` conv and GAP (Sec. 3.1.3), then takes
    ``dS_c/dx`` with one backward pass per class, batched over selections.

    Args:
        x, weight, keep: As in :func:`selection_gradcam`.
        bias (Tensor, optional): ``(C,)`` head bias (does not change the
            result).
        chunk_size (int, optional): Selections per batch; all at once when
            ``None``.

    Returns:
        Tensor: ``(N, C, H, W)``, detached.
    """
    _check_inputs(x, weight, keep)
    num = keep.shape[0]
    chunk_size = chunk_size or num
    s = weight.shape[-1]
    out = []
    with torch.enable_grad():
        for start in range(0, num, chunk_size):
            mask = keep_to_expanded_mask(keep[start:start + chunk_size])
            feats = x.detach()[None].repeat(mask.shape[0], 1, 1, 1)
            feats.requires_grad_(True)
            expanded = expand_windows(feats, s) * mask.to(x.dtype)
            scores = F.conv2d(expanded, weight.detach(), bias, stride=s)
            scores = scores.mean(dim=(2, 3))  # (n, C), GAP
            maps = []
            for cls in range(scores.shape[1]):
                grad, = torch.autograd.grad(
                    scores[:, cls].sum(), feats, retain_graph=True)
                maps.append((feats * grad).sum(1).relu())
            out.append(torch.stack(maps, dim=1).detach())
    return torch.cat(out)


def normalize_selection_maps(maps: Tensor,
                             normalize: str = 'selection_max') -> Tensor:
    """Normalise per-selection localisation maps before thresholding.

    Args:
        maps (Tensor): ``(N, C, H, W)`` non-negative maps.
        normalize (str): ``'selection_max'``: divide each map (selection
            ``n``, class ``c``) by its own spatial max, so each peaks at
            exactly 1 (the paper's threshold ``0.35`` is relative to such a
            max; no ``eps`` so that the scale of the maps, which can be small,
            does not matter); a map that is zero everywhere stays zero.
            ``'none'``: return ``maps`` unchanged (already normalised).

    Returns:
        Tensor: ``(N, C, H, W)``.
    """
    if normalize == 'none':
        return maps
    if normalize != 'selection_max':
        raise ValueError(f'normalize must be one of {NORMALIZE_MODES}, '
                         f'got {normalize!r}')
    peak = maps.flatten(2).amax(dim=2)[..., None, None]
    return torch.where(peak > 0, maps / peak.clamp_min(1e-30),
                       torch.zeros_like(maps))


class SelectionAggregate(NamedTuple):
    """Result of :func:`aggregate_selection_maps`.

    Attributes:
        labels (Tensor): long ``(H, W)``: foreground index ``0..C-1`` of the
            class claiming the pixel, ``unclaimed_index`` (default -1) where
            no class claims it.
        mean_map (Tensor): ``(C, H, W)`` normalised maps averaged over the
            ``N`` selections (the tie-break map of Sec. 3.2.2).
    """
    labels: Tensor
    mean_map: Tensor


def resolve_claims(claimed: Tensor,
                   mean_map: Tensor,
                   unclaimed_index: int = -1) -> Tensor:
    """Give each claimed pixel one class (Sec. 3.2.2, conflict rule).

    Args:
        claimed (Tensor): bool ``(C, H, W)``: class ``c`` exceeds the
            threshold at the pixel in at least one selection.
        mean_map (Tensor): ``(C, H, W)`` map averaged over the selections.
        unclaimed_index (int): Label of pixels no class claims.

    Returns:
        Tensor: long ``(H, W)``; a pixel claimed by several classes takes the
        claiming class with the highest ``mean_map`` score.
    """
    scores = mean_map.masked_fill(~claimed, float('-inf'))
    labels = scores.argmax(dim=0)
    return labels.masked_fill_(~claimed.any(dim=0), unclaimed_index)


def aggregate_selection_maps(maps: Tensor,
                             fg_threshold: float = 0.35,
                             normalize: str = 'selection_max',
                             present: Optional[Tensor] = None,
                             unclaimed_index: int = -1) -> SelectionAggregate:
    """Aggregate the maps of ``N`` random selections (Sec. 3.2.2).

    A pixel ``u`` is allocated to class ``c`` if the normalised ``M_c[i]`` at
    ``u`` is higher than ``fg_threshold`` (``theta = 0.35``, Sec. 4.1) in *any*
    selection ``i``. A pixel allocated to several classes takes the class
    with the highest score in the map averaged over the ``N`` selections.
    Unallocated pixels get ``unclaimed_index``; the caller maps them to the
    ignore value (255) or fills background from its own cue (the paper uses
    DSRG's saliency background cues, Sec. 3.3).

    Args:
        maps (Tensor): ``(N, C, H, W)`` non-negative per-selection maps, e.g.
            from :func:`selection_gradcam`, for ``C`` foreground classes.
        fg_threshold (float): ``theta``. Default: 0.35.
        normalize (str): See :func:`normalize_selection_maps`. Default:
            ``'selection_max'`` (each selection and class by its spatial max).
        present (Tensor, optional): bool ``(C,)``; classes not present never
            claim a pixel (their maps are still in ``mean_map``).
        unclaimed_index (int): Label of unclaimed pixels. Default: -1.

    Returns:
        SelectionAggregate: ``(labels (H, W) long in 0..C-1 or
        unclaimed_index, mean_map (C, H, W))``.
    """
    if maps.dim() != 4:
        raise ValueError(f'maps must be (N, C, H, W), got {tuple(maps.shape)}')
    maps = normalize_selection_maps(maps, normalize)
    claimed = (maps > fg_threshold).any(dim=0)
    if present is not None:
        present = present.to(device=maps.device, dtype=torch.bool)
        claimed &= present[:, None, None]
    mean_map = maps.mean(dim=0)
    labels = resolve_claims(claimed, mean_map, unclaimed_index)
    return SelectionAggregate(labels, mean_map)
