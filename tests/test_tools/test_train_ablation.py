"""benchmarks/train_ablation.py: variants of one training config, one
val-mIoU table; presets for the single-stage and multi-seed paper tables."""
import argparse
import json
import os
import os.path as osp

import pytest
from conftest import run_tool

from benchmarks import train_ablation as ta


def test_two_variants_and_a_test_variant_end_to_end(tiny_voc, tmp_path):
    work = tmp_path / 'abl'
    args = [
        '-m', 'benchmarks.train_ablation',
        'configs/single_stage/ngwp_vgg16-slim_mini.py', '--data-root',
        tiny_voc, '--work-dir',
        str(work), '--iters', '2', '--cfg-options',
        'model.backbone.init_cfg=None', '--variant', 'full model', '--variant',
        'w/o PAMR', 'model.pamr=None', '--test-variant', '+CRF',
        'model.test_cfg.crf=True'
    ]
    proc = run_tool(*args)
    rows = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [r['variant'] for r in rows] == ['full model', 'w/o PAMR']
    for r in rows:
        assert 0 <= r['val_miou'] <= 100 and 0 <= r['val_miou +CRF'] <= 100
        assert r['train_s'] > 0
        assert len(
            r['val_iou_per_class']) == 11  # tools/test.py's per-class table
    assert rows[1]['options'] == 'model.pamr=None'
    table = (work / 'ablation.md').read_text()
    assert '| w/o PAMR |' in table and 'val mIoU +CRF' in table
    # the trained model really ran 2 iterations with the option applied
    log = open(work / 'ablation.log').read()
    assert 'train_cfg.max_iters=2' in log and 'model.pamr=None' in log
    # resumable: a second call reruns nothing and gives the same table
    metrics = work / 'w_o_PAMR' / 'val_metrics.json'
    mtime = os.path.getmtime(metrics)
    again = json.loads(run_tool(*args).stdout.strip().splitlines()[-1])
    assert os.path.getmtime(metrics) == mtime
    assert [r['val_miou'] for r in again] == [r['val_miou'] for r in rows]
    stamp = json.load(open(work / 'w_o_PAMR' / 'variant.json'))
    assert stamp['train']['options'][-1] == 'model.pamr=None'
    assert stamp['train'][
        'config'] == 'configs/single_stage/ngwp_vgg16-slim_mini.py'
    assert stamp['tests']['+CRF']['options'][-1] == 'model.test_cfg.crf=True'
    # the same variant with another option: cleared and trained again (never
    # the old number); the unchanged variant is kept
    full = work / 'full_model' / 'val_metrics.json'
    full_mtime = os.path.getmtime(full)
    changed = [
        a if a != 'model.pamr=None' else 'model.focal_p=1.0' for a in args
    ]
    run_tool(*changed)
    assert os.path.getmtime(full) == full_mtime
    assert os.path.getmtime(metrics) != mtime
    stamp = json.load(open(work / 'w_o_PAMR' / 'variant.json'))
    assert stamp['train']['options'][-1] == 'model.focal_p=1.0'
    assert 'model.focal_p=1.0' in open(work / 'ablation.log').read()


def test_describe_names_seed_folders():
    opts = ta.label_options(
        ['/x/seeds/vgg16_crf_s100/labels', '/x/seeds/resnet18_crf_s050'])
    assert ta.describe(opts + ['model.decode_head.loss_decode.scale=0.0']) == (
        'seeds: vgg16_crf_s100 resnet18_crf_s050 '
        'model.decode_head.loss_decode.scale=0.0')
    # a single label folder is named by its last two parts
    assert ta.describe([
        'train_dataloader.dataset.data_prefix.seg_map_path='
        '/w/cam/seeds/labels', 'randomness.seed=1'
    ]) == 'labels: cam/seeds randomness.seed=1'


def _seed_root(tmp_path):
    """A multi_seed run's result.json: its 12 seed sets and VGG-16
    classifier."""
    root = tmp_path / 'ms'
    root.mkdir()
    stages = {
        f'{a}_{t}_s{s:03d}': dict(output=f'/seeds/{a}_{t}_s{s:03d}/labels')
        for a in ('vgg16', 'resnet18') for t in ('threshold', 'crf')
        for s in (100, 75, 50)
    }
    stages['vgg16'] = dict(output='/ckpt/iter_9.pth')
    (root / 'result.json').write_text(json.dumps(dict(stages=stages)))
    return root


def test_multi_seed_preset_covers_the_paper_tables(tmp_path):
    root = _seed_root(tmp_path)
    args = argparse.Namespace(
        config=None,
        iters=None,
        iters_options=[],
        variant=[],
        seed_root=str(root),
        work_dir=str(tmp_path / 'w'),
        config_set='mini')
    jobs = ta.multi_seed_preset(args)
    names = [v[0] for v in args.variant]
    assert {
        'T (1)', 'C (1)', 'T+C (2)', 'T+C multi-scale (6)',
        'T+C merged max (2)', 'VGG+ResNet T+C (4)', 'all sets, WST s=1',
        'all sets, plain s=0'
    } <= set(names)
    counts = {v[0]: v[1].count(',') + 1 for v in args.variant}
    assert counts['T (1)'] == 1 and counts['T+C multi-scale (6)'] == 6
    assert counts['all sets, WST s=1'] == 12
    assert counts['VGG+ResNet T+C (4)'] == 4
    plain = dict((v[0], v) for v in args.variant)['all sets, plain s=0']
    assert 'model.decode_head.loss_decode.scale=0.0' in plain
    # merged-scale seeds: 2 types x (max, mean) from the VGG-16 classifier
    assert len(jobs) == 4 and all(j[2] == '/ckpt/iter_9.pth' for j in jobs)
    assert {j[3][1]
            for j in jobs} == {
                'model.seed_generator.reduce=max',
                'model.seed_generator.reduce=mean'
            }
    assert '/seeds/resnet18_crf_s050/labels' in dict(
        (v[0], v) for v in args.variant)['all sets, WST s=1'][1]
    assert args.iters == 300 and args.iters_options == []
    assert all(j[1].startswith('configs/multi_seed/seeds_mini/') for j in jobs)

    # part-and-body: its own configs and the bench's schedule (no shortening)
    pb = argparse.Namespace(
        config=None,
        iters=None,
        iters_options=[],
        variant=[],
        seed_root=str(root),
        work_dir=str(tmp_path / 'p'),
        config_set='partbody')
    pb_jobs = ta.multi_seed_preset(pb)
    assert pb.config.endswith('wst_deeplabv3_vgg16-slim_partbody_8seeds.py')
    # no 0.5-scale sets there (docs/scale.md rule 7): two scales, 8 sets
    pb_names = [
        n.replace('multi-scale (3)',
                  'multi-scale (2)').replace('multi-scale (6)',
                                             'multi-scale (4)') for n in names
    ]
    assert pb.iters is None and [v[0] for v in pb.variant] == pb_names
    pb_counts = {v[0]: v[1].count(',') + 1 for v in pb.variant}
    assert pb_counts['all sets, WST s=1'] == 8
    assert pb_counts['T+C multi-scale (4)'] == 4
    assert 's050' not in dict(
        (v[0], v) for v in pb.variant)['all sets, WST s=1'][1]
    assert {j[3][0]
            for j in pb_jobs} == {'model.seed_generator.scales=[1.0,0.75]'}
    assert {j[3][0]
            for j in jobs} == {'model.seed_generator.scales=[1.0,0.75,0.5]'}
    for job in pb_jobs:
        assert job[1].startswith('configs/multi_seed/seeds_partbody/')
        assert osp.isfile(osp.join(ta.REPO, job[1])), job[1]


def test_single_stage_preset_per_config_set():
    for config_set, iters in (('mini', 300), ('partbody', None)):
        args = argparse.Namespace(
            config=None,
            iters=None,
            variant=[],
            test_variant=[],
            config_set=config_set)
        ta.single_stage_preset(args)
        assert args.config.endswith(f'ngwp_vgg16-slim_{config_set}.py')
        assert args.iters == iters
        assert args.test_variant == [[
            '+CRF', args.config.replace('.py', '_crf.py')
        ]]
        for path in (args.config, args.test_variant[0][1]):
            assert osp.isfile(osp.join(ta.REPO, path)), path
        assert [v[0] for v in args.variant
                ][:3] == ['full model', 'w/o PAMR', 'w/o SG']


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(SystemExit):
        ta.parse_args(['--data-root', 'd', '--work-dir',
                       'w'])  # no config, no preset
    with pytest.raises(SystemExit):
        ta.parse_args(
            ['--preset', 'multi_seed', '--data-root', 'd', '--work-dir', 'w'])
    with pytest.raises(SystemExit):  # the presets are mini-benchmark tables
        ta.parse_args([
            '--preset', 'single_stage', '--config-set', 'voc', '--data-root',
            'd', '--work-dir', 'w'
        ])
    args = argparse.Namespace(
        config=None,
        iters=None,
        iters_options=[],
        variant=[],
        seed_root=str(tmp_path / 'none'),
        work_dir=str(tmp_path),
        config_set='mini')
    with pytest.raises(FileNotFoundError, match='has no seed set'):
        ta.multi_seed_preset(args)
    with pytest.raises(FileNotFoundError, match='no_such.py'):
        ta.main([
            'no_such.py', '--data-root',
            str(tmp_path), '--work-dir',
            str(tmp_path / 'w'), '--variant', 'a'
        ])
    assert osp.isdir(tmp_path / 'w')


def _bench_run(root, data_root, train_opts, val_opts):
    """A result.json as tools/wsss_pipeline.py writes it: one training stage
    of the single-stage config and its val tests without and with the CRF."""
    cfg = 'configs/single_stage/ngwp_vgg16-slim_mini.py'
    ckpt = '/bench/ss/train/iter_2000.pth'
    stages = dict(
        train=dict(
            tool='train',
            config=cfg,
            output=ckpt,
            seconds=981.6,
            command=[
                'python', 'tools/train.py', cfg, '--cfg-options', *train_opts
            ]),
        val=dict(
            tool='test',
            config=cfg,
            command=['tools/test.py', cfg, ckpt, *val_opts],
            metrics=dict(mIoU=93.1, IoU_per_class=dict(background=98.9))),
        val_crf=dict(
            tool='test',
            config=cfg.replace('.py', '_crf.py'),
            command=['tools/test.py', cfg, ckpt, *val_opts],
            metrics=dict(mIoU=98.2)))
    root.mkdir(parents=True, exist_ok=True)
    (root / 'result.json').write_text(
        json.dumps(dict(data_root=data_root, cfg_options={}, stages=stages)))
    return str(root)


def test_bench_twin_reads_the_run_it_names_and_checks_it(tiny_voc, tmp_path):
    val_opts = ta.test_split_options('val', 'SegmentationClass')
    run = _bench_run(tmp_path / 'ss', tiny_voc, ['model.focal_p=3.0'],
                     val_opts)
    crf = 'configs/single_stage/ngwp_vgg16-slim_mini_crf.py'
    argv = [
        'configs/single_stage/ngwp_vgg16-slim_mini.py', '--data-root',
        tiny_voc, '--work-dir',
        str(tmp_path / 'w'), '--variant', 'full model', 'model.focal_p=3.0',
        '--test-variant', '+CRF', crf, '--bench-twin', 'full model', run
    ]
    rows = ta.main(argv)  # nothing trains: the only variant is the bench run's
    assert rows == [
        dict(
            variant='full model',
            options='model.focal_p=3.0',
            val_miou=93.1,
            val_iou_per_class=dict(background=98.9),
            train_s=981.6,
            twin=osp.relpath(run, ta.REPO),
            **{'val_miou +CRF': 98.2})
    ]
    assert not osp.exists(tmp_path / 'w' / 'full_model')
    table = (tmp_path / 'w' / 'ablation.md').read_text()
    assert ('| full model | 93.1 | 98.2 | 981.6 | `model.focal_p=3.0` '
            '(the bench run') in table
    # a run that did not train the variant's options, on other data, or a
    # shortened schedule: refused before anything runs, naming the mismatch
    with pytest.raises(ValueError, match=r"ran without \['model.pamr=None'\]"):
        ta.main(argv[:8] + ['model.pamr=None'] + argv[8:])
    other = _bench_run(tmp_path / 'other', '/elsewhere', ['model.focal_p=3.0'],
                       val_opts)
    with pytest.raises(ValueError, match='ran on /elsewhere'):
        ta.main(argv[:-1] + [other])
    with pytest.raises(ValueError, match='own schedule'):
        ta.main(argv + ['--iters', '5'])
    with pytest.raises(
            ValueError, match=r"--bench-twin: no variant named \['w/o SG'\]"):
        ta.main(argv[:-2] + ['w/o SG', run])
    with pytest.raises(
            ValueError, match=r"--only: no variant named \['typo'\]"):
        ta.main(argv + ['--only', 'typo'])
    # a test variant of options (not a test config) cannot be read from a run
    with pytest.raises(
            ValueError, match="test variant '\\+CRF' must be one test config"):
        ta.main(argv[:10] + ['model.test_cfg.crf=True'] + argv[11:])


def test_label_folders_and_seed_jobs_of_the_chosen_variants():
    opts = ta.label_options(['/s/a/labels', '/s/b'])
    assert ta.label_folders(opts + ['model.x=1']) == {'/s/a/labels', '/s/b'}
    assert ta.label_folders(ta.label_options('/s/c')) == {'/s/c'}


def test_only_generates_the_seed_sets_its_variants_read(
        tiny_voc, tmp_path, monkeypatch):
    root = _seed_root(tmp_path)

    class Generated(Exception):
        pass

    def generate_seeds(args, jobs, *rest):
        raise Generated([osp.basename(j[0]) for j in jobs])

    monkeypatch.setattr(ta, 'generate_seeds', generate_seeds)
    argv = [
        '--preset', 'multi_seed', '--config-set', 'partbody', '--seed-root',
        str(root), '--data-root', tiny_voc, '--work-dir',
        str(tmp_path / 'w'), '--only'
    ]
    with pytest.raises(Generated) as got:
        ta.main(argv + ['T (1)', 'T+C merged max (2)'])
    assert got.value.args[0] == [
        'vgg16_threshold_merge-max', 'vgg16_crf_merge-max'
    ]
    with pytest.raises(Generated) as got:
        ta.main(argv + ['T (1)', 'all sets, plain s=0'])
    assert got.value.args[0] == []
