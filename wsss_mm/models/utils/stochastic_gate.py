"""Stochastic Gate (SG), pure function.

Araslanov & Roth, CVPR 2020, Sec. 3.4, eq. (9)-(10); reference code:
visinf/1-stage-wseg, ``models/mods/sg.py``.

Reference rescaling and what it implies
---------------------------------------
At training time the reference does not mix x_d itself but a shifted and
scaled copy (comment in the reference: "at train time: E[x] = x1")::

    x_d' = (x_d - psi * x_s) / (1 - psi)
    x    = (1 - r) * x_d' + r * x_s,   r ~ Bernoulli(psi) per element

so the training expectation is E[x] = (1 - psi) x_d' + psi x_s = x_d, while
inference uses eq. (10), (1 - psi) x_d + psi x_s. Hence WITH the rescaling
the training expectation equals the deep features x_d, NOT the inference
output; only WITHOUT it (plain eq. 9) does E[x] = (1 - psi) x_d + psi x_s
match eq. (10), as the paper's text says ("to match the first moment").
Both are offered: ``rescale_deep=True`` (default) reproduces the reference
code that produced the published numbers, ``rescale_deep=False`` is the
paper's eq. (9). The Bernoulli draw is per element (per channel and pixel),
as the reference's ``F.dropout`` on a tensor of ones.
"""
from typing import Optional

import torch
from torch import Tensor

__all__ = ['check_psi', 'stochastic_gate']


def check_psi(psi: float) -> float:
    """Return ``psi`` as a float; ValueError unless in [0, 1]."""
    if isinstance(psi, bool) or not isinstance(psi, (int, float)) or not (
            0.0 <= psi <= 1.0):
        raise ValueError(f'psi must be a number in [0, 1], got {psi!r}')
    return float(psi)


def stochastic_gate(x_deep: Tensor,
                    x_shallow: Tensor,
                    psi: float,
                    training: bool,
                    generator: Optional[torch.Generator] = None,
                    rescale_deep: bool = True) -> Tensor:
    """Mix deep and shallow features, eq. (9) (training) / (10) (inference).

    Args:
        x_deep (Tensor): Deep features x^(d), any shape, e.g. (B, C, H, W).
        x_shallow (Tensor): Shallow features x^(s), same shape.
        psi (float): Mixing rate in [0, 1] (reference: 0.3).
        training (bool): Stochastic eq. (9) if True, else eq. (10).
        generator (torch.Generator, optional): RNG of the Bernoulli draw, on
            the device of the features. Default: global RNG.
        rescale_deep (bool): Replace x_d by (x_d - psi x_s) / (1 - psi) at
            training time, as the reference does (training expectation =
            x_d); see the module docstring. Default: True.

    Returns:
        Tensor: Mixed features with the shape of ``x_deep``. Training:
        ``(1 - r) x_d + r x_s``, r ~ Bernoulli(psi) per element (x_d
        rescaled if ``rescale_deep``). Inference: ``(1 - psi) x_d + psi
        x_s``. Edge cases: psi = 0 gives x_d and psi = 1 gives x_s in both
        modes (no rescaling is possible, or needed, at psi = 1).
    """
    psi = check_psi(psi)
    if x_deep.shape != x_shallow.shape:
        raise ValueError('x_shallow must have the shape of x_deep, got '
                         f'{tuple(x_shallow.shape)} vs {tuple(x_deep.shape)}')
    if not training:
        return (1.0 - psi) * x_deep + psi * x_shallow
    if psi == 0.0:
        return x_deep
    if psi == 1.0:
        return x_shallow
    if rescale_deep:
        x_deep = (x_deep - psi * x_shallow) / (1.0 - psi)
    uniform = torch.rand(
        x_deep.shape,
        generator=generator,
        device=x_deep.device,
        dtype=x_deep.dtype)
    r = (uniform < psi).to(x_deep.dtype)
    return (1.0 - r) * x_deep + r * x_shallow
