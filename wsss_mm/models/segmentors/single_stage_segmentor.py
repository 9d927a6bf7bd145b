"""Single-stage WSSS segmentor (Araslanov & Roth, CVPR 2020)."""
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.models.segmentors.base import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import add_prefix
from torch import Tensor

from wsss_mm.utils.checks import check_number
from ..utils.dense_crf import dense_crf
from ..utils.geometry import restore_geometry
from ..utils.labels import stack_image_labels
from ..utils.ngwp import ngwp_class_scores
from ..utils.pseudo_labels import balanced_cross_entropy, pamr_pseudo_labels
from .encoder import build_encoder
from .weak_encoder_decoder import denormalize_inputs

#: CRF of the reference inference (visinf/1-stage-wseg utils/dcrf.py, the
#: AffinityNet/PSA settings): 10 mean-field iterations, Gaussian sxy 3 /
#: compat 3, bilateral sxy 80 / srgb 13 / compat 10, on the image at its
#: original size.
DEFAULT_CRF = dict(
    num_iter=10,
    gaussian=dict(sxy=3, compat=3),
    bilateral=dict(sxy=80, srgb=13, compat=10))

_TEST_KEYS = ('cls_threshold', 'use_gt_labels', 'crf', 'bg_pow', 'mode')
_PSEUDO_KEYS = ('fg_ratio', 'bg_ratio', 'min_score', 'resolution')
OWNER = 'SingleStageSegmentor'


@MODELS.register_module()
class SingleStageSegmentor(BaseSegmentor):
    """One network trained from image-level labels in one run (Fig. 3).

    Training (``loss``; ``tools/train.py``), per batch:

    1. ``y = decode_head(backbone(x))``: foreground logits (B, C, h, w) at
       stride 4 (C foreground classes; ``num_classes = C + 1`` with the
       background, mmseg's convention);
    2. nGWP + focal mask penalty (eq. 3-5, :func:`ngwp_class_scores`;
       background logit ``bg_score`` 1.0, eps 1, p 3, lambda 0.01) -> class
       scores (B, C) -> ``loss_cls`` (multi-label soft margin, eq. 6) against
       ``gt_img_labels``;
    3. only while ``seg_loss_enabled`` (switched off during the warm-up by
       :class:`~wsss_mm.engine.hooks.SegLossWarmupHook`): the detached masks
       are refined by PAMR (10 iterations, dilations 1-2-4-8-12-24) on the
       input image (de-normalised to RGB in [0, 1] and resized to the mask
       resolution), absent classes are zeroed, and
       :func:`pamr_pseudo_labels` (0.6 / 0.7 of the class peak, floor 0.2,
       conflicts ignored, images missing a class discarded) gives pseudo
       labels for the class-balanced CE (:func:`balanced_cross_entropy`) on
       the full logits ``[bg, y]`` -> ``loss_seg`` (weight
       ``seg_loss_weight``, 1.0). As in the reference, PAMR output and
       logits are upsampled (bilinear, align_corners=True) to the input
       size first (``pseudo_label_cfg.resolution='input'``; ``'mask'``
       keeps the stride-4 resolution, ~16x fewer pixels). Also logged:
       ``seg_keep`` (share of images that pass the discard rule). While the
       segmentation loss is off, ``loss_seg`` is reported as 0 and PAMR does
       not run.

    Inference (``predict``; ``tools/test.py``), ``test_cfg``, applied by
    :meth:`finalize` to the masks (softmax over ``[bg, y]``) upsampled to the
    input, padding and flips undone, resized to the original image (mmseg's
    ``postprocess_result`` geometry; :meth:`view_probs`):

    - ``cls_threshold`` (0.1, paper Sec. 4.1 and the reference's ResNet-38
      config; its VGG/ResNet-101 configs use 0.3): masks of classes whose
      classifier confidence ``sigmoid(y_c)`` is below it are zeroed;
    - ``use_gt_labels`` (False): zero the classes absent from the samples'
      ``gt_img_labels`` instead (pseudo-mask quality, Table 2);
    - ``bg_pow`` (1): background mask raised to this power (reference
      ``TEST.BG_POW``: 3 for its ResNet-38/101 configs, 1 for VGG);
    - ``crf`` (None): a dict (``True`` / ``{}`` = :data:`DEFAULT_CRF`) runs a
      dense CRF (:func:`dense_crf`) on the pruned probabilities with the
      original image (read from ``img_path``; the de-normalised input when
      the file is not available). Only the background and the kept classes
      enter the CRF (removed ones stay 0; the reference passes all 21
      channels, the removed ones at probability 0, which its
      ``unary_from_softmax`` clips to 1e-5).

    Output: ``pred_sem_seg`` = argmax of the (pruned, CRF-refined)
    probabilities and ``seg_logits`` = their logarithm (C + 1 channels,
    floor ``log(tiny)``).

    Multi-scale + flip (``--tta``): :class:`SingleStageTTAModel` (the
    single-stage configs' ``tta_model``) averages the views' raw masks
    (``predict(..., finalize=False)``), takes the max confidence over the
    views and runs :meth:`finalize` once on the average, as the reference's
    ``infer_val.py``. (mmseg's ``SegTTAModel`` would average finalized views:
    class filter, ``bg_pow`` and CRF per view.)

    Args:
        backbone (dict): Any mmseg/mmpretrain backbone giving a stride-4 map
            and a deep map (see ``NGWPHead``'s ``c1_index`` / ``in_index``).
        decode_head (dict): ``NGWPHead`` (or any head with the same
            ``forward`` -> foreground logits contract and ``num_classes``
            counting the background).
        neck (dict, optional): Neck config.
        pamr (dict, optional): PAMR config. Default
            ``dict(type='PAMR', num_iter=10, dilations=(1, 2, 4, 8, 12, 24))``.
            ``None`` derives the pseudo-labels from the raw masks, the
            "w/o PAMR" ablation of Table 1b.
        bg_score, eps, focal_p, focal_lambda (float): nGWP / focal penalty
            parameters (1.0, 1.0, 3.0, 0.01).
        loss_cls (dict): Classification loss. Default
            ``dict(type='MultiLabelSoftMarginLoss', loss_weight=1.0)``.
        seg_loss_weight (float): Weight of the segmentation loss (1.0).
        pseudo_label_cfg (dict): ``fg_ratio`` (0.6), ``bg_ratio`` (0.7),
            ``min_score`` (0.2), ``resolution`` ('input' | 'mask').
        seg_loss_enabled (bool): Initial state of the segmentation loss
            switch (the warm-up hook overrides it every iteration).
        supervision (str): ``'weak'`` (default): the training above.
            ``'full'``: the fully supervised reference of the same network:
            ``loss`` is the head's ``loss_decode`` (cross-entropy) on the
            full logits ``[bg, y]`` against ``gt_sem_seg`` (GT masks,
            ``NGWPHead.loss_by_feat``, logged as ``decode.loss_ce``); no
            ``loss_cls``, PAMR, pseudo labels or warm-up switch. Inference
            is unchanged (a config keeps every class with
            ``test_cfg.cls_threshold=0``).
            ``'full_cls'``: the weak training with the GT masks in place of
            its pseudo labels, the upper bound of the pseudo labels on the
            same network and losses: ``loss_cls`` on the nGWP scores and
            the class-balanced CE on ``[bg, y]`` (at the input size) against
            ``gt_sem_seg``, from the first iteration; no PAMR, discard rule
            or warm-up switch.
        train_cfg, test_cfg (dict, optional): see above.
        data_preprocessor (dict, optional): ``SegDataPreProcessor`` config;
            its mean/std de-normalise the input for PAMR and the CRF.
    """

    def __init__(self,
                 backbone: dict,
                 decode_head: dict,
                 neck: Optional[dict] = None,
                 pamr: Optional[dict] = dict(
                     type='PAMR', num_iter=10, dilations=(1, 2, 4, 8, 12, 24)),
                 bg_score: float = 1.0,
                 eps: float = 1.0,
                 focal_p: float = 3.0,
                 focal_lambda: float = 0.01,
                 loss_cls: dict = dict(
                     type='MultiLabelSoftMarginLoss', loss_weight=1.0),
                 seg_loss_weight: float = 1.0,
                 pseudo_label_cfg: Optional[dict] = None,
                 seg_loss_enabled: bool = True,
                 supervision: str = 'weak',
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 init_cfg=None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        build_encoder(self, backbone, neck, pretrained)
        self.decode_head = MODELS.build(decode_head)
        self.num_classes = self.decode_head.num_classes
        self.out_channels = self.num_classes
        self.align_corners = self.decode_head.align_corners
        if self.num_classes < 2:
            raise ValueError('SingleStageSegmentor: decode_head.num_classes '
                             'counts the background and must be >= 2')
        self.pamr = MODELS.build(pamr) if pamr is not None else None
        self.loss_cls = MODELS.build(loss_cls)
        # head's bg_score wins if the head has one: one constant everywhere
        self.bg_score = float(getattr(self.decode_head, 'bg_score', bg_score))
        self.eps, self.focal_p, self.focal_lambda = eps, focal_p, focal_lambda
        # fail at build time, not at the first iteration
        ngwp_class_scores(
            torch.zeros(1, 1, 1, 1), self.bg_score, eps, focal_p, focal_lambda)
        self.seg_loss_weight = check_number(
            OWNER, 'seg_loss_weight', seg_loss_weight, low=0)
        self.seg_loss_enabled = bool(seg_loss_enabled)
        if supervision not in ('weak', 'full', 'full_cls'):
            raise ValueError(
                "SingleStageSegmentor: supervision must be 'weak', "
                f"'full' or 'full_cls', got {supervision!r}")
        self.supervision = supervision
        self.pseudo_label_cfg = self._check_pseudo_cfg(pseudo_label_cfg)
        self.train_cfg = train_cfg or {}
        self.test_cfg = self._check_test_cfg(test_cfg)

    # ------------------------------------------------------------ config --
    @staticmethod
    def _check_pseudo_cfg(cfg: Optional[dict]) -> dict:
        full = dict(
            fg_ratio=0.6, bg_ratio=0.7, min_score=0.2, resolution='input')
        unknown = set(cfg or {}) - set(_PSEUDO_KEYS)
        if unknown:
            raise ValueError('SingleStageSegmentor: unknown pseudo_label_cfg '
                             f'keys {sorted(unknown)}; known: {_PSEUDO_KEYS}')
        full.update(cfg or {})
        check_number(OWNER, 'pseudo_label_cfg.fg_ratio', full['fg_ratio'], 0,
                     1)
        check_number(OWNER, 'pseudo_label_cfg.bg_ratio', full['bg_ratio'], 0,
                     1)
        check_number(OWNER, 'pseudo_label_cfg.min_score', full['min_score'], 0,
                     1)
        if full['resolution'] not in ('input', 'mask'):
            raise ValueError(
                'SingleStageSegmentor: pseudo_label_cfg.resolution'
                f" must be 'input' or 'mask', got "
                f"{full['resolution']!r}")
        return full

    @staticmethod
    def _check_test_cfg(cfg: Optional[dict]) -> dict:
        full = dict(
            cls_threshold=0.1,
            use_gt_labels=False,
            crf=None,
            bg_pow=1.0,
            mode='whole')
        unknown = set(cfg or {}) - set(_TEST_KEYS)
        if unknown:
            raise ValueError(f'SingleStageSegmentor: unknown test_cfg keys '
                             f'{sorted(unknown)}; known: {_TEST_KEYS}')
        full.update(cfg or {})
        full['cls_threshold'] = check_number(OWNER, 'test_cfg.cls_threshold',
                                             full['cls_threshold'], 0, 1)
        full['use_gt_labels'] = bool(full['use_gt_labels'])
        if full['mode'] != 'whole':
            raise ValueError("SingleStageSegmentor: only test_cfg.mode='whole'"
                             f" is supported, got {full['mode']!r}")
        check_number(
            OWNER, 'test_cfg.bg_pow', full['bg_pow'], low=0, low_open=True)
        crf = full['crf']
        if crf is True:
            crf = {}
        if crf is False:
            crf = None
        if crf is not None:
            if not isinstance(crf, dict):
                raise ValueError('SingleStageSegmentor: test_cfg.crf must be '
                                 f'None, True or a dict, got {crf!r}')
            unknown = set(crf) - {'num_iter', 'gaussian', 'bilateral'}
            if unknown:
                raise ValueError('SingleStageSegmentor: unknown test_cfg.crf '
                                 f'keys {sorted(unknown)}')
            crf = dict(DEFAULT_CRF, **crf)
        full['crf'] = crf
        return full

    # ----------------------------------------------------------- network --
    def extract_feat(self, inputs: Tensor) -> List[Tensor]:
        x = self.backbone(inputs)
        if self.with_neck:
            x = self.neck(x)
        return x

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        """Foreground logits (B, C, h, w) at the head's resolution."""
        return self.decode_head(self.extract_feat(inputs))

    def class_scores_and_masks(self, inputs: Tensor):
        """(logits (B, C, h, w), scores (B, C), masks (B, C + 1, h, w))."""
        logits = self._forward(inputs)
        scores, masks = ngwp_class_scores(logits, self.bg_score, self.eps,
                                          self.focal_p, self.focal_lambda)
        return logits, scores, masks

    def encode_decode(self, inputs: Tensor, batch_img_metas=None) -> Tensor:
        """Masks (B, C + 1, H, W) resized to the input, no class pruning."""
        _, _, masks = self.class_scores_and_masks(inputs)
        return F.interpolate(
            masks,
            size=inputs.shape[-2:],
            mode='bilinear',
            align_corners=self.align_corners)

    # -------------------------------------------------------------- loss --
    def loss(self, inputs: Tensor, data_samples) -> dict:
        if self.supervision == 'full':  # CE on the GT masks only
            return add_prefix(
                self.decode_head.loss_by_feat(
                    self._forward(inputs), data_samples), 'decode')
        labels = stack_image_labels(data_samples,
                                    self.num_classes - 1).to(inputs)
        logits, scores, masks = self.class_scores_and_masks(inputs)
        losses = {'loss_cls': self.loss_cls(scores, labels)}
        if self.supervision == 'full_cls':  # the GT masks as pseudo labels
            full_logits = F.interpolate(
                self._full_logits(logits),
                size=inputs.shape[-2:],
                mode='bilinear',
                align_corners=True)
            gt = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
            losses['loss_seg'] = self.seg_loss_weight * balanced_cross_entropy(
                full_logits, gt.to(inputs.device), reduction='mean')
            return losses
        if not (self.seg_loss_enabled and self.seg_loss_weight > 0):
            losses['loss_seg'] = logits.new_zeros(())
            return losses
        image = denormalize_inputs(inputs.detach(), self.data_preprocessor)
        refined = (
            masks.detach() if self.pamr is None else self.pamr(
                image, masks.detach()))
        full_logits = self._full_logits(logits)
        if self.pseudo_label_cfg['resolution'] == 'input':
            size = inputs.shape[-2:]
            refined = F.interpolate(
                refined, size=size, mode='bilinear', align_corners=True)
            full_logits = F.interpolate(
                full_logits, size=size, mode='bilinear', align_corners=True)
        cfg = self.pseudo_label_cfg
        pseudo, keep = pamr_pseudo_labels(
            refined,
            labels,
            fg_ratio=cfg['fg_ratio'],
            bg_ratio=cfg['bg_ratio'],
            min_score=cfg['min_score'])
        per_image = balanced_cross_entropy(full_logits, pseudo)
        losses['loss_seg'] = self.seg_loss_weight * (keep.to(per_image) *
                                                     per_image).mean()
        losses['seg_keep'] = keep.float().mean()
        return losses

    def _full_logits(self, logits: Tensor) -> Tensor:
        """``[bg_score, y]``: the constant background logit first."""
        return torch.cat(
            [torch.full_like(logits[:, :1], self.bg_score), logits], dim=1)

    # ----------------------------------------------------------- predict --
    def view_probs(self, inputs: Tensor,
                   data_samples) -> Tuple[List[Tensor], Tensor]:
        """The raw test-time output of one view (one input batch).

        Returns:
            probs (list[Tensor]): per sample, the masks (softmax over
                ``[bg, y]``, (C + 1, H0, W0)) upsampled to the input, padding
                and flip undone, resized to the original image; no class
                removed.
            conf (Tensor): (B, C) classifier confidences ``sigmoid(scores)``.
        """
        _, scores, masks = self.class_scores_and_masks(inputs)
        masks = F.interpolate(
            masks,
            size=inputs.shape[-2:],
            mode='bilinear',
            align_corners=self.align_corners)
        probs = [
            restore_geometry(masks[i], sample.metainfo, self.align_corners)
            for i, sample in enumerate(data_samples)
        ]
        return probs, scores.sigmoid()

    def kept_classes(self, conf: Tensor, data_samples) -> Tensor:
        """(B, C) float 0/1: the foreground classes kept at inference, from the
        confidences ``conf`` (B, C) (``>= cls_threshold``) or, with
        ``use_gt_labels``, from the samples' ``gt_img_labels``."""
        if self.test_cfg['use_gt_labels']:
            if data_samples is None:
                raise ValueError('SingleStageSegmentor: test_cfg.use_gt_labels'
                                 ' needs data samples with gt_img_labels')
            return stack_image_labels(data_samples,
                                      self.num_classes - 1).to(conf)
        return (conf >= self.test_cfg['cls_threshold']).to(conf)

    def finalize(self,
                 probs: Tensor,
                 conf: Tensor,
                 sample,
                 image: Optional[np.ndarray] = None):
        """The test-time post-processing of one image, for one view
        (``predict``) and for the average of the views (``--tta``,
        :class:`SingleStageTTAModel`) alike, in the reference's order
        (``infer_val.py`` / ``MergeMultiScale``):

        1. classes whose confidence ``conf`` (C,) is below ``cls_threshold``
           (or absent from ``gt_img_labels``) are zeroed;
        2. the background mask is raised to ``bg_pow``;
        3. with ``crf``: dense CRF over the background and the kept classes
           on ``image`` (H0, W0, 3) uint8 RGB (required then).

        Writes ``pred_sem_seg`` (argmax), ``seg_logits`` (log of the final
        probabilities, floor ``log(tiny)``) and the metainfo ``cls_scores``
        (the confidences) into ``sample`` and returns it.

        Args:
            probs (Tensor): (C + 1, H0, W0) masks at the original size.
            conf (Tensor): (C,) classifier confidences.
        """
        keep = self.kept_classes(conf[None], [sample])[0]
        probs = torch.cat([probs[:1], probs[1:] * keep[:, None, None]], dim=0)
        if self.test_cfg['bg_pow'] != 1:
            probs = torch.cat(
                [probs[:1].pow(self.test_cfg['bg_pow']), probs[1:]], dim=0)
        if self.test_cfg['crf'] is not None:
            if image is None:
                raise ValueError(
                    'SingleStageSegmentor.finalize: test_cfg.crf needs '
                    'the original image')
            probs = self._crf(image, probs, keep)
        tiny = torch.finfo(probs.dtype).tiny
        sample.set_data({
            'seg_logits':
            PixelData(data=probs.clamp_min(tiny).log()),
            'pred_sem_seg':
            PixelData(data=probs.argmax(0, keepdim=True)),
        })
        sample.set_metainfo({'cls_scores': conf.tolist()})
        return sample

    def predict(self,
                inputs: Tensor,
                data_samples=None,
                finalize: bool = True):
        """Test one view. ``finalize=True``: :meth:`finalize` each sample.
        ``finalize=False`` (what :class:`SingleStageTTAModel` asks for): each
        sample gets the raw :meth:`view_probs` output as the data fields
        ``view_probs`` (PixelData), ``view_cls_conf`` (C,) and ``crf_image``
        (the original image when ``test_cfg.crf`` is set, else None)."""
        if data_samples is None:
            h, w = inputs.shape[-2:]
            data_samples = [
                SegDataSample(
                    metainfo=dict(
                        img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
                for _ in range(inputs.shape[0])
            ]
        probs, conf = self.view_probs(inputs, data_samples)
        images = None
        for i, sample in enumerate(data_samples):
            image = None
            if self.test_cfg['crf'] is not None:
                if images is None:
                    images = denormalize_inputs(inputs, self.data_preprocessor)
                image = self._original_image(images[i], sample.metainfo,
                                             probs[i].shape[-2:])
            if finalize:
                self.finalize(probs[i], conf[i], sample, image)
            else:
                sample.set_data({
                    'view_probs': PixelData(data=probs[i]),
                    'view_cls_conf': conf[i],
                    'crf_image': image
                })
        return data_samples

    def _original_image(self, image: Tensor, meta: dict, size) -> np.ndarray:
        """(H0, W0, 3) uint8 RGB: the file when readable, else the
        de-normalised input with its geometry undone."""
        path = meta.get('img_path')
        if path and osp.isfile(path):
            import mmcv
            img = mmcv.imread(path, channel_order='rgb')
            if img is not None and tuple(img.shape[:2]) == tuple(size):
                return np.ascontiguousarray(img)
        img = restore_geometry(image, meta, self.align_corners)
        if tuple(img.shape[-2:]) != tuple(size):
            img = F.interpolate(
                img[None],
                size=size,
                mode='bilinear',
                align_corners=self.align_corners)[0]
        img = (img.clamp(0, 1) * 255).round().byte().permute(1, 2, 0)
        return np.ascontiguousarray(img.cpu().numpy())

    def _crf(self, image: np.ndarray, probs: Tensor, keep: Tensor) -> Tensor:
        """Dense CRF over the background and the kept classes."""
        cfg = self.test_cfg['crf']
        index = torch.cat([
            keep.new_zeros(1, dtype=torch.long),
            keep.nonzero().flatten() + 1
        ])
        sub = probs[index].float().cpu().numpy()
        q = dense_crf(
            image,
            sub,
            num_iter=cfg['num_iter'],
            gaussian=cfg['gaussian'],
            bilateral=cfg['bilateral'])
        out = torch.zeros_like(probs)
        out[index] = torch.from_numpy(q).to(probs)
        return out
