"""VGG-16 as used by DeepLab-LargeFOV, FickleNet, DSRG and most WSSS work."""
from typing import Optional, Sequence

import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmseg.registry import MODELS

# (number of 3x3 convs, channels) of the five VGG-16 stages.
VGG16_STAGES = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))


@MODELS.register_module()
class DeepLabVGG(BaseModule):
    """VGG-16 without FC layers, output stride 8 (DeepLab v1/v2 style).

    pool1-3 downsample (3x3, stride 2, pad 1), pool4 keeps the resolution
    (stride 1), conv5 is dilated by ``conv5_dilation`` (2) and pool5 (stride 1)
    is optional: FickleNet Sec. 4.1 removes the last pooling layer and the FC
    layers and dilates conv5, so a 321x321 crop gives a 512x41x41 map.

    Without ``norm_cfg`` the module names match torchvision's ``vgg16``
    (``features.{i}``), so ImageNet weights load with
    ``init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')``.

    Args:
        width_mult (float): channel multiplier (the mini benchmark uses 1/8).
        out_indices (Sequence[int]): stages whose outputs are returned
            (0..4; strides 2, 4, 8, 8, 8).
        with_last_pool (bool): keep pool5 (stride 1).
        norm_cfg (dict, optional): e.g. ``dict(type='BN')`` after each conv.
        frozen_stages (int): stages (from 0) whose parameters are frozen; -1
        none.
        out_before_pool (bool): return each stage's output *before* its
            pooling layer (strides 1, 2, 4, 8, 8). With ``out_indices=(2, 4)``
            this gives conv3_3 at stride 4 (256 channels: the DeepLabv3+ skip
            of Araslanov & Roth's VGG-16, ``conv3`` in their code) and conv5
            at stride 8. Default False (strides 2, 4, 8, 8, 8).
    """

    def __init__(self,
                 width_mult: float = 1.0,
                 out_indices: Sequence[int] = (4, ),
                 conv5_dilation: int = 2,
                 with_last_pool: bool = False,
                 norm_cfg: Optional[dict] = None,
                 frozen_stages: int = -1,
                 init_cfg=None,
                 out_before_pool: bool = False):
        super().__init__(init_cfg=init_cfg)
        if not all(0 <= i <= 4 for i in out_indices):
            raise ValueError(
                f'DeepLabVGG: out_indices must lie in 0..4, got {out_indices}')
        if width_mult <= 0:
            raise ValueError(
                f'DeepLabVGG: width_mult must be > 0, got {width_mult}')
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        self.out_before_pool = bool(out_before_pool)
        layers, self.stage_ends, in_ch = [], [], 3
        for stage, (num_convs, ch) in enumerate(VGG16_STAGES):
            ch = max(1, int(round(ch * width_mult)))
            dilation = conv5_dilation if stage == 4 else 1
            for _ in range(num_convs):
                layers.append(
                    nn.Conv2d(
                        in_ch, ch, 3, padding=dilation, dilation=dilation))
                if norm_cfg is not None:
                    layers.append(build_norm_layer(norm_cfg, ch)[1])
                layers.append(nn.ReLU(inplace=True))
                in_ch = ch
            if stage < 3:
                layers.append(nn.MaxPool2d(3, stride=2, padding=1))
            elif stage == 3 or with_last_pool:
                layers.append(nn.MaxPool2d(3, stride=1, padding=1))
            self.stage_ends.append(len(layers))
        self.features = nn.Sequential(*layers)
        self.out_channels = in_ch

    def forward(self, x):
        outs, start = [], 0
        for stage, end in enumerate(self.stage_ends):
            taken = False
            for layer in self.features[start:end]:
                if (self.out_before_pool and stage in self.out_indices
                        and isinstance(layer, nn.MaxPool2d)):
                    outs.append(x)
                    taken = True
                x = layer(x)
            start = end
            if stage in self.out_indices and not taken:
                outs.append(x)
        return tuple(outs)

    def _freeze_stages(self):
        start = 0
        for stage, end in enumerate(self.stage_ends):
            if stage > self.frozen_stages:
                break
            for layer in self.features[start:end]:
                layer.eval()
                for p in layer.parameters():
                    p.requires_grad = False
            start = end

    def train(self, mode: bool = True):
        super().train(mode)
        self._freeze_stages()
        return self
