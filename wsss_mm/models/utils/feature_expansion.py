"""Feature-map expansion and per-window hidden-unit selection of FickleNet.

FickleNet (Lee et al., CVPR 2019, Sec. 3.1) selects hidden units at random
*for every sliding-window position* of an ``s x s`` convolution. Done naively
(Fig. 2a) this needs one dropout and one convolution call per window. Sec.
3.1.1 instead zero-pads ``x`` by ``s // 2`` and *expands* it so that windows no
longer overlap: block ``(i, j)`` of the expanded map holds the ``s x s``
window centred at ``(i, j)``. One spatial dropout on the expanded map (Sec.
3.1.2, the window centre never dropped) followed by one convolution with
kernel ``s`` and stride ``s`` (Sec. 3.1.3) then equals the naive procedure.

Notation used throughout (all indices 0-based):

- ``x``: ``(B, K, H, W)`` feature map, ``s`` odd kernel size, ``r = s // 2``.
- A *keep mask* is a bool tensor ``keep`` of shape ``(B, H, W, s, s)``:
  ``keep[b, i, j, a, c]`` says whether the window centred at ``(i, j)`` keeps
  its unit at offset ``(a - r, c - r)``, i.e. the input position
  ``(i + a - r, j + c - r)``. The mask is spatial: it is shared by all ``K``
  channels. Positions falling outside ``x`` are zero padding, so their keep
  value is irrelevant.
- The expanded layout ``(B, K, s*H, s*W)``: row ``i*s + a``, column
  ``j*s + c`` holds window ``(i, j)`` at offset ``(a, c)``.

Ablation modes of Table 6 (all return the keep layout above):

- **S** (stochastic selection): :func:`sample_selection_keep`, an independent
  Bernoulli draw per window and offset, centre always kept.
- **G** (general dropout): :func:`general_dropout_keep`, one ordinary spatial
  dropout draw on ``x`` itself, so a dropped unit is dropped in every window.
- **D** (deterministic): every unit kept (``p = 0``).

These functions run every training step of ``StochasticSelectionNeck`` and do
not validate their arguments: the neck checks ``kernel_size`` (odd, >= 1) and
``dropout_ratio`` (in [0, 1)) when it is built.
"""
from typing import Optional, Union

import torch
import torch.nn.functional as F
from torch import Tensor

DeviceLike = Optional[Union[str, torch.device]]


def sliding_windows(x: Tensor, kernel_size: int) -> Tensor:
    """All ``s x s`` windows of the zero-padded map, one per position.

    Args:
        x (Tensor): ``(B, K, H, W)``.
        kernel_size (int): Odd window size ``s``.

    Returns:
        Tensor: ``(B, K, H, W, s, s)`` view (no copy) where
        ``out[b, k, i, j, a, c] = x[b, k, i + a - r, j + c - r]`` (zero when
        out of range), ``r = s // 2``.
    """
    s = kernel_size
    r = s // 2
    padded = F.pad(x, (r, r, r, r))
    return padded.unfold(2, s, 1).unfold(3, s, 1)


def expand_windows(x: Tensor, kernel_size: int) -> Tensor:
    """Expand a feature map so sliding windows do not overlap (Sec. 3.1.1).

    The map is zero-padded by ``s // 2`` (so the head output keeps the size
    ``H x W``) and block ``(i, j)`` of the result, i.e. rows
    ``i*s ... i*s+s-1`` and columns ``j*s ... j*s+s-1``, holds the ``s x s``
    window centred at ``(i, j)``. Hence

    ``conv2d(expand_windows(x, s), w, stride=s)``
    ``== conv2d(x, w, padding=s // 2)``.

    Args:
        x (Tensor): ``(B, K, H, W)`` feature map.
        kernel_size (int): Odd kernel size ``s`` of the classifier conv.

    Returns:
        Tensor: ``(B, K, s*H, s*W)`` expanded map (``s**2`` times the memory
        of ``x``; differentiable).
    """
    s = kernel_size
    b, k, h, w = x.shape
    windows = sliding_windows(x, s)  # (B, K, H, W, s, s)
    return windows.permute(0, 1, 2, 4, 3, 5).reshape(b, k, h * s, w * s)


def keep_to_expanded_mask(keep: Tensor) -> Tensor:
    """Lay a per-window keep mask out like :func:`expand_windows`.

    Args:
        keep (Tensor): ``(B, H, W, s, s)`` keep mask (any dtype).

    Returns:
        Tensor: ``(B, 1, s*H, s*W)``, same dtype, broadcastable over the
        channels of an expanded map (the dropout is spatial, Sec. 3.1.2).
    """
    b, h, w, s, _ = keep.shape
    return keep.permute(0, 1, 3, 2, 4).reshape(b, 1, h * s, w * s)


def sample_selection_keep(num: int,
                          height: int,
                          width: int,
                          kernel_size: int,
                          dropout_ratio: float,
                          generator: Optional[torch.Generator] = None,
                          device: DeviceLike = None) -> Tensor:
    """Draw a centre-preserving spatial dropout mask, per window (mode S).

    Every window position ``(i, j)`` and offset draws its own Bernoulli
    variable: the unit is dropped with probability ``p = dropout_ratio``
    (Sec. 3.1.2), except the window centre ``(r, r)``, which is always kept,
    so a hidden unit may be kept in one window and dropped in its neighbour.

    Args:
        num (int): Number of masks ``N`` (batch size, or selections).
        height (int): ``H`` of the pre-expansion map.
        width (int): ``W`` of the pre-expansion map.
        kernel_size (int): Odd ``s``.
        dropout_ratio (float): ``p`` in ``[0, 1)``.
        generator (torch.Generator, optional): RNG, must live on ``device``.
        device (str | torch.device, optional): Device of the mask.

    Returns:
        Tensor: bool ``(N, H, W, s, s)`` keep mask.
    """
    s, p = kernel_size, dropout_ratio
    u = torch.rand((num, height, width, s, s),
                   generator=generator,
                   device=device)
    keep = u >= p
    keep[..., s // 2, s // 2] = True
    return keep


def unit_keep_to_window_keep(unit_keep: Tensor, kernel_size: int) -> Tensor:
    """Turn a keep mask on ``x``'s positions into the per-window layout.

    ``out[n, i, j, a, c] = unit_keep[n, i + a - r, j + c - r]`` and ``False``
    where that position is out of range (zero padding, irrelevant anyway).

    Args:
        unit_keep (Tensor): bool ``(N, H, W)``.
        kernel_size (int): Odd ``s``.

    Returns:
        Tensor: bool ``(N, H, W, s, s)``.
    """
    windows = sliding_windows(unit_keep[:, None].to(torch.uint8), kernel_size)
    return windows[:, 0].bool()


def general_dropout_keep(num: int,
                         height: int,
                         width: int,
                         kernel_size: int,
                         dropout_ratio: float,
                         generator: Optional[torch.Generator] = None,
                         device: DeviceLike = None) -> Tensor:
    """Draw an ordinary spatial dropout mask on ``x`` (mode G of Table 6).

    One Bernoulli draw per position of the *pre-expansion* map (shared by the
    channels, no centre preservation): a dropped unit is dropped in every
    window that contains it, so it cannot contribute to the class score
    (Sec. 4.3, "Comparison to general dropout").

    Args:
        Same as :func:`sample_selection_keep`.

    Returns:
        Tensor: bool ``(N, H, W, s, s)`` keep mask with
        ``keep[n, i, j, a, c] = unit_keep[n, i + a - r, j + c - r]``.
    """
    s, p = kernel_size, dropout_ratio
    u = torch.rand((num, height, width), generator=generator, device=device)
    return unit_keep_to_window_keep(u >= p, s)


def naive_selection_conv(x: Tensor,
                         weight: Tensor,
                         keep: Tensor,
                         bias: Optional[Tensor] = None) -> Tensor:
    """Reference per-window selection + convolution (Fig. 2a). Slow.

    For every window position ``(i, j)``: take the ``s x s`` window of the
    zero-padded ``x`` centred at ``(i, j)``, zero the units that
    ``keep[:, i, j]`` drops, and apply the convolution to that window alone:
    ``H * W`` convolution calls. Used to check (and benchmark against) the
    expansion route ``conv2d(expand_windows(x) * mask, weight, stride=s)``.

    Args:
        x (Tensor): ``(B, K, H, W)``.
        weight (Tensor): ``(C, K, s, s)``.
        keep (Tensor): ``(B, H, W, s, s)`` (bool or float).
        bias (Tensor, optional): ``(C,)``.

    Returns:
        Tensor: ``(B, C, H, W)``.
    """
    b, _, h, w = x.shape
    s = weight.shape[-1]
    r = s // 2
    padded = F.pad(x, (r, r, r, r))
    mask = keep.to(x.dtype)[:, None]  # (B, 1, H, W, s, s)
    out = x.new_empty((b, weight.shape[0], h, w))
    for i in range(h):
        for j in range(w):
            window = padded[:, :, i:i + s, j:j + s] * mask[:, :, i, j]
            out[:, :, i, j] = F.conv2d(window, weight, bias)[:, :, 0, 0]
    return out
