"""FickleNet seed generation on top of WeakClassifier."""
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401


def build(num_selections=6, path='factorised', infer_mode='stochastic'):
    init_default_scope('mmseg')
    return MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=dict(type='DeepLabVGG', width_mult=0.0625),
            neck=dict(
                type='StochasticSelectionNeck',
                in_channels=32,
                kernel_size=3,
                dropout_ratio=0.5,
                infer_mode=infer_mode),
            cls_head=dict(
                type='CAMHead',
                in_channels=32,
                num_classes=4,
                kernel_size=3,
                stride=3),
            seed_generator=dict(
                type='FickleNetSeedGenerator',
                num_selections=num_selections,
                path=path,
                bg_threshold=0.2,
                seed=3))).eval()


def sample(name='img', labels=(1., 0., 1., 0., 1.)):
    s = SegDataSample(
        metainfo=dict(
            img_shape=(40, 40),
            ori_shape=(40, 40),
            img_path=f'/data/JPEGImages/{name}.jpg'))
    if labels is not None:
        s.gt_img_labels = torch.tensor(labels)
    return s


def test_seeds_hold_only_image_classes_and_factorised_equals_autograd():
    torch.manual_seed(0)
    model = build()
    x = torch.rand(1, 3, 40, 40)
    fast = model.predict(x, [sample()])[0]
    model.seed_generator.path = 'autograd'
    slow = model.predict(x, [sample()])[0]
    seeds = fast.pred_sem_seg.data[0]
    assert seeds.shape == (40, 40)
    assert set(seeds.unique().tolist()) <= {0, 2, 4, 255}
    torch.testing.assert_close(
        fast.seg_logits.data, slow.seg_logits.data, atol=1e-5, rtol=1e-4)
    assert torch.equal(seeds, slow.pred_sem_seg.data[0])


def test_training_step_through_expanded_map():
    model = build().train()
    losses = model.loss(torch.rand(2, 3, 40, 40), [sample(), sample()])
    losses['loss_cls'].backward()
    assert model.backbone.features[0].weight.grad.abs().sum() > 0


def test_bad_hyper_parameters_are_named():
    init_default_scope('mmseg')
    with pytest.raises(ValueError, match='num_selections'):
        MODELS.build(dict(type='FickleNetSeedGenerator', num_selections=0))
    with pytest.raises(ValueError, match='threshold'):
        MODELS.build(dict(type='FickleNetSeedGenerator', fg_threshold=1.5))
    with pytest.raises(ValueError, match='kernel_size must be odd'):
        MODELS.build(
            dict(type='StochasticSelectionNeck', in_channels=4, kernel_size=4))
    with pytest.raises(ValueError, match='dropout_ratio'):
        MODELS.build(
            dict(
                type='StochasticSelectionNeck',
                in_channels=4,
                dropout_ratio=1.0))

    with pytest.raises(ValueError, match='fg_threshold'):
        MODELS.build(dict(type='FickleNetSeedGenerator', fg_threshold=1.5))
    with pytest.raises(ValueError, match='path'):
        MODELS.build(dict(type='FickleNetSeedGenerator', path='dense'))
    assert MODELS.build(dict(type='FickleNetSeedGenerator')).path == \
        'factorised'


@pytest.mark.parametrize('kind',
                         ['CAMSeedGenerator', 'FickleNetSeedGenerator'])
def test_unlabelled_images_use_predicted_classes(kind):
    """Without gt_img_labels (e.g. a test split) classes come from the
    classifier: a head biased to predict only class 2 yields only its seeds."""
    model = build()
    if kind == 'CAMSeedGenerator':
        model.seed_generator = MODELS.build(
            dict(type=kind, fg_threshold=0.0, bg_threshold=0.0))
    head = model.cls_head.classifier
    with torch.no_grad():
        head.weight.zero_()
        head.weight[
            1] = 0.05  # class index 1 -> label 2, positive on ReLU features
    x = torch.rand(1, 3, 40, 40)
    s = sample(labels=None)
    seeds = model.predict(x, [s])[0].pred_sem_seg.data[0]
    assert set(seeds.unique().tolist()) <= {0, 2, 255}
    assert (seeds == 2).any()


def test_background_cue_replaces_cam_background(tmp_path):
    """DCP-style cue: label 0 in a PNG named like the image is background."""
    import numpy as np

    from wsss_mm.models.seed_generators.base import apply_background_cue
    from wsss_mm.utils.io import atomic_write_png

    seeds = torch.tensor([[0, 0, 2], [255, 255, 2], [0, 255, 255]])
    cue = torch.tensor([[True, False, True], [True, False, True],
                        [False, False, True]])
    out = apply_background_cue(seeds, cue)
    # foreground kept even where the cue says background; own bg dropped
    assert out.tolist() == [[0, 255, 2], [0, 255, 2], [255, 255, 0]]

    torch.manual_seed(0)
    model = build()
    s = sample()
    s.set_metainfo(dict(img_path=str(tmp_path / 'img' / 'a.jpg')))
    cue_png = np.full((40, 40), 3, np.uint8)
    cue_png[:, :10] = 0
    atomic_write_png(cue_png, str(tmp_path / 'a.png'))
    model.seed_generator.background_cue_dir = str(tmp_path)
    seeds = model.predict(torch.rand(1, 3, 40, 40),
                          [s])[0].pred_sem_seg.data[0]
    assert not (seeds[:, 10:] == 0).any()
    model.seed_generator.background_cue_dir = str(tmp_path / 'missing')
    with pytest.raises(FileNotFoundError, match='background_cue_dir'):
        model.predict(torch.rand(1, 3, 40, 40), [s])


def test_selection_and_head_weights_through_the_classifier_interface():
    """What FickleNet's generator reads: the neck's selections and the head's
    weight, as methods of the classifier."""
    model = build()
    weights = model.sample_selection(
        5, 4, 6, generator=torch.Generator().manual_seed(0))
    keep = model.neck.sample_keep(
        5, 4, 6, generator=torch.Generator().manual_seed(0))
    assert torch.equal(weights,
                       model.neck.selection_weights(keep, torch.float32))
    assert weights.shape == (5, 4, 6, 3, 3)
    assert model.head_weights() is model.cls_head.classifier.weight
    plain = MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=dict(type='DeepLabVGG', width_mult=0.0625),
            cls_head=dict(type='CAMHead', in_channels=32, num_classes=4)))
    with pytest.raises(TypeError, match='selection neck'):
        plain.sample_selection(1, 2, 2)


@pytest.mark.parametrize('path', ['factorised', 'sparse'])
@pytest.mark.parametrize('labelled', [True, False])
def test_seeds_do_not_depend_on_the_batch(labelled, path):
    """Issue #16 item 3: the selections were seeded with ``seed + i`` (i: the
    position in the batch), so seeds changed with the batch size (and the
    number of GPUs). Each image now has its own generator, seeded from its id
    and the configured seed: batch 1, 3 and 8 give the same seeds, also for
    images without labels (whose classes come from one selection too).
    The same for the sparse draws (issue #31)."""
    torch.manual_seed(0)
    model = build(num_selections=8, path=path)
    with torch.no_grad():
        model.cls_head.classifier.weight.normal_(0, 0.05)
    n = 8
    x = torch.rand(n, 3, 40, 40)
    rng = torch.Generator().manual_seed(1)
    labels = [(1., *(torch.rand(4, generator=rng) > 0.5).float().tolist())
              if labelled else None for _ in range(n)]

    def seeds(batch_size):
        out = []
        for start in range(0, n, batch_size):
            batch = [
                sample(f'img{i:03d}', labels[i])
                for i in range(start, min(n, start + batch_size))
            ]
            res = model.predict(x[start:start + len(batch)], batch)
            out += [(r.pred_sem_seg.data[0], r.seg_logits.data) for r in res]
        return out

    ref = seeds(1)
    for batch_size in (3, 8):
        torch.manual_seed(batch_size)  # the global RNG plays no part
        got = seeds(batch_size)
        for i, ((s1, l1), (s2, l2)) in enumerate(zip(ref, got)):
            assert torch.equal(s1, s2), (batch_size, i)
            torch.testing.assert_close(l1, l2)
    # the configured seed and the image id both matter
    model.seed_generator.seed = 4
    other = seeds(8)
    assert any(not torch.allclose(a[1], b[1]) for a, b in zip(ref, other))
    from wsss_mm.models.seed_generators import image_seed
    assert image_seed('img000', 0) != image_seed('img001', 0) != image_seed(
        'img001', 1)
    assert image_seed('img000', 0) == image_seed('img000', 0) < 2**60


@pytest.mark.parametrize('rescale', [False, True])
def test_sparse_path_equals_factorised_on_the_same_draws(rescale):
    """path='sparse' (issue #31): its kept units, made dense and given to the
    factorised path, give the same seeds and maps; its class restriction
    changes nothing (an image with no foreground label included)."""
    from wsss_mm.models.utils.sparse_selection import kept_units_to_keep
    torch.manual_seed(0)
    model = build(num_selections=12, path='sparse')
    model.neck.rescale = rescale
    with torch.no_grad():
        model.cls_head.classifier.weight.normal_(0, 0.05)
    x = torch.rand(3, 3, 40, 40)
    batch = [
        sample('a'),
        sample('b', (1., 0., 1., 1., 0.)),
        sample('c', (1., 0., 0., 0., 0.))
    ]
    sparse = model.predict(x, batch)
    neck = model.neck

    def dense_of_sparse(num, h, w, device=None, generator=None, dtype=None):
        units = neck.sample_kept_units(
            num, h, w, device=device, generator=generator)
        return neck.selection_weights(kept_units_to_keep(units), dtype)

    model.sample_selection = dense_of_sparse
    model.seed_generator.path = 'factorised'
    dense = model.predict(x, batch)
    for a, b in zip(sparse, dense):
        assert torch.equal(a.pred_sem_seg.data, b.pred_sem_seg.data)
        torch.testing.assert_close(
            a.seg_logits.data, b.seg_logits.data, atol=1e-5, rtol=1e-4)
    assert (sparse[0].pred_sem_seg.data > 0).any()
    assert not sparse[2].seg_logits.data[1:].any()
    # modes G and D have no sparse draw: the factorised maps
    model = build(path='sparse', infer_mode='general')
    fast = model.predict(x[:1], batch[:1])[0]
    model.seed_generator.path = 'factorised'
    ref = model.predict(x[:1], batch[:1])[0]
    assert torch.equal(fast.pred_sem_seg.data, ref.pred_sem_seg.data)
    torch.testing.assert_close(fast.seg_logits.data, ref.seg_logits.data)


def test_image_generator_needs_the_image_id():
    model = build()
    s = SegDataSample(metainfo=dict(img_shape=(40, 40), ori_shape=(40, 40)))
    s.gt_img_labels = torch.tensor([1., 0., 1., 0., 1.])
    with pytest.raises(KeyError, match='img_path'):
        model.predict(torch.rand(1, 3, 40, 40), [s])


def test_aggregation_options_by_hand():
    """θ = 0.35 on three selections of one class over four pixels:
    selection_max claims where any selection exceeds 0.35 of its own max,
    shared_max of the max over all selections, mean the averaged map."""
    from wsss_mm.models.seed_generators.ficklenet_seed_generator import \
        aggregate_claims
    from wsss_mm.models.utils.selection_gradcam import aggregate_selection_maps
    maps = torch.tensor([[4, 1.6, 0, 0], [4, 0, 0, 0], [0, 0, 1,
                                                        0]]).view(3, 1, 1, 4)
    claimed, mean = aggregate_claims(maps, 0.35, 'selection_max')
    assert claimed.flatten().tolist() == [True, True, True, False]
    torch.testing.assert_close(mean.flatten(), torch.tensor([2, .4, 1, 0]) / 3)
    claimed, mean = aggregate_claims(maps, 0.35, 'shared_max')
    assert claimed.flatten().tolist() == [True, True, False,
                                          False]  # 1 / 4 < 0.35
    torch.testing.assert_close(mean.flatten(),
                               torch.tensor([2, .4, .25, 0]) / 3)
    claimed, mean = aggregate_claims(maps, 0.35, 'mean')
    assert claimed.flatten().tolist() == [True, False, False,
                                          False]  # 0.2, 0.125
    torch.testing.assert_close(mean.flatten(), torch.tensor([1, .2, .125, 0]))
    # the default is the aggregation the package always had
    ref = aggregate_selection_maps(maps, 0.35)
    claimed, mean = aggregate_claims(maps, 0.35)
    assert torch.equal(claimed[0], ref.labels == 0) and torch.equal(
        mean, ref.mean_map)
    # an all-zero class claims nothing in any mode
    for mode in ('selection_max', 'shared_max', 'mean'):
        claimed, mean = aggregate_claims(torch.zeros(3, 1, 1, 4), 0.35, mode)
        assert not claimed.any() and not mean.any()


def test_aggregation_is_a_config_option():
    model = build()
    assert model.seed_generator.aggregation == 'selection_max'
    x = torch.rand(1, 3, 40, 40)
    counts = {}
    for mode in ('selection_max', 'shared_max', 'mean'):
        model.seed_generator.aggregation = mode
        seeds = model.predict(x, [sample()])[0].pred_sem_seg.data[0]
        assert set(seeds.unique().tolist()) <= {0, 2, 4, 255}
        counts[mode] = int(((seeds > 0) & (seeds != 255)).sum())
    # the union of per-selection maxima claims the most
    assert counts['selection_max'] >= counts['shared_max']
    with pytest.raises(ValueError, match='aggregation'):
        MODELS.build(dict(type='FickleNetSeedGenerator', aggregation='max'))
