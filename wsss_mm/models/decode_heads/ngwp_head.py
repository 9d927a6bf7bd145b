"""DeepLabv3+ head with Stochastic Gate + GCI (Araslanov & Roth, CVPR 2020)."""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.aspp_head import ASPPModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from wsss_mm.utils.checks import check_int, check_ints, check_rate, renamed_key
from ..utils.ngwp import background_softmax


@MODELS.register_module()
class NGWPHead(BaseDecodeHead):
    """Segmentation head of the single-stage WSSS model (Fig. 3 and 7).

    Layout (reference code visinf/1-stage-wseg, ``SoftMaxAE``), for any
    backbone that returns a stride-4 map (``c1_index``) and a deep map
    (``in_index``), like mmseg's ``DepthwiseSeparableASPPHead``::

        deep  = ASPP(inputs[in_index])               # 1x1 + 3x3 at dilations,
                                                     # image pool, 1x1 ->
                                                     # channels, dropout
                                                     # aspp_dropout_ratio
        skip  = Conv1x1(inputs[c1_index]) -> c1_channels (48)
        x_d   = Conv3x3(cat[up(deep), skip]) -> channels (256)    # "x^(d)"
        x_s   = GCI(x_d, inputs[c1_index])           # eq. (11)   "x^(s)"
        x     = SG(x_d, x_s)                         # eq. (9) / (10)
        x     = Conv3x3 + Dropout(0.5), Conv3x3 + Dropout(0.1)   # decoder
        y     = Conv1x1(x) -> num_classes - 1        # foreground logits

    ``forward`` returns the FOREGROUND logits y of shape
    (B, num_classes - 1, h, w) at the resolution of the stride-4 map: the
    background has no learnt channel, it is the constant logit ``bg_score``
    (1.0) concatenated before the pixel softmax (:func:`background_softmax`).
    ``num_classes`` counts the classes WITH the background, as everywhere in
    mmseg (21 on VOC), so the head plugs into ``IoUMetric`` / ``SegTTAModel``.

    The weak training (nGWP, PAMR pseudo labels) lives in
    :class:`~wsss_mm.models.segmentors.SingleStageSegmentor`. Used inside a
    plain ``EncoderDecoder`` the head is an ordinary DeepLabv3+-like head:
    ``predict_by_feat`` and ``loss_by_feat`` see the full logits
    ``[bg_score, y]`` (C channels), so it also trains on GT masks or seeds.

    ASPP normalisation: the reference freezes the running statistics of
    every BatchNorm of its ASPP (``_fix_running_stats(self.aspp)``; the
    affine parameters still train), so these layers always normalise with
    their initial statistics (mean 0, variance 1) and act as a learnt
    per-channel scale and shift; a batch of one image is then no problem
    for the image pooling branch. ``aspp_norm_eval=True`` (default) does the
    same for the norm layers of ``image_pool``, ``aspp_modules`` and
    ``aspp_bottleneck``; the skip, fusion, GCI and decoder norms train as
    usual (as in the reference).

    Ablations of Table 1c by config: ``gci=None`` replaces GCI by a 1x1
    conv + norm + ReLU of the stride-4 map ("w/o GCI"); ``gate=None`` drops
    the shallow branch ("w/o SG"); ``gate.deterministic=True`` is the
    "Deterministic Gate" (r = psi = 0.5 as in the paper, the gate's
    ``deterministic_psi``).

    Args:
        c1_in_channels (int): Channels of the stride-4 map.
        c1_channels (int): Channels of its 1x1 projection (skip). Default 48.
        c1_index (int): Index of the stride-4 map in the backbone outputs.
            Default 0 (``in_index`` selects the deep map; default -1).
        dilations (Sequence[int]): ASPP rates; the first is a 1x1 conv when
            it is 1. Default (1, 12, 24, 36): the reference's rates (its ASPP
            built with ``output_stride=8`` for every backbone).
        aspp_dropout_ratio (float): Dropout rate after the ASPP projection.
            Default 0.5.
        aspp_norm_eval (bool): Keep the ASPP norm layers in eval mode (frozen
            running statistics) while training. Default True (reference).
        decoder_dropout_ratios (Sequence[float]): Dropout rates after the
            two 3x3 decoder convs. Default (0.5, 0.1). The old names
            ``aspp_dropout`` and ``decoder_dropouts`` are accepted for one
            release, with a ``DeprecationWarning``.
        gci (dict, optional): Extra arguments of ``GlobalCueInjection``
            (deep/shallow/out channels and norm are filled in). Default
            ``dict()``; ``None`` disables GCI.
        gate (dict, optional): Gate config. Default
            ``dict(type='StochasticGate', psi=0.3)``; ``None`` disables SG.
        bg_score (float): Constant background logit. Default 1.0.
        **kwargs: ``BaseDecodeHead`` arguments (``in_channels`` of the deep
            map, ``channels`` (256), ``num_classes``, ``in_index``,
            ``norm_cfg``, ``align_corners``, ``loss_decode`` ...).
            ``dropout_ratio`` defaults to 0 here (the decoder has its own).
    """

    def __init__(self,
                 c1_in_channels: int,
                 c1_channels: int = 48,
                 c1_index: int = 0,
                 dilations: Sequence[int] = (1, 12, 24, 36),
                 aspp_dropout_ratio: float = 0.5,
                 aspp_norm_eval: bool = True,
                 decoder_dropout_ratios: Sequence[float] = (0.5, 0.1),
                 gci: Optional[dict] = dict(),
                 gate: Optional[dict] = dict(type='StochasticGate', psi=0.3),
                 bg_score: float = 1.0,
                 aspp_dropout: Optional[float] = None,
                 decoder_dropouts: Optional[Sequence[float]] = None,
                 **kwargs):
        kwargs.setdefault('dropout_ratio', 0.0)
        if kwargs.get('input_transform') is not None:
            raise ValueError('NGWPHead: input_transform must be None (one '
                             'deep map via in_index, one stride-4 map via '
                             'c1_index)')
        super().__init__(**kwargs)
        if self.num_classes < 2:
            raise ValueError('NGWPHead: num_classes counts the background '
                             f'and must be >= 2, got {self.num_classes}')
        for name, value in (('c1_in_channels', c1_in_channels), ('c1_channels',
                                                                 c1_channels)):
            check_int('NGWPHead', name, value, min_value=1)
        self.c1_index = check_int('NGWPHead', 'c1_index', c1_index)
        check_int('NGWPHead', 'in_index', self.in_index)
        dilations = check_ints('NGWPHead', 'dilations', dilations, min_value=1)
        aspp_dropout = check_rate(
            'NGWPHead', 'aspp_dropout_ratio',
            renamed_key('NGWPHead', 'aspp_dropout', 'aspp_dropout_ratio',
                        aspp_dropout, aspp_dropout_ratio, 0.5))
        decoder_dropouts = tuple(
            renamed_key('NGWPHead', 'decoder_dropouts',
                        'decoder_dropout_ratios', decoder_dropouts,
                        tuple(decoder_dropout_ratios), (0.5, 0.1)))
        if len(decoder_dropouts) != 2:
            raise ValueError('NGWPHead: decoder_dropout_ratios needs two '
                             f'rates, got {decoder_dropouts!r}')
        for rate in decoder_dropouts:
            check_rate('NGWPHead', 'decoder_dropout_ratios', rate)
        self.c1_in_channels = c1_in_channels
        self.bg_score = float(bg_score)
        conv_kw = dict(
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)

        # ASPP (reference models/mods/aspp.py): image pool + rates, 1x1 proj.
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvModule(self.in_channels, self.channels, 1, **conv_kw))
        self.aspp_modules = ASPPModule(dilations, self.in_channels,
                                       self.channels, **conv_kw)
        self.aspp_bottleneck = ConvModule((len(dilations) + 1) * self.channels,
                                          self.channels, 1, **conv_kw)
        self.aspp_dropout = nn.Dropout(
            aspp_dropout) if aspp_dropout else nn.Identity()
        self.aspp_norm_eval = bool(aspp_norm_eval)

        # skip connection and fusion -> x_d
        self.c1_bottleneck = ConvModule(c1_in_channels, c1_channels, 1,
                                        **conv_kw)
        self.fuse = ConvModule(
            self.channels + c1_channels,
            self.channels,
            3,
            padding=1,
            **conv_kw)

        # shallow branch -> x_s
        if gate is None:
            self.gci = None
            self.shallow_proj = None
            self.gate = None
        else:
            if gci is not None:
                gci_cfg = dict(
                    type='GlobalCueInjection',
                    deep_channels=self.channels,
                    shallow_channels=c1_in_channels,
                    channels=self.channels,
                    conv_cfg=self.conv_cfg)
                if self.norm_cfg is not None:
                    gci_cfg['norm_cfg'] = self.norm_cfg
                gci_cfg.update(gci)
                self.gci = MODELS.build(gci_cfg)
                self.shallow_proj = None
            else:
                self.gci = None
                self.shallow_proj = ConvModule(c1_in_channels, self.channels,
                                               1, **conv_kw)
            self.gate = MODELS.build(gate)

        # 3-layer decoder (two 3x3 + the 1x1 conv_seg)
        self.decoder = nn.Sequential(
            ConvModule(self.channels, self.channels, 3, padding=1, **conv_kw),
            nn.Dropout(decoder_dropouts[0])
            if decoder_dropouts[0] else nn.Identity(),
            ConvModule(self.channels, self.channels, 3, padding=1, **conv_kw),
            nn.Dropout(decoder_dropouts[1])
            if decoder_dropouts[1] else nn.Identity())
        # foreground classes only: the background is the constant bg_score
        self.conv_seg = nn.Conv2d(self.channels, self.num_classes - 1, 1)
        self.train(self.training)  # aspp_norm_eval from the start

    def aspp_norms(self) -> List[nn.Module]:
        """The norm layers of the ASPP (image pooling, rates, projection)."""
        return [
            m for part in (self.image_pool, self.aspp_modules,
                           self.aspp_bottleneck) for m in part.modules()
            if isinstance(m, _BatchNorm)
        ]

    def train(self, mode: bool = True):
        """``nn.Module.train``; with ``aspp_norm_eval`` the ASPP norm
        layers stay in eval mode (their running statistics never change)."""
        super().train(mode)
        if mode and self.aspp_norm_eval:
            for m in self.aspp_norms():
                m.eval()
        return self

    def _pick(self, inputs: Sequence[Tensor], index: int, name: str) -> Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise TypeError('NGWPHead expects the tuple of backbone feature '
                            f'maps, got {type(inputs).__name__}')
        try:
            return inputs[index]
        except IndexError:
            raise IndexError(f'NGWPHead: {name}={index} but the backbone gave '
                             f'{len(inputs)} feature map(s); set the '
                             'backbone out_indices to return a stride-4 and a '
                             'deep map') from None

    def deep_and_shallow(self, inputs: Sequence[Tensor]):
        """(x_d, x_s) before the gate; x_s is None without a gate."""
        x = self._pick(inputs, self.in_index, 'in_index')
        c1 = self._pick(inputs, self.c1_index, 'c1_index')
        if (x.shape[1] != self.in_channels
                or c1.shape[1] != self.c1_in_channels):
            raise ValueError(
                f'NGWPHead: expected {self.in_channels} deep channels '
                '(in_index'
                f'={self.in_index}) and {self.c1_in_channels} stride-4 '
                'channels '
                f'(c1_index={self.c1_index}), got {x.shape[1]} and '
                f'{c1.shape[1]}')
        aspp_outs = [
            resize(
                self.image_pool(x),
                size=x.shape[2:],
                mode='bilinear',
                align_corners=self.align_corners)
        ]
        aspp_outs.extend(self.aspp_modules(x))
        deep = self.aspp_dropout(self.aspp_bottleneck(torch.cat(aspp_outs, 1)))
        skip = self.c1_bottleneck(c1)
        deep = resize(
            deep,
            size=skip.shape[2:],
            mode='bilinear',
            align_corners=self.align_corners)
        x_deep = self.fuse(torch.cat([deep, skip], dim=1))
        if self.gate is None:
            return x_deep, None
        if self.gci is not None:
            x_shallow = self.gci(x_deep, c1)
        else:
            x_shallow = self.shallow_proj(c1)
        return x_deep, x_shallow

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """Foreground logits (B, num_classes - 1, h, w), h, w of the c1 map."""
        x_deep, x_shallow = self.deep_and_shallow(inputs)
        x = x_deep if self.gate is None else self.gate(x_deep, x_shallow)
        return self.cls_seg(self.decoder(x))

    def full_logits(self, fg_logits: Tensor) -> Tensor:
        """[bg_score, y]: (B, num_classes, h, w); softmax gives the masks."""
        bg = torch.full_like(fg_logits[:, :1], self.bg_score)
        return torch.cat([bg, fg_logits], dim=1)

    def masks(self, fg_logits: Tensor) -> Tensor:
        """Pixel softmax masks (B, num_classes, h, w), background first."""
        return background_softmax(fg_logits, self.bg_score)

    def predict_by_feat(self, seg_logits: Tensor,
                        batch_img_metas: List[dict]) -> Tensor:
        """Full logits ``[bg_score, y]`` resized to the input (mmseg way)."""
        return super().predict_by_feat(
            self.full_logits(seg_logits), batch_img_metas)

    def loss_by_feat(self, seg_logits: Tensor, batch_data_samples) -> dict:
        """Supervised loss (``loss_decode``) on the full logits vs
        ``gt_sem_seg`` (GT masks or seeds); the weak losses are the
        segmentor's."""
        return super().loss_by_feat(
            self.full_logits(seg_logits), batch_data_samples)
