"""Stochastic Gate (SG), Araslanov & Roth, CVPR 2020, Sec. 3.4, eq. (9)-(10).

Reference code: visinf/1-stage-wseg, ``models/mods/sg.py``. At training time
the reference does not mix x_d itself but ``x_d' = (x_d - psi x_s) / (1 - psi)``
(its comment: "at train time: E[x] = x1"), so WITH this rescaling the training
expectation is x_d, not the inference output (1 - psi) x_d + psi x_s of
eq. (10); only the plain eq. (9) matches eq. (10) in expectation ("to match the
first moment"). ``rescale_deep=True`` (default) is the reference code that gave
the published numbers, ``rescale_deep=False`` the paper's eq. (9). The
Bernoulli draw is per element, as the reference's ``F.dropout`` on ones.
"""
from typing import Optional

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor


def stochastic_gate(x_deep: Tensor, x_shallow: Tensor, psi: float, training: bool,
                    generator: Optional[torch.Generator] = None,
                    rescale_deep: bool = True) -> Tensor:
    """Eq. (9) (training) / eq. (10) (inference) on features of one shape.

    Training: ``(1 - r) x_d + r x_s``, r ~ Bernoulli(psi) per element, x_d
    rescaled to ``(x_d - psi x_s) / (1 - psi)`` if ``rescale_deep``.
    Inference: ``(1 - psi) x_d + psi x_s``. psi = 0 gives x_d and psi = 1
    gives x_s in both modes. ``generator`` lives on the features' device.
    """
    if not training:
        return (1.0 - psi) * x_deep + psi * x_shallow
    if psi == 0.0:
        return x_deep
    if psi == 1.0:
        return x_shallow
    if rescale_deep:
        x_deep = (x_deep - psi * x_shallow) / (1.0 - psi)
    uniform = torch.rand(x_deep.shape, generator=generator, device=x_deep.device,
                         dtype=x_deep.dtype)
    r = (uniform < psi).to(x_deep.dtype)
    return (1.0 - r) * x_deep + r * x_shallow


@MODELS.register_module()
class StochasticGate(nn.Module):
    """``forward(x_deep, x_shallow)``, both (B, C, H, W): eq. (9) while
    ``self.training``, else eq. (10).

    Args:
        psi (float): Mixing rate in [0, 1]. Default: 0.3.
        rescale_deep (bool): Reference rescaling of x_d at training time.
            Default: True.
        deterministic (bool): Eq. (10) at training time too, the
            "Deterministic Gate" ablation of Table 1c. Default: False.
    """

    def __init__(self, psi: float = 0.3, rescale_deep: bool = True,
                 deterministic: bool = False) -> None:
        super().__init__()
        if isinstance(psi, bool) or not isinstance(psi, (int, float)) or not 0.0 <= psi <= 1.0:
            raise ValueError(f'StochasticGate: psi must be a number in [0, 1], got {psi!r}')
        self.psi = float(psi)
        self.rescale_deep = bool(rescale_deep)
        self.deterministic = bool(deterministic)

    def extra_repr(self) -> str:
        return (f'psi={self.psi}, rescale_deep={self.rescale_deep}, '
                f'deterministic={self.deterministic}')

    def forward(self, x_deep: Tensor, x_shallow: Tensor) -> Tensor:
        return stochastic_gate(x_deep, x_shallow, self.psi,
                               training=self.training and not self.deterministic,
                               rescale_deep=self.rescale_deep)
