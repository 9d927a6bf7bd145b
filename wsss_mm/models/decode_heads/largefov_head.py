"""DeepLab-LargeFOV head (DeepLab v1): the segmentation network of DSRG,
FickleNet and Fan et al."""
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS


@MODELS.register_module()
class LargeFOVHead(BaseDecodeHead):
    """fc6: 3x3 conv, dilation 12 -> ``channels`` (1024), ReLU, dropout;
    fc7: 1x1 conv -> ``channels``, ReLU, dropout; fc8 (``conv_seg``): 1x1 to
    the classes. On VGG-16 at output stride 8 this is DeepLab-LargeFOV.

    Args:
        dilation (int): dilation of fc6. Other args: see ``BaseDecodeHead``
            (``dropout_ratio`` is applied after fc6 and fc7).
    """

    def __init__(self, dilation: int = 12, **kwargs):
        super().__init__(**kwargs)
        self.fc6 = ConvModule(self.in_channels, self.channels, 3,
                              padding=dilation, dilation=dilation,
                              conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg,
                              act_cfg=self.act_cfg)
        self.fc7 = ConvModule(self.channels, self.channels, 1,
                              conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg,
                              act_cfg=self.act_cfg)
        self.drop6 = nn.Dropout2d(self.dropout_ratio) if self.dropout_ratio > 0 \
            else nn.Identity()

    def forward(self, inputs):
        x = self._transform_inputs(inputs)
        x = self.drop6(self.fc6(x))
        return self.cls_seg(self.fc7(x))  # cls_seg applies self.dropout
