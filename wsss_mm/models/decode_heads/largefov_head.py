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

    fc6 / fc7 can start from the ImageNet VGG-16 classifier as DeepLab's do
    (fc6 4096x512x7x7 decimated to 1024x512x3x3, fc7 to 1024x1024; the
    dilation 12 = 4 (stride 32 -> 8) x 3 (every third tap of the 7x7)):
    ``tools/model_converters/vgg16_deeplab_fc.py --head largefov`` writes
    them as ``decode_head.fc6.conv.*`` / ``decode_head.fc7.conv.*``, loaded
    with ``init_cfg=[dict(type='Normal', std=0.01, override=dict(name=
    'conv_seg')), dict(type='Pretrained', checkpoint=...,
    prefix='decode_head.')]``
    (configs/_base_/models/deeplab_largefov_vgg16.py:
    ``largefov_imagenet_init``).

    Args:
        dilation (int): dilation of fc6.
        with_pool5a (bool): a 3x3 stride-1 average pooling (DeepLab's and
            SEC's / DSRG's ``pool5a``) before fc6. Default False (this
            package's LargeFOV so far).
        Other args: see ``BaseDecodeHead`` (``dropout_ratio`` is applied
            after fc6 and fc7).
    """

    def __init__(self,
                 dilation: int = 12,
                 with_pool5a: bool = False,
                 **kwargs):
        super().__init__(**kwargs)
        self.pool5a = nn.AvgPool2d(
            3, stride=1, padding=1) if with_pool5a else nn.Identity()
        self.fc6 = ConvModule(
            self.in_channels,
            self.channels,
            3,
            padding=dilation,
            dilation=dilation,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)
        self.fc7 = ConvModule(
            self.channels,
            self.channels,
            1,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)
        self.drop6 = nn.Dropout2d(
            self.dropout_ratio) if self.dropout_ratio > 0 else nn.Identity()

    def forward(self, inputs):
        x = self.pool5a(self._transform_inputs(inputs))
        x = self.drop6(self.fc6(x))
        return self.cls_seg(self.fc7(x))  # cls_seg applies self.dropout
