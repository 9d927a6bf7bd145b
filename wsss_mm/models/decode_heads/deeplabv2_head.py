"""DeepLab v2 ASPP head (Chen et al., TPAMI 2018): DSRG's / FickleNet's
ResNet-101 segmentation network."""
from typing import Sequence

import torch.nn as nn
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS


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
                 init_cfg=dict(type='Normal', std=0.01, override=dict(name='aspp')),
                 **kwargs):
        if not dilations or any(int(d) < 1 for d in dilations):
            raise ValueError(f'DeepLabV2Head: dilations must be positive ints, got {dilations}')
        super().__init__(channels=channels, dropout_ratio=dropout_ratio,
                         init_cfg=init_cfg, **kwargs)
        del self.conv_seg  # the ASPP branches are the classifiers
        self.dilations = tuple(int(d) for d in dilations)
        self.aspp = nn.ModuleList(
            nn.Conv2d(self.in_channels, self.out_channels, 3, padding=d, dilation=d)
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
