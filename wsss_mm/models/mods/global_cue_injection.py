"""Global Cue Injection (GCI), Araslanov & Roth, CVPR 2020, Sec. 3.4, eq. (11).

Layout of the reference code (visinf/1-stage-wseg, ``models/mods/gci.py``)::

    a     = GMP(ReLU(Norm(Conv1x1(x_d))))      # (B, 2 * channels, 1, 1)
    gamma = a[:, :channels], beta = a[:, channels:]
    x_hat = Norm_noaffine(Conv1x1(x_s))        # mu / sigma of eq. (11)
    x_s*  = ReLU(x_hat * (gamma + 1) + beta)   # eq. (11), z^(a) = gamma + 1
    out   = ReLU(Norm(Conv1x1(x_s*)))

The shallow normalisation of the reference is a BatchNorm WITHOUT affine
parameters (batch statistics in training, running ones at test time), not the
instance norm the word AdaIN suggests: the default ``shallow_norm_cfg``;
``dict(type='IN')`` gives the per-image statistics instead. gamma and beta
come from global max pooling, so x_d may have any spatial size.
"""
from typing import Optional, Tuple

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.checks import check_int


def inject_global_cues(x_hat: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
    """Eq. (11): x_hat (B, C, H, W) normalised shallow features, gamma and
    beta (B, C, 1, 1) -> ``ReLU(x_hat * (gamma + 1) + beta)``."""
    return F.relu(x_hat * (gamma + 1.0) + beta)


@MODELS.register_module()
class GlobalCueInjection(BaseModule):
    """``forward(x_deep (B, deep_channels, H', W'), x_shallow (B,
    shallow_channels, H, W))`` -> (B, channels, H, W), eq. (11).

    Args:
        deep_channels (int): Channels of x_d.
        shallow_channels (int): Channels of x_s.
        channels (int): Channels of the AdaIN features and the output (the
            deep projection has 2 * channels). Default: 256.
        conv_cfg (dict, optional): Conv config. Default: None.
        norm_cfg (dict, optional): Norm of the deep and output projections.
            Default: ``dict(type='BN', requires_grad=True)``.
        shallow_norm_cfg (dict): Norm of x_s, without affine parameters for
            eq. (11). Default: ``dict(type='BN', affine=False)``.
        act_cfg (dict): Activation of the deep and output projections.
            Default: ``dict(type='ReLU')``.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    def __init__(self,
                 deep_channels: int,
                 shallow_channels: int,
                 channels: int = 256,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = dict(
                     type='BN', requires_grad=True),
                 shallow_norm_cfg: dict = dict(type='BN', affine=False),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        for name, value in (('deep_channels', deep_channels),
                            ('shallow_channels',
                             shallow_channels), ('channels', channels)):
            check_int('GlobalCueInjection', name, value, min_value=1)
        if shallow_norm_cfg is None:
            raise ValueError(
                'GlobalCueInjection: shallow_norm_cfg must be a norm config '
                '(the shallow features of eq. (11) are normalised)')
        self.channels = channels
        kw = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.deep_proj = ConvModule(deep_channels, 2 * channels, 1, **kw)
        self.shallow_proj = ConvModule(
            shallow_channels,
            channels,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=shallow_norm_cfg,
            act_cfg=None)
        self.out_proj = ConvModule(channels, channels, 1, **kw)

    def global_cues(self, x_deep: Tensor) -> Tuple[Tensor, Tensor]:
        """gamma, beta of eq. (11), each (B, channels, 1, 1), by global max
        pooling of the deep projection."""
        cues = self.deep_proj(x_deep).amax(dim=(2, 3), keepdim=True)
        return cues[:, :self.channels], cues[:, self.channels:]

    def forward(self, x_deep: Tensor, x_shallow: Tensor) -> Tensor:
        gamma, beta = self.global_cues(x_deep)
        return self.out_proj(
            inject_global_cues(self.shallow_proj(x_shallow), gamma, beta))
