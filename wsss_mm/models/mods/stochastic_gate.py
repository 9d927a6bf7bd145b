"""Stochastic Gate (SG), Araslanov & Roth, CVPR 2020, Sec. 3.4, eq. (9)-(10).

Reference code: visinf/1-stage-wseg, ``models/mods/sg.py``. At training time
the reference does not mix x_d itself but ``x_d' = (x_d - psi x_s) / (1 -
psi)``
(its comment: "at train time: E[x] = x1"), so WITH this rescaling the training
expectation is x_d, not the inference output (1 - psi) x_d + psi x_s of
eq. (10); only the plain eq. (9) matches eq. (10) in expectation ("to match the
first moment"). ``rescale_deep=True`` (default) is the reference code that gave
the published numbers, ``rescale_deep=False`` the paper's eq. (9). The
Bernoulli draw is per element, as the reference's ``F.dropout`` on ones.

The "Deterministic Gate" of Table 1c (r = psi at training time too) is not
run at the model's psi = 0.3: Sec. 4.2 says "we used r = psi = 0.5" (57.5 vs
59.8 of the stochastic psi = 0.5 model). ``deterministic=True`` therefore
mixes at ``deterministic_psi`` (default 0.5), in training and inference, so
the ablation ``model.decode_head.gate.deterministic=True`` is the paper's;
``deterministic_psi=None`` keeps ``psi``.
"""
from typing import Optional

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.checks import check_number


def stochastic_gate(x_deep: Tensor,
                    x_shallow: Tensor,
                    psi: float,
                    training: bool,
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
    uniform = torch.rand(
        x_deep.shape,
        generator=generator,
        device=x_deep.device,
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
        deterministic_psi (float, optional): The mixing rate of the
            deterministic gate (used instead of ``psi`` when
            ``deterministic``). Default: 0.5, the paper's ablation; None
            keeps ``psi``.
    """

    def __init__(self,
                 psi: float = 0.3,
                 rescale_deep: bool = True,
                 deterministic: bool = False,
                 deterministic_psi: Optional[float] = 0.5) -> None:
        super().__init__()
        self.psi = check_number('StochasticGate', 'psi', psi, 0, 1)
        if deterministic_psi is not None:
            deterministic_psi = check_number('StochasticGate',
                                             'deterministic_psi',
                                             deterministic_psi, 0, 1)
        self.deterministic_psi = deterministic_psi
        self.rescale_deep = bool(rescale_deep)
        self.deterministic = bool(deterministic)

    @property
    def mixing_rate(self) -> float:
        """The psi in use: ``deterministic_psi`` for the deterministic gate
        (unless None), else ``psi``."""
        if self.deterministic and self.deterministic_psi is not None:
            return self.deterministic_psi
        return self.psi

    def extra_repr(self) -> str:
        return (f'psi={self.psi}, rescale_deep={self.rescale_deep}, '
                f'deterministic={self.deterministic}, '
                f'deterministic_psi={self.deterministic_psi}')

    def forward(self, x_deep: Tensor, x_shallow: Tensor) -> Tensor:
        return stochastic_gate(
            x_deep,
            x_shallow,
            self.mixing_rate,
            training=self.training and not self.deterministic,
            rescale_deep=self.rescale_deep)
