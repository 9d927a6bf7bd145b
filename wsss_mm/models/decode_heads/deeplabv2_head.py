"""DeepLab v2 ASPP heads (Chen et al., TPAMI 2018): DSRG's / FickleNet's
ResNet-101 segmentation network (:class:`DeepLabV2Head`) and DSRG's VGG-16
one (:class:`DeepLabV2VGGHead`)."""
from typing import Sequence

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS

from wsss_mm.utils.checks import check_ints


@MODELS.register_module()
class DeepLabV2Head(BaseDecodeHead):
    """DeepLab v2's ASPP (ResNet-101 variant): parallel 3x3 convolutions
    with dilations 6, 12, 18, 24 map the features straight to the classes,
    and their outputs are summed (Caffe ``fc1_voc12_c0..c3`` + ``Eltwise
    SUM``). Unlike mmseg's ``ASPPHead`` (DeepLab v3: 256-channel branches,
    image pooling, concatenation, BN) there is no hidden layer.

    Args:
        dilations (Sequence[int]): one branch per dilation.
        in_channels (int): channels of ``inputs[in_index]`` (2048 for res5).
        num_classes (int): classes, background included.
        channels (int): unused (there is no hidden layer); kept because
            ``BaseDecodeHead`` requires it.
        dropout_ratio (float): dropout on the features before the branches
            (DeepLab v2-ResNet: none).
        Other args: see ``BaseDecodeHead``. Branch weights ~ N(0, 0.01),
        biases 0, as DeepLab v2 initialises them.
    """

    def __init__(self,
                 dilations: Sequence[int] = (6, 12, 18, 24),
                 channels: int = 1,
                 dropout_ratio: float = 0.0,
                 init_cfg=dict(
                     type='Normal', std=0.01, override=dict(name='aspp')),
                 **kwargs):
        dilations = check_ints(
            'DeepLabV2Head', 'dilations', dilations, min_value=1)
        super().__init__(
            channels=channels,
            dropout_ratio=dropout_ratio,
            init_cfg=init_cfg,
            **kwargs)
        del self.conv_seg  # the ASPP branches are the classifiers
        self.dilations = dilations
        self.aspp = nn.ModuleList(
            nn.Conv2d(
                self.in_channels, self.out_channels, 3, padding=d, dilation=d)
            for d in self.dilations)

    def cls_seg(self, feat):
        if self.dropout is not None:
            feat = self.dropout(feat)
        out = self.aspp[0](feat)
        for branch in self.aspp[1:]:
            out = out + branch(feat)
        return out

    def forward(self, inputs):
        return self.cls_seg(self._transform_inputs(inputs))


class _VGGASPPBranch(nn.Module):
    """One DeepLab-ASPP (VGG-16) branch: fc6 (3x3, dilation r) -> ReLU ->
    dropout -> fc7 (1x1) -> ReLU -> dropout -> fc8 (``conv_seg``, 1x1)."""

    def __init__(self,
                 in_channels,
                 channels,
                 num_classes,
                 dilation,
                 dropout_ratio,
                 conv_cfg=None,
                 act_cfg=dict(type='ReLU')):
        super().__init__()
        self.fc6 = ConvModule(
            in_channels,
            channels,
            3,
            padding=dilation,
            dilation=dilation,
            conv_cfg=conv_cfg,
            norm_cfg=None,
            act_cfg=act_cfg)
        self.fc7 = ConvModule(
            channels,
            channels,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=None,
            act_cfg=act_cfg)
        # Caffe's Dropout layer drops single units (not whole channels)
        self.drop = nn.Dropout(
            dropout_ratio) if dropout_ratio > 0 else nn.Identity()
        self.conv_seg = nn.Conv2d(channels, num_classes, 1)
        # the prototxt's fc8 fillers (gaussian 0.01, bias 0), set here: an
        # init_cfg override cannot name a layer inside the branches
        nn.init.normal_(self.conv_seg.weight, std=0.01)
        nn.init.zeros_(self.conv_seg.bias)

    def forward(self, x):
        return self.conv_seg(self.drop(self.fc7(self.drop(self.fc6(x)))))


@MODELS.register_module()
class DeepLabV2VGGHead(BaseDecodeHead):
    """DeepLab v2's ASPP on VGG-16 (DeepLab-ASPP-L; DSRG's VGG-16 network,
    speedinghzl/DSRG ``train-s.prototxt``): ``pool5a`` (3x3 stride-1 average
    pooling), then one branch per dilation (6, 12, 18, 24), each
    fc6 3x3 dilated -> 1024, ReLU, dropout 0.5, fc7 1x1 -> 1024, ReLU, dropout
    0.5, fc8 1x1 -> classes; the branches' class maps are summed (Caffe
    ``fc8-SEC_1..4`` + ``Eltwise SUM``).

    fc8 (``branches.{i}.conv_seg``) ~ N(0, 0.01), bias 0, as the prototxt
    (set when built; fc6 / fc7 get ConvModule's Kaiming init unless loaded).
    fc6 / fc7 start from the ImageNet VGG-16 classifier as DSRG's
    (``vgg16_20M_mc``: every branch gets the same decimated fc6 / fc7):
    ``tools/model_converters/vgg16_deeplab_fc.py --head aspp`` writes them as
    ``decode_head.branches.{i}.fc6.conv.*`` / ``...fc7.conv.*``, loaded by
    ``init_cfg=dict(type='Pretrained', checkpoint=..., prefix='decode_head.')``
    (configs/_base_/models/deeplab_aspp_vgg16.py).

    Args:
        dilations (Sequence[int]): one branch per dilation.
        channels (int): fc6 / fc7 width (1024).
        dropout_ratio (float): dropout after fc6 and after fc7 (0.5).
        with_pool5a (bool): the average pooling before the branches (True,
            as DSRG's prototxt).
        Other args: see ``BaseDecodeHead``.
    """

    def __init__(self,
                 dilations: Sequence[int] = (6, 12, 18, 24),
                 with_pool5a: bool = True,
                 dropout_ratio: float = 0.5,
                 init_cfg=None,
                 **kwargs):
        dilations = check_ints(
            'DeepLabV2VGGHead', 'dilations', dilations, min_value=1)
        super().__init__(
            dropout_ratio=dropout_ratio, init_cfg=init_cfg, **kwargs)
        del self.conv_seg  # each branch has its own fc8
        self.dropout = None
        self.dilations = dilations
        self.pool5a = nn.AvgPool2d(
            3, stride=1, padding=1) if with_pool5a else nn.Identity()
        self.branches = nn.ModuleList(
            _VGGASPPBranch(self.in_channels, self.channels, self.out_channels,
                           d, dropout_ratio, self.conv_cfg, self.act_cfg)
            for d in self.dilations)

    def cls_seg(self, feat):
        out = self.branches[0](feat)
        for branch in self.branches[1:]:
            out = out + branch(feat)
        return out

    def forward(self, inputs):
        return self.cls_seg(self.pool5a(self._transform_inputs(inputs)))
