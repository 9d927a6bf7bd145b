"""Tests of FickleNet's expansion, selection, Grad-CAM and aggregation."""
import math

import pytest
import torch
import torch.nn.functional as F

from wsss_mm.models.necks.stochastic_selection_neck import \
    StochasticSelectionNeck
# yapf: disable
from wsss_mm.models.utils.feature_expansion import (expand_windows,
                                                    general_dropout_keep,
                                                    keep_to_expanded_mask,
                                                    naive_selection_conv,
                                                    sample_selection_keep,
                                                    unit_keep_to_window_keep)
# yapf: enable
from wsss_mm.models.utils.selection_gradcam import (aggregate_selection_maps,
                                                    normalize_selection_maps,
                                                    selection_gradcam,
                                                    selection_gradcam_autograd)
# yapf: disable
from wsss_mm.models.utils.sparse_selection import (KeptUnits,
                                                   bernoulli_successes,
                                                   kept_units_to_keep,
                                                   off_centre_offsets,
                                                   sample_kept_units,
                                                   sparse_selection_gradcam)

# yapf: enable

DT = torch.float64


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _randn(*shape, seed=0):
    return torch.randn(*shape, generator=_gen(seed), dtype=DT)


# ----------------------------------------------------------------- expansion
@pytest.mark.parametrize('s', [3, 5, 9])
def test_expansion_identity_matches_padded_conv(s):
    x = _randn(2, 3, 6, 7, seed=1)
    weight, bias = _randn(4, 3, s, s, seed=2), _randn(4, seed=3)
    expanded = expand_windows(x, s)
    assert expanded.shape == (2, 3, 6 * s, 7 * s)
    ours = F.conv2d(expanded, weight, bias, stride=s)
    ref = F.conv2d(x, weight, bias, padding=s // 2)
    torch.testing.assert_close(ours, ref, rtol=0, atol=1e-12)


def test_expansion_block_holds_centred_window():
    s, r = 5, 2
    x = torch.arange(2 * 4 * 6, dtype=DT).reshape(1, 2, 4, 6) + 1
    expanded = expand_windows(x, s)
    padded = F.pad(x, (r, r, r, r))
    for i, j in [(0, 0), (1, 3), (3, 5), (2, 0)]:
        block = expanded[:, :, i * s:(i + 1) * s, j * s:(j + 1) * s]
        assert torch.equal(block, padded[:, :, i:i + s, j:j + s])
        assert torch.equal(block[:, :, r, r], x[:, :, i, j])  # the centre
    # corner window of (0, 0): two rows/cols of zero padding
    assert expanded[0, 0, :r, :s].abs().sum() == 0
    assert expanded[0, 0, :s, :r].abs().sum() == 0


def test_keep_to_expanded_mask_layout():
    s = 3
    keep = torch.rand(2, 4, 5, s, s, generator=_gen(4)) > 0.5
    mask = keep_to_expanded_mask(keep)
    assert mask.shape == (2, 1, 4 * s, 5 * s) and mask.dtype == torch.bool
    for b, i, j, a, c in [(0, 0, 0, 0, 0), (1, 3, 4, 2, 1), (0, 2, 1, 1, 2)]:
        assert mask[b, 0, i * s + a, j * s + c] == keep[b, i, j, a, c]
    assert mask.sum() == keep.sum()


@pytest.mark.parametrize('s', [3, 5])
def test_expanded_masked_conv_equals_naive_selection(s):
    x = _randn(2, 3, 5, 6, seed=5)
    weight, bias = _randn(4, 3, s, s, seed=6), _randn(4, seed=7)
    keep = sample_selection_keep(2, 5, 6, s, 0.6, generator=_gen(8))
    masked = expand_windows(x, s) * keep_to_expanded_mask(keep).to(DT)
    fast = F.conv2d(masked, weight, bias, stride=s)
    naive = naive_selection_conv(x, weight, keep, bias)
    torch.testing.assert_close(fast, naive, rtol=0, atol=1e-12)
    # the mask matters: with all units kept the result differs
    full = naive_selection_conv(x, weight, torch.ones_like(keep), bias)
    assert (full - naive).abs().max() > 1e-3


# ----------------------------------------------------------------- sampling
def test_selection_keep_centre_and_drop_fraction():
    s, p = 9, 0.9
    keep = sample_selection_keep(64, 10, 10, s, p, generator=_gen(9))
    assert keep.shape == (64, 10, 10, s, s) and keep.dtype == torch.bool
    assert keep[..., s // 2, s // 2].all()
    off_centre = keep.flatten(-2)[..., torch.arange(s * s) != s * s // 2]
    drop_frac = 1 - off_centre.double().mean().item()
    assert abs(drop_frac - p) < 0.005  # 518400 draws, std ~ 4e-4
    # per window the selection varies (independent draws per window)
    assert (keep[:, 0, 0] != keep[:, 0, 1]).any()


def test_selection_keep_generator_and_zero_rate():
    a = sample_selection_keep(3, 4, 4, 3, 0.5, generator=_gen(10))
    b = sample_selection_keep(3, 4, 4, 3, 0.5, generator=_gen(10))
    c = sample_selection_keep(3, 4, 4, 3, 0.5, generator=_gen(11))
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert sample_selection_keep(2, 3, 3, 5, 0.0).all()
    # kernel_size and dropout_ratio are checked once, when the neck is built
    with pytest.raises(ValueError, match='kernel_size'):
        StochasticSelectionNeck(4, kernel_size=4, dropout_ratio=0.5)
    with pytest.raises(ValueError, match='dropout_ratio'):
        StochasticSelectionNeck(4, kernel_size=3, dropout_ratio=1.0)


def test_general_dropout_keep_semantics():
    n, h, w, s, p = 4, 6, 7, 3, 0.5
    r = s // 2
    keep = general_dropout_keep(n, h, w, s, p, generator=_gen(12))
    unit_keep = torch.rand((n, h, w), generator=_gen(12)) >= p
    assert torch.equal(keep, unit_keep_to_window_keep(unit_keep, s))
    for i, j, a, c in [(0, 0, 1, 1), (2, 3, 0, 2), (5, 6, 0, 0), (3, 1, 2, 1)]:
        ui, uj = i + a - r, j + c - r
        expected = bool(unit_keep[0, ui, uj]) if (0 <= ui < h
                                                  and 0 <= uj < w) else False
        assert bool(keep[0, i, j, a, c]) == expected
    # no centre preservation: the centre follows the unit's own draw
    assert torch.equal(keep[..., r, r], unit_keep)
    assert not keep[..., r, r].all()
    # a dropped unit is dropped in every window: G == dropout before a conv
    x = _randn(n, 2, h, w, seed=13)
    weight = _randn(3, 2, s, s, seed=14)
    via_windows = F.conv2d(
        expand_windows(x, s) * keep_to_expanded_mask(keep).to(DT),
        weight,
        stride=s)
    via_units = F.conv2d(x * unit_keep[:, None].to(DT), weight, padding=r)
    torch.testing.assert_close(via_windows, via_units, rtol=0, atol=1e-12)


# ----------------------------------------------------------------- Grad-CAM
@pytest.mark.parametrize('s,h,w', [(3, 6, 6), (5, 6, 6), (3, 5, 7)])
def test_selection_gradcam_matches_autograd(s, h, w):
    x = _randn(4, h, w, seed=15)
    weight, bias = _randn(3, 4, s, s, seed=16), _randn(3, seed=17)
    keep = sample_selection_keep(4, h, w, s, 0.5, generator=_gen(18))
    ref = selection_gradcam_autograd(x, weight, keep, bias=bias)
    assert ref.shape == (4, 3, h, w)
    assert (ref > 0).float().mean() > 0.2  # non-trivial maps
    for chunk_size in (1, 3, 16):
        fast = selection_gradcam(x, weight, keep, chunk_size=chunk_size)
        torch.testing.assert_close(fast, ref, rtol=0, atol=1e-10)
    # chunked autograd equals one batch
    torch.testing.assert_close(
        selection_gradcam_autograd(x, weight, keep, chunk_size=3), ref)
    # different selections give different maps
    assert (ref[0] - ref[1]).abs().max() > 1e-3


def test_selection_gradcam_deterministic_equals_plain_gradcam():
    """Independent check (no expansion): all-kept == padded conv + GAP."""
    s, h, w = 3, 5, 6
    x = _randn(4, h, w, seed=19)
    weight = _randn(2, 4, s, s, seed=20)
    keep = torch.ones((1, h, w, s, s), dtype=torch.bool)
    feats = x[None].clone().requires_grad_(True)
    scores = F.conv2d(feats, weight, padding=s // 2).mean(dim=(2, 3))[0]
    expected = []
    for cls in range(2):
        grad, = torch.autograd.grad(scores[cls], feats, retain_graph=True)
        expected.append((feats * grad).sum(1).relu()[0])
    expected = torch.stack(expected)[None].detach()
    torch.testing.assert_close(
        selection_gradcam(x, weight, keep), expected, rtol=0, atol=1e-12)


def test_selection_gradcam_rejects_bad_shapes():
    x, weight = _randn(4, 5, 5), _randn(3, 4, 3, 3)
    with pytest.raises(ValueError, match='keep'):
        selection_gradcam(x, weight, torch.ones(2, 5, 5, 5, 5, dtype=bool))
    with pytest.raises(ValueError, match='weight'):
        selection_gradcam(x, _randn(3, 2, 3, 3),
                          torch.ones(2, 5, 5, 3, 3, dtype=bool))


# -------------------------------------------------------------- aggregation
def test_aggregation_hand_written_example():
    # N = 2 selections, C = 2 classes, H = 1, W = 5 pixels, theta = 0.35.
    maps = torch.tensor([
        [
            [[0.9, 0.9, 0.4, 0.1, 0.0]],  # selection 0, class 0
            [[0.0, 0.5, 0.3, 0.2, 0.0]]
        ],  # selection 0, class 1
        [
            [[0.0, 0.0, 0.0, 0.1, 0.0]],  # selection 1, class 0
            [[0.1, 0.5, 0.3, 0.6, 0.0]]
        ],  # selection 1, class 1
    ])
    labels, mean_map = aggregate_selection_maps(
        maps, fg_threshold=0.35, normalize='none')
    # px0: only class 0 claims (0.9 in selection 0).
    # px1: both claim; mean 0.45 (c0) < 0.5 (c1) -> class 1 although the
    #      single highest value (0.9) is class 0's.
    # px2: only class 0 claims (0.4 > 0.35); class 1 has the higher mean
    #      (0.3 > 0.2) but never exceeds theta -> class 0.
    # px3: only class 1 claims (0.6). px4: nobody -> -1.
    assert labels.tolist() == [[0, 1, 0, 1, -1]]
    assert labels.dtype == torch.long
    torch.testing.assert_close(mean_map, maps.mean(0))
    # the threshold is strict and the unclaimed value is an argument
    labels, _ = aggregate_selection_maps(
        maps, fg_threshold=0.4, normalize='none', unclaimed_index=255)
    assert labels.tolist() == [[0, 1, 255, 1, 255]]
    # absent classes never claim
    labels, _ = aggregate_selection_maps(
        maps, normalize='none', present=torch.tensor([False, True]))
    assert labels.tolist() == [[-1, 1, -1, 1, -1]]


def test_aggregation_selection_max_normalisation():
    maps = torch.zeros(2, 2, 2, 2)
    maps[0, 0] = torch.tensor([[10.0, 3.0], [0.0, 0.0]])  # -> 1, 0.3
    maps[1, 0] = torch.tensor([[0.0, 0.2], [0.5, 0.0]])  # -> 0, 0.4, 1
    maps[0, 1] = torch.tensor([[0.0, 0.0], [0.0, 2.0]])  # -> ..., 1
    # maps[1, 1] is all zero: stays zero, no NaN; tiny maps still peak at 1
    assert normalize_selection_maps(maps * 1e-9)[0, 0].max() == 1.0
    normed = normalize_selection_maps(maps)
    assert torch.isfinite(normed).all() and normed[1, 1].eq(0).all()
    torch.testing.assert_close(
        normed.flatten(2).amax(2),
        torch.tensor([[1.0, 1.0], [1.0, 0.0]]),
        atol=1e-7,
        rtol=0)
    labels, mean_map = aggregate_selection_maps(maps, fg_threshold=0.35)
    # px(0,0): c0 (1.0). px(0,1): c0 via selection 1 (0.4 > 0.35).
    # px(1,0): c0 (selection 1). px(1,1): c1.
    assert labels.tolist() == [[0, 0], [0, 1]]
    torch.testing.assert_close(mean_map, normed.mean(0))
    with pytest.raises(ValueError, match='normalize'):
        aggregate_selection_maps(maps, normalize='global')


def test_aggregation_of_real_selection_maps_is_scale_invariant():
    s, h, w = 3, 6, 6
    x, weight = _randn(4, h, w, seed=21), _randn(3, 4, s, s, seed=22)
    keep = sample_selection_keep(8, h, w, s, 0.9, generator=_gen(23))
    maps = selection_gradcam(x, weight, keep)
    labels, mean_map = aggregate_selection_maps(maps)
    assert labels.shape == (h, w) and mean_map.shape == (3, h, w)
    assert labels.min() >= -1 and labels.max() <= 2
    assert (labels >= 0).any()
    # a positive per-(selection, class) factor (e.g. sigmoid'(S_c)) is
    # removed by the per-selection max normalisation
    factor = torch.rand(8, 3, 1, 1, generator=_gen(24), dtype=DT) + 0.1
    assert torch.equal(aggregate_selection_maps(maps * factor).labels, labels)


# --------------------------------------------------------------------- neck
def _feats(b=2, c=4, h=5, w=6, seed=25):
    return (_randn(b, 3, 2 * h, 2 * w,
                   seed=seed + 1), _randn(b, c, h, w, seed=seed))


def test_neck_train_stochastic_shapes_and_mask():
    torch.manual_seed(0)
    neck = StochasticSelectionNeck(
        in_channels=4, kernel_size=3, dropout_ratio=0.5)
    assert neck.get_last_keep() is None
    low, x = _feats()
    out = neck((low, x))
    assert isinstance(out, tuple) and len(out) == 2
    assert out[0] is low
    assert out[1].shape == (2, 4, 15, 18)
    keep = neck.get_last_keep()
    assert keep.shape == (2, 5, 6, 3, 3) and keep[..., 1, 1].all()
    assert not keep.all()  # something dropped
    expected = expand_windows(x, 3) * keep_to_expanded_mask(keep).to(DT)
    assert torch.equal(out[1], expected)
    # spatial dropout: all channels share the mask
    zero = out[1] == 0
    assert torch.equal(zero.all(1), zero.any(1))


def test_neck_modes_at_train_and_eval():
    torch.manual_seed(0)
    low, x = _feats()
    plain = expand_windows(x, 3)
    # infer_mode defaults to mode: selection stays active in eval()
    neck = StochasticSelectionNeck(4, kernel_size=3, dropout_ratio=0.5).eval()
    assert neck.active_mode == 'stochastic'
    assert not torch.equal(neck((low, x))[1], plain)
    # train S, infer D: eval output is the plain expansion
    neck = StochasticSelectionNeck(
        4, kernel_size=3, dropout_ratio=0.5, infer_mode='deterministic')
    assert neck.active_mode == 'stochastic'
    assert not torch.equal(neck((low, x))[1], plain)
    neck.eval()
    assert neck.active_mode == 'deterministic'
    assert torch.equal(neck((low, x))[1], plain)
    assert neck.get_last_keep().all()
    # general mode: the keep mask has the G structure
    neck = StochasticSelectionNeck(
        4, kernel_size=3, dropout_ratio=0.5, mode='general').train()
    neck((low, x))
    keep = neck.get_last_keep()
    unit_keep = keep[..., 1, 1]
    assert torch.equal(keep, unit_keep_to_window_keep(unit_keep, 3))
    assert not unit_keep.all()
    # deterministic training
    neck = StochasticSelectionNeck(4, kernel_size=3, mode='deterministic')
    assert torch.equal(neck(x)[0], plain)


def test_neck_rescale():
    low, x = _feats()
    keep = sample_selection_keep(2, 5, 6, 3, 0.75, generator=_gen(26))
    neck = StochasticSelectionNeck(
        4, kernel_size=3, dropout_ratio=0.75, rescale=True)
    out = neck((low, x), keep=keep)[1]
    base = expand_windows(x, 3) * keep_to_expanded_mask(keep).to(DT)
    ratio = torch.ones(3, 3, dtype=DT) * 4.0
    ratio[1, 1] = 1.0  # the never-dropped centre is not rescaled
    torch.testing.assert_close(out, base * ratio.repeat(5, 6))
    # deterministic inference is not rescaled
    neck.infer_mode = 'deterministic'
    assert torch.equal(neck.eval()((low, x))[1], expand_windows(x, 3))


def test_selection_gradcam_of_rescaled_neck_matches_autograd():
    """Seeds from the neck's selection weights == autograd through it."""
    s, h, w = 3, 5, 4
    neck = StochasticSelectionNeck(
        4, kernel_size=s, dropout_ratio=0.5, rescale=True)
    x = _randn(1, 4, h, w, seed=29)
    weight = _randn(2, 4, s, s, seed=30)
    keep = neck.sample_keep(3, h, w, generator=_gen(31))
    feats = x.repeat(3, 1, 1, 1).requires_grad_(True)
    scores = F.conv2d(neck((feats, ), keep=keep)[0], weight, stride=s)
    scores = scores.mean(dim=(2, 3))
    ref = []
    for cls in range(2):
        grad, = torch.autograd.grad(
            scores[:, cls].sum(), feats, retain_graph=True)
        ref.append((feats * grad).sum(1).relu())
    ref = torch.stack(ref, 1).detach()
    weights = neck.selection_weights(keep, DT)
    assert set(weights.unique().tolist()) == {0.0, 1.0, 2.0}
    torch.testing.assert_close(
        selection_gradcam(x[0], weight, weights), ref, rtol=0, atol=1e-12)
    # the bool mask alone gives different maps when rescale is on
    assert (selection_gradcam(x[0], weight, keep) - ref).abs().max() > 1e-3


def test_neck_fixed_keep_reuses_one_backbone_pass():
    neck = StochasticSelectionNeck(4, kernel_size=5, dropout_ratio=0.9).eval()
    x = _randn(1, 4, 4, 4, seed=27)
    keep = neck.sample_keep(6, 4, 4, generator=_gen(28))
    assert keep.shape == (6, 4, 4, 5, 5) and keep[..., 2, 2].all()
    out = neck((x, ), keep=keep)[0]
    assert out.shape == (6, 4, 20, 20)
    assert neck.get_last_keep() is not None
    assert torch.equal(neck.get_last_keep(), keep)
    for n in range(6):
        expected = expand_windows(x, 5) * keep_to_expanded_mask(
            keep[n:n + 1]).to(DT)
        assert torch.equal(out[n:n + 1], expected)
    with pytest.raises(ValueError, match='keep'):
        neck.apply_selection(_randn(2, 4, 4, 4), keep)
    with pytest.raises(
            ValueError, match='mode'):  # an explicit mode is checked
        neck.sample_keep(1, 4, 4, mode='S')


@pytest.mark.parametrize('kwargs,key', [
    (dict(kernel_size=4), 'kernel_size'),
    (dict(kernel_size=0), 'kernel_size'),
    (dict(kernel_size=3.0), 'kernel_size'),
    (dict(dropout_ratio=1.0), 'dropout_ratio'),
    (dict(dropout_ratio=-0.1), 'dropout_ratio'),
    (dict(mode='dropout'), 'mode'),
    (dict(infer_mode='S'), 'infer_mode'),
    (dict(in_channels=0), 'in_channels'),
])
def test_neck_rejects_bad_arguments(kwargs, key):
    cfg = dict(in_channels=4)
    cfg.update(kwargs)
    with pytest.raises(ValueError, match=f'StochasticSelectionNeck: {key} '):
        StochasticSelectionNeck(**cfg)


def test_neck_rejects_channel_mismatch():
    neck = StochasticSelectionNeck(in_channels=4, kernel_size=3)
    with pytest.raises(ValueError, match='in_channels'):
        neck((_randn(1, 5, 3, 3), ))


def test_neck_registered():
    from mmseg.registry import MODELS
    neck = MODELS.build(dict(type='StochasticSelectionNeck', in_channels=4))
    assert isinstance(neck, StochasticSelectionNeck)
    assert (neck.kernel_size, neck.dropout_ratio) == (9, 0.9)
    assert (neck.mode, neck.infer_mode, neck.rescale) == ('stochastic',
                                                          'stochastic', False)


# -------------------------------------------------------- sparse selections
def _in_map(h, w, s):
    """(H, W, s, s): window (i, j) at offset (a, c) covers a map position."""
    return unit_keep_to_window_keep(torch.ones(1, h, w, dtype=torch.bool),
                                    s)[0]


def _within(value, expected, std, k=5.0):
    assert abs(value - expected) < k * std, (value, expected, std)


def test_bernoulli_successes_are_sorted_trials_of_the_right_rate():
    n, q = 200_000, 0.1
    std = math.sqrt(q * (1 - q) / n)
    for block in (None, 1000, 7):  # one block, or many (the loop)
        pos = bernoulli_successes(n, q, generator=_gen(40), block=block)
        assert pos.dtype == torch.int64
        assert (pos[1:] > pos[:-1]).all() and 0 <= pos[0] <= pos[-1] < n
        _within(pos.numel() / n, q, std)
        # independence: a success followed by a success with rate q * q
        both = torch.isin(pos + 1, pos).sum().item()
        _within(both / n, q * q, math.sqrt(q * q / n))
    assert torch.equal(
        bernoulli_successes(1000, 0.3, generator=_gen(41)),
        bernoulli_successes(1000, 0.3, generator=_gen(41)))
    assert not torch.equal(
        bernoulli_successes(1000, 0.3, generator=_gen(41)),
        bernoulli_successes(1000, 0.3, generator=_gen(42)))
    assert torch.equal(bernoulli_successes(5, 1.0), torch.arange(5))
    assert bernoulli_successes(0, 0.5).numel() == 0


def test_sparse_draws_have_the_law_of_sample_selection():
    """Same law as ``sample_selection_keep`` (fixed seeds, 5 standard
    deviations of the binomial): kept fraction overall, per offset and per
    window, the centre always kept, units independent."""
    num, h, w, s, p = 64, 10, 10, 9, 0.9
    q, ss = 1 - p, s * s
    units = sample_kept_units(num, h, w, s, p, generator=_gen(9))
    trials = num * h * w * (ss - 1)
    _within(units.index.numel() / trials, q, math.sqrt(q * p / trials))
    # per offset: chi-square with ss - 1 degrees of freedom
    per_offset = torch.bincount(units.index % (ss - 1), minlength=ss - 1)
    expected = num * h * w * q
    chi2 = ((per_offset - expected)**2 / (expected * p)).sum().item()
    _within(chi2, ss - 1, math.sqrt(2 * (ss - 1)))
    # kept per window row: binomial(ss - 1, q) mean and variance
    per_row = torch.bincount(
        units.index.div(ss - 1, rounding_mode='floor'),
        minlength=num * h * w).double()
    rows = per_row.numel()
    _within(per_row.mean().item(), (ss - 1) * q,
            math.sqrt((ss - 1) * q * p / rows))
    _within(per_row.var().item(), (ss - 1) * q * p,
            (ss - 1) * q * p * math.sqrt(2.1 / rows))
    # the dense mask: centre rule and the kept fraction of sample_keep
    keep = kept_units_to_keep(units)
    dense = sample_selection_keep(num, h, w, s, p, generator=_gen(9))
    assert keep.shape == dense.shape and keep.dtype == torch.bool
    assert keep[..., s // 2, s // 2].all()
    off_centre = _in_map(h, w, s).clone()
    off_centre[..., s // 2, s // 2] = False
    count = off_centre.sum().item() * num
    std = math.sqrt(q * p / count)
    for mask in (keep, dense):
        _within(mask[:, off_centre].double().mean().item(), q, std)
    # off-map offsets are not units: left False
    assert not keep[:, ~_in_map(h, w, s)].any()
    # independent draws per window, as the dense mask
    assert (keep[:, 0, 0] != keep[:, 0, 1]).any()


def test_kept_units_to_keep_layout():
    """Trial t = (n*H*W + u) * (s*s - 1) + o' is keep[n, u - (o - r), o]."""
    s, h, w = 3, 4, 5
    # n = 1, u = (2, 3), o = (0, 2) (o' = 2): window (3, 2);
    # n = 0, u = (0, 0), o = (2, 2) (o' = 7): window (-1, -1), off the map
    units = KeptUnits(torch.tensor([(20 + 13) * 8 + 2, 7]), 2, h, w, s)
    keep = kept_units_to_keep(units)
    expected = torch.zeros(2, h, w, s, s, dtype=torch.bool)
    expected[..., 1, 1] = True
    expected[1, 3, 2, 0, 2] = True
    assert torch.equal(keep, expected)
    assert off_centre_offsets(3).tolist() == [0, 1, 2, 3, 5, 6, 7, 8]


@pytest.mark.parametrize('s,h,w,p', [(3, 6, 6, 0.5), (5, 6, 6, 0.9),
                                     (3, 5, 7, 0.5), (9, 10, 11, 0.9)])
def test_sparse_gradcam_equals_autograd_and_factorised(s, h, w, p):
    """Same draws: the sparse sum over kept units == the factorised closed
    form == autograd through the expanded, masked head."""
    x = _randn(4, h, w, seed=43)
    weight, bias = _randn(3, 4, s, s, seed=44), _randn(3, seed=45)
    units = sample_kept_units(5, h, w, s, p, generator=_gen(46))
    keep = kept_units_to_keep(units)
    sparse = sparse_selection_gradcam(x, weight, units)
    assert sparse.shape == (5, 3, h, w)
    ref = selection_gradcam_autograd(x, weight, keep, bias=bias)
    assert (ref > 0).float().mean() > 0.1  # non-trivial maps
    torch.testing.assert_close(sparse, ref, rtol=0, atol=1e-10)
    torch.testing.assert_close(
        sparse, selection_gradcam(x, weight, keep), rtol=0, atol=1e-12)
    # a class subset gives those classes' maps; no class, no maps
    torch.testing.assert_close(
        sparse_selection_gradcam(x, weight[[2, 0]], units), sparse[:, [2, 0]])
    assert sparse_selection_gradcam(x, weight[:0], units).shape == (5, 0, h, w)
    # the off-centre scale (rescale) == per-unit multipliers
    multipliers = keep.to(DT) * 3.0
    multipliers[..., s // 2, s // 2] = 1.0
    torch.testing.assert_close(
        sparse_selection_gradcam(x, weight, units._replace(scale=3.0)),
        selection_gradcam(x, weight, multipliers),
        rtol=0,
        atol=1e-12)
    with pytest.raises(ValueError, match='do not fit'):
        sparse_selection_gradcam(x[:, 1:], weight, units)


def test_neck_sample_kept_units():
    """Mode S only, the rescale of ``selection_weights``, the generator."""
    s, h, w = 3, 5, 4
    x, weight = _randn(4, h, w, seed=47), _randn(2, 4, s, s, seed=48)
    neck = StochasticSelectionNeck(
        4, kernel_size=s, dropout_ratio=0.75, rescale=True).eval()
    units = neck.sample_kept_units(3, h, w, generator=_gen(49))
    assert isinstance(units, KeptUnits) and units.scale == 4.0
    assert (units.num, units.height, units.width, units.kernel_size) == (3, h,
                                                                         w, s)
    assert torch.equal(
        units.index,
        neck.sample_kept_units(3, h, w, generator=_gen(49)).index)
    weights = neck.selection_weights(kept_units_to_keep(units), DT)
    torch.testing.assert_close(
        sparse_selection_gradcam(x, weight, units),
        selection_gradcam(x, weight, weights),
        rtol=0,
        atol=1e-12)
    neck.rescale = False
    assert neck.sample_kept_units(1, h, w).scale == 1.0
    for mode in ('general', 'deterministic'):
        assert neck.sample_kept_units(1, h, w, mode=mode) is None
    neck.infer_mode = 'deterministic'
    assert neck.sample_kept_units(1, h, w) is None
