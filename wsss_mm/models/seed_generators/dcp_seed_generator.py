"""DCP seeds (Luo & Yang, AAAI'20): class patterns of a hooked lower layer."""
import os.path as osp
from typing import Optional

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.dcp import (SIGN_RULES, dcp_assign_projections, dcp_projections,
                         load_patterns)
from ..utils.geometry import restore_geometry
from ..utils.saliency import PAPER_BG_THRESHOLD
from .base import BaseSeedGenerator


@MODELS.register_module()
class DCPSeedGenerator(BaseSeedGenerator):
    """Discovering Class Patterns: seeds without saliency (Algorithm 1).

    The features ``t_u`` are the output of the model's sub-module ``layer``
    (a name of ``model.named_modules()``, e.g. ``'backbone.layer4.0'`` =
    C4_1 of ResNet-101, the first block of its last stage (see
    ``configs/dcp/dcp_r101_voc12.py``), ``'backbone.features.26'`` = conv4_1
    of the BN ``DeepLabVGG``), taken by the classifier's feature tap
    (``model.tap(layer)``, a forward hook): any backbone works, none is
    forked. With ``stop_early`` the forward stops right after that layer.
    The layer name is resolved when the classifier is built.

    Two stages, both explicit:

    - statistics (eq. 2): ``tools/dcp_statistics.py CONFIG CKPT --out
      PATTERNS`` streams the training images through the same tap and writes
      the class patterns file. It reads ``layer``, ``max_images_per_class``,
      ``sign_rule`` and ``stop_early`` from this generator's config; the
      generator itself never computes statistics.
    - seeds (``tools/test.py``, this generator): loads ``patterns_file``
      (once) and, per image, computes
      eq. (3) ``q_c`` for the image's classes at the feature resolution,
      resizes the K maps bilinearly to the input, undoes padding / flip and
      resizes to the original image (:func:`restore_geometry`), then applies
      Algorithm 1 at the image resolution. ``q`` is linear in ``t`` and the
      bilinear weights sum to one, so this equals projecting bilinearly
      upsampled features, at K/D of the cost.
      Single-class images can be refined by a dense CRF (``crf``, paper:
      "only for the single-class images"): unary
      ``p_c = sigmoid(q_c / (temperature · std(q_c)))``, background
      ``1 − p_c``; the CRF's argmax replaces Algorithm 1's mask.

    Returned scores (C+1, H0, W0): background 0 (the decision boundary),
    ``q_c − margin·sqrt(λ_c)`` for the image's classes, 0 for the others;
    their argmax is the seed wherever the seed is labelled. Seeds: 0
    background, ``c + 1``, ``ignore_index`` for uncertain pixels (case 3)
    only.

    Args:
        layer (str): module name of the hooked layer.
        patterns_file (str): where the statistics pass writes the class
            patterns (unless given ``--out``) and the seed pass reads them.
        max_images_per_class (int, optional): images per class in eq. (2)
            (paper: at most 800, chosen at random: shuffle the statistics
            dataloader with a fixed seed). ``None``: all.
        sign_rule (str): how the eigenvector's sign is fixed, see
            :func:`wsss_mm.models.utils.dcp.orient_pattern` /
            ``ClassStatistics.sign_reference``: ``'contrast'`` (default),
            ``'activation'``, ``'none'``.
        margin (float): decision threshold of eq. (3) in units of the
            class's projection standard deviation ``sqrt(λ_c)`` (its top
            eigenvalue): foreground when ``q_c > margin · sqrt(λ_c)``.
            0 = the paper (the origin, i.e. the class mean). A positive
            margin suits images whose objects cover a small share of the
            pixels (the mean then lies inside the background mode).
        crf (dict, optional): dense CRF on single-class images; keys
            ``temperature`` (1.0), ``num_iter`` (10), ``gaussian``,
            ``bilateral`` (see :func:`dense_crf`). ``None``: no CRF.
        stop_early (bool): stop the forward after ``layer``.
        check_layer (bool): refuse a patterns file computed on another layer.
        cls_threshold (float): classes kept on images without labels
            (classifier prediction; needs a trained ``cls_head``).
        background_cue_dir, saliency_dir, saliency_bg_threshold,
            saliency_norm: an external background replacing case 1 (see
            :class:`BaseSeedGenerator`; DCP's point is to need none, so
            unset by default).
    """

    def __init__(self,
                 layer: str,
                 patterns_file: str,
                 max_images_per_class: Optional[int] = 800,
                 sign_rule: str = 'contrast',
                 margin: float = 0.0,
                 crf: Optional[dict] = None,
                 stop_early: bool = True,
                 check_layer: bool = True,
                 cls_threshold: float = 0.5,
                 background_cue_dir: Optional[str] = None,
                 saliency_dir: Optional[str] = None,
                 saliency_bg_threshold: float = PAPER_BG_THRESHOLD,
                 saliency_norm: str = 'range'):
        if not layer or not isinstance(layer, str):
            raise ValueError(
                f'DCPSeedGenerator: layer must be a module name, got {layer!r}'
            )
        if not patterns_file:
            raise ValueError('DCPSeedGenerator: patterns_file must be set')
        if sign_rule not in SIGN_RULES:
            raise ValueError(
                f'DCPSeedGenerator: sign_rule must be one of {SIGN_RULES}, '
                f'got {sign_rule!r}')
        if max_images_per_class is not None and max_images_per_class < 1:
            raise ValueError(
                'DCPSeedGenerator: max_images_per_class must be >= 1 or None, '
                f'got {max_images_per_class}')
        if margin < 0:
            raise ValueError(
                f'DCPSeedGenerator: margin must be >= 0, got {margin}')
        if crf is not None:
            unknown = set(crf) - {
                'temperature', 'num_iter', 'gaussian', 'bilateral'
            }
            if unknown:
                raise ValueError(
                    f'DCPSeedGenerator: unknown crf keys {sorted(unknown)}')
            if crf.get('temperature', 1.0) <= 0:
                raise ValueError(
                    'DCPSeedGenerator: crf temperature must be > 0')
        self.layer = layer
        self.feature_layers = (layer, )
        self.patterns_file = patterns_file
        self.max_images_per_class = max_images_per_class
        self.sign_rule = sign_rule
        self.margin = float(margin)
        self.crf = crf
        self.stop_early = stop_early
        self.check_layer = check_layer
        self.cls_threshold = cls_threshold
        self.init_background_cue(background_cue_dir, saliency_dir,
                                 saliency_bg_threshold, saliency_norm)
        self._patterns = None

    # ------------------------------------------------------------------
    # features
    def features(self, model, inputs: Tensor) -> Tensor:
        """(B, 3, H, W) -> (B, D, h, w) output of ``layer`` (``model.tap``)."""
        return model.tap(self.layer, self.stop_early)(inputs)

    # ------------------------------------------------------------------
    # patterns
    def patterns(self, device=None):
        """(means (C, D), patterns (C, D), std (C,)) float32 of
        ``patterns_file`` (loaded once); std = sqrt of the top eigenvalues."""
        if self._patterns is None:
            data = load_patterns(self.patterns_file)
            saved = data.get('meta', {}).get('layer')
            if self.check_layer and saved and saved != self.layer:
                raise ValueError(
                    f'DCPSeedGenerator: {self.patterns_file} holds patterns '
                    'of layer '
                    f'{saved!r}, this model hooks {self.layer!r} (rerun the '
                    'statistics '
                    f'pass or point patterns_file elsewhere)')
            std = data.get('eigenvalues', torch.zeros(data['means'].shape[0]))
            self._patterns = (data['means'].float(), data['patterns'].float(),
                              std.clamp(min=0).sqrt().float())
        if device is not None and self._patterns[0].device != torch.device(
                device):
            self._patterns = tuple(t.to(device) for t in self._patterns)
        return self._patterns

    # ------------------------------------------------------------------
    # generate
    def generate(self, model, inputs, data_samples):
        feats = self.features(model, inputs)
        num_classes = model.num_classes
        means, patterns, std = self.patterns(feats.device)
        if means.shape[0] != num_classes:
            raise ValueError(
                f'DCPSeedGenerator: {self.patterns_file} has patterns of '
                f'{means.shape[0]} classes, the model {num_classes}')
        if means.shape[1] != feats.shape[1]:
            raise ValueError(
                f'DCPSeedGenerator: layer {self.layer!r} gives '
                f'{feats.shape[1]} channels, {self.patterns_file} has '
                f'D = {means.shape[1]}')
        with torch.no_grad():
            labels = self.image_labels(
                data_samples, lambda: model.class_scores(model.cams(inputs)))
        results = []
        for i, sample in enumerate(data_samples):
            classes = torch.nonzero(labels[i] > 0).flatten().cpu()
            thresholds = self.margin * std[classes.to(std.device)]
            scores, seeds = self._seeds_one(feats[i], means, patterns, classes,
                                            thresholds, inputs.shape[-2:],
                                            sample, num_classes)
            results.append((scores, self.finish_seeds(seeds, sample)))
        return results

    def _seeds_one(self, feat, means, patterns, classes, thresholds,
                   input_size, sample, num_classes):
        h0, w0 = tuple(sample.metainfo.get('ori_shape', input_size))[:2]
        scores = feat.new_zeros(num_classes + 1, h0, w0)
        if classes.numel() == 0:
            return scores, torch.zeros(
                h0, w0, dtype=torch.long, device=feat.device)
        q = dcp_projections(feat.float(), means, patterns,
                            classes)  # (K, h, w)
        q = F.interpolate(
            q[None],
            size=tuple(input_size),
            mode='bilinear',
            align_corners=False)[0]
        q = restore_geometry(q, sample.metainfo) - thresholds[:, None,
                                                              None].to(q)
        seeds = dcp_assign_projections(q, classes, self.ignore_index)
        if self.crf is not None and classes.numel() == 1:
            seeds = self._crf_single_class(q[0], int(classes[0]), sample)
        scores[classes.to(scores.device) + 1] = q.to(scores)
        return scores, seeds

    def _crf_single_class(self, q: Tensor, c: int, sample) -> Tensor:
        import mmcv
        import numpy as np

        from ..utils.dense_crf import dense_crf
        img = mmcv.imread(sample.metainfo['img_path'], channel_order='rgb')
        if img.shape[:2] != tuple(q.shape):
            raise ValueError('DCPSeedGenerator: image '
                             f'{osp.basename(sample.metainfo["img_path"])} '
                             f'is {img.shape[:2]}, the seeds {tuple(q.shape)}')
        scale = self.crf.get('temperature', 1.0) * q.std().clamp(min=1e-6)
        fg = torch.sigmoid(q / scale).double().cpu().numpy()
        probs = np.stack([1.0 - fg, fg])
        marg = dense_crf(
            img,
            probs,
            num_iter=self.crf.get('num_iter', 10),
            gaussian=self.crf.get('gaussian'),
            bilateral=self.crf.get('bilateral'))
        label = torch.from_numpy(marg.argmax(0)).to(q.device).long()
        return label * (c + 1)
