"""A classifier trained on image-level labels that predicts seeds."""
import os.path as osp
from typing import Optional

import torch
from mmengine.structures import PixelData
from mmseg.models.segmentors.base import BaseSegmentor
from mmseg.registry import MODELS
from torch import Tensor

from wsss_mm.utils.io import read_label_png


@MODELS.register_module()
class WeakClassifier(BaseSegmentor):
    """Stages 1 and 2 of WSSS as one mmseg segmentor.

    - ``loss`` (``tools/train.py``): backbone (+ neck) + ``cls_head`` trained
      with the image-level labels only (``gt_img_labels``); GT masks are never
      read.
    - ``predict`` (``tools/test.py``, *seed mode*): ``seed_generator`` turns the
      class maps into seeds, returned as ``pred_sem_seg`` (0 background,
      1..C foreground, 255 ignore) with the score maps as ``seg_logits``.
      A ``SeedMetric`` evaluator writes them and reports seed mIoU.

    Args:
        backbone, neck (dict): any mmseg/mmpretrain backbone and optional neck.
        cls_head (dict): a head with ``forward(feats) -> (B, C, h, w)`` class
            maps, ``class_scores(maps)`` and ``loss(feats, data_samples)``
            (``CAMHead`` or a method's head).
        seed_generator (dict): e.g. ``dict(type='CAMSeedGenerator')``.
        test_cfg (dict): ``reuse_seed_dir``: a folder of seeds already written
            (resume): images whose seed PNG exists there are not recomputed.
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 neck: Optional[dict] = None,
                 seed_generator: dict = dict(type='CAMSeedGenerator'),
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if pretrained is not None:
            backbone.init_cfg = dict(type='Pretrained', checkpoint=pretrained)
        self.backbone = MODELS.build(backbone)
        if neck is not None:
            self.neck = MODELS.build(neck)
        self.cls_head = MODELS.build(cls_head)
        self.seed_generator = MODELS.build(seed_generator)
        self.train_cfg = train_cfg or {}
        self.test_cfg = test_cfg or {}
        self.align_corners = False

    @property
    def num_classes(self) -> int:
        """Foreground classes."""
        return self.cls_head.num_classes

    def extract_feat(self, inputs: Tensor):
        feats = self.backbone(inputs)
        if self.with_neck:
            feats = self.neck(feats)
        return feats

    def class_maps(self, inputs: Tensor) -> Tensor:
        """(B, 3, H, W) -> class maps (B, C, h, w) before pooling (CAMs)."""
        return self.cls_head(self.extract_feat(inputs))

    def encode_decode(self, inputs: Tensor, batch_img_metas=None) -> Tensor:
        maps = self.class_maps(inputs)
        return torch.nn.functional.interpolate(
            maps, size=inputs.shape[-2:], mode='bilinear', align_corners=False)

    def loss(self, inputs: Tensor, data_samples) -> dict:
        return self.cls_head.loss(self.extract_feat(inputs), data_samples)

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        return self.class_maps(inputs)

    def predict(self, inputs: Tensor, data_samples=None):
        if data_samples is None:
            raise ValueError('WeakClassifier.predict needs data samples (metainfo)')
        reused = self._reuse_existing(data_samples)
        if reused is None:
            outputs = self.seed_generator.generate(self, inputs, data_samples)
        else:
            outputs = reused
        for sample, (scores, seeds) in zip(data_samples, outputs):
            sample.set_data({
                'seg_logits': PixelData(data=scores),
                'pred_sem_seg': PixelData(data=seeds[None].long()),
            })
        return data_samples

    def _reuse_existing(self, data_samples):
        folder = self.test_cfg.get('reuse_seed_dir')
        if not folder:
            return None
        paths = [osp.join(folder, osp.splitext(osp.basename(
            s.metainfo['img_path']))[0] + '.png') for s in data_samples]
        if not all(osp.isfile(p) for p in paths):
            return None
        outputs = []
        for sample, path in zip(data_samples, paths):
            seeds = torch.from_numpy(read_label_png(path).astype('int64'))
            empty = torch.zeros((self.num_classes + 1, ) + tuple(seeds.shape))
            outputs.append((empty, seeds))
            sample.set_metainfo({'seed_reused': True})
        return outputs
