"""Tests of the single-stage WSSS math (Araslanov & Roth, CVPR 2020).

Small hand-computed or naive-loop references for nGWP + focal penalty,
PAMR, the pseudo labels, the balanced cross-entropy, the Stochastic Gate and
Global Cue Injection.
"""
import math

import pytest
import torch
import torch.nn.functional as F

from wsss_mm.models.mods.global_cue_injection import GlobalCueInjection
from wsss_mm.models.mods.pamr import (PAMR, local_neighbours, pamr_affinity,
                                      pamr_refine)
from wsss_mm.models.mods.stochastic_gate import StochasticGate, stochastic_gate
from wsss_mm.models.utils.ngwp import ngwp_class_scores
from wsss_mm.models.utils.pseudo_labels import (balanced_cross_entropy,
                                                pamr_pseudo_labels)

# --------------------------------------------------------------------------
# nGWP + focal mask penalty (eq. 3-6)
# --------------------------------------------------------------------------


def test_ngwp_uniform_logits_hand_value():
    # all logits equal the background logit 1.0 -> every mask is 1/3
    logits = torch.ones(1, 2, 2, 2)
    scores, masks = ngwp_class_scores(logits)
    assert masks.shape == (1, 3, 2, 2)
    assert torch.allclose(masks, torch.full_like(masks, 1 / 3))
    # nGWP = (4 * 1/3 * 1) / (1 + 4/3) = 4/7; m̄ = 1/3
    expected = 4 / 7 + (2 / 3)**3 * math.log(0.01 + 1 / 3)
    assert scores.shape == (1, 2)
    assert torch.allclose(scores, torch.full((1, 2), expected), atol=1e-6)


def test_ngwp_closed_form_two_classes():
    # bg logit 0, class 1 logit 0, class 2 logit ln 2 -> masks 1/4, 1/4, 1/2
    logits = torch.zeros(1, 2, 2, 2)
    logits[:, 1] = math.log(2.0)
    scores, masks = ngwp_class_scores(logits, bg_score=0.0)
    assert torch.allclose(masks[0, :, 0, 0], torch.tensor([0.25, 0.25, 0.5]))
    # class 1: sum m*y = 0                 -> nGWP 0,       m̄ = 1/4
    # class 2: sum m*y = 4 * 1/2 * ln 2    -> / (1 + 2),    m̄ = 1/2
    exp1 = 0.0 + (0.75**3) * math.log(0.01 + 0.25)
    exp2 = 2 * math.log(2.0) / 3 + (0.5**3) * math.log(0.01 + 0.5)
    assert torch.allclose(scores, torch.tensor([[exp1, exp2]]), atol=1e-6)


def test_ngwp_matches_pixel_loop_and_options():
    torch.manual_seed(0)
    logits = torch.randn(2, 3, 2, 3, dtype=torch.float64)
    bg, eps, p, lam = 0.5, 0.7, 2.0, 0.1
    scores, masks = ngwp_class_scores(
        logits, bg_score=bg, eps=eps, focal_p=p, focal_lambda=lam)
    for b in range(2):
        num, den = [0.0] * 3, [0.0] * 3
        for i in range(2):
            for j in range(3):
                z = [bg] + [logits[b, c, i, j].item() for c in range(3)]
                e = [math.exp(v) for v in z]
                for c in range(3):
                    m = e[c + 1] / sum(e)
                    assert masks[b, c + 1, i, j].item() == pytest.approx(m)
                    num[c] += m * z[c + 1]
                    den[c] += m
        for c in range(3):
            mbar = den[c] / 6
            ref = num[c] / (eps + den[c]) + (1 - mbar)**p * math.log(lam +
                                                                     mbar)
            assert scores[b, c].item() == pytest.approx(ref, abs=1e-10)


def test_ngwp_background_first():
    logits = torch.full((1, 2, 2, 2), -30.0)
    logits[0, 1, 0, 0] = 30.0  # class index 1 -> mask channel 2
    _, masks = ngwp_class_scores(logits)
    assert masks[0, 0, 1, 1] > 0.999  # background wins where logits are low
    assert masks[0, 2, 0, 0] > 0.999
    assert masks[0, 1].max() < 1e-6
    assert torch.allclose(masks.sum(1), torch.ones(1, 2, 2))


def test_ngwp_masks_not_detached():
    torch.manual_seed(1)
    logits = torch.randn(1, 2, 3, 3, dtype=torch.float64, requires_grad=True)
    scores, masks = ngwp_class_scores(logits)
    assert masks.requires_grad
    grad = torch.autograd.grad(scores.sum(), logits)[0]
    # same formula with detached masks: only the linear y_c term remains
    m = masks[:, 1:].detach()
    detached = (m * logits).sum((2, 3)) / (1 + m.sum((2, 3)))
    grad_detached = torch.autograd.grad(detached.sum(), logits)[0]
    assert not torch.allclose(grad, grad_detached)
    assert torch.autograd.gradcheck(lambda x: ngwp_class_scores(x)[0],
                                    (logits, ))


def test_multilabel_soft_margin_is_eq6():
    scores = torch.tensor([[1.5, -0.3, 0.2], [-2.0, 0.7, 3.0]])
    labels = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    eq6 = []
    for y, z in zip(scores.tolist(), labels.tolist()):
        terms = [
            zc * math.log(1 / (1 + math.exp(-yc))) +
            (1 - zc) * math.log(math.exp(-yc) / (1 + math.exp(-yc)))
            for yc, zc in zip(y, z)
        ]
        eq6.append(-sum(terms) / len(terms))
    expected = sum(eq6) / len(eq6)
    got = F.multilabel_soft_margin_loss(scores, labels)
    assert got.item() == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize('kwargs, name', [
    (dict(logits=torch.zeros(2, 2, 2)), 'logits'),
    (dict(logits=torch.zeros(1, 2, 2, 2), focal_lambda=0.0), 'focal_lambda'),
    (dict(logits=torch.zeros(1, 2, 2, 2), eps=-1.0), 'eps'),
])
def test_ngwp_bad_inputs(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ngwp_class_scores(**kwargs)


# --------------------------------------------------------------------------
# PAMR (eq. 7-8)
# --------------------------------------------------------------------------


def _clamp(v, n):
    return min(max(v, 0), n - 1)


def naive_pamr_step(image, mask, dilations):
    """One PAMR iteration with python loops (replicate = clamped coords)."""
    img, msk = image[0].tolist(), mask[0].tolist()
    n_ch, h, w = len(img), len(img[0]), len(img[0][0])
    out = torch.zeros_like(mask)
    for i in range(h):
        for j in range(w):
            window, neigh = [], []
            for d in dilations:
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        yx = (_clamp(i + dy * d, h), _clamp(j + dx * d, w))
                        window.append(yx)  # centre included (per dilation)
                        if (dy, dx) != (0, 0):
                            neigh.append(yx)
            stds = []
            for c in range(n_ch):
                vals = [img[c][y][x] for y, x in window]
                mean = sum(vals) / len(vals)
                stds.append(
                    math.sqrt(
                        sum((v - mean)**2 for v in vals) / (len(vals) - 1)))
            kernel = []
            for y, x in neigh:
                k = sum(-abs(img[c][i][j] - img[c][y][x]) /
                        (1e-8 + 0.1 * stds[c]) for c in range(n_ch))
                kernel.append(k / n_ch)
            top = max(kernel)
            weights = [math.exp(k - top) for k in kernel]
            total = sum(weights)
            for k in range(len(msk)):
                out[0, k, i, j] = sum(wt / total * msk[k][y][x]
                                      for wt, (y, x) in zip(weights, neigh))
    return out


def test_local_neighbours_replicate_order():
    x = torch.arange(9.0).view(1, 1, 3, 3)
    nb = local_neighbours(x, (1, ))
    assert nb.shape == (1, 1, 8, 3, 3)
    # top-left pixel: clamped neighbours in raster order, centre excluded
    assert nb[0, 0, :, 0, 0].tolist() == [0, 0, 1, 0, 1, 3, 3, 4]
    assert nb[0, 0, :, 1, 1].tolist() == [0, 1, 2, 3, 5, 6, 7, 8]


def test_pamr_constant_image_is_neighbour_average():
    torch.manual_seed(0)
    image = torch.full((1, 3, 5, 5), 0.4, dtype=torch.float64)
    mask = torch.rand(1, 2, 5, 5, dtype=torch.float64)
    alpha = pamr_affinity(image, (1, 2))
    assert alpha.shape == (1, 16, 5, 5)
    assert torch.allclose(alpha, torch.full_like(alpha, 1 / 16))
    refined = pamr_refine(image, mask, num_iter=1, dilations=(1, 2))
    expected = torch.zeros_like(mask)
    for i in range(5):
        for j in range(5):
            for d in (1, 2):
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        if (dy, dx) != (0, 0):
                            expected[0, :, i,
                                     j] += mask[0, :,
                                                _clamp(i + dy * d, 5),
                                                _clamp(j + dx * d, 5)] / 16
    assert torch.allclose(refined, expected, atol=1e-12)
    assert torch.allclose(refined, naive_pamr_step(image, mask, (1, 2)))


def test_pamr_matches_naive_loop_on_random_image():
    torch.manual_seed(1)
    image = torch.rand(1, 3, 5, 5, dtype=torch.float64)
    mask = torch.softmax(torch.randn(1, 3, 5, 5, dtype=torch.float64), 1)
    one = pamr_refine(image, mask, num_iter=1, dilations=(1, 2))
    ref = naive_pamr_step(image, mask, (1, 2))
    assert torch.allclose(one, ref, atol=1e-10)
    two = pamr_refine(image, mask, num_iter=2, dilations=(1, 2))
    assert torch.allclose(two, naive_pamr_step(image, ref, (1, 2)), atol=1e-10)
    # convex combinations: per-pixel sums and range preserved
    assert torch.allclose(two.sum(1), torch.ones(1, 5, 5, dtype=two.dtype))
    assert two.min() >= 0 and two.max() <= 1
    alpha = pamr_affinity(image, (1, 2))
    assert torch.allclose(alpha.sum(1), torch.ones(1, 5, 5, dtype=alpha.dtype))


def test_pamr_no_leak_across_flat_halves():
    image = torch.full((1, 3, 12, 12), 0.2)
    image[..., 6:] = 0.9
    mask = torch.zeros(1, 2, 12, 12)
    mask[:, 0, :, :6] = 1.0
    mask[:, 1, :, 6:] = 1.0
    refined = pamr_refine(image, mask, num_iter=10)
    assert (refined - mask).abs().max() < 1e-5
    # control 1: the same mask on a constant image does leak across
    flat = pamr_refine(torch.full_like(image, 0.5), mask, num_iter=10)
    assert (flat - mask).abs().max() > 0.1
    # control 2: a mask edge off the image edge is moved towards the image
    # edge: pixels of columns 4-5 (left image half) mostly become class 0
    shifted = torch.zeros(1, 2, 12, 12)
    shifted[:, 0, :, :4] = 1.0
    shifted[:, 1, :, 4:] = 1.0
    moved = pamr_refine(image, shifted, num_iter=10)
    assert (moved[0, 0, :, 4:6] > 0.5).all()
    assert (moved[0, 1, :, 6:] > 1 - 1e-5).all()


def test_pamr_zero_iterations_and_no_grad():
    image = torch.rand(1, 3, 4, 4)
    mask = torch.rand(1, 2, 4, 4, requires_grad=True)
    out = pamr_refine(image, mask, num_iter=0, dilations=(1, ))
    assert torch.equal(out, mask)
    out = pamr_refine(image, mask, num_iter=2, dilations=(1, ))
    assert not out.requires_grad


def test_pamr_half_precision_constant_image_is_finite():
    # the 1e-8 of eq. (8) underflows in float16: computed in float32 inside
    image = torch.full((1, 3, 6, 6), 0.5, dtype=torch.float16)
    mask = torch.softmax(torch.randn(1, 2, 6, 6), 1).half()
    out = pamr_refine(image, mask, num_iter=2, dilations=(1, 2))
    assert out.dtype == torch.float16 and torch.isfinite(out).all()
    ref = pamr_refine(image.float(), mask.float(), 2, (1, 2))
    assert torch.allclose(out.float(), ref, atol=1e-3)


def test_pamr_module_resizes_image_and_builds_from_registry():
    from mmseg.registry import MODELS
    torch.manual_seed(2)
    module = MODELS.build(dict(type='PAMR', num_iter=3, dilations=(1, 2)))
    assert isinstance(module, PAMR)
    image = torch.rand(2, 3, 16, 16)
    masks = torch.softmax(torch.randn(2, 4, 8, 8, requires_grad=True), 1)
    out = module(image, masks)
    assert out.shape == masks.shape and not out.requires_grad
    small = F.interpolate(image, (8, 8), mode='bilinear', align_corners=True)
    assert torch.allclose(out, pamr_refine(small, masks, 3, (1, 2)))
    assert PAMR().num_iter == 10
    assert PAMR().dilations == (1, 2, 4, 8, 12, 24)


@pytest.mark.parametrize('kwargs, name', [
    (dict(dilations=(1, 0)), 'dilations'),
    (dict(dilations=(1.5, 2)), 'dilations'),
    (dict(dilations=()), 'dilations'),
    (dict(dilations=2), 'dilations'),
    (dict(num_iter=-1), 'num_iter'),
    (dict(num_iter=2.0), 'num_iter'),
])
def test_pamr_module_bad_config(kwargs, name):
    with pytest.raises(ValueError, match=name):
        PAMR(**kwargs)


def test_pamr_bad_inputs():
    # No per-step checks: the config is checked at build time
    # (test_pamr_module_bad_config); malformed tensors still fail in torch.
    module = PAMR(num_iter=1, dilations=(1, ))
    with pytest.raises(RuntimeError):
        module(torch.rand(1, 3, 4, 4), torch.rand(2, 4, 4))  # masks not 4-d
    with pytest.raises(RuntimeError):
        module(torch.rand(2, 3, 4, 4), torch.rand(1, 2, 4, 4))  # batch
    with pytest.raises(RuntimeError):  # sizes differ (the module resizes)
        pamr_refine(torch.rand(1, 3, 4, 4), torch.rand(1, 2, 5, 5), 1, (1, ))
    # the kernel averages over the image channels: any channel count works
    out = module(torch.rand(1, 1, 4, 4), torch.rand(1, 2, 4, 4))
    assert out.shape == (1, 2, 4, 4)


# --------------------------------------------------------------------------
# Pseudo labels and balanced cross-entropy
# --------------------------------------------------------------------------


def test_pseudo_labels_hand_example():
    # masks: (B=3, K=3 [bg, c1, c2], H=1, W=5), listed per pixel
    pixels = [
        # image 0: only c1 present; c2 is zeroed (else it would claim p2)
        [[0.9, 0.1, 0.0], [0.7, 0.3, 0.0], [0.2, 0.8, 0.9], [0.65, 0.5, 0.0],
         [0.5, 0.4, 0.0]],
        # image 1: c1, c2 present; small peaks -> the 0.2 floor is active
        [[0.25, 0.1, 0.1], [0.19, 0.3, 0.05], [0.18, 0.19, 0.15],
         [0.2, 0.2, 0.15], [0.22, 0.1, 0.12]],
        # image 2: only c2 present, c2 is confident only in a conflict
        [[0.9, 0.0, 0.2], [0.8, 0.0, 0.5], [0.1, 0.0, 0.1], [0.1, 0.0, 0.1],
         [0.1, 0.0, 0.1]],
    ]
    masks = torch.tensor(pixels).permute(0, 2, 1).unsqueeze(2)
    img_labels = torch.tensor([[1, 0], [1, 1], [0, 1]])
    labels, keep = pamr_pseudo_labels(masks, img_labels)
    assert labels.dtype == torch.long and labels.shape == (3, 1, 5)
    # image 0: bg thr 0.63, c1 thr 0.48; p3 claimed twice, p4 unclaimed
    assert labels[0, 0].tolist() == [0, 0, 1, 255, 255]
    # image 1: bg thr max(0.175, 0.2) = 0.2 (floor on the background too:
    # 0.18 and 0.19 would pass 0.175), c1 thr max(0.18, 0.2) = 0.2, strict
    # '>' (0.2 not claimed), c2 thr 0.2 never reached
    assert labels[1, 0].tolist() == [0, 1, 255, 255, 0]
    assert labels[2, 0].tolist() == [0, 255, 255, 255, 255]
    # discard rule: image 1 lacks c2, image 2 has c2 only in a conflict
    assert keep.tolist() == [True, False, False]


def test_pseudo_labels_discard_without_background():
    masks = torch.zeros(1, 2, 2, 2)
    masks[0, 1] = 0.9  # class 1 everywhere, background nowhere confident
    masks[0, 0] = 0.1
    labels, keep = pamr_pseudo_labels(masks, torch.ones(1, 1))
    assert (labels == 1).all()
    assert keep.tolist() == [False]


def test_pseudo_labels_options_and_bad_inputs():
    masks = torch.tensor([[[[0.5, 0.3]], [[0.5, 0.7]]]])  # (1, 2, 1, 2)
    labels, _ = pamr_pseudo_labels(
        masks,
        torch.ones(1, 1),
        fg_ratio=0.5,
        bg_ratio=0.5,
        min_score=0.0,
        ignore_index=-1)
    # bg thr 0.25 (claims both), c1 thr 0.35 (claims both) -> conflicts
    assert labels.tolist() == [[[-1, -1]]]
    # Not checked per step: the image labels come from stack_image_labels,
    # which checks the class count; the ratios are checked when the
    # segmentor is built (test_single_stage.py::test_bad_inputs_are_named).
    from mmseg.structures import SegDataSample

    from wsss_mm.models.utils import stack_image_labels
    sample = SegDataSample()
    sample.gt_img_labels = torch.ones(3)  # background + 2 classes
    with pytest.raises(ValueError, match='classes'):
        stack_image_labels([sample], num_classes=1)  # masks have 1 class
    with pytest.raises(RuntimeError):
        pamr_pseudo_labels(masks[0], torch.ones(1, 1))  # masks not 4-d


def naive_balanced_ce(logits, labels, ignore_index=255):
    num_images, num_classes, h, w = logits.shape
    losses = []
    for b in range(num_images):
        flat = [labels[b, i, j].item() for i in range(h) for j in range(w)]
        valid = [lab for lab in flat if lab != ignore_index]
        n = len(valid)
        total = 0.0
        for i in range(h):
            for j in range(w):
                lab = labels[b, i, j].item()
                if lab == ignore_index:
                    continue
                n_c = valid.count(lab)
                z = [logits[b, k, i, j].item() for k in range(num_classes)]
                ce = math.log(sum(math.exp(v) for v in z)) - z[lab]
                total += (n - n_c) / (1 + n) * ce
        losses.append(total / (h * w))
    return torch.tensor(losses, dtype=torch.float64)


def test_balanced_ce_hand_value():
    logits = torch.zeros(1, 2, 1, 4)
    labels = torch.tensor([[[0, 1, 255, 255]]])
    # N = 2 valid pixels, N_0 = N_1 = 1 -> w = 1/3; CE = ln 2; / (H W = 4)
    loss = balanced_cross_entropy(logits, labels)
    assert loss.shape == (1, )
    assert loss.item() == pytest.approx(math.log(2) / 6, rel=1e-6)
    # had the ignored pixels been counted as background (argmax of an empty
    # one-hot row), N = 4, N_0 = 3 and the value would differ
    buggy = ((4 - 3) / 5 * math.log(2) + (4 - 1) / 5 * math.log(2)) / 4
    assert loss.item() != pytest.approx(buggy, rel=1e-3)


def test_balanced_ce_matches_pixel_loop_and_grad():
    torch.manual_seed(3)
    logits = torch.randn(2, 4, 3, 5, dtype=torch.float64, requires_grad=True)
    labels = torch.randint(0, 4, (2, 3, 5))
    labels[torch.rand(2, 3, 5) < 0.3] = 255
    loss = balanced_cross_entropy(logits, labels)
    assert torch.allclose(loss, naive_balanced_ce(logits.detach(), labels))
    mean = balanced_cross_entropy(logits, labels, reduction='mean')
    assert mean.item() == pytest.approx(loss.mean().item())
    grad = torch.autograd.grad(mean, logits)[0]
    ignored = (labels == 255).unsqueeze(1).expand_as(grad)
    assert (grad[ignored] == 0).all() and grad[~ignored].abs().sum() > 0
    # an all-ignored image gives exactly zero
    empty = torch.full((1, 3, 5), 255)
    assert balanced_cross_entropy(logits[:1], empty).item() == 0.0


def test_balanced_ce_bad_inputs():
    # No per-step checks (the labels come from pamr_pseudo_labels, in range
    # by construction); malformed inputs still fail in torch.
    logits = torch.zeros(1, 3, 2, 2)
    with pytest.raises(RuntimeError):
        balanced_cross_entropy(logits, torch.zeros(1, 3, 3, dtype=torch.long))
    with pytest.raises(RuntimeError):  # label 3 of 3 classes
        balanced_cross_entropy(logits, torch.full((1, 2, 2), 3))
    with pytest.raises(KeyError):
        balanced_cross_entropy(
            logits, torch.zeros(1, 2, 2, dtype=torch.long), reduction='sum')


# --------------------------------------------------------------------------
# Stochastic Gate (eq. 9-10) and Global Cue Injection (eq. 11)
# --------------------------------------------------------------------------


def _gate_pair(seed=0):
    g = torch.Generator().manual_seed(seed)
    x_deep = torch.rand(1, 3, 4, 4, generator=g) * 2 - 1
    x_shallow = x_deep + 1.0 + torch.rand(1, 3, 4, 4, generator=g)
    return x_deep, x_shallow


def test_gate_plain_expectation_equals_inference():
    x_deep, x_shallow = _gate_pair()
    psi, draws = 0.3, 4000
    g = torch.Generator().manual_seed(0)
    out = stochastic_gate(
        x_deep.expand(draws, -1, -1, -1),
        x_shallow.expand(draws, -1, -1, -1),
        psi,
        training=True,
        generator=g,
        rescale_deep=False)
    # every element is x_d or x_s, x_s with frequency ~psi
    is_shallow = torch.isclose(out, x_shallow.expand_as(out))
    assert (is_shallow | torch.isclose(out, x_deep.expand_as(out))).all()
    assert is_shallow.float().mean().item() == pytest.approx(psi, abs=0.01)
    inference = stochastic_gate(x_deep, x_shallow, psi, training=False)
    assert torch.allclose(inference, 0.7 * x_deep + 0.3 * x_shallow)
    # per element, 4000 draws: std of the mean < 0.015
    assert torch.allclose(out.mean(0, keepdim=True), inference, atol=0.08)


def test_gate_reference_rescaling_expectation_is_deep():
    x_deep, x_shallow = _gate_pair(1)
    psi, draws = 0.3, 4000
    g = torch.Generator().manual_seed(1)
    out = stochastic_gate(
        x_deep.expand(draws, -1, -1, -1),
        x_shallow.expand(draws, -1, -1, -1),
        psi,
        training=True,
        generator=g)  # rescale_deep=True (reference)
    rescaled = (x_deep - psi * x_shallow) / (1 - psi)
    assert (torch.isclose(out, rescaled.expand_as(out))
            | torch.isclose(out, x_shallow.expand_as(out))).all()
    mean = out.mean(0, keepdim=True)
    assert torch.allclose(mean, x_deep, atol=0.08)
    # ...which is NOT the inference value: they differ by psi (x_s - x_d)
    inference = stochastic_gate(x_deep, x_shallow, psi, training=False)
    assert ((mean - inference).abs() > 0.2).all()


@pytest.mark.parametrize('rescale', [True, False])
@pytest.mark.parametrize('training', [True, False])
def test_gate_psi_edge_cases(rescale, training):
    x_deep, x_shallow = _gate_pair(2)
    assert torch.equal(
        stochastic_gate(
            x_deep, x_shallow, 0.0, training, rescale_deep=rescale), x_deep)
    assert torch.equal(
        stochastic_gate(
            x_deep, x_shallow, 1.0, training, rescale_deep=rescale), x_shallow)


def test_gate_generator_and_module():
    from mmseg.registry import MODELS
    x_deep, x_shallow = _gate_pair(3)
    a = stochastic_gate(x_deep, x_shallow, 0.5, True,
                        torch.Generator().manual_seed(7))
    b = stochastic_gate(x_deep, x_shallow, 0.5, True,
                        torch.Generator().manual_seed(7))
    assert torch.equal(a, b)
    gate = MODELS.build(dict(type='StochasticGate', psi=0.4))
    assert isinstance(gate, StochasticGate) and gate.psi == 0.4
    gate.eval()
    assert torch.allclose(
        gate(x_deep, x_shallow), 0.6 * x_deep + 0.4 * x_shallow)
    gate.train()
    torch.manual_seed(0)
    out = gate(
        x_deep.expand(500, -1, -1, -1), x_shallow.expand(500, -1, -1, -1))
    assert not torch.allclose(out[0], out[1])  # stochastic in training
    assert StochasticGate().psi == 0.3


def test_deterministic_gate_mixes_at_the_papers_half():
    """Table 1c "Deterministic Gate": r = psi = 0.5 (Sec. 4.2), whatever the
    stochastic model's psi; deterministic_psi=None keeps psi."""
    from mmseg.registry import MODELS
    x_deep, x_shallow = _gate_pair(4)
    # the ablation as the README / train_ablation preset write it: the
    # model's gate dict (psi 0.3) with deterministic=True merged in
    gate = MODELS.build(
        dict(type='StochasticGate', psi=0.3, deterministic=True))
    assert gate.deterministic_psi == 0.5 and gate.mixing_rate == 0.5
    half = 0.5 * x_deep + 0.5 * x_shallow
    for mode in (True, False):  # r = psi at training time too
        gate.train(mode)
        assert torch.allclose(gate(x_deep, x_shallow), half)
    keep_psi = StochasticGate(
        psi=0.3, deterministic=True, deterministic_psi=None).train()
    assert keep_psi.mixing_rate == 0.3
    assert torch.allclose(
        keep_psi(x_deep, x_shallow), 0.7 * x_deep + 0.3 * x_shallow)
    # the stochastic gate ignores deterministic_psi
    stochastic = StochasticGate(psi=0.3, deterministic_psi=0.9).eval()
    assert stochastic.mixing_rate == 0.3
    assert torch.allclose(
        stochastic(x_deep, x_shallow), 0.7 * x_deep + 0.3 * x_shallow)
    assert 'deterministic_psi=0.5' in repr(gate)
    for bad in (-0.1, 1.5, True, 'a'):
        with pytest.raises(ValueError, match='deterministic_psi'):
            StochasticGate(deterministic_psi=bad)


def test_gate_bad_inputs():
    # psi is checked once, at build time; the call checks nothing
    x = torch.zeros(1, 2, 3, 3)
    for psi in (-0.1, 1.5, 2.0, True, 'a'):
        with pytest.raises(ValueError, match='psi'):
            StochasticGate(psi=psi)
    with pytest.raises(RuntimeError):  # shapes differ: fails in torch
        stochastic_gate(x, torch.zeros(1, 2, 3, 4), 0.3, True)


def _gci(**kwargs):
    torch.manual_seed(0)
    return GlobalCueInjection(
        deep_channels=8, shallow_channels=6, channels=4, **kwargs)


def test_gci_shapes_and_global_max_pooling():
    gci = _gci().eval()
    x_deep = torch.randn(2, 8, 3, 3)
    x_shallow = torch.randn(2, 6, 5, 5)
    out = gci(x_deep, x_shallow)
    assert out.shape == (2, 4, 5, 5)
    assert (out >= 0).all()  # conv + BN + ReLU output projection
    gamma, beta = gci.global_cues(x_deep)
    assert gamma.shape == beta.shape == (2, 4, 1, 1)
    proj = gci.deep_proj(x_deep)  # (2, 8, 3, 3)
    pooled = proj.flatten(2).max(dim=2).values
    assert torch.allclose(gamma.flatten(1), pooled[:, :4])
    assert torch.allclose(beta.flatten(1), pooled[:, 4:])
    expected = gci.out_proj(
        F.relu(gci.shallow_proj(x_shallow) * (gamma + 1) + beta))
    assert torch.allclose(out, expected)
    # global pooling: shuffling the deep pixels changes nothing
    perm = torch.randperm(9)
    shuffled = x_deep.flatten(2)[..., perm].view_as(x_deep)
    assert torch.allclose(gci(shuffled, x_shallow), out, atol=1e-6)
    # ... but the deep features do matter
    assert not torch.allclose(gci(x_deep * 3 + 1, x_shallow), out)


def test_gci_shallow_normalisation():
    gci = _gci().train()
    norm = gci.shallow_proj.norm
    assert isinstance(norm, torch.nn.BatchNorm2d) and norm.weight is None
    x_hat = gci.shallow_proj(torch.randn(3, 6, 5, 5) * 4 + 2)
    assert torch.allclose(x_hat.mean((0, 2, 3)), torch.zeros(4), atol=1e-5)
    assert torch.allclose(
        x_hat.var((0, 2, 3), unbiased=False), torch.ones(4), atol=1e-3)
    gci_in = _gci(shallow_norm_cfg=dict(type='IN'))
    x_hat = gci_in.shallow_proj(torch.randn(3, 6, 5, 5) * 4 + 2)
    assert torch.allclose(x_hat.mean((2, 3)), torch.zeros(3, 4), atol=1e-5)


def test_gci_registry_and_bad_inputs():
    from mmseg.registry import MODELS
    gci = MODELS.build(
        dict(
            type='GlobalCueInjection',
            deep_channels=8,
            shallow_channels=6,
            channels=4))
    assert isinstance(gci, GlobalCueInjection)
    assert gci.deep_proj.conv.out_channels == 8
    with pytest.raises(ValueError, match='channels'):
        GlobalCueInjection(deep_channels=8, shallow_channels=6, channels=0)
    with pytest.raises(ValueError, match='deep_channels'):
        GlobalCueInjection(deep_channels=-1, shallow_channels=6)
    with pytest.raises(ValueError, match='shallow_channels'):
        GlobalCueInjection(deep_channels=8, shallow_channels=True)
    with pytest.raises(ValueError, match='shallow_norm_cfg'):
        GlobalCueInjection(
            deep_channels=8, shallow_channels=6, shallow_norm_cfg=None)
    # no per-step checks: a channel mismatch fails in the 1x1 convs
    with pytest.raises(RuntimeError):
        gci(torch.randn(1, 8, 3, 3), torch.randn(1, 5, 3, 3))
    with pytest.raises(RuntimeError):
        gci(torch.randn(1, 7, 3, 3), torch.randn(1, 6, 3, 3))
