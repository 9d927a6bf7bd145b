"""WideResNet-38 ("ResNet-38d"), the backbone of most WSSS work since
AffinityNet.

Wu, Shen & van den Hengel, "Wider or Deeper: Revisiting the ResNet Model for
Visual Recognition" (Pattern Recognition 2019), model A1 of its ImageNet
table, converted from MXNet to PyTorch by AffinityNet (Ahn & Kwak, CVPR'18)
and used in this dilated, output-stride-8 form by Araslanov & Roth (CVPR'20,
the backbone of their 59.7 / 62.7 VOC val numbers; reference code
visinf/1-stage-wseg, ``models/backbones/resnet38d.py``).

Layout (pre-activation residual units: BN-ReLU comes first and feeds both the
residual branch and, where the shape changes, the 1x1 projection shortcut)::

    conv1a   3x3 conv 3 -> 64                                   stride 1
    b2       3 units of two 3x3 convs, 128 / 128, first stride 2     2
    b3       3 units, 256 / 256, first stride 2                      4
    b4       6 units, 512 / 512, first stride 2                      8
    b5       3 units, 512 / 1024, dilation 2 (first conv of b5: 1)   8
    b6       1 bottleneck unit 1x1 512, 3x3 1024, 1x1 2048, dil. 4   8
             (Dropout2d 0.3 before the 3x3 and the last 1x1)
    b7       1 bottleneck unit 1x1 1024, 3x3 2048, 1x1 4096, dil. 4  8
             (Dropout2d 0.5)
    bn7      BN + ReLU of the 4096-channel output

No conv has a bias. Module and parameter names are those of the reference,
so the converted ImageNet checkpoint ``ilsvrc-cls_rna-a1_cls1000_ep-0001.pth``
(the reference's download, AffinityNet's conversion) loads as it is, with
``init_cfg=dict(type='Pretrained', checkpoint=PATH)``: keys ``conv1a.weight``,
``b2.bn_branch2a.{weight,bias,running_mean,running_var}``,
``b2.conv_branch2a.weight``, ``b2.bn_branch2b1.*``,
``b2.conv_branch2b1.weight``,
``b2.conv_branch1.weight`` (projection units only), ``b2_1.*``, ...,
``b6.bn_branch2b2.*``, ``b6.conv_branch2b2.weight``, ..., ``bn7.*``. The
checkpoint's extra keys (its ImageNet classifier) are ignored, as in the
reference's ``load_state_dict(strict=False)``. A whole-model checkpoint with
the backbone under a prefix loads with ``init_cfg=dict(type='Pretrained',
checkpoint=PATH, prefix='backbone.')``.

Outputs (``out_indices`` over the six stages b2..b7): the output of a stage's
last unit (the residual sum, before the next unit's BN-ReLU; the reference's
``conv3`` is stage 1), and for the last stage ``ReLU(bn7(.))`` (the
reference's ``conv6``). Channels (128, 256, 512, 1024, 2048, 4096), strides
(2, 4, 8, 8, 8, 8). The default ``(1, 5)`` gives what the single-stage model
taps: the stride-4 skip (256 ch) and the stride-8 deep map (4096 ch); a
321 x 321 input gives 81 x 81 and 41 x 41.

Training state as in the reference (``SoftMaxAE``): conv1a and stage b2
frozen (``frozen_stages=1``: its ``_fix_params``), every backbone BatchNorm
frozen, statistics and affine parameters (``norm_eval=True`` and
``norm_cfg=dict(type='BN', requires_grad=False)``: its
``_fix_running_stats(self, fix_params=True)``).
"""
from typing import Optional, Sequence

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from wsss_mm.utils.checks import (check_int, check_ints, check_number,
                                  check_rate, renamed_key)

#: (unit names, mid channels, out channels, first stride, dilation of the
#: first conv of the first unit, dilation of the others) of the four stages of
#: two-conv units.
BASIC_STAGES = (
    (('b2', 'b2_1', 'b2_2'), 128, 128, 2, 1, 1),
    (('b3', 'b3_1', 'b3_2'), 256, 256, 2, 1, 1),
    (('b4', 'b4_1', 'b4_2', 'b4_3', 'b4_4', 'b4_5'), 512, 512, 2, 1, 1),
    (('b5', 'b5_1', 'b5_2'), 512, 1024, 1, 1, 2),
)
#: (unit name, out channels, dilation) of the two bottleneck stages; the 1x1 /
#: 3x3 widths are out / 4 and out / 2.
BOTTLENECK_STAGES = (('b6', 2048, 4), ('b7', 4096, 4))
STEM_CHANNELS = 64
STAGE_NAMES = ('b2', 'b3', 'b4', 'b5', 'b6', 'b7')
STAGE_STRIDES = (2, 4, 8, 8, 8, 8)


def _conv(in_ch: int,
          out_ch: int,
          kernel: int,
          stride: int = 1,
          dilation: int = 1) -> nn.Conv2d:
    pad = dilation * (kernel - 1) // 2
    return nn.Conv2d(
        in_ch,
        out_ch,
        kernel,
        stride,
        padding=pad,
        dilation=dilation,
        bias=False)


class PreActUnit(nn.Module):
    """Pre-activation unit of ResNet-38d, two 3x3 convs (``bottleneck=False``)
    or 1x1-3x3-1x1 (``bottleneck=True``, with Dropout2d before the last two
    convs), with a 1x1 projection shortcut when the shape changes.

    ``forward(x)``: ``a = ReLU(bn_branch2a(x))``; residual branch on ``a``;
    shortcut ``conv_branch1(a)`` (projection) or ``x`` (identity).
    """

    def __init__(
            self,
            in_ch: int,
            mid_ch: int,
            out_ch: int,
            stride: int = 1,
            dilation: int = 1,
            first_dilation: Optional[int] = None,
            bottleneck: bool = False,
            dropout: float = 0.0,
            norm_cfg: dict = dict(type='BN'),
    ) -> None:
        super().__init__()
        self.bottleneck = bool(bottleneck)
        self.projection = in_ch != out_ch or stride != 1
        first_dilation = dilation if first_dilation is None else first_dilation

        def norm(ch):
            return build_norm_layer(norm_cfg, ch)[1]

        self.bn_branch2a = norm(in_ch)
        if self.bottleneck:
            # widths out/4 (1x1, carries the stride) and out/2 (3x3, dilated)
            self.conv_branch2a = _conv(in_ch, out_ch // 4, 1, stride)
            self.bn_branch2b1 = norm(out_ch // 4)
            self.dropout_2b1 = nn.Dropout2d(dropout)
            self.conv_branch2b1 = _conv(
                out_ch // 4, out_ch // 2, 3, dilation=dilation)
            self.bn_branch2b2 = norm(out_ch // 2)
            self.dropout_2b2 = nn.Dropout2d(dropout)
            self.conv_branch2b2 = _conv(out_ch // 2, out_ch, 1)
        else:
            self.conv_branch2a = _conv(in_ch, mid_ch, 3, stride,
                                       first_dilation)
            self.bn_branch2b1 = norm(mid_ch)
            self.conv_branch2b1 = _conv(mid_ch, out_ch, 3, dilation=dilation)
        if self.projection:
            self.conv_branch1 = _conv(in_ch, out_ch, 1, stride)

    def forward(self, x: Tensor) -> Tensor:
        a = F.relu(self.bn_branch2a(x))
        shortcut = self.conv_branch1(a) if self.projection else x
        y = F.relu(self.bn_branch2b1(self.conv_branch2a(a)))
        if self.bottleneck:
            y = self.conv_branch2b1(self.dropout_2b1(y))
            y = F.relu(self.bn_branch2b2(y))
            y = self.conv_branch2b2(self.dropout_2b2(y))
        else:
            y = self.conv_branch2b1(y)
        return shortcut + y


@MODELS.register_module()
class WideResNet38(BaseModule):
    """WideResNet-38 (ResNet-38d) at output stride 8; see the module docstring.

    Args:
        out_indices (Sequence[int]): Stages (0..5 = b2..b7) whose outputs are
            returned. Default (1, 5): stride-4 256-ch and stride-8 4096-ch.
        frozen_stages (int): -1 freezes nothing, 0 conv1a, k >= 1 conv1a and
            stages 0..k-1 (parameters frozen, their BN in eval mode). Default
            1 (the reference freezes conv1a and b2).
        norm_cfg (dict): Norm layers. Default ``dict(type='BN',
            requires_grad=False)`` (the reference's frozen backbone BN).
        norm_eval (bool): Keep every BN of the backbone in eval mode (frozen
            running statistics). Default True (reference).
        dropout_ratios (Sequence[float]): Dropout2d rates of the b6 and b7
            units (the old name ``dropouts`` is accepted for one release,
            with a ``DeprecationWarning``).
            Default (0.3, 0.5) (reference).
        width_mult (float): Channel multiplier for small test / mini models;
            1.0 is the reference network (any other value loads no
            reference checkpoint). Default 1.0.
        init_cfg (dict, optional): e.g. ``dict(type='Pretrained',
            checkpoint='.../ilsvrc-cls_rna-a1_cls1000_ep-0001.pth')``.
    """

    def __init__(self,
                 out_indices: Sequence[int] = (1, 5),
                 frozen_stages: int = 1,
                 norm_cfg: dict = dict(type='BN', requires_grad=False),
                 norm_eval: bool = True,
                 dropout_ratios: Sequence[float] = (0.3, 0.5),
                 width_mult: float = 1.0,
                 init_cfg: Optional[dict] = None,
                 dropouts: Optional[Sequence[float]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        out_indices = check_ints(
            'WideResNet38',
            'out_indices',
            out_indices,
            0,
            5,
            hint=f' (stages {STAGE_NAMES})')
        check_int('WideResNet38', 'frozen_stages', frozen_stages, -1, 6)
        dropouts = tuple(
            renamed_key('WideResNet38', 'dropouts', 'dropout_ratios', dropouts,
                        tuple(dropout_ratios), (0.3, 0.5)))
        if len(dropouts) != 2:
            raise ValueError('WideResNet38: dropout_ratios needs two rates in '
                             f'[0, 1), got {dropouts!r}')
        for p in dropouts:
            check_rate('WideResNet38', 'dropout_ratios', p)
        check_number(
            'WideResNet38', 'width_mult', width_mult, low=0, low_open=True)
        self.out_indices = out_indices
        self.frozen_stages = frozen_stages
        self.norm_eval = bool(norm_eval)

        def width(ch):
            return max(4, int(round(ch * width_mult / 4)) * 4)

        in_ch = width(STEM_CHANNELS)
        self.conv1a = _conv(3, in_ch, 3)
        self.stage_units, self.out_channels_per_stage = [], []
        for names, mid, out, stride, first_dil, dil in BASIC_STAGES:
            mid, out = width(mid), width(out)
            for k, name in enumerate(names):
                unit = PreActUnit(
                    in_ch,
                    mid,
                    out,
                    stride=stride if k == 0 else 1,
                    dilation=dil,
                    first_dilation=first_dil if k == 0 else dil,
                    norm_cfg=norm_cfg)
                self.add_module(name, unit)
                in_ch = out
            self.stage_units.append(names)
            self.out_channels_per_stage.append(out)
        for (name, out, dil), p in zip(BOTTLENECK_STAGES, dropouts):
            out = width(out)
            self.add_module(
                name,
                PreActUnit(
                    in_ch,
                    0,
                    out,
                    dilation=dil,
                    bottleneck=True,
                    dropout=p,
                    norm_cfg=norm_cfg))
            in_ch = out
            self.stage_units.append((name, ))
            self.out_channels_per_stage.append(out)
        self.bn7 = build_norm_layer(norm_cfg, in_ch)[1]
        self.out_channels = tuple(self.out_channels_per_stage[i]
                                  for i in out_indices)
        self._freeze_stages()

    # ------------------------------------------------------------ freezing --
    def _frozen_modules(self):
        if self.frozen_stages >= 0:
            yield self.conv1a
        for stage in range(min(self.frozen_stages, 6)):
            for name in self.stage_units[stage]:
                yield getattr(self, name)
        if self.frozen_stages >= 6:
            yield self.bn7

    def _freeze_stages(self) -> None:
        for module in self._frozen_modules():
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True):
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self

    # ------------------------------------------------------------- forward --
    def forward(self, x: Tensor):
        x = self.conv1a(x)
        outs = []
        for stage, names in enumerate(self.stage_units):
            for name in names:
                x = getattr(self, name)(x)
            if stage == 5:
                x = F.relu(self.bn7(x))
            if stage in self.out_indices:
                outs.append(x)
            if stage >= max(self.out_indices):
                break
        return tuple(outs)


__all__ = ['WideResNet38', 'PreActUnit']
