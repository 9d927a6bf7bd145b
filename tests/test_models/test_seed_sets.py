"""Several seed sets from one run (SeedSetsGenerator): forward passes
shared by the sets of one scale, each set's seeds those of its own run, one
metric and folder per set, and the runner's per-set records."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401
from wsss_mm.evaluation.metrics.seed_metric import expand_seed_sets
from wsss_mm.recipes import Stage
from wsss_mm.recipes.runner import set_records
from wsss_mm.utils.io import atomic_write_png

THRESHOLD = dict(
    type='CAMSeedGenerator',
    seed_type='threshold',
    fg_threshold=0.3,
    bg_threshold=0.1)
CRF = dict(
    type='CAMSeedGenerator',
    seed_type='crf',
    crf=dict(num_iter=3, bilateral=dict(sxy=20, srgb=13, compat=10)))
SETS = dict(
    t_s100=dict(THRESHOLD, scales=(1.0, )),
    c_s100=dict(CRF, scales=(1.0, )),
    t_s050=dict(THRESHOLD, scales=(0.5, )),
    c_s050=dict(CRF, scales=(0.5, )))


def classifier(generator):
    init_default_scope('mmseg')
    return MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=dict(type='DeepLabVGG', width_mult=0.0625),
            cls_head=dict(type='CAMHead', in_channels=32, num_classes=4),
            seed_generator=generator)).eval()


def samples(tmp_path, n=2):
    import mmcv
    out = []
    for i in range(n):
        img = (np.random.default_rng(i).random(
            (40, 40, 3)) * 255).astype(np.uint8)
        path = str(tmp_path / f'im{i}.jpg')
        mmcv.imwrite(img, path)
        s = SegDataSample(
            metainfo=dict(
                img_shape=(40, 40), ori_shape=(40, 40), img_path=path))
        s.gt_img_labels = torch.tensor([1., 1., 0., 1., 0.])
        out.append(s)
    return out


def test_sets_share_one_forward_pass_per_scale_and_match_own_runs(tmp_path):
    torch.manual_seed(0)
    model = classifier(dict(type='SeedSetsGenerator', sets=SETS))
    gen = model.seed_generator
    assert gen.set_names == tuple(SETS)
    assert list(gen.shared_views().values()) == [['t_s100', 'c_s100'],
                                                 ['t_s050', 'c_s050']]
    calls = []
    cams = model.cams
    model.cams = lambda x: calls.append(x.shape[-1]) or cams(x)
    inputs = torch.rand(2, 3, 40, 40)
    out = model.predict(inputs, samples(tmp_path))
    assert calls == [40, 20]  # one forward pass per scale, not per set
    model.cams = cams
    for name, cfg in SETS.items():
        alone = classifier(cfg)
        alone.load_state_dict(model.state_dict())
        own = alone.predict(inputs, samples(tmp_path))
        for a, b in zip(out, own):
            assert torch.equal(a.seed_sets[name]['seeds'],
                               b.pred_sem_seg.data[0])
            torch.testing.assert_close(a.seed_sets[name]['scores'],
                                       b.seg_logits.data)
    # the first set is also the ordinary prediction
    assert torch.equal(out[0].pred_sem_seg.data[0],
                       out[0].seed_sets['t_s100']['seeds'])


def test_sets_resume_only_when_every_set_of_the_batch_exists(tmp_path):
    model = classifier(dict(type='SeedSetsGenerator', sets=SETS))
    batch = samples(tmp_path)
    folders = {n: str(tmp_path / n) for n in SETS}
    for n, folder in folders.items():
        for i in range(2):
            atomic_write_png(
                np.full((40, 40), 1 + len(n) % 3, np.uint8),
                f'{folder}/im{i}.png')
    model.set_seed_resume_dir(folders)
    out = model.predict(torch.rand(2, 3, 40, 40), batch)
    assert all(s.metainfo.get('seed_reused') for s in out)
    assert int(out[0].seed_sets['c_s050']['seeds'][0, 0]) == 1 + 6 % 3
    import os
    os.remove(f'{folders["c_s050"]}/im1.png')  # one seed missing: computed
    out = model.predict(torch.rand(2, 3, 40, 40), samples(tmp_path))
    assert not any(s.metainfo.get('seed_reused') for s in out)


def test_sets_generator_refuses_nesting_and_emptiness():
    with pytest.raises(ValueError, match='empty'):
        MODELS.build(dict(type='SeedSetsGenerator', sets={}))
    with pytest.raises(ValueError, match='itself'):
        MODELS.build(
            dict(
                type='SeedSetsGenerator',
                sets=dict(a=dict(type='SeedSetsGenerator', sets=SETS))))


def test_expand_seed_sets_one_metric_and_folder_per_set():
    model = dict(seed_generator=dict(type='SeedSetsGenerator', sets=SETS))
    one = dict(type='SeedMetric', prefix='seed', output_dir='/r')
    metrics = expand_seed_sets(one, model)
    assert [m['seed_set'] for m in metrics] == list(SETS)
    assert [m['output_dir'] for m in metrics] == [f'/r/{n}' for n in SETS]
    assert [m['prefix'] for m in metrics] == [f'{n}/seed' for n in SETS]
    # one generator: the evaluator as it is
    assert expand_seed_sets(one, dict(seed_generator=THRESHOLD)) is one
    with pytest.raises(ValueError, match='seed_set'):
        expand_seed_sets(dict(one, seed_set='x'), model)


def test_runner_records_each_set_as_an_output_of_its_own():
    stage = Stage(
        'vgg16_seeds',
        'test',
        'c.py',
        checkpoint='vgg16',
        split='train',
        out=True,
        sets=('a', 'b'),
        metrics='seed')
    assert stage.outputs == ('a', 'b')
    record = dict(output='/w/vgg16_seeds/labels', key='k')
    metrics = {
        'a/seed/mIoU': 40.0,
        'b/seed/mIoU': 50.0,
        'IoU_per_class': dict(a=dict(background=90.0))
    }
    sets = set_records(stage, record, metrics)
    assert sets['a']['output'] == '/w/vgg16_seeds/labels/a'
    assert sets['a']['metrics'] == {
        'seed/mIoU': 40.0,
        'IoU_per_class': dict(background=90.0)
    }
    assert sets['b']['metrics'] == {'seed/mIoU': 50.0}
    assert {s['key'] for s in sets.values()} == {'k/a', 'k/b'}
    assert 'command' not in sets['a']  # none to derive it from
    # a set's record says how to make it alone (its one-set config)
    from wsss_mm.recipes.runner import REPO
    cfg = f'{REPO}/configs/multi_seed/seeds_mini/vgg16_sets.py'
    cmd = ['py', 'tools/test.py', cfg, 'ck', '--out', '/w/labels']
    sets = set_records(
        Stage(
            's',
            'test',
            'c.py',
            checkpoint='x',
            out=True,
            sets=('vgg16_crf_s050', 'nope')), dict(record, command=cmd), None)
    assert sets['vgg16_crf_s050']['command'] == [
        'py', 'tools/test.py',
        f'{REPO}/configs/multi_seed/seeds_mini/vgg16_crf_s050.py', 'ck',
        '--out', '/w/vgg16_seeds/labels/vgg16_crf_s050'
    ]
    assert 'command' not in sets['nope']
    with pytest.raises(ValueError, match='out=True'):
        Stage('s', 'test', 'c.py', checkpoint='x', sets=('a', ))


def test_one_seed_metric_for_several_sets_is_refused():
    """A SeedSetsGenerator's output read by a SeedMetric without seed_set
    (an entry point that did not expand the evaluator) is an error, not the
    first set written alone."""
    from wsss_mm.evaluation.metrics.seed_metric import SeedMetric
    metric = SeedMetric()
    metric.dataset_meta = dict(classes=('bg', 'a'))
    seeds = torch.zeros(4, 4, dtype=torch.long)
    sample = dict(
        img_path='x.png',
        pred_sem_seg=dict(data=seeds[None]),
        seed_sets=dict(a=dict(seeds=seeds, scores=torch.zeros(2, 4, 4))))
    with pytest.raises(ValueError, match='one SeedMetric per set'):
        metric.process({}, [sample])
