"""The bench report's protocol table, read from each recipe's configs."""
from mmengine.config import Config

from benchmarks.make_report import METHODS, NAMES
from benchmarks.protocol import (protocol_rows, protocol_table, schedule,
                                 seed_protocol)


def test_seed_protocol_lines():
    assert seed_protocol(None) is None
    assert seed_protocol(
        dict(
            type='CAMSeedGenerator',
            scales=(1.0, 0.5),
            flip=True,
            fg_threshold=0.3,
            bg_threshold=0.25)) == (
                'CAM, scales 1/0.5, flip, fg 0.3 / bg 0.25')
    assert seed_protocol(
        dict(
            type='CAMSeedGenerator',
            scales=(1.0, ),
            flip=True,
            seed_type='crf')) == 'CAM, scales 1, flip, dense CRF'
    # no scales, no flip: one view
    assert seed_protocol(
        dict(
            type='FickleNetSeedGenerator',
            fg_threshold=0.35,
            bg_threshold=0.1,
            num_selections=200)) == (
                'FickleNet, scale 1, no flip, fg 0.35 / bg 0.1, N = 200')


def test_schedule_line():
    cfg = Config(
        dict(
            train_cfg=dict(max_iters=2000),
            train_dataloader=dict(batch_size=8),
            param_scheduler=[dict(type='StepLR', step_size=250, gamma=0.33)]))
    assert schedule(cfg) == '2000 it., batch 8, step ×0.33 / 250 it.'
    cfg.param_scheduler = []
    assert schedule(cfg).endswith('constant lr')


def test_partbody_rows_follow_the_configs():
    rows = {r[0]: r[1:] for r in protocol_rows(METHODS, 'partbody')}
    assert set(rows) == set(METHODS)
    seeds, net, sched = rows['cam']
    # one seed protocol: the scenes at their size, one scale, no flip
    assert seeds.startswith('CAM, scales 1, no flip')
    for method in ('ficklenet', 'dcp'):
        assert rows[method][0].startswith(
            ('FickleNet, scale 1, no flip', 'DCP, scale 1, no flip'))
    assert ', flip,' not in rows['multi_seed'][0]
    assert net == 'ASPPHead (DeepLabVGG)' and sched.startswith('2000 it.')
    assert rows['full'][0] == 'GT masks'
    assert rows['ficklenet'][1].startswith('DSRGHead on ASPPHead')
    # 8 sets (no 0.5 scale); the two classifiers' CRF read-outs coincide
    assert rows['multi_seed'][0].startswith(
        '8 seed sets, 6 distinct read-outs')
    assert 'scales 0.5' not in rows['multi_seed'][0]
    assert 'fg 0.5 / bg 0.5' in rows['multi_seed'][0]  # VGG-16, held out
    assert 'fg 0.4 / bg 0.4' in rows['multi_seed'][0]  # ResNet-18
    table = protocol_table(protocol_rows(['cam'], 'partbody'), NAMES)
    assert len(table) == 3 and table[2].startswith('| CAM baseline |')
