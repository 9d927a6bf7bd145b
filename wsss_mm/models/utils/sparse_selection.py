"""FickleNet's random selections drawn sparsely: only the kept units.

Mode S of FickleNet (Lee et al., CVPR 2019, Sec. 3.1.2) keeps each unit of
each window independently with probability ``q = 1 - p`` (``p = 0.9``), the
window centre always. ``feature_expansion.sample_selection_keep`` draws all
``N*H*W*s*s`` Bernoulli variables (27 M for ``N = 200``, ``41 x 41``,
``s = 9``), 90 % of them dropped, and ``selection_gradcam.selection_gradcam``
sums over all of them. Here only the kept units are drawn and summed.

Units by source. Unit ``(n, u, o)`` is ``keep[n, u - (o - r), o]``: in
selection ``n``, the window centred at ``v = u - (o - r)`` keeps its offset
``o`` (``r = s // 2``), which covers position ``u``. This is the order of the
closed-form Grad-CAM of :mod:`.selection_gradcam`::

    M_c[u] = ReLU(1/(HW) sum_o keep[u - (o - r), o] P_c[o, u])

The centre ``o = (r, r)`` is always kept, so it is not drawn; the other
``s*s - 1`` offsets give ``N*H*W*(s*s - 1)`` i.i.d. Bernoulli(``q``) trials,
numbered ``t = (n*H*W + u) * (s*s - 1) + o'`` (``u = i*W + j``; ``o'`` the
offset's row-major index with the centre skipped). A unit whose window
centre ``u - (o - r)`` is off the map does not exist: it stays a trial (so
the numbering is regular) and contributes nothing (its ``P`` is zeroed).

Drawing the successes (exact). The gaps between successive successes of
i.i.d. Bernoulli(``q``) trials are i.i.d. geometric: ``G`` failures before a
success with ``P(G >= k) = p**k``, and ``G = floor(log(1 - U) / log p)`` for
``U`` uniform on ``[0, 1)`` has that law. The successes are the cumulative
sums of ``G + 1``: about ``q*N*H*W*s*s`` draws (2.7 M) instead of 27 M, in
float64 (exact integers up to 2**53; no truncation of the tail before
``p**k < 2**-53``).

Summing. For a selection ``n`` and position ``u``, ``M[n, :, u]`` is the
centre's ``P[u, centre, :]`` plus the sum of ``P[u, o, :]`` over the kept
trials of row ``n*H*W + u``: a sum of table rows per bag
(``F.embedding_bag``), ``q*(s*s - 1) = 8`` rows of ``C`` values on average.
"""
import math
from typing import NamedTuple, Optional, Union

import torch
import torch.nn.functional as F
from torch import Tensor

DeviceLike = Optional[Union[str, torch.device]]


class KeptUnits(NamedTuple):
    """The kept off-centre units of ``num`` mode-S selections.

    Attributes:
        index (Tensor): int64 ``(M,)``, sorted trial numbers ``t`` of the kept
            units (see the module docstring for the numbering).
        num (int): Selections ``N``.
        height (int): ``H`` of the pre-expansion map.
        width (int): ``W``.
        kernel_size (int): Odd ``s``.
        scale (float): Multiplier of a kept off-centre unit (the neck's
            ``1/(1-p)`` with ``rescale``, else 1); the centre's is 1.
    """
    index: Tensor
    num: int
    height: int
    width: int
    kernel_size: int
    scale: float = 1.0


def bernoulli_successes(num_trials: int,
                        keep_prob: float,
                        generator: Optional[torch.Generator] = None,
                        device: DeviceLike = None,
                        block: Optional[int] = None) -> Tensor:
    """Positions of the successes of i.i.d. Bernoulli trials, by gaps.

    The number of failures before each success is geometric,
    ``floor(log(1 - U) / log(1 - keep_prob))`` (``U`` uniform in float64),
    and the positions are the running sums of the gaps plus one. Gaps are
    drawn in blocks (default: the mean number of successes plus six standard
    deviations, so nearly always one block) until a position passes the end.

    Args:
        num_trials (int): Number of trials.
        keep_prob (float): Success probability ``q`` in ``(0, 1]``.
        generator (torch.Generator, optional): RNG, must live on ``device``.
        device (str | torch.device, optional): Device of the result.
        block (int, optional): Gaps drawn per block (tests).

    Returns:
        Tensor: int64 ``(M,)``, increasing positions in ``[0, num_trials)``;
        each trial is in it independently with probability ``keep_prob``.
    """
    if keep_prob >= 1.0 or num_trials == 0:
        return torch.arange(num_trials, device=device)
    log_fail = math.log1p(-keep_prob)
    limit = torch.tensor([float(num_trials)],
                         dtype=torch.float64,
                         device=device)
    parts, start = [], 0  # start: first trial not yet covered by a gap
    while start < num_trials:
        mean = (num_trials - start) * keep_prob
        size = block or int(mean + 6 * math.sqrt(mean) + 16)
        u = torch.rand(
            size, generator=generator, dtype=torch.float64, device=device)
        steps = u.neg_().log1p_().div_(log_fail).floor_().add_(1)  # G + 1
        steps[0] += start - 1
        pos = steps.cumsum_(0)  # positions of the successes
        parts.append(pos[:int(torch.searchsorted(pos, limit))])
        start = int(pos[-1]) + 1
    return (parts[0] if len(parts) == 1 else torch.cat(parts)).long()


def sample_kept_units(num: int,
                      height: int,
                      width: int,
                      kernel_size: int,
                      dropout_ratio: float,
                      generator: Optional[torch.Generator] = None,
                      device: DeviceLike = None,
                      scale: float = 1.0) -> KeptUnits:
    """Draw ``num`` mode-S selections sparsely (Sec. 3.1.2, centre kept).

    Same law as :func:`~.feature_expansion.sample_selection_keep` (each
    off-centre unit kept independently with probability ``1 - p``, every
    centre kept), another random stream: :func:`kept_units_to_keep` gives
    the dense mask.

    Args:
        num, height, width, kernel_size, dropout_ratio, generator, device:
            As in :func:`~.feature_expansion.sample_selection_keep`.
        scale (float): See :class:`KeptUnits`.

    Returns:
        KeptUnits: the kept off-centre units.
    """
    trials = num * height * width * (kernel_size * kernel_size - 1)
    index = bernoulli_successes(trials, 1.0 - dropout_ratio, generator, device)
    return KeptUnits(index, num, height, width, kernel_size, scale)


def off_centre_offsets(kernel_size: int, device: DeviceLike = None) -> Tensor:
    """Row-major offset indices ``a*s + c`` without the centre, ``(s*s-1,)``:
    entry ``o'`` is the offset of trial ``o'`` of a row."""
    ss = kernel_size * kernel_size
    offsets = torch.arange(ss, device=device)
    return offsets[offsets != ss // 2]


def window_in_map(height: int,
                  width: int,
                  kernel_size: int,
                  device: DeviceLike = None) -> Tensor:
    """Which units exist: bool ``(H*W, s*s)``, ``[u, o]`` true where the
    window centre ``u - (o - r)`` is on the map ("windows centred outside
    the map contribute nothing", :mod:`.selection_gradcam`)."""
    s, r = kernel_size, kernel_size // 2
    off = torch.arange(s, device=device) - r
    rows = torch.arange(height, device=device)[:, None] - off  # (H, s)
    cols = torch.arange(width, device=device)[:, None] - off  # (W, s)
    rows_ok = (rows >= 0) & (rows < height)
    cols_ok = (cols >= 0) & (cols < width)
    ok = rows_ok[:, None, :, None] & cols_ok[None, :, None, :]
    return ok.reshape(height * width, s * s)


def kept_units_to_keep(units: KeptUnits) -> Tensor:
    """The dense keep mask of sparse draws (for checks).

    Args:
        units (KeptUnits): From :func:`sample_kept_units`.

    Returns:
        Tensor: bool ``(N, H, W, s, s)`` in the layout of
        :func:`~.feature_expansion.sample_selection_keep`: every centre
        kept, ``keep[n, u - (o - r), o]`` true for each kept unit
        ``(n, u, o)`` on the map, false for the offsets that cover the zero
        padding (whose value never matters).
    """
    n, h, w, s = units.num, units.height, units.width, units.kernel_size
    r, device = s // 2, units.index.device
    row = units.index.div(s * s - 1, rounding_mode='floor')
    trial = units.index - row * (s * s - 1)
    offset = off_centre_offsets(s, device)[trial]
    sel, pos = row.div(h * w, rounding_mode='floor'), row % (h * w)
    a, c = offset.div(s, rounding_mode='floor'), offset % s
    vi = pos.div(w, rounding_mode='floor') - (a - r)
    vj = pos % w - (c - r)
    on_map = (vi >= 0) & (vi < h) & (vj >= 0) & (vj < w)
    keep = torch.zeros((n, h, w, s, s), dtype=torch.bool, device=device)
    keep[sel[on_map], vi[on_map], vj[on_map], a[on_map], c[on_map]] = True
    keep[..., r, r] = True
    return keep


def bag_offsets(rows: Tensor, num_rows: int) -> Tensor:
    """Start of each row's run in sorted row numbers, int64 ``(num_rows,)``
    (the ``offsets`` of ``F.embedding_bag``; empty rows allowed)."""
    counts = torch.bincount(rows, minlength=num_rows)
    return counts.cumsum(0).sub_(counts)


@torch.no_grad()
def sparse_selection_gradcam(x: Tensor, weight: Tensor,
                             units: KeptUnits) -> Tensor:
    """Grad-CAM (eq. 1) of every selection from its kept units only.

    ``M_c[u] = ReLU(1/(HW) sum_o keep[u - (o - r), o] P_c[o, u])`` as in
    :func:`~.selection_gradcam.selection_gradcam`, the sum running over the
    centre and the kept units of :func:`sample_kept_units` (off-map windows
    have ``P = 0``; a kept off-centre unit counts ``units.scale`` times).
    Costs ``C*s*s*H*W*K`` multiply-adds for ``P`` (one CAM) and ``C`` adds
    per kept unit.

    Args:
        x (Tensor): ``(K, H, W)`` pre-expansion feature map of one image.
        weight (Tensor): ``(C, K, s, s)`` classifier weight (any subset of
            the classes).
        units (KeptUnits): The selections, on ``x``'s device.

    Returns:
        Tensor: ``(N, C, H, W)`` (a permuted view), equal to
        ``selection_gradcam(x, weight, keep)`` with ``keep`` the dense mask
        (``kept_units_to_keep``, times ``scale`` off the centre).
    """
    k, h, w = x.shape
    c, s = weight.shape[0], units.kernel_size
    if weight.dim() != 4 or weight.shape[1:] != (k, s, s) or \
            (units.height, units.width) != (h, w):
        raise ValueError(f'weight {tuple(weight.shape)} and selections of '
                         f'{units.height}x{units.width}, s={s} do not fit '
                         f'x {tuple(x.shape)}')
    n, hw, ss = units.num, h * w, s * s
    if c == 0:
        return x.new_zeros((n, 0, h, w))
    # P[u, o, c] = sum_k W_c[k, o] x[k, u] / (HW), zero off the map
    proj = torch.einsum('ckab,kij->ijabc', weight, x).reshape(hw, ss, c)
    centre = proj[:, ss // 2] / hw  # (HW, C), kept in every selection
    off = off_centre_offsets(s, x.device)
    factor = window_in_map(h, w, s, x.device)[:, off].to(x.dtype)
    factor = factor.div_(hw).mul_(units.scale)[..., None]
    table = proj[:, off].mul_(factor).reshape(-1, c)
    rows = units.index.div(ss - 1, rounding_mode='floor')  # n * HW + u
    maps = F.embedding_bag(
        units.index % (hw * (ss - 1)),
        table,
        bag_offsets(rows, n * hw),
        mode='sum')
    maps = maps.view(n, hw, c).add_(centre).relu_()
    return maps.view(n, h, w, c).permute(0, 3, 1, 2)
