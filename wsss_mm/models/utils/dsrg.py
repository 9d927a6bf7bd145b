"""Deep Seeded Region Growing (DSRG; Huang et al., CVPR 2018): the math.

FickleNet (Lee et al., CVPR 2019, Sec. 3.3, eq. 2) trains its segmentation
network with DSRG's losses, ``L = L_seed + L_boundary (+ alpha * L_full)``.
The numerics follow DSRG's public Caffe code (``pylayers.py``:
``generate_seed_step``, ``SeedLossLayer3``, ``ConstrainLossLayer``):

- :func:`dsrg_probs` — ``SoftmaxLayer``: softmax + ``min_prob``, renormalised;
- :func:`dsrg_refinement` — ``refinement``: the dense CRF that both the
  boundary loss (``CRFLayer``) and the growing (``UpdateSeedLayer3``) run on
  those probabilities at the output resolution;
- :func:`seeded_region_growing` — the "update-seed" layer
  (``generate_seed_step``), run without gradient on the CRF output
  (``generate_seed``: ``probs_refinement = self.refinement(probs, im, 12.0)``)
  or, as a named option, on the raw probabilities;
- :func:`balanced_seed_loss` — the balanced seeding loss (DSRG eq. 2);
- :func:`constrain_loss` — the boundary loss: KL(Q || P) with
  ``Q = denseCRF(P)`` (SEC's constrain-to-boundary loss; DSRG eq. 4).

Seeds are class-index maps (``ignore_index`` = unlabelled), one label a pixel,
as the seed PNGs of this package are (DSRG's cues are multi-hot, but a
pixel never holds two classes in its region-growing output).

The three run every training step of ``DSRGHead`` and validate nothing:
the head checks thresholds and clip bounds when it is built, the class count
of the image labels when it reads them, and produces the shapes itself;
``WeakVOCDataset`` checks the range of the seed labels when it starts.
"""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    'seeded_region_growing', 'balanced_seed_loss', 'constrain_loss',
    'valid_extent', 'dsrg_probs', 'dsrg_refinement', 'EIGHT_CONNECTIVITY',
    'DSRG_MIN_PROB', 'DSRG_CRF'
]

ArrayLike = Union[np.ndarray, Tensor]

#: ``scipy.ndimage.label`` structure of DSRG's ``CC_labeling_8``: a pixel
#: touches its 8 neighbours (diagonals included).
EIGHT_CONNECTIVITY = np.ones((3, 3), dtype=bool)

#: ``min_prob`` of DSRG's ``pylayers.py``: the floor of its softmax output and
#: of the CRF output.
DSRG_MIN_PROB = 1e-4

#: DSRG's CRF (``krahenbuhl2013.CRF(im, probs, scale_factor=12.0)``:
#: ``add_pairwise_energy(10, 80 / sf, 80 / sf, 13, 13, 13, 3, 3 / sf, 3 /
#: sf)``,
#: ``maxiter=10``) in pixels of its 41x41 output map: the usual 80 / 3 pixel
#: kernels divided by the fixed ``scale_factor`` 12.
DSRG_CRF = dict(
    num_iter=10,
    gaussian=dict(sxy=3 / 12, compat=3),
    bilateral=dict(sxy=80 / 12, srgb=13, compat=10))


def _to_numpy(x: ArrayLike) -> np.ndarray:
    if isinstance(x, Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def dsrg_probs(probs: np.ndarray,
               min_prob: float = DSRG_MIN_PROB) -> np.ndarray:
    """DSRG's ``SoftmaxLayer`` output from softmax probabilities (K on axis
    0): ``(P + min_prob) / sum_c (P_c + min_prob)``."""
    p = probs + min_prob
    return p / p.sum(0, keepdims=True)


def dsrg_refinement(probs: np.ndarray,
                    image: np.ndarray,
                    crf: Optional[dict] = None,
                    unary: str = 'prob',
                    min_prob: float = DSRG_MIN_PROB) -> np.ndarray:
    """DSRG's ``refinement`` (``UpdateSeedLayer3``; ``CRFLayer`` is the same
    computation): the dense CRF of (K, h, w) probabilities on the image at
    the map size, the result floored at ``min_prob`` and renormalised::

        P <- max(P, min_prob)
        Q  = denseCRF(image, unary = -P)            (krahenbuhl2013.CRF)
        Q <- max(Q, min_prob) / sum_c max(Q_c, min_prob)

    Args:
        probs: (K, h, w) probabilities (DSRG: :func:`dsrg_probs`).
        image: (h, w, 3) uint8 image resized to the map (DSRG: bilinear
            ``zoom(order=1)`` of the input crop, rounded).
        crf: ``num_iter`` / ``gaussian`` / ``bilateral`` kernels in map pixels
            (:data:`DSRG_CRF` if None).
        unary: ``'prob'`` (-P, DSRG's code) or ``'log_prob'`` (-log P, the
            usual dense CRF).
    Returns:
        (K, h, w) float32 CRF marginals Q.
    """
    from .dense_crf import dense_crf

    crf = DSRG_CRF if crf is None else crf
    p = np.maximum(probs, min_prob).astype(np.float32)
    q = dense_crf(
        np.ascontiguousarray(image),
        p,
        num_iter=crf.get('num_iter', 10),
        gaussian=crf.get('gaussian'),
        bilateral=crf.get('bilateral'),
        unary=unary)
    q = np.maximum(q, min_prob)
    return (q / q.sum(0, keepdims=True)).astype(np.float32)


def seeded_region_growing(probs: ArrayLike,
                          seeds: ArrayLike,
                          image_labels: ArrayLike,
                          fg_threshold: float = 0.85,
                          bg_threshold: float = 0.99,
                          ignore_index: int = 255) -> ArrayLike:
    """Grow seeds into confident, connected regions (DSRG Sec. 3.2).

    With ``C_img`` the classes of the image (``image_labels``, background at
    index 0), for every pixel u let ``c(u) = argmax_{c in C_img} P[c, u]``
    and ``p(u)`` its probability. Exactly as DSRG's ``generate_seed_step``:

    1. ``label_map`` = the seeds, then every *confident* pixel is overwritten
       by its class: ``p(u) > fg_threshold`` for a foreground ``c(u)``,
       ``p(u) > bg_threshold`` for the background (strict ``>``; DSRG tests
       the background against ``th2`` first, so the background needs
       ``p(u) > max(bg_threshold, fg_threshold)``);
    2. for each class c of the image, the 8-connected components
       (:data:`EIGHT_CONNECTIVITY`, ``scipy.ndimage.label``) of
       ``label_map == c`` that contain at least one seed of class c are kept;
    3. every *unlabelled* seed pixel inside a kept component becomes c.

    Seeds are never changed or removed (a seed of class a where the network
    is confident about b stays a: DSRG excludes such pixels from growing),
    but such a pixel still joins b's component in step 2, as in DSRG. Classes
    absent from ``image_labels`` never grow (they are left out of the argmax
    too); with no class at all the seeds come back unchanged.

    DSRG applies this to the dense-CRF output (:func:`dsrg_refinement`;
    ``DSRGHead(grow_on='crf')``, the default), where the thresholds fire on
    large confident regions; on the raw probabilities (``grow_on='probs'``)
    they rarely do.

    Args:
        probs: (K, h, w) class probabilities, K = C + 1, background first.
        seeds: (h, w) integer class map, ``ignore_index`` = unlabelled.
        image_labels: (K,) bool / 0-1 multi-hot image classes.
        fg_threshold: DSRG's ``th2`` (0.85), in (0, 1].
        bg_threshold: DSRG's ``th1`` (0.99), in (0, 1].
        ignore_index: the unlabelled value of ``seeds``.

    Returns:
        (h, w) int64 grown seeds: a ``torch.LongTensor`` on ``seeds``' device
        if ``seeds`` is a tensor, else an ``np.ndarray``.
    """
    from scipy import ndimage

    p = _to_numpy(probs)
    s = _to_numpy(seeds).astype(np.int64)
    labels = _to_numpy(image_labels).astype(bool).reshape(-1)

    grown = s.copy()
    classes = np.flatnonzero(labels)
    if classes.size:
        sel = p[classes]
        arg = classes[sel.argmax(0)]
        conf = sel.max(0)
        thresh = np.where(arg == 0, max(bg_threshold, fg_threshold),
                          fg_threshold)
        label_map = np.where(conf > thresh, arg, s)
        unlabelled = s == ignore_index
        for c in classes:
            components, num = ndimage.label(
                label_map == c, structure=EIGHT_CONNECTIVITY)
            if num == 0:
                continue
            seeded = np.unique(components[(s == c) & (components > 0)])
            if seeded.size == 0:
                continue
            keep = np.zeros(num + 1, dtype=bool)
            keep[seeded] = True
            grown[keep[components] & unlabelled] = c
    if isinstance(seeds, Tensor):
        return torch.from_numpy(grown).to(seeds.device)
    return grown


def balanced_seed_loss(logits: Tensor,
                       seeds: Tensor,
                       ignore_index: int = 255) -> Tensor:
    """Balanced seeding loss (DSRG eq. 2, ``SeedLossLayer3``).

    Per image, the cross-entropy of the background seeds averaged over the
    background seed pixels plus the cross-entropy of the foreground seeds
    (all foreground classes together) averaged over the foreground seed
    pixels; the result is averaged over the images::

        L = 1/B sum_b [ -1/|S_bg| sum_{u in S_bg} log P_0(u)
                        -1/|S_fg| sum_{u in S_fg} log P_{s(u)}(u) ]

    An image without background (foreground) seeds contributes 0 for that
    term but still counts in the batch mean B (DSRG divides by
    ``max(count, 1e-4)``, so an empty term is 0); an image with no seed at
    all contributes 0.

    Args:
        logits: (B, K, h, w) raw scores; ``log_softmax`` is taken here.
        seeds: (B, h, w) class indices in [0, K) or ``ignore_index``.
    Returns:
        scalar loss.
    """
    seeds = seeds.long()
    valid = seeds != ignore_index
    log_p = F.log_softmax(logits, dim=1)
    target = torch.where(valid, seeds, torch.zeros_like(seeds))
    nll = -log_p.gather(1, target.unsqueeze(1)).squeeze(1)  # (B, h, w)
    bg = (valid & (seeds == 0)).to(nll.dtype)
    fg = (valid & (seeds > 0)).to(nll.dtype)
    loss_bg = (nll * bg).flatten(1).sum(1) / bg.flatten(1).sum(1).clamp_min(1)
    loss_fg = (nll * fg).flatten(1).sum(1) / fg.flatten(1).sum(1).clamp_min(1)
    return (loss_bg + loss_fg).mean()


def constrain_loss(probs: Tensor,
                   crf_probs: Tensor,
                   clip: Sequence[float] = (0.05, 20.0),
                   valid: Optional[Tensor] = None,
                   eps: float = 1e-12) -> Tensor:
    """Boundary (constrain-to-boundary) loss (DSRG eq. 4,
    ``ConstrainLossLayer``)::

        L = mean_u sum_c Q_c(u) * log(clip(Q_c(u) / P_c(u), lo, hi))

    ``Q`` (the dense-CRF marginals of ``P``) is a constant: no gradient flows
    into it. The log-ratio is computed as ``clamp(log Q - log P, log lo,
    log hi)`` (equal to the clipped ratio's log, without 0/0 or inf/inf in
    the backward pass); outside the clip range the gradient is 0, as with
    Theano's ``clip`` in DSRG.

    Args:
        probs: (B, K, h, w) network probabilities P.
        crf_probs: (B, K, h, w) CRF marginals Q.
        clip: (lo, hi) bounds of the ratio Q / P (DSRG: 0.05, 20).
        valid: optional (B, h, w) bool mask: the mean runs over these pixels
            only (e.g. not over batch padding); 0 if none is valid.
        eps: floor of P and Q inside the logarithms.
    Returns:
        scalar loss.
    """
    lo, hi = float(clip[0]), float(clip[1])
    q = crf_probs.detach().to(probs.dtype)
    log_ratio = (q.clamp_min(eps).log() - probs.clamp_min(eps).log()).clamp(
        np.log(lo), np.log(hi))
    per_pixel = (q * log_ratio).sum(1)  # (B, h, w)
    if valid is None:
        return per_pixel.mean()
    w = valid.to(per_pixel.dtype)
    return (per_pixel * w).sum() / w.sum().clamp_min(1)


def valid_extent(img_shape: Tuple[int, int], batch_shape: Tuple[int, int],
                 map_shape: Tuple[int, int]) -> Tuple[int, int]:
    """Rows and columns of a (h, w) output map that cover the unpadded image.

    mmseg pads a batch at the bottom and right; an image of ``img_shape``
    inside a ``batch_shape`` input covers the first ``ceil(h * H_img / H)``
    rows (likewise columns) of the head's map.
    """
    (ih, iw), (bh, bw), (h, w) = img_shape, batch_shape, map_shape
    return (min(h, int(np.ceil(h * ih / bh))), min(w,
                                                   int(np.ceil(w * iw / bw))))
