"""Image classifier head whose class maps are CAMs."""
from typing import Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.checks import check_rate
from ..utils.labels import stack_image_labels


@MODELS.register_module()
class CAMHead(BaseModule):
    """Conv to C class maps, global average pooling, multi-label loss.

    The class maps before pooling are the CAMs of eq. (2) in Fan et al.
    (``M^c = f^T w^c``: with ``kernel_size=1`` the conv is exactly the
    classification layer applied at every position). With ``kernel_size=s,
    stride=s`` on FickleNet's expanded feature map it is FickleNet's
    classifier (Sec. 3.1).

    Args:
        in_channels (int): channels of the feature map ``feats[in_index]``.
        num_classes (int): number of *foreground* classes (VOC: 20).
        kernel_size, stride (int): of the classifier conv.
        dropout_ratio (float): dropout on the features before the conv.
        loss_cls (dict): image-level loss on the pooled scores.
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 in_index: int = -1,
                 kernel_size: int = 1,
                 stride: int = 1,
                 dropout_ratio: float = 0.0,
                 bias: bool = False,
                 loss_cls: dict = dict(type='MultiLabelSoftMarginLoss'),
                 init_cfg=dict(type='Normal', std=0.01, layer='Conv2d')):
        super().__init__(init_cfg=init_cfg)
        if num_classes < 1:
            raise ValueError(
                f'CAMHead: num_classes must be >= 1, got {num_classes}')
        check_rate('CAMHead', 'dropout_ratio', dropout_ratio)
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.in_index = in_index
        self.dropout = nn.Dropout2d(
            dropout_ratio) if dropout_ratio > 0 else nn.Identity()
        self.classifier = nn.Conv2d(
            in_channels, num_classes, kernel_size, stride=stride, bias=bias)
        self.loss_cls = MODELS.build(loss_cls)

    def forward(self, feats: Sequence[Tensor]) -> Tensor:
        """feats: tuple of (B, C_i, H_i, W_i) -> class maps (B, num_classes, h,
        w)."""
        x = feats[self.in_index]
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'CAMHead: in_channels={self.in_channels} but the '
                f'feature map has {x.shape[1]} channels')
        return self.classifier(self.dropout(x))

    @staticmethod
    def class_scores(maps: Tensor) -> Tensor:
        """Global average pooling: (B, C, h, w) -> (B, C)."""
        return F.adaptive_avg_pool2d(maps, 1).flatten(1)

    def loss(self, feats: Sequence[Tensor], data_samples) -> dict:
        labels = stack_image_labels(data_samples, self.num_classes)
        scores = self.class_scores(self.forward(feats))
        losses = {
            self.loss_cls.loss_name: self.loss_cls(scores, labels.to(scores))
        }
        pred = (scores.detach() > 0).float()
        losses['acc_cls'] = (pred == labels).float().mean() * 100
        losses['acc_exact'] = (pred == labels).all(1).float().mean() * 100
        return losses

    def cams(self, feats: Sequence[Tensor]) -> Tuple[Tensor, Tensor]:
        """Inference: (class maps (B, C, h, w), scores (B, C))."""
        maps = self.forward(feats)
        return maps, self.class_scores(maps)
