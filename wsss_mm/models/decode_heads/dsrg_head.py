"""DSRG training losses on any mmseg decode head (FickleNet's stage 3), and
DSRG's multi-scale + CRF test protocol (:class:`DSRGTTAModel`)."""
import copy
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.models.segmentors import SegTTAModel
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.dsrg import (DSRG_CRF, balanced_seed_loss, constrain_loss,
                          dsrg_probs, dsrg_refinement, seeded_region_growing,
                          valid_extent)
from .wrapped_decode_head import WrappedDecodeHead

SUPERVISION = ('weak', 'full')


def sample_label_map(labels: Tensor, size: Tuple[int, int]) -> Tensor:
    """Nearest-neighbour resampling of (B, H, W) label maps to ``size`` at
    corner-aligned positions (output pixel i reads input pixel
    ``round(i * (H - 1) / (h - 1))``), the geometry of a stride-8 DeepLab map:
    its pixel i sits over input pixel 8i (321 -> 41: exactly 8i)."""
    H, W = labels.shape[-2:]
    h, w = size
    if (H, W) == (h, w):
        return labels
    rows = torch.linspace(0, H - 1, h, device=labels.device).round().long()
    cols = torch.linspace(0, W - 1, w, device=labels.device).round().long()
    return labels[..., rows[:, None], cols[None, :]]


@MODELS.register_module()
class DSRGHead(WrappedDecodeHead):
    """Deep Seeded Region Growing (Huang et al., CVPR'18) as used by FickleNet
    (Lee et al., CVPR'19, Sec. 3.3): seeds grow during training, and the
    network learns from the grown seeds and a dense-CRF boundary loss.

    Wraps any decode head (``head``: LargeFOV, DeepLab v2 ASPP, ...), which
    forwards and predicts unchanged; only the training loss is DSRG's. At the
    head's output resolution (h, w), per weakly labelled sample:

    1. ``P = softmax(logits)``; seeds = ``gt_sem_seg`` (a seed PNG directory as
       ``seg_map_path``) resampled nearest to (h, w)
       (:func:`sample_label_map`);
    2. no grad: ``Q = denseCRF(P)`` on ``img_rgb`` resized bilinearly to
       (h, w) (what :class:`WeakEncoderDecoder` attaches;
       :func:`dsrg_refinement`), and the seeds grow on Q
       (:func:`seeded_region_growing`) with the image classes of
       ``gt_img_labels``, as DSRG's ``UpdateSeedLayer3.generate_seed`` does;
    3. ``loss_seed`` = balanced seeding loss on the grown seeds,
       ``loss_boundary`` = constrain loss KL(Q || P).

    A sample whose metainfo has ``supervision == 'full'`` (strongly
    labelled: ``WeakVOCDataset(supervision='full')``, its ``gt_sem_seg`` is
    the ground truth) gets ``loss_full`` = ``full_loss_weight`` (α) × the
    pixel cross-entropy on its GT (FickleNet eq. 3) instead of the two weak
    losses: L = L_seed + L_boundary + α L_full (eq. 2). A sample without the
    key is weak. Each loss averages over the samples (pixels) of its own
    kind; a loss is present in the dict only when the batch holds its kind.

    Also returned (no gradient; keys without "loss" are logged, not summed):
    ``grown_frac``, the fraction of valid pixels the growing added, and
    ``seed_coverage``, the fraction labelled after growing.

    Defaults are DSRG's public code (speedinghzl/DSRG ``pylayers.py``,
    ``train-s.prototxt``); options where the code and the paper differ:

    - ``grow_on='crf'``: the seeds grow on the CRF marginals Q, the same Q as
      the boundary loss (``UpdateSeedLayer3.generate_seed`` runs
      ``refinement(probs, im, 12.0)`` and thresholds its output).
      ``grow_on='probs'``: on the raw probabilities (the paper's wording;
      this package's behaviour before issue #17), where 0.85 / 0.99 rarely
      fire, so growth is nearly off.
    - ``crf_unary='prob'``: the CRF's unary energy is -P (DSRG's
      ``krahenbuhl2013.CRF`` call; its input is ``SoftmaxLayer``'s P, floored
      at ``min_prob`` = 1e-4, :func:`dsrg_probs`); ``'log_prob'``: -log P
      (the usual dense CRF). Q is floored at 1e-4 and renormalised either way.
    - The losses use the exact softmax (DSRG's ``SoftmaxLayer`` adds 1e-4 and
      renormalises); logs are clamped at 1e-12 instead.
    - Batch padding (bottom/right, from mmseg's pre-processor) is cut off
      before the CRF and the growing, and left out of every loss.
    - ``loss_full`` runs at the head's resolution too (eq. 3 is on the
      network's map H; labels resampled like the seeds).

    Args:
        head (dict): the wrapped decode head.
        fg_threshold, bg_threshold (float): growing thresholds (0.85, 0.99),
            in (0, 1].
        crf (dict): ``num_iter``, ``gaussian=dict(sxy, compat)``,
            ``bilateral=dict(sxy, srgb, compat)`` of the CRF (loss and
            growing), in pixels of the head's map; default
            :data:`~wsss_mm.models.utils.dsrg.DSRG_CRF` (DSRG divides the
            usual 3 / 80 by its fixed scale_factor 12 for 41x41 maps; a
            config for another map size scales them by map size / 41).
        seed_loss_weight, boundary_loss_weight (float): weights of the two
            weak losses (1, 1).
        full_loss_weight (float): α of the semi-supervised L_full (2).
        grow (bool): grow the seeds (False: the static seeds of SEC).
        grow_on (str): ``'crf'`` (default) or ``'probs'`` (see above).
        crf_unary (str): ``'prob'`` (default) or ``'log_prob'`` (see above).
        clip (tuple): bounds of Q/P in the boundary loss (0.05, 20).
        num_classes (int, optional): overrides ``head['num_classes']`` (so
            ``model.decode_head.num_classes=N`` works as for a plain head).
    """

    def __init__(self,
                 head: dict,
                 fg_threshold: float = 0.85,
                 bg_threshold: float = 0.99,
                 crf: Optional[dict] = None,
                 seed_loss_weight: float = 1.0,
                 boundary_loss_weight: float = 1.0,
                 full_loss_weight: float = 2.0,
                 grow: bool = True,
                 grow_on: str = 'crf',
                 crf_unary: str = 'prob',
                 clip: Sequence[float] = (0.05, 20.0),
                 num_classes: Optional[int] = None,
                 init_cfg=None):
        for name, value in (('fg_threshold', fg_threshold), ('bg_threshold',
                                                             bg_threshold)):
            if not 0.0 < float(value) <= 1.0:
                raise ValueError(
                    f'DSRGHead: {name} must lie in (0, 1], got {value}')
        for name, value in (('seed_loss_weight', seed_loss_weight),
                            ('boundary_loss_weight', boundary_loss_weight),
                            ('full_loss_weight', full_loss_weight)):
            if float(value) < 0:
                raise ValueError(f'DSRGHead: {name} must be >= 0, got {value}')
        if grow_on not in ('probs', 'crf'):
            raise ValueError(
                f"DSRGHead: grow_on must be 'probs' or 'crf', got {grow_on!r}")
        if crf_unary not in ('log_prob', 'prob'):
            raise ValueError(
                "DSRGHead: crf_unary must be 'log_prob' or 'prob', got "
                f"{crf_unary!r}")
        if len(clip) != 2 or not 0 < clip[0] < clip[1]:
            raise ValueError(
                f'DSRGHead: clip must be (lo, hi) with 0 < lo < hi, got {clip}'
            )
        if isinstance(head, dict) and num_classes is not None:
            head = dict(head, num_classes=num_classes)
        super().__init__(head=head, init_cfg=init_cfg)
        crf = copy.deepcopy(crf if crf is not None else DSRG_CRF)
        unknown = set(crf) - {'num_iter', 'gaussian', 'bilateral'}
        if unknown:
            raise ValueError(f'DSRGHead: unknown crf keys {sorted(unknown)} '
                             f'(expected num_iter, gaussian, bilateral)')
        self.crf = crf
        self.fg_threshold = float(fg_threshold)
        self.bg_threshold = float(bg_threshold)
        self.seed_loss_weight = float(seed_loss_weight)
        self.boundary_loss_weight = float(boundary_loss_weight)
        self.full_loss_weight = float(full_loss_weight)
        self.grow = grow
        self.grow_on = grow_on
        self.crf_unary = crf_unary
        self.clip = (float(clip[0]), float(clip[1]))

    # ------------------------------------------------------------------ data
    @staticmethod
    def _require(batch_data_samples, field: str, hint: str):
        for i, sample in enumerate(batch_data_samples):
            if field not in sample:
                raise KeyError(
                    f'DSRGHead: data sample {i} has no "{field}" '
                    f'({sample.metainfo.get("img_path", "?")}): {hint}')

    @staticmethod
    def supervision_of(batch_data_samples) -> List[str]:
        kinds = []
        for i, sample in enumerate(batch_data_samples):
            kind = sample.metainfo.get('supervision', 'weak')
            if kind not in SUPERVISION:
                raise ValueError(
                    f'DSRGHead: data sample {i} has supervision={kind!r}; '
                    f'expected one of {SUPERVISION}')
            kinds.append(kind)
        return kinds

    def _image_labels(self, samples) -> Tensor:
        self._require(
            samples, 'gt_img_labels',
            'pack with PackWeakSegInputs from a WeakVOCDataset (image-level '
            'labels)')
        labels = torch.stack([s.gt_img_labels for s in samples]).float()
        if labels.shape[1] != self.num_classes:
            raise ValueError(
                f'DSRGHead: gt_img_labels has {labels.shape[1]} classes '
                f'(with background) but the head has {self.num_classes}')
        return labels

    @staticmethod
    def _images(samples, size) -> np.ndarray:
        """(B, h, w, 3) uint8 RGB images at the map size (bilinear,
        corner-aligned like :func:`sample_label_map`)."""
        DSRGHead._require(
            samples, 'img_rgb', 'the boundary loss needs the input image; use '
            "model type 'WeakEncoderDecoder'")
        imgs = torch.stack([s.img_rgb.data for s in samples]).float()
        imgs = F.interpolate(
            imgs, size=size, mode='bilinear', align_corners=True)
        imgs = (imgs.clamp(0, 1) * 255).round().to(torch.uint8)
        return imgs.permute(0, 2, 3, 1).cpu().numpy()

    # ------------------------------------------------------------------ loss
    def _crf(self, image: np.ndarray, probs: np.ndarray) -> np.ndarray:
        """Q of one (K, h, w) softmax map: :func:`dsrg_refinement` of DSRG's
        floored probabilities (``crf_unary='prob'``) or of P itself."""
        if self.crf_unary == 'prob':
            probs = dsrg_probs(probs)
        return dsrg_refinement(probs, image, self.crf, unary=self.crf_unary)

    def loss_by_feat(self, seg_logits: Tensor, batch_data_samples) -> dict:
        kinds = self.supervision_of(batch_data_samples)
        self._require(batch_data_samples, 'gt_sem_seg',
                      'load seeds (weak) or GT (full) with LoadAnnotations')
        B, K, h, w = seg_logits.shape
        batch_shape = tuple(batch_data_samples[0].gt_sem_seg.shape)
        labels = torch.stack([s.gt_sem_seg.data
                              for s in batch_data_samples])[:, 0]
        labels = sample_label_map(labels.long(), (h, w))
        valid = torch.zeros(
            B, h, w, dtype=torch.bool, device=seg_logits.device)
        extents = []
        for i, sample in enumerate(batch_data_samples):
            vh, vw = valid_extent(
                sample.metainfo.get('img_shape', batch_shape), batch_shape,
                (h, w))
            valid[i, :vh, :vw] = True
            extents.append((vh, vw))
        labels = torch.where(
            valid, labels.to(seg_logits.device),
            torch.full_like(labels, self.ignore_index).to(seg_logits.device))

        losses = {}
        weak = [i for i, k in enumerate(kinds) if k == 'weak']
        full = [i for i, k in enumerate(kinds) if k == 'full']
        if weak:
            losses.update(
                self._weak_losses(seg_logits[weak], labels[weak], valid[weak],
                                  [batch_data_samples[i] for i in weak],
                                  [extents[i] for i in weak]))
        if full:
            ce = F.cross_entropy(
                seg_logits[full].float(),
                labels[full],
                ignore_index=self.ignore_index,
                reduction='sum')
            n = (labels[full] != self.ignore_index).sum().clamp_min(1)
            losses['loss_full'] = self.full_loss_weight * ce / n
        return losses

    def _weak_losses(self, logits, seeds, valid, samples, extents) -> dict:
        img_labels = self._image_labels(samples).cpu().numpy()
        logits = logits.float()  # losses in float32, also under AMP
        probs = F.softmax(logits, dim=1)
        need_crf = self.boundary_loss_weight > 0 or (self.grow
                                                     and self.grow_on == 'crf')
        with torch.no_grad():
            p_np = probs.detach().cpu().numpy()
            q_np = np.zeros_like(p_np)
            seeds_np = seeds.cpu().numpy()
            grown_np = seeds_np.copy()
            images = self._images(samples,
                                  logits.shape[-2:]) if need_crf else None
            for i, (vh, vw) in enumerate(extents):
                if vh == 0 or vw == 0:
                    continue
                if need_crf:
                    q_np[i, :, :vh, :vw] = self._crf(images[i, :vh, :vw],
                                                     p_np[i, :, :vh, :vw])
                if self.grow:
                    src = q_np if self.grow_on == 'crf' else p_np
                    grown_np[i, :vh, :vw] = seeded_region_growing(
                        src[i, :, :vh, :vw], seeds_np[i, :vh, :vw],
                        img_labels[i], self.fg_threshold, self.bg_threshold,
                        self.ignore_index)
            grown = torch.from_numpy(grown_np).to(seeds.device)
            n_valid = valid.sum().clamp_min(1).float()
            labelled_before = (seeds != self.ignore_index).sum().float()
            labelled_after = (grown != self.ignore_index).sum().float()
        losses = dict(loss_seed=self.seed_loss_weight *
                      balanced_seed_loss(logits, grown, self.ignore_index))
        if self.boundary_loss_weight > 0:
            q = torch.from_numpy(q_np).to(probs)
            losses[
                'loss_boundary'] = self.boundary_loss_weight * constrain_loss(
                    probs, q, self.clip, valid=valid)
        losses['grown_frac'] = (labelled_after - labelled_before) / n_valid
        losses['seed_coverage'] = labelled_after / n_valid
        return losses


#: CRF of DSRG's test scripts (``krahenbuhl2013.CRF(im, np.log(probs),
#: scale_factor=1.0)``: -log P unary, probabilities floored at 1e-5, 10
#: iterations, Gaussian 3 px / weight 3, bilateral 80 px, colour 13, weight
#: 10) at the image's resolution.
DSRG_TEST_CRF = dict(
    num_iter=10,
    gaussian=dict(sxy=3, compat=3),
    bilateral=dict(sxy=80, srgb=13, compat=10))


@MODELS.register_module()
class DSRGTTAModel(SegTTAModel):
    """DSRG's test protocol (speedinghzl/DSRG ``training/tools/test-ms.py``,
    ``test-ms-f.py``): the network runs on every augmented copy of an image
    (``tta_pipeline``: DSRG's final test rescales by 0.75 / 1 / 1.25, its
    train-set predictions resize to 241 / 321 / 401 squares; no flip); the
    class scores, each resized to the image, are *summed* (``merge='logits'``;
    mmseg's ``SegTTAModel`` averages softmax probabilities: ``'probs'``),
    turned into probabilities, and a dense CRF on the original image
    (``crf``: :data:`DSRG_TEST_CRF`, -log P unary, P floored at 1e-5) gives
    the label map (``crf=None``: the argmax).

    The image is read from the sample's ``img_path`` (mmcv). Used by
    ``tools/test.py CONFIG CKPT --tta`` with a config that sets
    ``tta_model = dict(type='DSRGTTAModel', ...)``.

    Args:
        merge (str): ``'logits'`` (DSRG) or ``'probs'``.
        crf (dict, optional): ``num_iter`` / ``gaussian`` / ``bilateral`` in
            image pixels; None: no CRF.
        prob_floor (float): floor of P before the CRF's log (DSRG: 1e-5).
    """

    def __init__(self,
                 merge: str = 'logits',
                 crf: Optional[dict] = DSRG_TEST_CRF,
                 prob_floor: float = 1e-5,
                 **kwargs):
        if merge not in ('logits', 'probs'):
            raise ValueError(
                "DSRGTTAModel: merge must be 'logits' or 'probs', got "
                f"{merge!r}")
        if crf is not None:
            unknown = set(crf) - {'num_iter', 'gaussian', 'bilateral'}
            if unknown:
                raise ValueError(
                    f'DSRGTTAModel: unknown crf keys {sorted(unknown)}')
        super().__init__(**kwargs)
        self.merge = merge
        self.crf = copy.deepcopy(crf)
        self.prob_floor = float(prob_floor)

    def merge_probs(self, data_samples) -> Tensor:
        """(C, H, W) probabilities of one image from its augmented copies."""
        logits = torch.stack([s.seg_logits.data.float() for s in data_samples])
        if self.merge == 'logits':
            return logits.sum(0).softmax(0)
        return logits.softmax(1).mean(0)

    def refine(self, probs: Tensor, img_path: str) -> Tensor:
        """The CRF's label map of (C, H, W) probabilities on the image."""
        import mmcv

        from ..utils.dense_crf import dense_crf

        image = mmcv.imread(img_path, channel_order='rgb')
        if image.shape[:2] != tuple(probs.shape[-2:]):
            raise ValueError(
                f'DSRGTTAModel: {img_path} is {image.shape[:2]}, the merged '
                f'prediction {tuple(probs.shape[-2:])}')
        q = dense_crf(
            np.ascontiguousarray(image),
            probs.cpu().numpy(),
            num_iter=self.crf.get('num_iter', 10),
            gaussian=self.crf.get('gaussian'),
            bilateral=self.crf.get('bilateral'),
            eps=self.prob_floor)
        return torch.from_numpy(q).to(probs.device)

    def merge_preds(self, data_samples_list):
        predictions = []
        for data_samples in data_samples_list:
            probs = self.merge_probs(data_samples)
            if self.crf is not None:
                probs = self.refine(probs, data_samples[0].img_path)
            out = data_samples[0]
            out.set_data({
                'seg_logits':
                PixelData(data=probs),
                'pred_sem_seg':
                PixelData(data=probs.argmax(0, keepdim=True))
            })
            predictions.append(out)
        return predictions
