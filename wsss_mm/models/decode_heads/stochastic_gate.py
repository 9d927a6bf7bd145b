"""Registered Stochastic Gate (SG) module."""
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.stochastic_gate import check_psi, stochastic_gate


@MODELS.register_module()
class StochasticGate(nn.Module):
    """Stochastic Gate (Araslanov & Roth, CVPR 2020, Sec. 3.4).

    Training (``self.training``): x = (1 - r) x_d + r x_s with
    r ~ Bernoulli(psi) per element, eq. (9); inference: (1 - psi) x_d +
    psi x_s, eq. (10). With ``rescale_deep=True`` (reference code) x_d is
    replaced at training time by (x_d - psi x_s) / (1 - psi), which makes
    the training expectation equal to x_d (not to the inference output);
    ``rescale_deep=False`` is the paper's eq. (9), whose expectation equals
    eq. (10). See :mod:`wsss_mm.models.utils.stochastic_gate`.

    Args:
        psi (float): Mixing rate in [0, 1]. Default: 0.3.
        rescale_deep (bool): Reference rescaling of x_d at training time.
            Default: True.
        deterministic (bool): Use eq. (10) at training time too (r = psi),
            the "Deterministic Gate" ablation of Table 1c. Default: False.
    """

    def __init__(self,
                 psi: float = 0.3,
                 rescale_deep: bool = True,
                 deterministic: bool = False) -> None:
        super().__init__()
        self.psi = check_psi(psi)
        self.rescale_deep = bool(rescale_deep)
        self.deterministic = bool(deterministic)

    def extra_repr(self) -> str:
        return (f'psi={self.psi}, rescale_deep={self.rescale_deep}, '
                f'deterministic={self.deterministic}')

    def forward(self, x_deep: Tensor, x_shallow: Tensor) -> Tensor:
        """Mix deep features x_deep and shallow features x_shallow.

        Args:
            x_deep (Tensor): Deep features of shape (B, C, H, W).
            x_shallow (Tensor): Shallow features of shape (B, C, H, W)
                (e.g. the output of :class:`GlobalCueInjection`).

        Returns:
            Tensor: Mixed features of shape (B, C, H, W).
        """
        return stochastic_gate(
            x_deep,
            x_shallow,
            self.psi,
            training=self.training and not self.deterministic,
            rescale_deep=self.rescale_deep)
