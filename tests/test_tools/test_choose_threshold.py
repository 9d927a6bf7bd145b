"""benchmarks/choose_threshold.py: a seed threshold chosen on a held-out
part of train (never val) by one tool for every method; and the shared seed
machinery of benchmarks/seed_ablation.py it reuses."""
import json
import os
import os.path as osp

import pytest
from conftest import run_tool
from tiny_models import cam_model, save_random_checkpoint, write_config

from benchmarks import choose_threshold as ct
from benchmarks import seed_ablation as sa

KEY = 'model.seed_generator.fg_threshold'


def test_holdout_is_a_deterministic_sorted_fraction_of_train(tiny_voc):
    train = ct.read_ids(tiny_voc, 'train')
    val = ct.read_ids(tiny_voc, 'val', '--val-split')
    a = ct.holdout_ids(train, 0.25, 0)
    assert a == ct.holdout_ids(list(reversed(train)), 0.25,
                               0)  # list order is irrelevant
    assert a == sorted(a) and len(a) == 4 and set(a) <= set(train)
    assert not set(a) & set(val)
    assert ct.holdout_ids(train, 0.25, 1) != a  # the seed draws another part
    many = [f'img_{i:05d}' for i in range(1000)]
    assert len(ct.holdout_ids(many, 0.2, 0)) == 200
    assert ct.holdout_ids(many, 0.2, 0) == ct.holdout_ids(many, 0.2, 0)
    assert len(ct.holdout_ids(many[:3], 0.01, 0)) == 1
    for bad in (0, 1, -0.1, 1.5):
        with pytest.raises(ValueError, match='--holdout-fraction'):
            ct.holdout_ids(many, bad, 0)


def test_choice_is_the_best_seed_miou_and_the_first_on_ties():
    rows = [
        dict(seed_miou=30.0),
        dict(seed_miou=41.5),
        dict(seed_miou=41.5),
        dict(seed_miou=12.0)
    ]
    assert ct.choose(rows) == 1
    assert ct.choose([
        dict(seed_miou=None),
        dict(seed_miou=float('nan')),
        dict(seed_miou=5.0)
    ]) == 2
    assert ct.choose([dict(seed_miou=7.0)]) == 0
    with pytest.raises(ValueError, match='no value'):
        ct.choose([dict(seed_miou=None)])
    assert ct.as_value('0.3') == 0.3 and ct.as_value('2') == 2 and ct.as_value(
        'x') == 'x'


def test_refusals_name_the_option(tiny_voc, tmp_path):
    from mmengine.config import Config
    with pytest.raises(ValueError, match='--train-split val is the val split'):
        ct.check_not_val(['a'], 'val', 'val', [])
    with pytest.raises(
            ValueError, match='--train-split trainval: 1 of the held-out'):
        ct.check_not_val(['a', 'b'], 'trainval', 'val', ['b', 'c'])
    ct.check_not_val(['a'], 'train', 'val', ['b'])
    cfg = Config(
        dict(
            model=dict(
                seed_generator=dict(fg_threshold=0.3, bg_threshold=0.2))))
    assert ct.check_key(cfg, KEY) == 0.3
    with pytest.raises(
            KeyError,
            match=r'--key model.seed_generator.threshold.*fg_threshold'):
        ct.check_key(cfg, 'model.seed_generator.threshold')
    with pytest.raises(KeyError, match='--key model.neck.x'):
        ct.check_key(cfg, 'model.neck.x')

    # the same refusals from the command line, before anything runs
    cfg_path = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    common = [
        cfg_path, 'none.pth', '--data-root', tiny_voc, '--values', '0.2', '0.3'
    ]
    work = tmp_path / 'w'
    with pytest.raises(ValueError, match='--train-split val is the val split'):
        ct.main(
            common +
            ['--work-dir',
             str(work), '--key', KEY, '--train-split', 'val'])
    with pytest.raises(KeyError, match='--key model.seed_generator.threshold'):
        ct.main(common + [
            '--work-dir',
            str(work), '--key', 'model.seed_generator.threshold'
        ])
    with pytest.raises(
            ValueError,
            match='--cfg-options test_dataloader.dataset.ann_file'):
        ct.main(common + [
            '--work-dir',
            str(work), '--key', KEY, '--cfg-options',
            'test_dataloader.dataset.ann_file=x.txt'
        ])
    with pytest.raises(ValueError, match='--values'):
        ct.main([
            cfg_path, 'none.pth', '--data-root', tiny_voc, '--work-dir',
            str(work), '--key', KEY, '--values', '0.2', '0.2'
        ])
    assert not work.exists()  # refused before the work dir was made
    with pytest.raises(SystemExit):  # the config sets are the recipes'
        ct.parse_args(
            common + ['--work-dir', 'w', '--key', KEY, '--config-set', 'coco'])
    assert ct.parse_args(
        common + ['--work-dir', 'w', '--key', KEY, '--config-set', 'partbody']
    ).config_set == 'partbody'
    assert sa.parse_args([
        'c', 'k', '--data-root', 'd', '--work-dir', 'w', '--config-set',
        'partbody', '--variant', 'a'
    ]).config_set == 'partbody'


class FakeRunner:
    """Writes the metrics file of each seed run it is asked for, with a seed
    mIoU read off the command's threshold option."""

    def __init__(self, miou):
        self.miou, self.cmds = miou, []

    def __call__(self, cmd):
        self.cmds.append(cmd)
        value = next(
            c.split('=', 1)[1] for c in cmd if c.startswith(KEY + '='))
        out = cmd[cmd.index('--metrics-out') + 1]
        os.makedirs(osp.dirname(out), exist_ok=True)
        with open(out, 'w') as f:
            json.dump(
                {
                    'seed/mIoU': self.miou[value],
                    'seed/mPrecision': 50.0,
                    'seed/mRecall': 40.0,
                    'seed/coverage': 90.0
                }, f)
        return 1.0


def test_stubbed_run_writes_choice_and_resumes(tiny_voc, tmp_path, capsys):
    cfg_path = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    work = tmp_path / 'w'
    argv = [
        cfg_path, 'cls.pth', '--data-root', tiny_voc, '--work-dir',
        str(work), '--key', KEY, 'model.seed_generator.bg_threshold',
        '--holdout-fraction', '0.5', '--holdout-seed', '3', '--values', '0.2',
        '0.3', '0.4'
    ]
    run = FakeRunner({'0.2': 10.0, '0.3': 20.0, '0.4': 20.0})
    result = ct.main(argv, run=run)
    assert result['chosen'] == 0.3 and [r['value'] for r in result['table']
                                        ] == [0.2, 0.3, 0.4]
    assert result['key'] == [KEY, 'model.seed_generator.bg_threshold']
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last['chosen'] == 0.3 and last['table'][1]['seed_miou'] == 20.0
    assert json.loads((work / 'choice.json').read_text()) == last
    assert '0.2 -> 10.0, 0.3 -> 20.0' in last['comment']
    holdout = (work / 'holdout.txt').read_text().split()
    train = ct.read_ids(tiny_voc, 'train')
    assert holdout == ct.holdout_ids(train, 0.5, 3) and len(holdout) == 8
    assert last['holdout']['num_images'] == 8
    # each run sets every key to its value and reads the held-out list with
    # train GT
    cmd = run.cmds[0]
    assert f'{KEY}=0.2' in cmd
    assert 'model.seed_generator.bg_threshold=0.2' in cmd
    assert f'test_dataloader.dataset.ann_file={work / "holdout.txt"}' in cmd
    assert ('test_dataloader.dataset.data_prefix.seg_map_path='
            'SegmentationClass') in cmd
    assert not any(
        c.startswith(('train_dataloader.', 'val_dataloader.')) for c in cmd)
    # resumable: nothing reruns; another value list only runs the new value
    again = FakeRunner({'0.5': 25.0})
    assert ct.main(argv, run=again)['chosen'] == 0.3 and again.cmds == []
    assert ct.main(
        argv + ['0.5'], run=again)['chosen'] == 0.5 and len(again.cmds) == 1
    # a work dir of another held-out list is refused
    with pytest.raises(RuntimeError, match='holdout_seed.*fresh --work-dir'):
        ct.main(argv + ['--holdout-seed', '4'], run=again)


def test_two_values_end_to_end(tiny_voc, tmp_path):
    """Two real seed runs of a tiny random CAM classifier on 4 held-out
    images."""
    cfg_path = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    ckpt = save_random_checkpoint(cfg_path, tmp_path / 'cls.pth', 1)
    work = tmp_path / 'w'
    args = [
        '-m', 'benchmarks.choose_threshold', cfg_path, ckpt, '--data-root',
        tiny_voc, '--work-dir',
        str(work), '--key', KEY, 'model.seed_generator.bg_threshold',
        '--values', '0.2', '0.6', '--holdout-fraction', '0.25'
    ]
    result = json.loads(run_tool(*args).stdout.strip().splitlines()[-1])
    assert result['key'] == [KEY, 'model.seed_generator.bg_threshold']
    mious = [r['seed_miou'] for r in result['table']]
    assert all(0 <= m <= 100 for m in mious)
    assert result['chosen'] == [0.2, 0.6][0 if mious[0] >= mious[1] else 1]
    holdout = (work / 'holdout.txt').read_text().split()
    seeds = sorted(p[:-4] for p in os.listdir(work / '0_2' / 'seeds')
                   if p.endswith('.png'))
    assert seeds == holdout and len(holdout) == 4
    assert 'model.seed_generator.bg_threshold=0.6' in (
        work / 'choose.log').read_text()


def test_seed_ablation_keeps_its_table_on_the_shared_machinery(
        tiny_voc, tmp_path, capsys, monkeypatch):
    run = FakeRunner({'0.2': 10.0, '0.4': 30.0})
    monkeypatch.setattr(sa, 'StageRunner', lambda log: run)
    work = tmp_path / 'abl'
    argv = [
        'cam.py', 'cls.pth', '--data-root', tiny_voc, '--work-dir',
        str(work), '--variant', 'low', f'{KEY}=0.2', '--variant', 'high t',
        f'{KEY}=0.4'
    ]
    sa.main(argv)
    out = capsys.readouterr().out.strip().splitlines()
    rows = json.loads(out[-1])
    assert [list(r) for r in rows] == [[
        'variant', 'options', 'seed_miou', 'precision', 'recall', 'coverage',
        'time_s'
    ]] * 2
    assert [(r['variant'], r['options'], r['seed_miou'])
            for r in rows] == [('low', f'{KEY}=0.2', 10.0),
                               ('high t', f'{KEY}=0.4', 30.0)]
    assert '| high t | 30.0 | 50.0 | 40.0 | 90.0 | 1.0 |' in out
    assert json.loads((work / 'ablation.json').read_text()) == rows
    assert '| high t | 30.0 | 50.0 | 40.0 | 90.0 | 1.0 |' in (
        work / 'ablation.md').read_text()
    assert (work / 'high_t' / 'seed_metrics.json').is_file()
    cmd = run.cmds[0]  # all data options, the whole train split
    assert ('test_dataloader.dataset.ann_file='
            'ImageSets/Segmentation/train.txt') in cmd
    assert any(
        c.startswith('train_dataloader.dataset.data_root=') for c in cmd)
    sa.main(argv)  # resumable
    assert len(run.cmds) == 2
