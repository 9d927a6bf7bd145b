"""Fully connected CRF (Krähenbühl & Koltun) over class probabilities.

The one CRF of the package: DSRG's boundary loss, Fan et al.'s CRF seeds, DCP's
single-class refinement and the single-stage post-processing all call
:func:`dense_crf` with their own parameters (``pydensecrf``).
"""
from typing import Optional

import numpy as np

# Settings common in this line of work (DeepLab, AffinityNet, Fan et al.).
DEFAULT_GAUSSIAN = dict(sxy=3, compat=3)
DEFAULT_BILATERAL = dict(sxy=80, srgb=13, compat=10)


def dense_crf(image: np.ndarray,
              probs: np.ndarray,
              num_iter: int = 10,
              gaussian: Optional[dict] = None,
              bilateral: Optional[dict] = None,
              eps: float = 1e-8,
              unary: str = 'log_prob') -> np.ndarray:
    """Mean-field inference of a dense CRF with unary ``-log(probs)``.

    ``unary='prob'`` uses ``-probs`` itself as the unary energy instead: the
    CRF of SEC's and DSRG's public code (``krahenbuhl2013.CRF`` is called
    with the probabilities and sets ``set_unary_energy(-unary)``), a much
    weaker unary (energies within [-1, 0]) that lets the pairwise terms
    dominate. The probabilities are then used as given (not renormalised,
    no ``eps`` floor): a caller that wants DSRG's ``min_prob`` floor applies
    it (:func:`wsss_mm.models.utils.dsrg.dsrg_refinement`).

    Args:
        image: (H, W, 3) uint8 RGB image at the probability resolution.
        probs: (K, H, W) class probabilities (each pixel sums to ~1; they are
            renormalised).
        num_iter: mean-field iterations.
        gaussian: ``dict(sxy, compat)`` of the appearance-free kernel
            (default sxy 3, compat 3); ``None`` for the default, ``{}`` to
            drop the kernel.
        bilateral: ``dict(sxy, srgb, compat)`` of the appearance kernel
            (default 80 / 13 / 10).
        eps: floor of ``probs`` before the logarithm (``'log_prob'``).
        unary: ``'log_prob'`` (-log P) or ``'prob'`` (-P, SEC / DSRG).
    Returns:
        (K, H, W) float32 marginals Q.
    """
    import pydensecrf.densecrf as dcrf
    from pydensecrf.utils import unary_from_softmax

    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f'dense_crf: image must be (H, W, 3), got {image.shape}')
    if probs.ndim != 3 or probs.shape[1:] != image.shape[:2]:
        raise ValueError(f'dense_crf: probs must be (K, H, W) with (H, W) = '
                         f'{image.shape[:2]}, got {probs.shape}')
    if unary not in ('log_prob', 'prob'):
        raise ValueError(
            f"dense_crf: unary must be 'log_prob' or 'prob', got {unary!r}")
    if num_iter < 1:
        raise ValueError(f'dense_crf: num_iter must be >= 1, got {num_iter}')
    gaussian = DEFAULT_GAUSSIAN if gaussian is None else gaussian
    bilateral = DEFAULT_BILATERAL if bilateral is None else bilateral
    k, h, w = probs.shape
    crf = dcrf.DenseCRF2D(w, h, k)
    if unary == 'prob':
        energy = -probs.reshape(k, h * w).astype(np.float32)
    else:
        p = np.clip(probs.astype(np.float32), eps, None)
        p /= p.sum(0, keepdims=True)
        energy = unary_from_softmax(p)
    crf.setUnaryEnergy(np.ascontiguousarray(energy))
    if gaussian:
        crf.addPairwiseGaussian(sxy=gaussian['sxy'], compat=gaussian['compat'])
    if bilateral:
        crf.addPairwiseBilateral(
            sxy=bilateral['sxy'],
            srgb=bilateral['srgb'],
            rgbim=np.ascontiguousarray(image.astype(np.uint8)),
            compat=bilateral['compat'])
    q = crf.inference(num_iter)
    return np.asarray(q, dtype=np.float32).reshape(k, h, w)
