"""The CAM recipe's instrument stage on the part-and-body benchmark: the
same classifier's seeds read out by the dense CRF (``seeds_crf``), scored
as ``seed_crf_miou``, counted in neither the train nor the seed clock, and
absent from the other config sets."""
from types import SimpleNamespace

from mmengine.config import Config

from wsss_mm.recipes import RECIPES
from wsss_mm.recipes.runner import select_stages, summarise


def _args(config_set, stop_after=None):
    return SimpleNamespace(
        method='cam',
        config_set=config_set,
        seed_sets=None,
        stop_after=stop_after)


def test_crf_stage_only_on_partbody():
    stages, _ = select_stages(_args('partbody'))
    names = [s.name for s in stages]
    assert names == ['classifier', 'seeds', 'seeds_crf', 'segmentation', 'val']
    crf = stages[2]
    assert crf.checkpoint == 'classifier' and crf.split == 'train'
    assert crf.clock is None  # not in the method's seed time or throughput
    for config_set in ('mini', 'voc'):
        assert 'seeds_crf' not in [
            s.name for s in select_stages(_args(config_set))[0]
        ]
    # --stop-after seeds: the seed set the segmentation reads, not the
    # instrument
    assert 'seeds_crf' not in [
        s.name for s in select_stages(_args('partbody', 'seeds'))[0]
    ]


def test_crf_config_keeps_the_baseline_protocol():
    base = Config.fromfile('configs/cam/cam_vgg16-slim_partbody.py')
    crf = Config.fromfile('configs/cam/cam_vgg16-slim_partbody_crf.py')
    a, b = base.model.seed_generator, crf.model.seed_generator
    assert b.seed_type == 'crf' and a.get('seed_type',
                                          'threshold') == ('threshold')
    assert (a.scales, a.flip) == (b.scales, b.flip)
    assert base.model.backbone == crf.model.backbone
    assert crf.test_evaluator.output_dir != base.test_evaluator.output_dir


def test_summary_reads_the_crf_seed_metric():
    stages = [s for s in RECIPES['cam'] if s.runs_on('partbody')]
    records = {s.name: dict(seconds=10.0) for s in stages}
    records['seeds']['metrics'] = {'seed/mIoU': 40.0}
    records['seeds_crf']['metrics'] = {'seed/mIoU': 45.5}
    records['val']['metrics'] = {'mIoU': 50.0}
    result = dict(stages=records)
    summarise(stages, result)
    assert result['seed_miou'] == 40.0
    assert result['seed_crf_miou'] == 45.5 and result['val_miou'] == 50.0
    assert result['time_seeds_s'] == 10.0  # the threshold seeds alone
