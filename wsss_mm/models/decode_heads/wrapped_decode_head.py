"""A decode head that puts its own training loss on any mmseg decode head."""
from abc import abstractmethod
from typing import List, Sequence

import torch.nn.functional as F
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from torch import Tensor


class WrappedDecodeHead(BaseModule):
    """Base of the WSSS training losses that need more than one GT map.

    ``EncoderDecoder`` talks to its decode head through ``forward``,
    ``loss(inputs, data_samples, train_cfg)``, ``predict(...)`` and the
    attributes ``num_classes``, ``out_channels``, ``align_corners``,
    ``threshold``. This class builds ``head`` (any mmseg decode head: ASPP,
    DeepLabv3+, LargeFOV, ...), forwards and predicts through it, and lets a
    subclass replace only ``loss_by_feat(seg_logits, data_samples)`` — DSRG's
    grown seeds + CRF boundary loss, Fan et al.'s K-seed WST loss — which
    reads what it needs from the data samples (``gt_sem_seg``,
    ``gt_seed_maps``, ``gt_img_labels``, ``img_rgb`` from
    :class:`WeakEncoderDecoder`).

    Args:
        head (dict): config of the wrapped decode head.
    """

    def __init__(self, head: dict, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not isinstance(head, dict) or 'type' not in head:
            raise TypeError(f'{type(self).__name__}: "head" must be a decode '
                            f'head config dict with a "type", got {head!r}')
        self.head = MODELS.build(head)
        for key in ('num_classes', 'out_channels', 'align_corners'):
            setattr(self, key, getattr(self.head, key))
        self.threshold = getattr(self.head, 'threshold', None)
        self.ignore_index = getattr(self.head, 'ignore_index', 255)

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        return self.head(inputs)

    def predict(self, inputs, batch_img_metas: List[dict], test_cfg) -> Tensor:
        return self.head.predict(inputs, batch_img_metas, test_cfg)

    def predict_by_feat(self, seg_logits: Tensor,
                        batch_img_metas: List[dict]) -> Tensor:
        return self.head.predict_by_feat(seg_logits, batch_img_metas)

    def loss(self, inputs, batch_data_samples, train_cfg) -> dict:
        return self.loss_by_feat(self.forward(inputs), batch_data_samples)

    @abstractmethod
    def loss_by_feat(self, seg_logits: Tensor, batch_data_samples) -> dict:
        """Losses from the head's (B, C, h, w) logits."""

    def resize_logits(self, seg_logits: Tensor, size) -> Tensor:
        """Bilinear resize of (B, C, h, w) logits to the label size."""
        if tuple(seg_logits.shape[-2:]) == tuple(size):
            return seg_logits
        return F.interpolate(
            seg_logits,
            size=size,
            mode='bilinear',
            align_corners=self.align_corners)
