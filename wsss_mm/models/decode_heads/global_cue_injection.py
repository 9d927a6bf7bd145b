"""Global Cue Injection (GCI) for the Stochastic Gate's shallow branch."""
from typing import Optional, Tuple

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor


def _check_channels(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f'{name} must be a positive int, got {value!r}')
    return value


@MODELS.register_module()
class GlobalCueInjection(BaseModule):
    """Global Cue Injection via AdaIN (Araslanov & Roth, CVPR 2020, eq. 11).

    Layout of the reference code (visinf/1-stage-wseg, ``mods/gci.py``)::

        a     = GMP(ReLU(Norm(Conv1x1(x_d))))      # (B, 2 * channels)
        gamma = a[:, :channels], beta = a[:, channels:]
        x_hat = Norm_noaffine(Conv1x1(x_s))        # per-channel normalised
        x_s*  = ReLU(x_hat * (gamma + 1) + beta)   # eq. (11), z^(a) = gamma+1
        out   = ReLU(Norm(Conv1x1(x_s*)))

    The shallow normalisation mu/sigma of eq. (11) is, in the reference, a
    BatchNorm WITHOUT affine parameters after a 1x1 conv (batch statistics
    while training, running statistics at test time), not an instance norm
    as AdaIN would suggest; this is the default ``shallow_norm_cfg``.
    ``shallow_norm_cfg=dict(type='IN')`` (InstanceNorm2d, no affine) gives the
    per-image statistics of the paper's AdaIN wording instead. gamma and beta
    come from global max pooling, so they carry no spatial information and
    the deep features may have any spatial size.

    Args:
        deep_channels (int): Channels of the deep features x_d.
        shallow_channels (int): Channels of the shallow features x_s.
        channels (int): Channels of the AdaIN features and of the output
            (the reference uses 256; the deep projection has 2 * channels).
            Default: 256.
        conv_cfg (dict, optional): Config of the conv layers. Default: None.
        norm_cfg (dict, optional): Norm of the deep and output projections.
            Default: ``dict(type='BN', requires_grad=True)``.
        shallow_norm_cfg (dict): Norm of the shallow features; must not have
            affine parameters for eq. (11). Default:
            ``dict(type='BN', affine=False)``.
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
        self.deep_channels = _check_channels('deep_channels', deep_channels)
        self.shallow_channels = _check_channels('shallow_channels',
                                                shallow_channels)
        self.channels = _check_channels('channels', channels)
        if shallow_norm_cfg is None:
            raise ValueError('shallow_norm_cfg must be a norm config (the '
                             'shallow features of eq. (11) are normalised)')
        self.deep_proj = ConvModule(
            deep_channels,
            2 * channels,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.shallow_proj = ConvModule(
            shallow_channels,
            channels,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=shallow_norm_cfg,
            act_cfg=None)
        self.out_proj = ConvModule(
            channels,
            channels,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)

    def global_cues(self, x_deep: Tensor) -> Tuple[Tensor, Tensor]:
        """gamma and beta of eq. (11) by global max pooling.

        Args:
            x_deep (Tensor): Deep features of shape (B, deep_channels, H, W).

        Returns:
            tuple[Tensor, Tensor]: gamma and beta, each (B, channels, 1, 1).
        """
        if x_deep.dim() != 4 or x_deep.shape[1] != self.deep_channels:
            raise ValueError(f'x_deep must be (B, {self.deep_channels}, H, W)'
                             f', got {tuple(x_deep.shape)}')
        cues = self.deep_proj(x_deep).amax(dim=(2, 3), keepdim=True)
        return cues[:, :self.channels], cues[:, self.channels:]

    def forward(self, x_deep: Tensor, x_shallow: Tensor) -> Tensor:
        """Inject global cues of ``x_deep`` into ``x_shallow``.

        Args:
            x_deep (Tensor): Deep features of shape (B, deep_channels, H', W').
            x_shallow (Tensor): Shallow features of shape
                (B, shallow_channels, H, W).

        Returns:
            Tensor: Augmented shallow features x_s* after the output
            projection, shape (B, channels, H, W).
        """
        if x_shallow.dim() != 4 or x_shallow.shape[1] != self.shallow_channels:
            raise ValueError(
                f'x_shallow must be (B, {self.shallow_channels}, H, W), got '
                f'{tuple(x_shallow.shape)}')
        if x_deep.shape[0] != x_shallow.shape[0]:
            raise ValueError('x_deep and x_shallow must have the same batch '
                             f'size, got {x_deep.shape[0]} and '
                             f'{x_shallow.shape[0]}')
        gamma, beta = self.global_cues(x_deep)
        x_hat = self.shallow_proj(x_shallow)
        return self.out_proj(F.relu(x_hat * (gamma + 1.0) + beta))
