"""Benchmark tooling (issue #8) on fake runs: report, README block, picture
grid, the driver's resume / failure / speed capture. No pipeline runs."""
import contextlib
import io
import json
import os
import os.path as osp

import numpy as np
import pytest

from benchmarks import make_pictures, make_report, run_bench


def write_json(path, obj):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f)


@pytest.fixture
def fake_bench(tmp_path):
    data = tmp_path / 'data'
    (data / 'ImageSets' / 'Segmentation').mkdir(parents=True)
    (data / 'ImageSets' / 'Segmentation' /
     'train.txt').write_text('\n'.join(f'train_{i:05d}'
                                       for i in range(100)) + '\n')
    (data / 'ImageSets' / 'Segmentation' /
     'val.txt').write_text('\n'.join(f'val_{i:05d}' for i in range(20)) + '\n')
    bench = tmp_path / 'bench'
    common = dict(
        config_set='mini', data_root=str(data), quick=False, num_classes=11)
    write_json(
        str(bench / 'full' / 'result.json'),
        dict(
            common,
            method='full',
            seed_miou=None,
            time_stage3_s=280.0,
            val_miou=40.0,
            time_total_s=300.0,
            stages=dict(
                val=dict(
                    metrics=dict(
                        mIoU=40.0,
                        IoU_per_class=dict(
                            background=99.0, trouser=52.3, bag=56.0))))))
    for k, v in ((2, 40.5), (3, 39.5)):
        write_json(
            str(bench / f'full_rep{k}' / 'result.json'),
            dict(
                common,
                method='full',
                seed_miou=None,
                time_stage3_s=281.0,
                val_miou=v,
                time_total_s=301.0))
    write_json(
        str(bench / 'cam' / 'result.json'),
        dict(
            common,
            method='cam',
            time_stage1_s=200.0,
            time_seeds_s=20.0,
            seed_miou=40.2,
            seed_precision=52.3,
            seed_recall=63.3,
            seed_coverage=100.0,
            time_stage3_s=280.0,
            val_miou=30.0,
            time_total_s=540.0,
            stages=dict(
                val=dict(
                    metrics=dict(
                        mIoU=30.0,
                        IoU_per_class=dict(
                            background=90.0, trouser=None, bag=12.5))))))
    write_json(
        str(bench / 'single_stage' / 'result.json'),
        dict(
            common,
            method='single_stage',
            time_train_s=400.0,
            val_miou=25.0,
            val_crf_miou=27.0,
            time_seeds_s=10.0,
            seed_miou=30.0,
            time_total_s=450.0))
    write_json(
        str(bench / 'full_ngwp' / 'result.json'),
        dict(
            common,
            method='full_ngwp',
            seed_miou=None,
            val_miou=50.0,
            time_total_s=400.0))
    write_json(
        str(bench / 'multi_seed' / 'result.json'),
        dict(
            common,
            method='multi_seed',
            time_stage1_s=500.0,
            time_seeds_s=60.0,
            seed_miou=35.0,
            seed_miou_per_set={f's{i}': 30.0 + i
                               for i in range(12)},
            time_stage3_s=300.0,
            val_miou=32.0,
            time_total_s=900.0))
    write_json(
        str(bench / 'dcp' / 'result.json'),
        dict(
            common,
            method='dcp',
            time_seeds_s=50.0,
            seed_miou=33.0,
            seed_precision=60.0,
            seed_recall=40.0,
            time_stage3_s=280.0,
            time_stage5_s=280.0,
            val_before_retrain_miou=31.0,
            val_miou=33.0,
            time_total_s=700.0))
    # ficklenet failed: no result.json, a status and a log
    write_json(
        str(bench / 'logs' / 'ficklenet.status.json'),
        dict(
            method='ficklenet',
            status='failed',
            returncode=1,
            log=str(bench / 'logs' / 'ficklenet.log')))
    write_json(
        str(bench / 'speed' / 'ficklenet_expansion.json'),
        dict(
            name='ficklenet_expansion',
            module='benchmarks.speed.ficklenet_expansion',
            argv=['--channels', '64'],
            status='ok',
            wall_s=80.0,
            note='CPU: 64 instead of 512 channels.',
            table='train step, naive  1.0',
            result=dict(
                ratio_train_naive_over_expanded=12.34,
                ratio_cam_naive_over_autograd=8.0,
                ratio_cam_autograd_over_factorised=20.0,
                ratio_n_selections_over_one_cam=3.5,
                selections=200,
                x_shape='1x64x41x41',
                kernel=9,
                device='cpu',
                train_max_abs_grad_diff=1e-7)))
    write_json(
        str(bench / 'speed' / 'single_stage_cost.json'),
        dict(
            name='single_stage_cost',
            status='ok',
            argv=[],
            wall_s=100.0,
            result=dict(
                pamr_share_cpu=0.256,
                pamr_share_wall=0.3,
                train_ratio_vs_deeplabv3plus=1.5,
                train_ratio_vs_warmup=1.4,
                head_ratio_vs_deeplabv3plus=1.1,
                backbone='vgg16',
                size=321,
                batch=2,
                device='cpu',
                threads=2)))
    write_json(
        str(bench / 'speed' / 'dcp_statistics.json'),
        dict(
            name='dcp_statistics',
            module='benchmarks.speed.dcp_statistics_cost',
            status='missing',
            note='no module benchmarks.speed.dcp_statistics_cost'))
    return tmp_path, str(bench), str(data)


def row_of(text, name):
    return next(line for line in text.splitlines()
                if line.startswith(f'| {name} |'))


def test_report_tables(fake_bench):
    tmp, bench, data = fake_bench
    readme = tmp / 'README.md'
    readme.write_text('# title\n\nintro\n\n<!-- results:begin -->\nold stuff\n'
                      '<!-- results:end -->\n\n## after\nkept\n')
    out = tmp / 'docs' / 'results.md'
    make_report.main([
        '--bench-root', bench, '--data-root', data, '--out',
        str(out), '--readme',
        str(readme), '--picture',
        str(tmp / 'none.png')
    ])
    text = out.read_text()
    cam = row_of(text, 'CAM baseline')
    # seed mIoU, P / R, val, % of full (30 / 40), no own reference, train
    # time (200 + 280 s), throughput 100 images x 1 set / 20 s, total 9.0 min
    assert ('| 40.2 | 52.3 / 63.3 | 30.0 | 75 % | – | 8.0 min | 5.0 | 9.0 min '
            '| – |') in cam
    assert '| 100 % |' in row_of(text, 'fully supervised (GT masks)')
    assert 'failed (see ' in row_of(text,
                                    'FickleNet') and 'ficklenet.log' in text
    single = row_of(text, 'Single-stage')
    assert '25.0 (CRF 27.0)' in single and '59.7 / 62.7 CRF' in single
    assert '| 10.0 |' in single  # 100 pseudo masks / 10 s
    # of the common reference (25 / 40) and of its own network's fully
    # supervised run (25 / 50)
    assert '| 62 % | 50 % |' in single
    assert '| 100 % |' in row_of(text,
                                 'fully supervised, single-stage network')
    multi = row_of(text, 'Multi-estimations (WST)')
    # 100 x 12 sets / 60 s; no P / R
    assert '| 20.0 |' in multi and '| – |' in multi
    assert '64.6 (VGG16-LargeFOV)' in multi
    dcp = row_of(text, 'DCP (saliency-free)')
    # 280 + 280 s training
    assert 'before retrain 31.0' in dcp and '9.3 min' in dcp
    # spread of the 3 full runs: 40.0 / 40.5 / 39.5
    assert '40.00 / 40.50 / 39.50' in text and '40.00 ± 1.00' in text
    # speed section: each ratio, the note, the skipped benchmark
    assert '12.3×' in text and '15.4×' in text and '3.5×' in text
    assert '25.6 %' in text and 'CPU: 64 instead of 512 channels.' in text
    assert ('`python -m benchmarks.speed.ficklenet_expansion '
            '--channels 64`') in text
    assert 'skipped: missing' in text
    assert 'CPU count:' in text and 'torch threads:' in text
    # a run resumed by the runner: its total counts the kept stages' seconds
    assert make_report.total_time(
        dict(
            time_total_s=18.0,
            stages=dict(
                train=dict(seconds=1000.0, kept=True),
                val=dict(seconds=18.0)))) == 1018.0
    # an interrupted run (no time_total_s yet) is not a row of dashes
    rows = make_report.main_rows({'dcp': [('dcp', dict(stages={}))]}, bench,
                                 data)
    assert next(r for r in rows
                if r['method'] == 'dcp')['status'].startswith('unfinished')
    # per-class table: the runs whose val test recorded it, in the main order
    assert '| class | CAM baseline | fully supervised (GT masks) |' in text
    assert '| trouser | – | 52.3 |' in text and '| bag | 12.5 | 56.0 |' in text
    # README: block replaced, the rest kept
    new = readme.read_text()
    assert new.startswith('# title\n\nintro\n\n<!-- results:begin -->\n')
    assert 'old stuff' not in new and new.endswith(
        '<!-- results:end -->\n\n## after\nkept\n')
    assert '40.00 ± 1.00' in new and 'docs/results.md' in new
    assert ('| ficklenet_expansion | training step: naive per-window loop / '
            'expansion | 12.3× |') in new
    # idempotent: a second run gives the same block
    make_report.main([
        '--bench-root', bench, '--data-root', data, '--out',
        str(out), '--readme',
        str(readme), '--picture',
        str(tmp / 'none.png')
    ])
    assert readme.read_text().count('<!-- results:begin -->') == 1


def test_report_without_markers_leaves_readme(fake_bench, capsys):
    tmp, bench, data = fake_bench
    readme = tmp / 'README.md'
    readme.write_text('# no markers here\n')
    pic = tmp / 'docs' / 'pictures' / 'mini_grid.png'
    pic.parent.mkdir(parents=True)
    pic.write_bytes(b'png')
    out = tmp / 'docs' / 'results.md'
    res = make_report.main([
        '--bench-root', bench, '--data-root', data, '--out',
        str(out), '--readme',
        str(readme), '--picture',
        str(pic)
    ])
    assert res['readme_updated'] is False
    assert readme.read_text() == '# no markers here\n'
    assert 'WARNING' in capsys.readouterr().out
    assert '![mini grid](pictures/mini_grid.png)' in out.read_text()
    assert not [f
                for f in os.listdir(out.parent) if '.tmp' in f]  # atomic write


def test_report_empty_bench(tmp_path):
    out = tmp_path / 'results.md'
    make_report.main([
        '--bench-root',
        str(tmp_path / 'nothing'), '--data-root',
        str(tmp_path), '--out',
        str(out), '--readme', ''
    ])
    text = out.read_text()
    assert text.count('| not run |') == 8  # the methods table's rows
    assert 'no reruns' in text and 'No speed benchmarks' in text


def test_grid_shape_and_na_tiles():
    rng = np.random.default_rng(0)
    cells = [[
        rng.integers(0, 255, (128, 128, 3), dtype=np.uint8),
        rng.integers(0, 11, (128, 128), dtype=np.uint8), None
    ], [rng.integers(0, 255, (64, 96, 3), dtype=np.uint8), None, None]]
    grid = make_pictures.compose_grid(
        cells, ['image', 'GT', 'seeds multi_seed (vgg16_crf)'],
        tile=128,
        header=26,
        gutter=2)
    assert grid.shape == (26 + 2 * 128 + 2, 3 * 128 + 2 * 2,
                          3) and grid.dtype == np.uint8
    na = grid[26 + 130:26 + 130 + 128, 130:258]  # row 1, column 1: n/a
    grey = (na == np.array(make_pictures.GREY, np.uint8)).all(-1)
    assert grey.mean() > 0.9 and not grey.all()  # grey with some 'n/a' text
    assert (grid[:26] < 128).any()  # the column labels are drawn
    np.testing.assert_array_equal(grid[26:26 + 128, :128], cells[0][0])
    with pytest.raises(ValueError):
        make_pictures.compose_grid([[None]], ['a', 'b'])


def test_cam_panel_and_stage_calls():
    w = 16
    panels = [np.full((w, w, 3), v, np.uint8) for v in (10, 20, 30, 40)]
    gut = np.full((w, 2, 3), 255, np.uint8)
    overlay = np.concatenate(
        [panels[0], gut, panels[1], gut, panels[2], gut, panels[3]], 1)
    assert (make_pictures.cam_panel(overlay, w) == 20).all()
    assert make_pictures.cam_panel(overlay[:, :3 * w + 4],
                                   w) is None  # no CAM panel
    opts = [
        'test_dataloader.dataset.data_root=/d',
        'test_dataloader.dataset.ann_file=ImageSets/Segmentation/train.txt',
        'test_dataloader.dataset.data_prefix.seg_map_path=GT'
    ]

    def test_call(cfg, ckpt, out, metrics, *extra):
        return dict(
            tool='test',
            metrics=metrics,
            command=[
                'py', '/r/tools/test.py', cfg, ckpt, '--work-dir', '/w/x',
                '--metrics-out', '/w/m.json', *(['--out', out] if out else []),
                '--cfg-options', *opts, *extra
            ])

    result = dict(
        stages=dict(
            classifier=dict(
                tool='train',
                command=['py', '/r/tools/train.py', '/r/c/cls.py']),
            statistics=dict(
                tool='dcp_statistics',
                command=['py', '/r/tools/dcp_statistics.py']),
            seeds=test_call('/r/c/cls.py', '/w/c/iter_10.pth',
                            '/w/seeds/labels', {'seed/mIoU': 40.0}),
            val_first=test_call('/r/c/seg.py', '/w/s/iter_5.pth', None,
                                {'mIoU': 20.0}),
            train_pred=test_call('/r/c/seg.py', '/w/s/iter_5.pth', '/w/p',
                                 None),
            val=test_call('/r/c/re.py', '/w/r/iter_5.pth', None,
                          {'mIoU': 21.0}, 'y=2')))
    seed, seg = make_pictures.find_calls(result)
    assert seed['name'] == 'seeds' and seg['name'] == 'val'
    cmd = make_pictures.picture_command(seed, '/o/seeds', '/o/run',
                                        'bench_pictures')
    assert cmd[1].endswith('tools/test.py') and cmd[2:4] == [
        '/r/c/cls.py', '/w/c/iter_10.pth'
    ]
    assert cmd[cmd.index('--out') +
               1] == '/o/seeds' and '--metrics-out' not in cmd
    assert cmd[cmd.index('--work-dir') + 1] == '/o/run'
    assert cmd[cmd.index('--cfg-options') + 1:] == [
        'test_dataloader.dataset.data_root=/d',
        'test_dataloader.dataset.ann_file='
        'ImageSets/Segmentation/bench_pictures.txt',
        'test_dataloader.dataset.data_prefix.seg_map_path=GT'
    ]  # the stage's GT dir
    pred = make_pictures.picture_command(seg, '/o/p', '/o/r', 'bench_pictures',
                                         ['z=3'])
    assert pred[2:4] == ['/r/c/re.py', '/w/r/iter_5.pth']
    assert pred[pred.index('--cfg-options') + 1:] == [
        'test_dataloader.dataset.data_root=/d', 'y=2',
        'test_dataloader.dataset.ann_file='
        'ImageSets/Segmentation/bench_pictures.txt',
        'test_dataloader.dataset.data_prefix.seg_map_path=GT', 'z=3'
    ]
    assert make_pictures.option(seed,
                                'test_dataloader.dataset.data_root') == '/d'
    # multi-seed: the preferred seed set of several
    many = dict(
        stages={
            n: test_call('/r/c/%s.py' % n, '/w/k.pth', '/w/' +
                         n, {'seed/mIoU': 1.0})
            for n in ('vgg16_threshold_s100', 'vgg16_crf_s100', 'x_crf_s050')
        })
    assert make_pictures.find_calls(many)[0]['name'] == 'vgg16_crf_s100'
    assert make_pictures.find_calls(dict(stages={})) == (None, None)
    # a set of a several-set run with no command of its own (the composed
    # recipe's threshold / crf): the run's command, the set as a sub-folder
    run = test_call('/r/c/sets.py', '/w/k.pth', '/w/labels', None)
    sets = dict(
        stages=dict(
            seeds=run,
            crf=dict(tool='test', part_of='seeds', metrics={'seed/mIoU': 2.0
                                                            })))
    seed = make_pictures.find_calls(sets)[0]
    assert seed['command'] == run['command']
    assert (seed['name'], seed['subdir']) == ('crf', 'crf')


def _driver_args(tmp_path, **kw):
    ns = run_bench.parse_args(['--work-root', str(tmp_path / 'bench')])
    for k, v in kw.items():
        setattr(ns, k, v)
    return ns


def test_driver_resume_failure_and_data_root(tmp_path):
    script = tmp_path / 'fake_runner.py'
    script.write_text(
        'import json, os, sys\n'
        'wd = sys.argv[sys.argv.index("--work-dir") + 1]\n'
        'os.makedirs(wd, exist_ok=True)\n'
        'print("[wsss_pipeline] $ fake", flush=True)\n'
        'if "--fail" in sys.argv: sys.exit(3)\n'
        'json.dump(dict(method="full", val_miou=1.0, time_total_s=2.0),'
        ' open(os.path.join(wd, "result.json"), "w"))\n')
    args = _driver_args(tmp_path)
    wd = str(tmp_path / 'bench' / 'full')
    argv = [str(script), '--method', 'full', '--work-dir', wd]
    steps = []
    run_bench.run_method('full', argv, wd, args, steps)
    assert steps[-1]['status'] == 'ok' and run_bench.is_done(wd, argv)
    run_bench.run_method('full', argv, wd, args, steps)
    assert steps[-1]['status'] == 'kept'  # same command line: not rerun
    # --refresh calls the runner again in the same folder, keeping its files
    # (the runner keeps the stages of unchanged provenance); --force empties it
    marker = osp.join(wd, 'stage_output.txt')
    open(marker, 'w').close()
    run_bench.run_method('full', argv, wd,
                         _driver_args(tmp_path, refresh=True), steps)
    assert steps[-1]['status'] == 'ok' and osp.isfile(marker)
    run_bench.run_method('full', argv, wd, _driver_args(tmp_path, force=True),
                         steps)
    assert steps[-1]['status'] == 'ok' and not osp.exists(marker)
    bad = argv + ['--fail']
    run_bench.run_method('full', bad, wd, args,
                         steps)  # other argv: rerun, fails
    # the failed rerun leaves no old result.json for the report to show
    assert steps[-1]['status'] == 'failed' and not osp.exists(
        osp.join(wd, 'result.json'))
    status = json.load(open(tmp_path / 'bench' / 'logs' / 'full.status.json'))
    assert status['status'] == 'failed' and status['returncode'] == 3
    (tmp_path / 'elsewhere').mkdir()
    with pytest.raises(
            RuntimeError):  # never touches a folder outside the bench root
        run_bench.run_method('x', argv, str(tmp_path / 'elsewhere'), args,
                             steps)
    assert (tmp_path / 'elsewhere').is_dir()
    # size-changing options keep off the shared data/mini
    # (the default config set is part-and-body; --config-set mini the glyph
    # set)
    a = run_bench.parse_args(['--quick', '--config-set', 'mini'])
    assert run_bench.resolve_data_root(
        a, run_bench.runner_args(a))[0] == 'data/mini_quick'
    # the default part-and-body recipe is faint-body (its own data root);
    # --scene-recipe shared-colour keeps the published command line and root
    a = run_bench.parse_args(['--num-train', '300', '--seg-iters', '50'])
    assert run_bench.runner_args(a) == [
        '--config-set', 'partbody', '--scene-recipe', 'faint-body',
        '--num-train', '300', '--seg-iters', '50'
    ]
    assert (run_bench.resolve_data_root(
        a,
        run_bench.runner_args(a))[0] == 'data/mini_partbody_faint-body_n300')
    a = run_bench.parse_args(['--quick', '--data-root', '/x/y'])
    assert run_bench.resolve_data_root(a, ['--quick'])[0] == '/x/y'
    assert (run_bench.resolve_data_root(run_bench.parse_args(
        []), [])[0] == 'data/mini_partbody_faint-body')
    a = run_bench.parse_args(['--scene-recipe', 'shared-colour'])
    assert run_bench.runner_args(a) == ['--config-set', 'partbody']
    assert run_bench.resolve_data_root(a, [])[0] == 'data/mini_partbody'
    a = run_bench.parse_args(['--config-set', 'mini'])
    assert run_bench.resolve_data_root(a, [])[0] == 'data/mini'
    assert run_bench.runner_args(a) == ['--config-set', 'mini']


def test_driver_speed_capture(tmp_path, monkeypatch):
    """Each speed benchmark runs as ``python -m MODULE`` in the repository."""
    pkg = tmp_path / 'fake_speed'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('')
    (pkg / 'good.py').write_text(
        'print("header")\nprint("| a | 1 |")\nprint(\'{"ratio": 2.5}\')\n')
    (pkg / 'bad.py').write_text('import sys\nprint("boom")\nsys.exit(2)\n')
    monkeypatch.syspath_prepend(
        str(tmp_path))  # found here and in the children
    monkeypatch.setenv('PYTHONPATH', str(tmp_path), prepend=os.pathsep)
    monkeypatch.setitem(
        run_bench.SPEED, 'good',
        dict(
            module='fake_speed.good',
            cuda=[],
            cpu=['--x'],
            fallback=['--quick'],
            quick=[],
            cpu_note='reduced on CPU'))
    monkeypatch.setitem(
        run_bench.SPEED, 'bad',
        dict(
            module='fake_speed.bad',
            cuda=[],
            cpu=[],
            fallback=['--quick'],
            quick=[],
            cpu_note=None))
    monkeypatch.setitem(
        run_bench.SPEED, 'gone',
        dict(
            module='fake_speed.nope',
            cuda=[],
            cpu=[],
            fallback=[],
            quick=[],
            cpu_note=None))
    args = _driver_args(tmp_path, ficklenet_args=None)
    steps = []
    for name in ('good', 'bad', 'gone'):
        run_bench.run_speed(name, args, False, steps)
    # every speed benchmark of the bench has its options (a name missing from
    # the table of user-given options once raised KeyError, and the bench
    # skipped it as an error)
    for name in run_bench.SPEED:
        argv, _ = run_bench.speed_args(name, args, False)
        assert isinstance(argv, list), name
    speed = tmp_path / 'bench' / 'speed'
    g = json.load(open(speed / 'good.json'))
    assert g['status'] == 'ok' and g['result'] == {'ratio': 2.5}
    assert g['table'] == 'header\n| a | 1 |' and g['note'] == 'reduced on CPU'
    assert g['argv'] == ['--x'] and g['module'] == 'fake_speed.good'
    b = json.load(open(speed / 'bad.json'))
    assert b['status'] == 'failed' and 'rc 2' in b['note']
    assert json.load(open(speed / 'gone.json'))['status'] == 'missing'
    run_bench.run_speed('good', args, False, steps)
    assert steps[-1]['status'] == 'kept'


def test_seed_sets_speed_runs_on_the_bench_scenes_and_reports(tmp_path):
    """The seed-set benchmark is given the bench's config set, data root and
    a work dir under BENCH/speed; the report prints its ratios."""
    args = run_bench.parse_args(
        ['--config-set', 'partbody', '--work-root',
         str(tmp_path / 'b')])
    extra = run_bench.bench_data_args('seed_sets', args, '/d')
    assert extra == [
        '--config-set', 'partbody', '--data-root', '/d', '--work-dir',
        str(tmp_path / 'b' / 'speed' / 'seed_sets')
    ]
    assert run_bench.bench_data_args('dcp_statistics', args, '/d') == []
    from benchmarks.speed import seed_sets_cost
    assert seed_sets_cost.parse_args(['--quick']).num_images == 8
    rows, extra = make_report.seed_sets_ratios(
        dict(
            speedup=1.62,
            after_in_mean_sets=7.41,
            crf_share_of_after=0.74,
            identical=True,
            num_images=200,
            config_set='partbody'))
    assert rows[0][1] == 1.62 and 'identical: yes' in rows[0][0]
    assert rows[2][1] == '74 %' and '200 partbody' in extra
    rows, _ = make_report.seed_throughput_ratios(
        dict(generators=dict(cam=dict(ratio=0.9), dcp=dict(ratio=0.3))))
    assert [r[1] for r in rows] == [0.9, 0.3] and 'cam' in rows[0][0]
    from benchmarks.speed import seed_throughput
    assert seed_throughput.views(
        dict(
            type='SeedSetsGenerator',
            sets=dict(
                a=dict(scales=(1.0, 0.5)),
                b=dict(scales=(1.0, ), flip=True)))) == [(1.0, False),
                                                         (0.5, False),
                                                         (1.0, True)]
    # FickleNet's seed step on the full VGG-16, against the <= 1.1x target
    rows, _ = make_report.ficklenet_ratios(
        dict(ratio_n_sparse_present_over_one_cam=1.03, present_classes=2))
    assert [r[1] for r in rows if '2 classes' in r[0]] == [1.03]


def test_pictures_main_without_runs(tmp_path):
    """No method run in the bench: image and GT columns, grey tiles elsewhere,
    the picture list written into the data root."""
    from PIL import Image
    data = tmp_path / 'data'
    (data / 'ImageSets' / 'Segmentation').mkdir(parents=True)
    (data / 'JPEGImages').mkdir()
    (data / 'SegmentationClass').mkdir()
    ids = [f'val_{i:05d}' for i in range(3)]
    (data / 'ImageSets' / 'Segmentation' /
     'val.txt').write_text('\n'.join(ids) + '\n')
    for i in ids:
        Image.fromarray(np.full(
            (32, 32, 3), 200, np.uint8)).save(data / 'JPEGImages' / f'{i}.jpg')
        Image.fromarray(np.ones(
            (32, 32), np.uint8)).save(data / 'SegmentationClass' / f'{i}.png')
    (tmp_path / 'bench' / 'cam').mkdir(
        parents=True)  # a method dir without a finished run
    out = tmp_path / 'grid.png'
    make_pictures.main([
        '--bench-root',
        str(tmp_path / 'bench'), '--data-root',
        str(data), '--num', '2', '--out',
        str(out)
    ])
    listed = (data / 'ImageSets' / 'Segmentation' /
              'bench_pictures.txt').read_text().split()
    assert listed == ids[:2]
    grid = np.asarray(Image.open(out))
    methods = make_pictures.METHODS
    # image, GT, CAM | a seed column per method but full | a prediction
    # column per method
    ncol = 3 + (len(methods) - 1) + len(methods)
    assert grid.shape == (26 + 2 * 128 + 2, ncol * 128 + (ncol - 1) * 2, 3)
    gt_tile = grid[26:26 + 128, 130:258]  # 32x32 masks scaled to the 128 tile
    assert (gt_tile == np.array([128, 0, 0],
                                np.uint8)).all(-1).all()  # class 1
    cam_tile = grid[26:26 + 128, 260:388]
    assert (cam_tile == np.array(make_pictures.GREY,
                                 np.uint8)).all(-1).mean() > 0.5


def test_report_includes_ablation_tables(tmp_path):
    ss = tmp_path / 'single_stage'
    ss.mkdir()
    (ss / 'ablation.md').write_text(
        'cfg, 300 iterations\n\n| variant | val mIoU |\n|---|---|\n'
        '| w/o PAMR | 12.0 |\n')
    lines = make_report.ablation_section([str(ss), str(tmp_path / 'missing')])
    text = '\n'.join(lines)
    assert '## Paper ablations at small scale' in text
    assert 'Table 1' in text and '| w/o PAMR | 12.0 |' in text
    assert '--preset single_stage' in text and 'w/o PAMR 31.8' in text
    assert make_report.ablation_section([str(tmp_path / 'missing')]) == []
    # a seed_ablation table is named with its own tool
    fs = tmp_path / 'ficklenet_seeds'
    fs.mkdir()
    (fs / 'ablation.md').write_text(
        '| variant | seed mIoU | precision | recall | coverage '
        '| time (s) |\n|---|---|---|---|---|---|\n'
        '| S/D | 50.0 | 60.0 | 70.0 | 90.0 | 12 |\n')
    text = '\n'.join(make_report.ablation_section([str(fs)]))
    assert 'python -m benchmarks.seed_ablation CONFIG CKPT' in text
    assert 'train_ablation' not in text
    assert 'S/S classifier, other inference' in text
    assert '| S/D | 50.0 |' in text


def test_per_class_table_takes_the_dsrg_ablations(tmp_path):
    runs = {
        'ficklenet':
        [('ficklenet',
          dict(
              stages=dict(
                  val=dict(
                      metrics=dict(
                          IoU_per_class=dict(background=80.0, bag=0.5))))))]
    }
    ce = tmp_path / 'dsrg_vs_ce'
    write_json(
        str(ce / 'ablation.json'), [
            dict(
                variant='FickleNet seeds, cross-entropy',
                val_miou=30.0,
                val_iou_per_class=dict(background=70.0, bag=19.1))
        ])
    other = tmp_path / 'single_stage'  # not a per-class ablation: no column
    write_json(
        str(other / 'ablation.json'), [
            dict(
                variant='w/o PAMR',
                val_miou=1.0,
                val_iou_per_class=dict(background=1.0, bag=1.0))
        ])
    text = '\n'.join(
        make_report.per_class_section(runs, [str(ce), str(other)]))
    assert '| class | FickleNet | FickleNet seeds, cross-entropy |' in text
    assert '| bag | 0.5 | 19.1 |' in text and 'w/o PAMR' not in text
    assert make_report.per_class_section({}, []) == []


def test_driver_shares_the_cam_classifier(tmp_path):
    args = _driver_args(tmp_path)
    assert run_bench.shared_classifier('dcp', args,
                                       []) == ([], None)  # no cam run yet
    cam = tmp_path / 'bench' / 'cam'
    ckpt = cam / 'classifier' / 'iter_10.pth'
    ckpt.parent.mkdir(parents=True)
    ckpt.write_bytes(b'x')
    stages = dict(
        classifier=dict(tool='train', output=str(ckpt), seconds=200.0))
    write_json(str(cam / 'result.json'), dict(method='cam', stages=stages))
    assert run_bench.shared_classifier('dcp', args,
                                       []) == ([], None)  # unfinished cam run
    write_json(
        str(cam / 'result.json'),
        dict(method='cam', stages=stages, time_total_s=300, config_set='mini'))
    assert run_bench.shared_classifier('dcp', args,
                                       []) == ([], None)  # another benchmark's
    write_json(
        str(cam / 'result.json'),
        dict(
            method='cam',
            stages=stages,
            time_total_s=300,
            config_set='partbody'))
    share, secs = run_bench.shared_classifier('multi_seed', args, [])
    assert share == ['--reuse', f'vgg16={ckpt}'] and secs == 200.0
    assert run_bench.shared_classifier(
        'dcp', args, [])[0] == ['--reuse', f'classifier={ckpt}']
    assert run_bench.shared_classifier('ficklenet', args, []) == ([], None)
    voc = _driver_args(tmp_path, runner_args='--config-set voc')
    assert run_bench.shared_classifier('dcp', voc, []) == ([], None)
    no = _driver_args(tmp_path, no_share_classifier=True)
    assert run_bench.shared_classifier('dcp', no, []) == ([], None)
    # the reused classifier's time lands in the run's result and the report's
    # times
    wd = tmp_path / 'bench' / 'dcp'
    write_json(
        str(wd / 'result.json'),
        dict(
            method='dcp',
            time_train_s=100.0,
            time_seeds_s=30.0,
            time_total_s=160.0))
    run_bench.record_shared_time(str(wd), secs)
    res = json.load(open(wd / 'result.json'))
    assert res['time_stage1_shared_s'] == 200.0 and res[
        'classifier_shared_with'] == 'cam'
    assert make_report.train_time(res) == 300.0 and make_report.total_time(
        res) == 360.0
    rows = [dict(method='dcp', status='ok', result=res)]
    assert any('DCP (saliency-free) reuses the CAM baseline' in n
               and 'in its train' in n for n in make_report.notes({}, rows))
    rows.append(dict(method='multi_seed', status='ok', result=res))
    assert any('reuse the CAM baseline' in n and 'in their train' in n
               for n in make_report.notes({}, rows))
    # a seed rerun shares the classifier of the cam rerun with its seed
    assert run_bench.shared_classifier('combined', args, [],
                                       'cam_rep2') == ([], None)
    rep = tmp_path / 'bench' / 'cam_rep2'
    rep_ckpt = rep / 'classifier' / 'iter_10.pth'
    rep_ckpt.parent.mkdir(parents=True)
    rep_ckpt.write_bytes(b'y')
    write_json(
        str(rep / 'result.json'),
        dict(
            method='cam',
            stages=dict(
                classifier=dict(
                    tool='train', output=str(rep_ckpt), seconds=210.0)),
            time_total_s=310,
            config_set='partbody'))
    assert run_bench.shared_classifier('combined', args, [], 'cam_rep2') == ([
        '--reuse', f'classifier={rep_ckpt}'
    ], 210.0)
    run_bench.record_shared_time(str(wd), 210.0, 'cam_rep2')
    res = json.load(open(wd / 'result.json'))
    assert (res['time_stage1_shared_s'],
            res['classifier_shared_with']) == (210.0, 'cam_rep2')


def test_pipeline_reuse_errors(tmp_path):
    from tools import wsss_pipeline as wp
    from wsss_mm.recipes import runner
    ckpt = tmp_path / 'c.pth'
    ckpt.write_bytes(b'x')
    base = [
        '--method', 'multi_seed', '--data-root',
        str(tmp_path), '--work-dir',
        str(tmp_path / 'w')
    ]
    # the runner's errors end it with one line (SystemExit), naming the option
    with pytest.raises(SystemExit, match='--reuse: expected STAGE=PATH'):
        wp.main(base + ['--reuse', str(ckpt)])
    with pytest.raises(SystemExit, match="no stage \\['r101'\\]"):
        wp.main(base + ['--reuse', f'r101={ckpt}'])
    assert dict(runner.pair_args([f'vgg16={ckpt}'])) == dict(vgg16=str(ckpt))
    # a repeated flag adds to the list (argparse's nargs='*' alone would keep
    # only the last: the classifier would be trained again)
    args = wp.parse_args(base + [
        '--reuse', f'vgg16={ckpt}', '--reuse', f'resnet18={ckpt}',
        '--cfg-options', 'a=1', '--cfg-options', 'b=2'
    ])
    assert args.reuse == [f'vgg16={ckpt}', f'resnet18={ckpt}']
    assert args.cfg_options == ['a=1', 'b=2']


def test_recipes_select_stages():
    """What each method runs, in order, by config set; --seed-sets and
    --stop-after narrow it to what the measured stages need."""
    from tools import wsss_pipeline as wp
    from wsss_mm.recipes import RECIPES, runner

    def names(*argv):
        args = wp.parse_args(['--data-root', 'd', '--work-dir', 'w', *argv])
        return [s.name for s in runner.select_stages(args)[0]]

    assert names('--method',
                 'cam') == ['classifier', 'seeds', 'segmentation', 'val']
    assert names('--method', 'dcp') == [
        'classifier', 'statistics', 'seeds', 'segmentation', 'val_first',
        'train_pred', 'retrain', 'val'
    ]
    assert names('--method', 'dcp_fill_uncertain')[-4:] == [
        'train_pred', 'seeds_filled', 'retrain', 'val'
    ]
    # multi_seed: one run per classifier writes its six seed sets
    assert names('--method', 'multi_seed') == [
        'vgg16', 'resnet18', 'vgg16_seeds', 'resnet18_seeds', 'segmentation',
        'val'
    ]
    assert 'resnet101_seeds' in names('--method', 'multi_seed', '--config-set',
                                      'voc')
    # the sets of a config set (partbody: no 0.5 scale), resolved by Stage.on
    args = wp.parse_args([
        '--data-root', 'd', '--work-dir', 'w', '--method', 'multi_seed',
        '--config-set', 'partbody'
    ])
    stages = {s.name: s for s in runner.select_stages(args)[0]}
    assert stages['vgg16_seeds'].sets == ('vgg16_threshold_s100',
                                          'vgg16_threshold_s075',
                                          'vgg16_crf_s100', 'vgg16_crf_s075')
    assert len(stages['segmentation'].labels) == 8
    with pytest.raises(ValueError, match='matches none'):
        names('--method', 'multi_seed', '--config-set', 'partbody',
              '--seed-sets', '*_s050')
    # --seed-sets names sets; a run that writes one of them runs whole
    assert names('--method', 'multi_seed', '--seed-sets', 'vgg16_*_s100') == [
        'vgg16', 'vgg16_seeds', 'segmentation', 'val'
    ]
    assert names('--method', 'ficklenet', '--stop-after',
                 'seeds') == ['classifier', 'seeds']
    assert names('--method',
                 'single_stage') == ['train', 'val', 'val_crf', 'seeds']
    with pytest.raises(ValueError, match='matches none'):
        names('--method', 'cam', '--seed-sets', 'nothing*')
    # every config a recipe names exists
    for method, stages in RECIPES.items():
        for stage in stages:
            for path in (stage.config.values() if isinstance(
                    stage.config, dict) else
                         [stage.config] if stage.config else []):
                assert osp.isfile(osp.join(runner.REPO,
                                           path)), (method, stage.name, path)


def test_driver_seed_spread_methods(tmp_path):
    """Reruns: cam and the best weakly supervised method by val mIoU (never a
    fully supervised reference), each with randomness.seed 1, 2, ..."""
    args = _driver_args(tmp_path)
    assert run_bench.repeat_methods(args) == ['cam']  # nothing measured yet
    for m, v in (('full', 60.0), ('full_ngwp', 70.0), ('cam', 30.0),
                 ('dcp', 35.0), ('ficklenet', 33.0)):
        write_json(
            str(tmp_path / 'bench' / m / 'result.json'),
            dict(method=m, val_miou=v))
    assert run_bench.repeat_methods(args) == ['cam', 'dcp']
    write_json(
        str(tmp_path / 'bench' / 'cam' / 'result.json'),
        dict(method='cam', val_miou=40.0))
    assert run_bench.repeat_methods(args) == ['cam']
    # the composed recipe is rerun, and never counts as the best single one
    write_json(
        str(tmp_path / 'bench' / 'combined' / 'result.json'),
        dict(method='combined', val_miou=50.0))
    assert run_bench.repeat_methods(args) == ['cam', 'combined']
    assert run_bench.repeat_methods(
        _driver_args(tmp_path, repeat_methods=['dcp'])) == ['dcp']
    # dry run: the rerun commands carry the seeds
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        run_bench.main([
            '--work-root',
            str(tmp_path / 'bench'), '--dry-run', '--skip-speed',
            '--skip-pictures', '--skip-report', '--methods', 'cam'
        ])
    out = buf.getvalue()
    assert 'cam_rep2' in out and 'randomness.seed=1' in out
    assert 'cam_rep3' in out and 'randomness.seed=2' in out


def test_spread_line_counts_finished_reruns_only(tmp_path):
    """A rerun under way (seeds done, no val yet) is left out of the spread
    line: its seed is not listed beside the finished runs' values."""
    for name, seed, val in (('cam', 0, 61.9), ('cam_rep2', 1, 61.4),
                            ('cam_rep3', 2, None)):
        res = dict(method='cam', seed_miou=62.0, time_total_s=100.0)
        if seed:
            res['cfg_options'] = {'randomness.seed': str(seed)}
        if val is not None:
            res['val_miou'] = val
        write_json(str(tmp_path / name / 'result.json'), res)
    line = make_report.spread_line(
        make_report.collect_runs(str(tmp_path)), str(tmp_path))
    assert '2 runs (`randomness.seed` 0 / 1)' in line
    assert '61.90 / 61.40 → **61.65 ± 0.50**' in line
    # only one finished run: no spread is printed for it
    (tmp_path / 'cam_rep2' / 'result.json').unlink()
    write_json(
        str(tmp_path / 'cam_rep2' / 'result.json'),
        dict(method='cam', seed_miou=62.0))
    line = make_report.spread_line(
        make_report.collect_runs(str(tmp_path)), str(tmp_path))
    assert 'none finished: no spread yet' in line and '±' not in line
