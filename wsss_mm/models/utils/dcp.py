"""Discovering Class Patterns (Luo & Yang, AAAI'20): the math.

Notation of the paper (Sec. "Discovering Class Pattern"):

- eq. (1): ``T^i = f(X^i)``, pixel descriptors ``t_u^i`` in R^d taken from a
  lower layer of the classification network (C4_1 of ResNet-101);
- eq. (2): per class c, over every pixel of (at most 800) images that contain
  c: the mean ``t̄_c`` and covariance ``Σ_c`` (1/K, K = number of pixels); the
  class pattern ``ξ_c`` is the eigenvector of ``Σ_c`` with the largest
  eigenvalue;
- eq. (3): ``q_c = (t_u − t̄_c)ᵀ ξ_c``;
- Algorithm 1: for the classes of the image, no positive ``q_c`` →
  background, exactly one → that class, several → uncertain (ignored).

Streaming: :class:`ClassStatistics` keeps, per class, the float64 sums
``n``, ``Σ t`` and ``Σ t tᵀ`` (memory O(C·d²) whatever the number of images),
so eq. (2) is one pass: ``t̄ = Σt / n``, ``Σ = Σttᵀ / n − t̄ t̄ᵀ``. The sums
of several shards (ranks) simply add (:meth:`ClassStatistics.all_reduce`).

Sign of ``ξ_c`` (the paper does not give it; an eigenvector is defined up to
sign and Algorithm 1 needs the side that is the class): see
:func:`orient_pattern`. Default rule ``'contrast'``: ``ξ_c`` points from the
mean descriptor of the images *without* c to the mean descriptor of the
images *with* c, i.e. ``ξ_cᵀ (t̄_c^{all} − t̄_{¬c}) > 0``. The background is
shared by both groups of images and only the images with c contain class-c
pixels, so that difference is the class-c foreground signal; the positive
half-space of eq. (3) is then the one of the class. Both means come from the
same single pass (two extra d-vectors per class, every image counted, the
per-class cap does not apply to them).
"""
import os.path as osp
from typing import Dict, Optional, Union

import torch
from torch import Tensor

from wsss_mm.utils.io import atomic_path

PATTERNS_FORMAT = 'wsss_mm.dcp_patterns/1'
SIGN_RULES = ('contrast', 'activation', 'none')


def _class_index(classes, num_classes: int, device=None) -> Tensor:
    """Validated, de-duplicated, sorted (K,) long tensor of 0-based classes."""
    idx = torch.as_tensor(classes, dtype=torch.long, device=device).flatten()
    if idx.numel() and (idx.min() < 0 or idx.max() >= num_classes):
        bad = idx[(idx < 0) | (idx >= num_classes)].tolist()
        raise ValueError(
            f'DCP: class indices must lie in 0..{num_classes - 1} '
            f'(0-based foreground classes), got {bad}')
    return torch.unique(idx)


def _check_patterns(means: Tensor, patterns: Tensor, channels: int):
    if means.ndim != 2 or means.shape != patterns.shape:
        raise ValueError(f'DCP: means and patterns must both be (C, D), got '
                         f'{tuple(means.shape)} and {tuple(patterns.shape)}')
    if means.shape[1] != channels:
        raise ValueError(
            f'DCP: the feature map has {channels} channels but the '
            f'class patterns have D = {means.shape[1]} (patterns '
            f'computed on another layer or backbone?)')


def dcp_projections(feat: Tensor, means: Tensor, patterns: Tensor,
                    classes) -> Tensor:
    """Eq. (3) for the classes of one image.

    Args:
        feat: (D, H, W) descriptors ``t_u``.
        means: (C, D) class means ``t̄_c``; patterns: (C, D) ``ξ_c``.
        classes: the image's foreground classes, 0-based indices into C.
    Returns:
        (K, H, W) ``q_c(u) = (t_u − t̄_c)ᵀ ξ_c`` for the K sorted unique
        classes, in ``feat``'s dtype. ``q`` is linear in ``t``: projecting
        bilinearly resized features equals resizing the projections.
    """
    if feat.ndim != 3:
        raise ValueError(
            f'DCP: feat must be (D, H, W), got {tuple(feat.shape)}')
    _check_patterns(means, patterns, feat.shape[0])
    idx = _class_index(classes, means.shape[0], means.device)
    xi = patterns[idx].to(feat)
    offset = (patterns[idx].double() * means[idx].double()).sum(1).to(feat)
    q = torch.einsum('kd,dhw->khw', xi, feat)
    return q - offset[:, None, None]


def dcp_assign_projections(q: Tensor,
                           classes,
                           ignore_index: int = 255,
                           thresholds: Optional[Tensor] = None) -> Tensor:
    """Algorithm 1, lines 9-17, from the projections of
    :func:`dcp_projections`.

    Args:
        q: (K, H, W) projections of the image's K classes (sorted, unique).
        classes: the same K 0-based class indices.
        thresholds: optional (K,) decision thresholds (``q_c > threshold_c``
            instead of the paper's ``q_c > 0``, the origin).
    Returns:
        (H, W) long: 0 where no ``q_c > 0`` (case 1), ``c + 1`` where only
        ``q_c > 0`` (case 2), ``ignore_index`` where several are (case 3).
    """
    idx = torch.unique(torch.as_tensor(classes, dtype=torch.long).flatten())
    if q.ndim != 3 or q.shape[0] != idx.numel():
        raise ValueError(f'DCP: q must be (K, H, W) with K = {idx.numel()} '
                         f'classes, got {tuple(q.shape)}')
    if thresholds is None:
        positive = q > 0
    else:
        positive = q > torch.as_tensor(thresholds).to(q).reshape(-1, 1, 1)
    count = positive.sum(0)
    seeds = torch.zeros(q.shape[1:], dtype=torch.long, device=q.device)
    if idx.numel():
        which = positive.to(torch.uint8).argmax(0)
        seeds = torch.where(count == 1, idx.to(q.device)[which] + 1, seeds)
    seeds[count > 1] = ignore_index
    return seeds


def dcp_assign(feat: Tensor,
               means: Tensor,
               patterns: Tensor,
               classes,
               ignore_index: int = 255) -> Tensor:
    """Algorithm 1 (per-pixel mask estimation) for one image.

    Args:
        feat: (D, H, W) features of the layer the patterns were computed on.
        means: (C, D) class means ``t̄_c`` (eq. 2), C foreground classes.
        patterns: (C, D) class patterns ``ξ_c`` (top eigenvectors, eq. 2).
        classes: the image's foreground classes, 0-based (e.g. ``[0, 14]``
            for aeroplane and person on VOC).
        ignore_index: label of uncertain pixels (case 3).
    Returns:
        (H, W) long mask: 0 background, ``c + 1`` class c, ``ignore_index``
        uncertain.
    """
    q = dcp_projections(feat, means, patterns, classes)  # validates everything
    idx = _class_index(classes, means.shape[0])
    return dcp_assign_projections(q, idx, ignore_index)


def orient_pattern(vec: Tensor, reference: Optional[Tensor]) -> Tensor:
    """Flip ``vec`` so that ``vecᵀ reference >= 0`` (no-op for None / 0)."""
    if reference is None:
        return vec
    dot = torch.dot(vec.double(), reference.double().to(vec.device))
    return -vec if dot < 0 else vec


def top_eigenvector(cov: Tensor, reference: Optional[Tensor] = None):
    """Largest eigenvalue and its unit eigenvector of a symmetric (D, D)
    matrix.

    ``reference`` fixes the sign (:func:`orient_pattern`); without it the sign
    is the solver's (arbitrary). Computed in float64 (``torch.linalg.eigh``).
    Returns ``(eigenvalue, (D,) eigenvector, eigenvalues_sum)``.
    """
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
        raise ValueError(
            f'top_eigenvector: need a square matrix, got {tuple(cov.shape)}')
    cov = cov.double()
    cov = 0.5 * (cov + cov.T)
    vals, vecs = torch.linalg.eigh(cov)
    vec = orient_pattern(vecs[:, -1], reference)
    return vals[-1], vec, vals.sum()


class ClassStatistics:
    """Streaming per-class sums for eq. (2) (float64, O(C·D²) memory).

    Per class c, over the pixels of the images that contain c and were
    *accepted* (at most ``max_images_per_class`` images, first come first
    served; shuffle the data for a random subset):
    ``num_images``, ``num_pixels``, ``sum`` (D) and ``sum_outer`` (D, D).
    For the sign rule, over *all* images: the pixel sums of every image
    (``total_*``) and of the images containing c (``seen_*``), uncapped.

    Args:
        num_classes (int): C foreground classes.
        dim (int): D feature channels.
        max_images_per_class (int, optional): cap; ``None`` for no cap.
        device: where the sums live (that of the features: the outer products
            run there).
    """
    _SUMS = ('num_images', 'num_pixels', 'sum', 'sum_outer', 'seen_images',
             'seen_pixels', 'seen_sum', 'total_images', 'total_pixels',
             'total_sum')

    def __init__(self,
                 num_classes: int,
                 dim: int,
                 max_images_per_class: Optional[int] = 800,
                 device=None):
        if num_classes < 1 or dim < 1:
            raise ValueError(
                f'ClassStatistics: need num_classes >= 1 and dim >= 1, '
                f'got {num_classes}, {dim}')
        if max_images_per_class is not None and max_images_per_class < 0:
            raise ValueError(
                'ClassStatistics: max_images_per_class must be >= 0 or None, '
                f'got {max_images_per_class}')
        self.num_classes, self.dim = num_classes, dim
        self.max_images_per_class = max_images_per_class
        kw = dict(dtype=torch.float64, device=device)
        c, d = num_classes, dim
        self.num_images = torch.zeros(c, **kw)
        self.num_pixels = torch.zeros(c, **kw)
        self.sum = torch.zeros(c, d, **kw)
        self.sum_outer = torch.zeros(c, d, d, **kw)
        self.seen_images = torch.zeros(c, **kw)
        self.seen_pixels = torch.zeros(c, **kw)
        self.seen_sum = torch.zeros(c, d, **kw)
        self.total_images = torch.zeros((), **kw)
        self.total_pixels = torch.zeros((), **kw)
        self.total_sum = torch.zeros(d, **kw)

    @property
    def device(self):
        return self.sum.device

    def nbytes(self) -> int:
        return sum(getattr(self, k).numel() * 8 for k in self._SUMS)

    def add(self, feat: Tensor, classes) -> list:
        """Add one image: ``feat`` (D, H, W), ``classes`` its 0-based classes.

        Returns the classes whose sums took the image (those not yet at the
        cap). The D×D outer product is computed once per image, in float64,
        on the sums' device, and only if some class takes the image.
        """
        if feat.ndim != 3:
            raise ValueError(f'ClassStatistics.add: feat must be (D, H, W), '
                             f'got {tuple(feat.shape)}')
        if feat.shape[0] != self.dim:
            raise ValueError(
                f'ClassStatistics.add: feat has {feat.shape[0]} channels, '
                f'the statistics D = {self.dim}')
        idx = _class_index(classes, self.num_classes, self.device)
        flat = feat.detach().reshape(self.dim, -1).to(self.device,
                                                      torch.float64)
        n = float(flat.shape[1])
        s = flat.sum(1)
        self.total_images += 1
        self.total_pixels += n
        self.total_sum += s
        if idx.numel() == 0:
            return []
        # index_add_ (not ``x[idx] += v``: index_put with accumulation is
        # orders of magnitude slower for the (K, D, D) update)
        k = idx.numel()
        ones = self.seen_images.new_ones(k)
        self.seen_images.index_add_(0, idx, ones)
        self.seen_pixels.index_add_(0, idx, ones * n)
        self.seen_sum.index_add_(0, idx, s.expand(k, -1))
        if self.max_images_per_class is not None:
            idx = idx[self.num_images[idx] < self.max_images_per_class]
            k = idx.numel()
        if k == 0:
            return []
        outer = flat @ flat.T
        ones = self.num_images.new_ones(k)
        self.num_images.index_add_(0, idx, ones)
        self.num_pixels.index_add_(0, idx, ones * n)
        self.sum.index_add_(0, idx, s.expand(k, -1))
        self.sum_outer.index_add_(0, idx, outer.expand(k, -1, -1))
        return idx.tolist()

    def merge(self, other: 'ClassStatistics') -> 'ClassStatistics':
        """Add the sums of another shard (same C and D) in place."""
        if (other.num_classes, other.dim) != (self.num_classes, self.dim):
            raise ValueError(f'ClassStatistics.merge: shapes differ: '
                             f'{(self.num_classes, self.dim)} vs '
                             f'{(other.num_classes, other.dim)}')
        for key in self._SUMS:
            getattr(self, key).add_(getattr(other, key).to(self.device))
        return self

    def all_reduce(self) -> 'ClassStatistics':
        """Sum the statistics of every rank (mmengine.dist; no-op for 1
        rank)."""
        from mmengine.dist import all_reduce, get_world_size
        if get_world_size() > 1:
            for key in self._SUMS:
                all_reduce(getattr(self, key), op='sum')
        return self

    def means(self) -> Tensor:
        """(C, D) float64 ``t̄_c`` (zeros for classes without pixels)."""
        return self.sum / self.num_pixels.clamp(min=1)[:, None]

    def covariance(self, c: int) -> Tensor:
        """(D, D) float64 ``Σ_c`` of eq. (2) (1/K normalisation)."""
        n = self.num_pixels[c].clamp(min=1)
        mean = self.sum[c] / n
        return self.sum_outer[c] / n - torch.outer(mean, mean)

    def sign_reference(self,
                       c: int,
                       rule: str = 'contrast') -> Optional[Tensor]:
        """The vector ``ξ_c`` is oriented towards (see the module docstring).

        ``'contrast'``: mean of all images with c minus mean of the images
        without c; falls back to ``'activation'`` when every image has c.
        ``'activation'``: ``t̄_c`` itself (the positive side is the one of
        larger activations along the class mean; for ReLU features objects
        usually respond more than flat background). ``'none'``: no rule.
        """
        if rule not in SIGN_RULES:
            raise ValueError(
                f'DCP: sign_rule must be one of {SIGN_RULES}, got {rule!r}')
        if rule == 'none':
            return None
        if rule == 'contrast':
            rest = self.total_pixels - self.seen_pixels[c]
            if rest > 0 and self.seen_pixels[c] > 0:
                with_c = self.seen_sum[c] / self.seen_pixels[c]
                without_c = (self.total_sum - self.seen_sum[c]) / rest
                return with_c - without_c
        return self.sum[c] / self.num_pixels[c].clamp(min=1)

    def patterns(self, sign_rule: str = 'contrast') -> Dict[str, Tensor]:
        """Eq. (2) for every class: means, top eigenvectors and diagnostics.

        Returns a dict of float64 CPU tensors: ``means`` (C, D), ``patterns``
        (C, D) (zero for classes without images: a zero pattern gives
        ``q = 0``, never foreground), ``eigenvalues`` (C,),
        ``explained_variance`` (C,) (top eigenvalue / trace), ``num_images``,
        ``num_pixels`` (C,), ``valid`` (C,) bool, ``sign_margin`` (C,) cosine
        between the oriented pattern and the sign reference.
        """
        c_all, d = self.num_classes, self.dim
        out = dict(
            means=self.means().cpu(),
            patterns=torch.zeros(c_all, d, dtype=torch.float64),
            eigenvalues=torch.zeros(c_all, dtype=torch.float64),
            explained_variance=torch.zeros(c_all, dtype=torch.float64),
            sign_margin=torch.zeros(c_all, dtype=torch.float64),
            num_images=self.num_images.cpu().clone(),
            num_pixels=self.num_pixels.cpu().clone(),
            valid=(self.num_pixels > 0).cpu())
        for c in range(c_all):
            if self.num_pixels[c] <= 0:
                continue
            ref = self.sign_reference(c, sign_rule)
            # on the sums' device (eigh of a D x D float64 matrix)
            val, vec, trace = top_eigenvector(self.covariance(c), ref)
            vec, val, trace = vec.cpu(), val.cpu(), trace.cpu()
            out['patterns'][c] = vec
            out['eigenvalues'][c] = val
            out['explained_variance'][c] = val / trace if trace > 0 else 0
            if ref is not None and ref.norm() > 0:
                ref = ref.cpu()
                out['sign_margin'][c] = torch.dot(vec, ref) / ref.norm()
        return out


def pattern_cosines(patterns: Tensor, valid: Optional[Tensor] = None):
    """How parallel the class patterns of eq. (2) are: ``|ξ_c ᵀ ξ_k|``.

    The patterns are unit eigenvectors, so ``patterns @ patterns.T`` holds
    their cosines; the sign is arbitrary up to the orientation rule, hence
    the absolute value. Near-parallel patterns (off-diagonal near 1) mean the
    covariance of eq. (2) is dominated by what all classes' images share
    (background, clutter) rather than by the class's own pixels.

    Args:
        patterns: (C, D) class patterns.
        valid: (C,) bool, classes with images (default: all).
    Returns:
        ``(cos, off_mean, off_max)``: the (C', C') matrix of the valid classes
        and the mean and max of its off-diagonal entries (0 for one class).
    """
    if valid is None:
        valid = torch.ones(patterns.shape[0], dtype=torch.bool)
    p = patterns[valid.to(patterns.device)].double()
    p = p / p.norm(dim=1, keepdim=True).clamp(min=1e-12)
    cos = (p @ p.T).abs()
    k = cos.shape[0]
    if k < 2:
        return cos, 0.0, 0.0
    off = cos[~torch.eye(k, dtype=torch.bool, device=cos.device)]
    return cos, float(off.mean()), float(off.max())


def save_patterns(path: str,
                  result: Dict[str, Tensor],
                  meta: Optional[dict] = None):
    """Save class patterns atomically (temp file + ``os.replace``).

    The file holds only tensors, strings and numbers (``torch.load`` with
    ``weights_only=True`` reads it): the keys of
    :meth:`ClassStatistics.patterns` plus ``meta`` (layer, classes, ...).
    """
    for key in ('means', 'patterns'):
        if key not in result:
            raise KeyError(f'save_patterns: result lacks {key!r}')
    _check_patterns(result['means'], result['patterns'],
                    result['means'].shape[1])
    data = {
        k: v.detach().cpu() if torch.is_tensor(v) else v
        for k, v in result.items()
    }
    data['format'] = PATTERNS_FORMAT
    data['meta'] = dict(meta or {})
    with atomic_path(path) as tmp:
        torch.save(data, tmp)


def load_patterns(path: str,
                  map_location: Union[str, torch.device] = 'cpu') -> dict:
    """Read a file of :func:`save_patterns` (``weights_only=True``)."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'DCP class patterns not found: {path} (run the statistics pass '
            'first: '
            'tools/dcp_statistics.py configs/dcp/<...>_statistics.py CKPT '
            '--out FILE)')
    data = torch.load(path, map_location=map_location, weights_only=True)
    if not isinstance(data, dict) or data.get('format') != PATTERNS_FORMAT:
        raise ValueError(f'{path}: not a DCP class-pattern file (format '
                         f'{PATTERNS_FORMAT!r} expected)')
    _check_patterns(data['means'], data['patterns'], data['means'].shape[1])
    return data


__all__ = [
    'dcp_projections', 'dcp_assign_projections', 'dcp_assign',
    'orient_pattern', 'top_eigenvector', 'ClassStatistics', 'save_patterns',
    'load_patterns', 'SIGN_RULES'
]
