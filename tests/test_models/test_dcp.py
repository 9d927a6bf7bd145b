"""DCP (Luo & Yang, AAAI'20): math, streaming statistics, generator, stages."""
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO, run_tool
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401
from wsss_mm.models.utils import dcp_assign
from wsss_mm.models.utils.dcp import (ClassStatistics, dcp_assign_projections,
                                      load_patterns, pattern_cosines,
                                      save_patterns, top_eigenvector)
from wsss_mm.utils.io import atomic_write_png, read_label_png


# ---------------------------------------------------------------- Algorithm 1
def naive_assign(feat, means, patterns, classes, ignore_index=255):
    """Algorithm 1 as written: loops over positions and classes."""
    d, h, w = feat.shape
    out = np.zeros((h, w), np.int64)
    for y in range(h):
        for x in range(w):
            t = feat[:, y, x]
            positive = [
                c for c in sorted(set(classes))
                if float(np.dot(t - means[c], patterns[c])) > 0
            ]
            out[y, x] = 0 if not positive else (
                positive[0] + 1 if len(positive) == 1 else ignore_index)
    return out


@pytest.mark.parametrize('classes', [[], [2], [0, 3], [1, 2, 4], [4, 1, 1]])
def test_dcp_assign_matches_naive_loop(classes):
    g = torch.Generator().manual_seed(len(classes))
    feat = torch.randn(6, 7, 9, generator=g, dtype=torch.float64)
    means = torch.randn(5, 6, generator=g, dtype=torch.float64) * 0.3
    patterns = torch.randn(5, 6, generator=g, dtype=torch.float64)
    got = dcp_assign(feat, means, patterns, classes)
    ref = naive_assign(feat.numpy(), means.numpy(), patterns.numpy(), classes)
    assert got.dtype == torch.long and got.shape == (7, 9)
    np.testing.assert_array_equal(got.numpy(), ref)
    if len(set(classes)) > 1:  # the three cases all occur
        assert {0, 255} <= set(got.unique().tolist())
    assert set(got.unique().tolist()) <= {0, 255} | {c + 1 for c in classes}
    assert dcp_assign(
        feat, means, patterns, classes, ignore_index=7).eq(255).sum() == 0


def test_dcp_assign_bad_input_is_named():
    feat, means = torch.zeros(4, 3, 3), torch.zeros(5, 6)
    with pytest.raises(ValueError, match='4 channels.*D = 6'):
        dcp_assign(feat, means, torch.zeros(5, 6), [0])
    with pytest.raises(ValueError, match=r'0\.\.4.*\[5\]'):
        dcp_assign(torch.zeros(6, 3, 3), means, torch.zeros(5, 6), [1, 5])
    with pytest.raises(ValueError, match='must both be'):
        dcp_assign(torch.zeros(6, 3, 3), means, torch.zeros(4, 6), [1])
    with pytest.raises(ValueError, match=r'\(D, H, W\)'):
        dcp_assign(torch.zeros(6, 3), means, torch.zeros(5, 6), [1])
    with pytest.raises(ValueError, match='K = 2'):
        dcp_assign_projections(torch.zeros(1, 3, 3), [0, 1])


# ---------------------------------------------------------------- eq. 2,
# streaming
def random_images(n=9, d=5, classes=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    feats, labels = [], []
    for i in range(n):
        h, w = 3 + i % 3, 4 + i % 2  # images of different sizes
        feats.append(
            torch.rand(d, h, w, generator=g, dtype=torch.float64) * 3 + 1)
        labels.append(sorted({i % classes, (i * 7 + 1) % classes}))
    return feats, labels


def test_pattern_cosines_measure_how_parallel_the_patterns_are():
    eye = torch.eye(3, 4, dtype=torch.float64)
    cos, mean, top = pattern_cosines(eye)
    assert torch.equal(cos, torch.eye(3, dtype=torch.float64))
    assert mean == top == 0.0
    # a pattern and its negative are parallel (the sign is a convention);
    # a 60-degree pair has cosine 0.5; invalid classes are left out
    p = torch.tensor([[1., 0.], [-1., 0.], [0.5, 3**0.5 / 2], [0., 1.]])
    cos, mean, top = pattern_cosines(p, torch.tensor([True, True, True,
                                                      False]))
    assert cos.shape == (3, 3) and top == pytest.approx(1.0)
    assert mean == pytest.approx((1 + 0.5 + 0.5) / 3)
    assert pattern_cosines(p[:1])[1:] == (0.0, 0.0)


def test_class_statistics_match_numpy_and_stream_in_chunks():
    feats, labels = random_images()
    one = ClassStatistics(4, 5, None)
    for f, l in zip(feats, labels):
        one.add(f, l)
    # reference: concatenate every pixel of the images of each class
    for c in range(4):
        pix = np.concatenate([
            f.reshape(5, -1).numpy() for f, l in zip(feats, labels) if c in l
        ],
                             axis=1)
        np.testing.assert_allclose(
            one.means()[c].numpy(), pix.mean(1), rtol=1e-12)
        np.testing.assert_allclose(
            one.covariance(c).numpy(),
            np.cov(pix, bias=True),
            rtol=1e-10,
            atol=1e-12)
        assert one.num_pixels[c] == pix.shape[1]
    # three chunks (ranks / passes) merged == one pass
    parts = [ClassStatistics(4, 5, None) for _ in range(3)]
    for i, (f, l) in enumerate(zip(feats, labels)):
        parts[i % 3].add(f, l)
    merged = parts[0].merge(parts[1]).merge(parts[2])
    for key in ClassStatistics._SUMS:
        torch.testing.assert_close(
            getattr(merged, key), getattr(one, key), rtol=1e-12, atol=0)
    assert one.sum_outer.dtype == torch.float64
    a, b = one.patterns(), merged.patterns()
    torch.testing.assert_close(a['patterns'], b['patterns'])
    assert merged.all_reduce() is merged  # world size 1: a no-op


def test_max_images_per_class_and_memory_independent_of_images():
    feats, labels = random_images(n=12)
    stats = ClassStatistics(4, 5, max_images_per_class=2)
    taken = [stats.add(f, l) for f, l in zip(feats, labels)]
    assert stats.num_images.tolist() == [2, 2, 2, 2]
    # an image is counted for the classes still under the cap only
    first = {c: [i for i, t in enumerate(taken) if c in t] for c in range(4)}
    for c in range(4):
        assert first[c] == [i for i, l in enumerate(labels) if c in l][:2]
    # the sign statistics see every image
    assert stats.total_images == 12 and stats.seen_images.sum() == sum(
        map(len, labels))
    big = ClassStatistics(4, 5, None)
    assert big.nbytes() == stats.nbytes() == 8 * (4 *
                                                  (4 + 5 + 5 * 5 + 5) + 2 + 5)


def test_top_eigenvector_and_contrast_sign_rule():
    cov = torch.diag(torch.tensor([1.0, 5.0, 2.0], dtype=torch.float64))
    val, vec, trace = top_eigenvector(
        cov, reference=torch.tensor([0, -1.0, 0]))
    assert float(val) == pytest.approx(5.0) and float(trace) == pytest.approx(
        8.0)
    torch.testing.assert_close(vec,
                               torch.tensor([0, -1.0, 0], dtype=torch.float64))
    # images of class 0: background (feature 0 ~ noise) + a bright object along
    # +e1; images without class 0: background only. The pattern must point to
    # the object (+e1) whatever sign eigh returns, so q > 0 on the object.
    g = torch.Generator().manual_seed(0)
    stats = ClassStatistics(2, 3, None)
    for i in range(20):
        f = torch.randn(3, 6, 6, generator=g, dtype=torch.float64) * 0.1
        f[0] += 1.0  # shared background level
        if i % 2 == 0:
            f[1, :3, :3] += 4.0  # the object (a quarter of the image)
            stats.add(f, [0])
        else:
            stats.add(f, [1])
    res = stats.patterns('contrast')
    assert res['patterns'][0, 1] > 0.9 and res['sign_margin'][0] > 0.5
    f = torch.zeros(3, 6, 6, dtype=torch.float64)
    f[0] = 1.0
    f[1, :3, :3] = 4.0
    seeds = dcp_assign(f, res['means'], res['patterns'], [0])
    assert seeds[:3, :3].eq(1).all() and seeds[3:].eq(0).all()
    flipped = stats.patterns('none')['patterns'][0]
    assert abs(float(flipped @ res['patterns'][0])) == pytest.approx(1.0)


def test_save_load_round_trip_is_atomic(tmp_path):
    feats, labels = random_images()
    stats = ClassStatistics(4, 5, None)
    for f, l in zip(feats, labels):
        stats.add(f, l)
    res = stats.patterns()
    path = str(tmp_path / 'sub' / 'patterns.pth')
    save_patterns(path, res,
                  dict(layer='backbone.x', classes=['bg', 'a', 'b', 'c', 'd']))
    assert os.listdir(tmp_path / 'sub') == ['patterns.pth'
                                            ]  # no temp file left
    data = load_patterns(path)  # weights_only=True
    for key in ('means', 'patterns', 'eigenvalues', 'num_images'):
        torch.testing.assert_close(data[key], res[key])
    assert data['meta']['layer'] == 'backbone.x'
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_patterns(str(tmp_path / 'missing.pth'))
    torch.save({'x': 1}, tmp_path / 'other.pth')
    with pytest.raises(ValueError, match='not a DCP'):
        load_patterns(str(tmp_path / 'other.pth'))


def _dist_worker(rank, world, port, out_dir):
    """One gloo rank of test_statistics_are_summed_across_ranks."""
    import torch.distributed as dist
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=world)
    try:
        from mmengine.dist import broadcast_object_list

        from tools.dcp_statistics import StatisticsAccumulator, write_patterns
        feats, labels = random_images(n=12)
        acc = StatisticsAccumulator(max_images_per_class=None)
        for i, (f, l) in enumerate(zip(feats, labels)):
            # ranks 0 and 1 share the images, rank 2 has none
            if i % 2 == rank:
                acc.add(
                    f, torch.tensor([1.0] + [float(c in l) for c in range(4)]))
        stats = acc.reduce()
        res = [None]
        if rank == 0:
            res[0] = write_patterns(stats, osp.join(out_dir, 'dist.pth'), 'l',
                                    'contrast', None,
                                    ('bg', 'a', 'b', 'c', 'd'))
        broadcast_object_list(res)
        torch.save(res[0], osp.join(out_dir, f'metrics{rank}.pth'))
    finally:
        dist.destroy_process_group()


def test_statistics_are_summed_across_ranks(tmp_path):
    """Three gloo processes, two with half the images each and one with none
    (it joins the reduction with zeros), give the patterns of one process."""
    import socket

    import torch.multiprocessing as mp
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    # fork: the workers inherit this process's imports (spawn would re-import
    # mmseg)
    mp.start_processes(
        _dist_worker,
        args=(3, port, str(tmp_path)),
        nprocs=3,
        join=True,
        start_method='fork')
    feats, labels = random_images(n=12)
    one = ClassStatistics(4, 5, None)
    for f, l in zip(feats, labels):
        one.add(f, l)
    ref = one.patterns()
    got = load_patterns(str(tmp_path / 'dist.pth'))
    for key in ('means', 'patterns', 'eigenvalues', 'num_pixels'):
        torch.testing.assert_close(got[key], ref[key])
    assert got['meta']['world_size'] == 3
    m0, m1, m2 = (torch.load(tmp_path / f'metrics{r}.pth') for r in range(3))
    assert m0 == m1 == m2 and m0[
        'dcp/images'] == 12  # every rank gets the metrics


def test_rank_share_of_the_cap():
    from tools.dcp_statistics import rank_share
    assert [rank_share(800, r, 3) for r in range(3)] == [267, 267, 266]
    assert rank_share(None, 0, 2) is None and rank_share(5, 0, 1) == 5


# ---------------------------------------------------------------- generator
def build_model(tmp_path, layer='backbone.features.12', crf=None):
    init_default_scope('mmseg')
    return MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=dict(type='DeepLabVGG', width_mult=0.0625),
            cls_head=dict(type='CAMHead', in_channels=32, num_classes=4),
            seed_generator=dict(
                type='DCPSeedGenerator',
                layer=layer,
                crf=crf,
                patterns_file=str(tmp_path / 'p.pth')))).eval()


def samples(labels_list, size=(40, 40)):
    out = []
    for labels in labels_list:
        s = SegDataSample(
            metainfo=dict(
                img_shape=size,
                ori_shape=size,
                img_path=f'/x/img{len(out)}.jpg'))
        s.gt_img_labels = torch.tensor([1.0] + labels)
        out.append(s)
    return out


def test_generator_statistics_then_seeds_in_process(tmp_path):
    """The statistics functions of tools/dcp_statistics.py on the classifier's
    feature tap, then the seeds of the generator from the file they wrote."""
    from tools.dcp_statistics import StatisticsAccumulator, write_patterns
    torch.manual_seed(0)
    model = build_model(tmp_path)
    x = torch.rand(3, 3, 40, 40)
    labels = [[1, 0, 0, 0], [0, 1, 1, 0], [1, 0, 0, 1]]
    feats = model.tap('backbone.features.12')(x)
    assert feats.shape == (3, 16, 10, 10)  # conv3_2 of a 1/16 VGG: stride 4
    acc = StatisticsAccumulator(800)
    for f, s in zip(feats, samples(labels)):
        acc.add(f, s.gt_img_labels)
    res = write_patterns(acc.reduce(), str(tmp_path / 'p.pth'),
                         'backbone.features.12', 'contrast', 800,
                         ('bg', 'a', 'b', 'c', 'd'))
    assert res['dcp/classes'] == 4 and res['dcp/images'] == 3
    data = load_patterns(str(tmp_path / 'p.pth'))
    assert data['meta']['layer'] == 'backbone.features.12'
    assert data['num_images'].tolist() == [2, 1, 1, 1]
    # seed mode: Algorithm 1 on the same features, at the original size
    pred = model.predict(x, samples(labels))
    for i, p in enumerate(pred):
        seeds, scores = p.pred_sem_seg.data[0], p.seg_logits.data
        assert seeds.shape == (40, 40) and scores.shape == (5, 40, 40)
        present = {c + 1 for c, v in enumerate(labels[i]) if v}
        assert set(seeds.unique().tolist()) <= {0, 255} | present
        # scores: q for the image's classes, 0 elsewhere; argmax = seed where
        # labelled
        labelled = seeds != 255
        assert torch.equal(scores.argmax(0)[labelled], seeds[labelled])
    # the per-pixel rule is that of dcp_assign on bilinearly resized features
    up = torch.nn.functional.interpolate(
        feats[1:2], size=(40, 40), mode='bilinear', align_corners=False)[0]
    ref = dcp_assign(up, data['means'].float(), data['patterns'].float(),
                     [1, 2])
    agree = (ref == pred[1].pred_sem_seg.data[0]).float().mean()
    assert agree > 0.99  # equal up to float rounding at q ~ 0


def test_statistics_leave_out_the_padding():
    from wsss_mm.models.utils.geometry import unpad_features
    feat = torch.rand(2, 10, 12)  # stride 4 of a 40x48 padded input
    out = unpad_features(feat, dict(img_padding_size=[0, 8, 0, 4]), (40, 48))
    assert torch.equal(out, feat[:, :9, :10])
    assert unpad_features(feat, dict(), (40, 48)) is feat


def test_generator_errors_are_named(tmp_path):
    # a wrong layer name fails when the classifier is built, with similar names
    with pytest.raises(
            ValueError,
            match=r"no module named 'backbone.featurs.12'.*"
            r"backbone.features.12"):
        build_model(tmp_path, layer='backbone.featurs.12')
    model = build_model(tmp_path)
    with pytest.raises(FileNotFoundError, match=str(tmp_path / 'p.pth')):
        model.predict(torch.rand(1, 3, 40, 40), samples([[1, 0, 0, 0]]))
    # patterns of another layer / another width are refused
    zeros = dict(means=torch.zeros(4, 16), patterns=torch.zeros(4, 16))
    save_patterns(
        str(tmp_path / 'p.pth'), zeros, dict(layer='backbone.features.5'))
    with pytest.raises(ValueError, match='backbone.features.5'):
        model.predict(torch.rand(1, 3, 40, 40), samples([[1, 0, 0, 0]]))
    zeros = dict(means=torch.zeros(4, 3), patterns=torch.zeros(4, 3))
    save_patterns(
        str(tmp_path / 'p.pth'), zeros, dict(layer='backbone.features.12'))
    model = build_model(tmp_path)
    with pytest.raises(ValueError, match='16 channels'):
        model.predict(torch.rand(1, 3, 40, 40), samples([[1, 0, 0, 0]]))
    with pytest.raises(TypeError, match='mode'):  # the statistics mode is gone
        MODELS.build(
            dict(
                type='DCPSeedGenerator',
                layer='a',
                patterns_file='p',
                mode='statistics'))
    with pytest.raises(ValueError, match='sign_rule'):
        MODELS.build(
            dict(
                type='DCPSeedGenerator',
                layer='a',
                patterns_file='p',
                sign_rule='skew'))


def test_crf_only_on_single_class_images(tmp_path, tiny_voc):
    img = osp.join(tiny_voc, 'JPEGImages', 'train_00000.jpg')
    model = build_model(tmp_path, crf=dict(num_iter=3))
    g = model.seed_generator
    q = torch.randn(1, 64, 64)
    s = SegDataSample(metainfo=dict(img_path=img))
    out = g._crf_single_class(q[0], 2, s)
    assert out.shape == (64, 64) and set(out.unique().tolist()) <= {0, 3}
    # the generator calls it for single-class images only
    g._patterns = (torch.zeros(4, 16), torch.randn(4, 16), torch.ones(4))
    calls = []
    g._crf_single_class = lambda q, c, sample: calls.append(c) or torch.zeros(
        q.shape, dtype=torch.long)
    model.predict(
        torch.rand(2, 3, 40, 40), samples([[0, 0, 1, 0], [1, 1, 0, 0]]))
    assert calls == [2]


# ----------------------------------------------------------------
# fill_uncertain
def test_fill_uncertain_tool(tmp_path):
    from tools.fill_uncertain import fill_uncertain, main
    seed = np.array([[0, 1, 255], [255, 2, 255]], np.uint8)
    pred = np.array([[3, 3, 1], [0, 4, 3]], np.uint8)
    np.testing.assert_array_equal(
        fill_uncertain(seed, pred), [[0, 1, 1], [0, 2, 3]])
    np.testing.assert_array_equal(
        fill_uncertain(seed, pred, keep_classes='seed'),
        [[0, 1, 1], [0, 2, 255]])
    for d in ('seeds', 'preds'):
        os.makedirs(tmp_path / d)
    atomic_write_png(seed, str(tmp_path / 'seeds' / 'a.png'))
    atomic_write_png(pred, str(tmp_path / 'preds' / 'a.png'))
    summary = main([
        str(tmp_path / 'seeds'),
        str(tmp_path / 'preds'),
        str(tmp_path / 'out'), '--no-progress'
    ])
    assert summary['uncertain'] == 3 and summary['filled'] == 3
    np.testing.assert_array_equal(
        read_label_png(str(tmp_path / 'out' / 'a.png')),
        [[0, 1, 1], [0, 2, 3]])
    assert os.listdir(tmp_path / 'out') == ['a.png']
    atomic_write_png(seed, str(tmp_path / 'seeds' / 'b.png'))
    with pytest.raises(FileNotFoundError, match='b.png'):
        main([
            str(tmp_path / 'seeds'),
            str(tmp_path / 'preds'),
            str(tmp_path / 'o2')
        ])


# ---------------------------------------------------------------- configs
@pytest.mark.parametrize('config_set', ['mini', 'partbody'])
def test_mini_classifier_is_the_cam_baselines(config_set):
    """The DCP classifier (stage 1) of each mini config set is the CAM
    baseline's: one checkpoint serves both."""
    from mmengine.config import Config

    def norm(x):
        if isinstance(x, dict):
            return {k: norm(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [norm(v) for v in x]
        return osp.normpath(x) if isinstance(x, str) and '/' in x else x

    cam = Config.fromfile(
        osp.join(REPO, f'configs/cam/cam_vgg16-slim_{config_set}.py'))
    dcp = Config.fromfile(
        osp.join(REPO, f'configs/dcp/dcp_vgg16-slim_{config_set}.py'))
    for key in ('backbone', 'cls_head', 'data_preprocessor'):
        assert norm(cam.model[key].to_dict()) == norm(
            dcp.model[key].to_dict()), key
    for key in ('optim_wrapper', 'param_scheduler', 'train_dataloader'):
        assert norm(cam._cfg_dict[key]) == norm(dcp._cfg_dict[key]), key
    assert cam.train_cfg.max_iters == dcp.train_cfg.max_iters
    stats = Config.fromfile(
        osp.join(REPO,
                 f'configs/dcp/dcp_vgg16-slim_{config_set}_statistics.py'))
    # the tool reads it
    assert stats.model.seed_generator == dcp.model.seed_generator
    assert stats.test_dataloader.sampler.round_up is False


# ---------------------------------------------------------------- end to end
def tiny_options(root):
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={root}', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    return opts + ['test_dataloader.batch_size=4']


def direct_patterns(config, opts, ckpt, layer, cap):
    """Eq. (2) straight from the pure functions: the config's dataloader (same
    sampler), the preprocessor, a plain forward hook on ``layer``, the
    padding cropped, :class:`ClassStatistics`."""
    import argparse

    from mmengine.config import Config, DictAction
    from mmengine.runner import Runner

    from wsss_mm.models.utils.geometry import unpad_features
    parser = argparse.ArgumentParser()
    parser.add_argument('--o', nargs='+', action=DictAction)
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.merge_from_dict(parser.parse_args(['--o', *opts]).o)
    init_default_scope('mmseg')
    model = MODELS.build(cfg.model)
    model.load_state_dict(torch.load(ckpt)['state_dict'])
    model.eval()
    loader = Runner.build_dataloader(cfg.test_dataloader, seed=0)
    grabbed = []
    dict(model.named_modules())[layer].register_forward_hook(
        lambda m, a, out: grabbed.append(out.detach().clone()))
    stats = None
    with torch.no_grad():
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            grabbed.clear()
            model._forward(data['inputs'])
            for feat, sample in zip(grabbed[0], data['data_samples']):
                feat = unpad_features(feat, sample.metainfo,
                                      data['inputs'].shape[-2:])
                if stats is None:
                    stats = ClassStatistics(
                        len(sample.gt_img_labels) - 1, feat.shape[0], cap)
                stats.add(
                    feat,
                    torch.nonzero(sample.gt_img_labels[1:] > 0).flatten())
    return stats.patterns('contrast')


def test_statistics_tool_then_seeds_through_tools_test(tiny_voc, tmp_path):
    """Stage 2a (tools/dcp_statistics.py) then 2b (tools/test.py) on the tiny
    dataset. The patterns file equals, bit for bit, eq. (2) computed directly
    with the pure functions on the same images in the same order. (Before the
    statistics mode of DCPSeedGenerator and DCPStatisticsMetric were removed,
    this test compared the tool with that tools/test.py route: every tensor
    and the meta were identical, and the summary metrics too.)"""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(REPO, 'configs/dcp/dcp_vgg16-slim_mini.py'))
    init_default_scope('mmseg')
    cfg.model.backbone.init_cfg = None
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    ckpt = str(tmp_path / 'cls.pth')
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, ckpt)
    patterns = str(tmp_path / 'patterns.pth')
    opts = tiny_options(tiny_voc) + [
        'model.backbone.init_cfg=None',
        'test_dataloader.batch_size=3',  # 16 = 5 x 3 + 1
        'model.seed_generator.max_images_per_class=5'
    ]
    metrics = tmp_path / 'stats.json'
    # the tool's main, in this process (the subprocess start-up, mostly
    # imports, would double the test's time)
    from tools.dcp_statistics import main as stats_main
    stats_main([
        'configs/dcp/dcp_vgg16-slim_mini_statistics.py', ckpt, '--out',
        patterns, '--work-dir',
        str(tmp_path / 'w1'), '--metrics-out',
        str(metrics), '--no-progress', '--cfg-options', *opts
    ])
    stats = json.load(open(metrics))
    assert stats['dcp/images'] == 16 and stats['dcp/classes'] >= 1
    data = load_patterns(patterns)
    _, cos_mean, cos_max = pattern_cosines(data['patterns'], data['valid'])
    assert stats['dcp/pattern_cos_mean'] == round(cos_mean, 4)
    assert stats['dcp/pattern_cos_max'] == round(cos_max, 4)
    assert data['patterns'].shape == (10, 64)
    assert data['meta'] == dict(
        layer='backbone.features.42',
        sign_rule='contrast',
        max_images_per_class=5,
        classes=list(data['meta']['classes']),
        dim=64,
        world_size=1,
        total_images=16)
    assert len(data['meta']['classes']) == 11 and data['num_images'].max() == 5
    ref = direct_patterns('configs/dcp/dcp_vgg16-slim_mini_statistics.py',
                          opts, ckpt, 'backbone.features.42', 5)
    assert sorted(ref) == sorted(set(data) - {'format', 'meta'})
    for key, value in ref.items():
        assert torch.equal(data[key], value), key
    # stage 2b: seeds from that file, through the real CLI once
    seeds = tmp_path / 'seeds'
    metrics = tmp_path / 'seeds.json'
    run_tool('tools/test.py',
             'configs/dcp/dcp_vgg16-slim_mini.py', ckpt, '--work-dir',
             str(tmp_path / 'w2'), '--out', str(seeds), '--metrics-out',
             str(metrics), '--cfg-options', *tiny_options(tiny_voc),
             'model.backbone.init_cfg=None',
             f'model.seed_generator.patterns_file={patterns}')
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    assert sorted(f for f in os.listdir(seeds) if f.endswith('.png')) == \
        sorted(i + '.png' for i in ids)
    assert 0 <= json.load(open(metrics))['seed/mIoU'] <= 100
    gt = read_label_png(
        osp.join(tiny_voc, 'SegmentationClass', ids[0] + '.png'))
    seed = read_label_png(str(seeds / (ids[0] + '.png')))
    assert seed.shape == gt.shape
    present = set(np.unique(gt).tolist()) - {255}
    assert set(np.unique(seed).tolist()) <= present | {0, 255}
    # resuming is --out (test_evaluator.output_dir) + test_evaluator.resume,
    # for the same provenance (seeds/provenance.json: checkpoint, config with
    # the patterns file and its sha256, data): every seed exists, none is
    # computed, the same metrics
    from tools.test import main as test_main
    rerun = tmp_path / 'rerun.json'
    same = [
        'model.backbone.init_cfg=None',
        f'model.seed_generator.patterns_file={patterns}'
    ]
    test_main([
        'configs/dcp/dcp_vgg16-slim_mini.py', ckpt, '--work-dir',
        str(tmp_path / 'w3'), '--out',
        str(seeds), '--metrics-out',
        str(rerun), '--cfg-options', *tiny_options(tiny_voc), *same
    ])
    assert json.load(open(rerun)) == json.load(open(metrics))
    # another patterns file is another provenance: refused, not scored
    missing = [
        'model.backbone.init_cfg=None',
        'model.seed_generator.patterns_file=/missing.pth'
    ]
    with pytest.raises(
            RuntimeError, match='model.seed_generator.patterns_file'):
        test_main([
            'configs/dcp/dcp_vgg16-slim_mini.py', ckpt, '--work-dir',
            str(tmp_path / 'w4'), '--out',
            str(seeds), '--cfg-options', *tiny_options(tiny_voc), *missing
        ])
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        test_main([
            'configs/dcp/dcp_vgg16-slim_mini.py', ckpt, '--work-dir',
            str(tmp_path / 'w4'), '--out',
            str(tmp_path / 'seeds2'), '--cfg-options', *tiny_options(tiny_voc),
            *missing
        ])


def test_voc_stage3_follows_the_paper_training_and_test_protocol():
    """Sec. 'Training and Testing Setting': images resized to a fixed 328 x
    328 for training; test at 241 / 328 / 401 with the scores merged and a
    dense CRF (--tta); the retrain step's two label choices."""
    from mmengine.config import Config
    from mmseg.registry import TRANSFORMS
    cfg = Config.fromfile(
        osp.join(REPO,
                 'configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain.py'))
    pipe = cfg.train_dataloader.dataset.pipeline
    kinds = [t['type'] for t in pipe]
    assert 'RandomCrop' not in kinds and 'RandomResize' not in kinds
    assert 'PhotoMetricDistortion' not in kinds
    resize = pipe[kinds.index('Resize')]
    assert tuple(
        resize['scale']) == (328, 328) and resize['keep_ratio'] is False
    init_default_scope('mmseg')
    out = TRANSFORMS.build(resize)(dict(img=np.zeros((375, 500, 3), np.uint8)))
    assert out['img'].shape[:2] == (328, 328)
    # the paper's test: three square views, DSRG's test-ms merge + CRF
    assert cfg.tta_model.type == 'DSRGTTAModel' and cfg.tta_model[
        'merge'] == 'logits'
    assert cfg.tta_model.crf == dict(
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=80, srgb=13, compat=10))
    views = cfg.tta_pipeline[1]['transforms'][0]
    sizes = [
        TRANSFORMS.build(v)(
            dict(img=np.zeros((375, 500, 3), np.uint8)))['img'].shape[:2]
        for v in views
    ]
    assert sizes == [(241, 241), (328, 328), (401, 401)]
    assert 'Resize' not in [
        t['type'] for t in cfg.test_dataloader.dataset.pipeline
    ]
    # retrain labels: the predicted masks (the paper's wording; the recipe's)
    # or the filled seeds (this config; recipe dcp_fill_uncertain)
    paths = Config.fromfile(osp.join(REPO, 'configs/_base_/paths.py'))
    assert cfg.train_dataloader.dataset.data_prefix.seg_map_path == \
        paths.dcp_r101_voc12_filled_seeds
    pred_config = ('configs/dcp/'
                   'deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py')
    pred = Config.fromfile(osp.join(REPO, pred_config))
    predict = Config.fromfile(
        osp.join(REPO,
                 'configs/dcp/deeplab_largefov_vgg16_voc12_dcp-predict.py'))
    assert pred.train_dataloader.dataset.data_prefix.seg_map_path == \
        predict.test_evaluator.output_dir == paths.dcp_r101_voc12_predictions
    # the paper's number for this network: 61.2 (64.5 is ResNet-101)
    import yaml
    with open(osp.join(REPO, 'configs/dcp/metafile.yaml')) as f:
        models = {m['Name']: m for m in yaml.safe_load(f)['Models']}
    (paper, ) = models['deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks'][
        'Results']
    assert paper['Metrics'] == {'mIoU': 61.2}
    assert paper['Dataset'] == ('Pascal VOC 2012 val '
                                '(paper figure, not reproduced here)')
    assert models['deeplab_largefov_vgg16_voc12_dcp-seeds']['Results'] == []
