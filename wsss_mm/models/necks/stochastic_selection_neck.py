"""FickleNet's stochastic hidden-unit selection as an mmseg neck."""
from typing import Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.checks import (check_choice, check_int, check_rate, is_int,
                                  renamed_key)
from ..utils.feature_expansion import (expand_windows, general_dropout_keep,
                                       keep_to_expanded_mask,
                                       sample_selection_keep)
from ..utils.sparse_selection import KeptUnits, sample_kept_units

SELECTION_MODES = ('stochastic', 'general', 'deterministic')


@MODELS.register_module()
class StochasticSelectionNeck(BaseModule):
    """Stochastic hidden-unit selection of `FickleNet
    <https://arxiv.org/abs/1902.10421>`_ (Sec. 3.1, Algorithm 1 lines 2-4).

    Replaces the last backbone map ``x`` ``(B, C, H, W)`` by its expanded
    (Sec. 3.1.1), masked (Sec. 3.1.2) form ``(B, C, s*H, s*W)``; block
    ``(i, j)`` holds the zero-padded ``s x s`` window centred at ``(i, j)``.
    The head then applies a conv with kernel ``s`` and stride ``s``, GAP and
    a sigmoid (Sec. 3.1.3), which gives an ``H x W`` class map. Other maps of
    the tuple pass through unchanged. The neck has no parameters.

    The mask is spatial (shared by the channels) and drawn per window:

    - ``'stochastic'`` (S): each window drops each unit with probability
      ``dropout_ratio``, the window centre never dropped.
    - ``'general'`` (G): ordinary spatial dropout on ``x``, a dropped unit is
      dropped in every window (Table 6).
    - ``'deterministic'`` (D): nothing dropped (``p = 0``); the output is
      then the plain expansion and the head equals a padded ``s x s`` conv.

    ``mode`` applies in training, ``infer_mode`` in ``eval()``: selection
    stays active at inference (Sec. 3.1.2), and Table 6 trains and infers in
    separate modes.

    Seeds (Algorithm 1 lines 8-11) need many selections of one backbone
    pass: draw them with :meth:`sample_keep` and apply them with
    :meth:`apply_selection` (``x`` with batch 1 broadcasts over ``N`` masks)
    or pass ``keep=`` to :meth:`forward`. :meth:`get_last_keep` returns the
    mask of the last forward. :meth:`sample_kept_units` draws S-mode
    selections sparsely (only the kept units, same law) for
    ``sparse_selection_gradcam``.

    Args:
        in_channels (int): Channels ``C`` of the last backbone map.
        kernel_size (int): Odd window size ``s`` (the head's kernel and
            stride). Default: 9 (paper).
        dropout_ratio (float): ``p`` in ``[0, 1)``, mmseg's name for a
            dropout rate. Default: 0.9 (paper). The old name ``drop_rate``
            is accepted for one release, with a ``DeprecationWarning``.
        mode (str): Selection in training, one of ``SELECTION_MODES``.
            Default: ``'stochastic'``.
        infer_mode (str, optional): Selection in ``eval()``. Default: ``None``
            (same as ``mode``).
        rescale (bool): Inverted dropout: multiply the kept units that
            could have been dropped by ``1/(1-p)`` (in S mode the
            always-kept centre is not scaled), so the expectation of the
            masked map is the expanded map in every mode. Default: False,
            as in the paper, which does not rescale: the seeds are
            max-normalised Grad-CAMs, which a global scale (the effect of
            rescaling in G mode) does not change, and the head learns the
            magnitude it sees. Enable it to train in S/G and infer in D with
            matched expected scores (Table 6 mixes modes).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """
    _name = 'StochasticSelectionNeck'

    def __init__(self,
                 in_channels: int,
                 kernel_size: int = 9,
                 dropout_ratio: float = 0.9,
                 mode: str = 'stochastic',
                 infer_mode: Optional[str] = None,
                 rescale: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None,
                 drop_rate: Optional[float] = None):
        super().__init__(init_cfg=init_cfg)
        self.in_channels = check_int(
            self._name, 'in_channels', in_channels, min_value=1)
        if not is_int(kernel_size) or kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'{self._name}: kernel_size must be odd and '
                             f'>= 1, got {kernel_size!r}')
        self.kernel_size = kernel_size
        dropout_ratio = renamed_key(self._name, 'drop_rate', 'dropout_ratio',
                                    drop_rate, dropout_ratio, 0.9)
        self.dropout_ratio = check_rate(self._name, 'dropout_ratio',
                                        dropout_ratio)
        self.mode = self._check_mode('mode', mode)
        self.infer_mode = self._check_mode(
            'infer_mode', mode if infer_mode is None else infer_mode)
        self.rescale = bool(rescale)
        self._last_keep: Optional[Tensor] = None

    def _check_mode(self, key: str, value) -> str:
        return check_choice(self._name, key, value, SELECTION_MODES)

    @property
    def active_mode(self) -> str:
        """Selection mode in use: ``mode`` in training, else ``infer_mode``."""
        return self.mode if self.training else self.infer_mode

    def sample_keep(self,
                    num: int,
                    height: int,
                    width: int,
                    device=None,
                    generator: Optional[torch.Generator] = None,
                    mode: Optional[str] = None) -> Tensor:
        """Draw ``num`` keep masks of the given (default: active) mode.

        Returns:
            Tensor: bool ``(num, height, width, s, s)``; ``keep[n, i, j, a,
            c]``: window ``(i, j)`` keeps offset ``(a - s//2, c - s//2)``.
        """
        mode = self.active_mode if mode is None else self._check_mode(
            'mode', mode)
        s, p = self.kernel_size, self.dropout_ratio
        if mode == 'deterministic':
            return torch.ones((num, height, width, s, s),
                              dtype=torch.bool,
                              device=device)
        sampler = (
            sample_selection_keep
            if mode == 'stochastic' else general_dropout_keep)
        return sampler(
            num, height, width, s, p, generator=generator, device=device)

    def sample_kept_units(self,
                          num: int,
                          height: int,
                          width: int,
                          device=None,
                          generator: Optional[torch.Generator] = None,
                          mode: Optional[str] = None) -> Optional[KeptUnits]:
        """Draw ``num`` selections sparsely: only their kept units.

        Mode S only (``sparse_selection.sample_kept_units``: each off-centre
        unit kept with probability ``1 - p``, the centre always, as
        :meth:`sample_keep`, from another random stream), with the
        ``1/(1-p)`` of ``rescale`` on the off-centre units as in
        :meth:`selection_weights`. ``None`` in modes G and D, which have no
        sparse draw (use :meth:`sample_keep`).
        """
        mode = self.active_mode if mode is None else self._check_mode(
            'mode', mode)
        if mode != 'stochastic':
            return None
        p = self.dropout_ratio
        scale = 1.0 / (1.0 - p) if self.rescale and p > 0 else 1.0
        return sample_kept_units(
            num,
            height,
            width,
            self.kernel_size,
            p,
            generator=generator,
            device=device,
            scale=scale)

    def selection_weights(self,
                          keep: Tensor,
                          dtype: torch.dtype = torch.float32,
                          mode: Optional[str] = None) -> Tensor:
        """Per-window multipliers the neck applies for a keep mask.

        ``keep`` as a float, times ``1/(1-p)`` on the units that could have
        been dropped when ``rescale`` is on. Pass this (not the bool mask) to
        ``selection_gradcam`` so the seeds see exactly what the head saw.

        Args:
            keep (Tensor): bool ``(N, H, W, s, s)``.
            dtype (torch.dtype): Output dtype. Default: float32.
            mode (str, optional): Mode ``keep`` was drawn in. Default: the
                active mode.

        Returns:
            Tensor: ``(N, H, W, s, s)`` of ``dtype``.
        """
        mode = self.active_mode if mode is None else self._check_mode(
            'mode', mode)
        weights = keep.to(dtype)
        if not self.rescale or self.dropout_ratio == 0.0 or \
                mode == 'deterministic':
            return weights
        s = self.kernel_size
        scale = weights.new_full((s, s), 1.0 / (1.0 - self.dropout_ratio))
        if mode == 'stochastic':
            scale[s // 2, s // 2] = 1.0  # the centre is never dropped
        return weights * scale

    def apply_selection(self,
                        x: Tensor,
                        keep: Tensor,
                        mode: Optional[str] = None) -> Tensor:
        """Expand ``x`` and apply the keep masks (Sec. 3.1.1-3.1.2).

        Args:
            x (Tensor): ``(B, C, H, W)``.
            keep (Tensor): bool ``(N, H, W, s, s)`` with ``N == B``, or
                ``B == 1`` (one image, ``N`` selections) or ``N == 1``.
            mode (str, optional): Mode ``keep`` was drawn in; only used by
                ``rescale``. Default: the active mode.

        Returns:
            Tensor: ``(max(B, N), C, s*H, s*W)``.
        """
        s = self.kernel_size
        b, _, h, w = x.shape
        if keep.dim() != 5 or tuple(keep.shape[1:]) != (h, w, s, s) or \
                (keep.shape[0] != b and 1 not in (b, keep.shape[0])):
            raise ValueError(
                f'{self._name}: keep must have shape (N, {h}, {w}, {s}, {s}) '
                f'with N == {b} or N == 1 or a batch of 1, got '
                f'{tuple(keep.shape)}')
        return self._select(x, keep, mode)

    def _select(self,
                x: Tensor,
                keep: Tensor,
                mode: Optional[str] = None) -> Tensor:
        weights = self.selection_weights(keep, x.dtype, mode)
        return expand_windows(
            x, self.kernel_size) * keep_to_expanded_mask(weights)

    def get_last_keep(self) -> Optional[Tensor]:
        """Keep mask of the last forward, bool ``(N, H, W, s, s)``, or None."""
        return self._last_keep

    def forward(self,
                inputs: Union[Tensor, Sequence[Tensor]],
                keep: Optional[Tensor] = None) -> Tuple[Tensor, ...]:
        """Select hidden units of the last map.

        Args:
            inputs (tuple[Tensor] | Tensor): Backbone maps; the last one is
                ``(B, in_channels, H, W)``.
            keep (Tensor, optional): Fixed bool ``(N, H, W, s, s)`` mask
                (see :meth:`apply_selection`); drawn in the active mode when
                ``None``.

        Returns:
            tuple[Tensor]: ``inputs`` with the last map replaced by its
            ``(B, C, s*H, s*W)`` expanded, masked form.
        """
        if isinstance(inputs, Tensor):
            inputs = (inputs, )
        if not isinstance(inputs, (tuple, list)) or len(inputs) == 0:
            raise ValueError(f'{self._name}: inputs must be a non-empty tuple '
                             f'of tensors, got {type(inputs).__name__}')
        x = inputs[-1]
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'{self._name}: in_channels={self.in_channels} does not match '
                f'the last input map of shape {tuple(x.shape)}')
        if keep is None:  # drawn here: the right shape by construction
            b, _, h, w = x.shape
            keep = self.sample_keep(b, h, w, device=x.device)
            out = self._select(x, keep)
        else:
            out = self.apply_selection(x, keep)
        self._last_keep = keep.detach()
        return tuple(inputs[:-1]) + (out, )
