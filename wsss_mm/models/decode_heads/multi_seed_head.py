"""Any mmseg decode head trained on K seed maps per image (Fan et al.,
ECCV'20)."""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .wrapped_decode_head import WrappedDecodeHead


@MODELS.register_module()
class MultiSeedHead(WrappedDecodeHead):
    """Wraps a decode head (``LargeFOVHead``, mmseg's ``ASPPHead``, ...) and
    trains it on the K seeds of each image with ``loss_decode`` (default
    :class:`WSTLoss`, the weighted selective training of Sec. 4.5).

    The seeds come from ``gt_seed_maps`` (K, H, W) of each data sample:
    ``WeakVOCDataset(seed_dirs=[...])`` + ``LoadSeedMaps`` (before the
    geometric transforms, which then move image and seeds together) +
    ``PackWeakSegInputs``. mmseg's data preprocessor pads only
    ``gt_sem_seg``, so the seed maps are padded here, bottom/right with
    ``ignore_index`` by each sample's ``padding_size``, to stay aligned with
    the padded input. Inference is the wrapped head's.

    Args:
        head (dict): the wrapped decode head config (its own ``loss_decode``
            is not used for training).
        loss_decode (dict | list[dict]): losses called as
            ``loss(seg_logits (B, C, H, W), seeds (B, K, H, W))``; summed
            under equal ``loss_name``.
        num_seeds (int, optional): expected K; a different K raises (guards a
            config whose ``seed_dirs`` lost entries). ``None``: any K >= 1.
        num_classes (int, optional): overrides ``head['num_classes']`` (so
            ``model.decode_head.num_classes=N`` works as for a plain head).
    """

    def __init__(self,
                 head: dict,
                 loss_decode: Union[dict,
                                    Sequence[dict]] = dict(type='WSTLoss'),
                 num_seeds: Optional[int] = None,
                 num_classes: Optional[int] = None,
                 init_cfg=None):
        if isinstance(head, dict) and num_classes is not None:
            head = dict(head, num_classes=num_classes)
        super().__init__(head, init_cfg=init_cfg)
        if num_seeds is not None and num_seeds < 1:
            raise ValueError(
                f'MultiSeedHead: num_seeds must be >= 1, got {num_seeds}')
        self.num_seeds = num_seeds
        if isinstance(loss_decode, dict):
            self.loss_decode = MODELS.build(loss_decode)
        elif isinstance(loss_decode, (list, tuple)):
            self.loss_decode = nn.ModuleList(
                MODELS.build(c) for c in loss_decode)
        else:
            raise TypeError(
                'MultiSeedHead: loss_decode must be a dict or a list of '
                f'dicts, got {type(loss_decode).__name__}')

    def stack_seed_maps(self, batch_data_samples) -> Tensor:
        """(B, K, H, W) long seeds, each sample padded like its input image."""
        maps: List[Tensor] = []
        for i, sample in enumerate(batch_data_samples):
            if 'gt_seed_maps' not in sample:
                raise KeyError(
                    f'MultiSeedHead: data sample {i} '
                    f'({sample.metainfo.get("img_path", "?")}) has no '
                    '"gt_seed_maps": '
                    'set the train dataset\'s seed_dirs and put LoadSeedMaps '
                    '(before the geometric transforms) and PackWeakSegInputs '
                    'in '
                    'its pipeline')
            seeds = sample.gt_seed_maps.data
            left, right, top, bottom = sample.metainfo.get(
                'padding_size', (0, 0, 0, 0))
            if left or right or top or bottom:
                seeds = F.pad(
                    seeds, (left, right, top, bottom), value=self.ignore_index)
            maps.append(seeds)
        shapes = {tuple(m.shape) for m in maps}
        if len(shapes) > 1:
            raise ValueError(
                f'MultiSeedHead: seed stacks differ in shape within the '
                f'batch: {sorted(shapes)} (different seed_dirs counts or '
                'image sizes without padding)')
        seeds = torch.stack(maps).long()
        if self.num_seeds is not None and seeds.shape[1] != self.num_seeds:
            raise ValueError(
                f'MultiSeedHead: expected num_seeds={self.num_seeds} seed '
                f'maps per image, got {seeds.shape[1]} (check seed_dirs)')
        return seeds

    def loss_by_feat(self, seg_logits: Tensor, batch_data_samples) -> dict:
        seeds = self.stack_seed_maps(batch_data_samples).to(seg_logits.device)
        seg_logits = self.resize_logits(seg_logits, seeds.shape[-2:])
        losses_decode = self.loss_decode if isinstance(
            self.loss_decode, nn.ModuleList) else [self.loss_decode]
        losses = {}
        for loss_decode in losses_decode:
            value = loss_decode(seg_logits, seeds)
            name = loss_decode.loss_name
            losses[name] = losses[name] + value if name in losses else value
        with torch.no_grad(
        ):  # agreement of the prediction with the valid seeds
            valid = seeds != self.ignore_index
            agree = (seeds == seg_logits.argmax(1, keepdim=True)) & valid
            losses['acc_seed'] = agree.sum() * 100.0 / valid.sum().clamp_min(1)
        return losses
