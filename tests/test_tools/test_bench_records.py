"""Committed bench records (benchmarks/records.py): saved after each run,
laid under the live work roots by the report, and a recorded run of the same
command line not run again by the driver."""
import json
import os
import os.path as osp
import shutil
import tempfile

from benchmarks import make_report, records, run_bench


def write_json(path, obj):
    os.makedirs(osp.dirname(str(path)), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f)


def _result(method, val, **kw):
    return dict(
        method=method,
        config_set='partbody',
        val_miou=val,
        time_total_s=100.0,
        seed_miou=None,
        **kw)


def test_save_copies_what_the_report_reads_and_stamps_changes(tmp_path):
    bench, abl, rec = tmp_path / 'bench', tmp_path / 'abl', tmp_path / 'rec'
    write_json(bench / 'cam' / 'result.json', _result('cam', 60.0))
    write_json(bench / 'logs' / 'cam.status.json', dict(status='ok'))
    write_json(bench / 'speed' / 'x.json', dict(status='ok'))
    write_json(bench / 'dcp' / 'statistics' / 'metrics.json', {'a': 1})
    # not the report's: checkpoints, seeds, training logs
    (bench / 'cam' / 'classifier').mkdir(parents=True)
    (bench / 'cam' / 'classifier' / 'iter_1000.pth').write_bytes(b'w')
    write_json(bench / 'cam' / 'classifier' / 'vis' / 'scalars.json', {})
    write_json(abl / 'single_stage' / 'ablation.json', [dict(variant='a')])
    (abl / 'single_stage' / 'ablation.md').write_text('| a |\n')
    write_json(abl / 'single_stage' / 'w-o-pamr' / 'val_metrics.json', {})
    written = records.save(str(rec), str(bench), str(abl))
    assert sorted(written) == [
        'ablation/single_stage/ablation.json',
        'ablation/single_stage/ablation.md', 'bench/cam/result.json',
        'bench/dcp/statistics/metrics.json', 'bench/logs/cam.status.json',
        'bench/speed/x.json'
    ]
    index = json.load(open(rec / 'index.json'))
    assert set(index) == set(written) and all('saved' in v and 'commit' in v
                                              for v in index.values())
    # unchanged bytes: nothing written, the stamp kept
    assert records.save(str(rec), str(bench), str(abl)) == []
    write_json(bench / 'cam' / 'result.json', _result('cam', 61.0))
    assert records.save(str(rec), str(bench)) == ['bench/cam/result.json']
    assert json.load(open(rec / 'bench' / 'cam' /
                          'result.json'))['val_miou'] == 61.0


def test_report_shows_recorded_runs_under_live_ones(tmp_path, monkeypatch):
    tmp_views = tmp_path / 'tmp'
    tmp_views.mkdir()
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_views))
    rec_bench = tmp_path / 'old' / 'bench'
    write_json(rec_bench / 'full' / 'result.json', _result('full', 80.0))
    write_json(rec_bench / 'cam' / 'result.json', _result('cam', 50.0))
    rec = tmp_path / 'rec'
    records.save(str(rec), str(rec_bench))
    live = tmp_path / 'bench'
    write_json(live / 'cam' / 'result.json', _result('cam', 55.0))
    data = tmp_path / 'data'
    out = tmp_path / 'results.md'
    make_report.main([
        '--bench-root',
        str(live), '--data-root',
        str(data), '--out',
        str(out), '--readme', '', '--records',
        str(rec), '--ablations'
    ])
    text = out.read_text()
    full = next(x for x in text.splitlines()
                if x.startswith('| fully supervised (GT masks) |'))
    cam = next(x for x in text.splitlines()
               if x.startswith('| CAM baseline |'))
    assert '80.0' in full and '55.0' in cam and '50.0' not in cam
    line = next(x for x in text.splitlines() if 'committed records' in x)
    assert 'full (' in line and 'cam (' not in line
    # the temporary view is gone
    assert os.listdir(tmp_views) == []


def test_driver_keeps_a_recorded_run_and_saves_finished_ones(tmp_path):
    script = tmp_path / 'fake_runner.py'
    script.write_text(
        'import json, os, sys\n'
        'wd = sys.argv[sys.argv.index("--work-dir") + 1]\n'
        'if "--plan" in sys.argv:\n'
        '    changed = os.path.exists(os.path.join(os.path.dirname(\n'
        '        sys.argv[0]), "changed"))\n'
        '    print(f"[plan] {int(changed)} of 3 stages would run")\n'
        '    sys.exit(0)\n'
        'os.makedirs(wd, exist_ok=True)\n'
        'json.dump(dict(method="full", val_miou=1.0, time_total_s=2.0),'
        ' open(os.path.join(wd, "result.json"), "w"))\n')
    rec = tmp_path / 'rec'
    args = run_bench.parse_args(
        ['--work-root',
         str(tmp_path / 'bench'), '--records',
         str(rec)])
    wd = str(tmp_path / 'bench' / 'full')
    argv = [str(script), '--method', 'full', '--work-dir', wd]
    steps = []
    run_bench.run_method('full', argv, wd, args, steps)
    assert steps[-1]['status'] == 'ok'
    assert (rec / 'bench' / 'full' / 'result.json').is_file()
    assert (rec / 'bench' / 'logs' / 'full.status.json').is_file()
    # another machine: the same command line, an empty work root; the
    # records hold the run
    shutil.rmtree(tmp_path / 'bench')
    # a --reuse of a shared classifier does not change what the run is
    run_bench.run_method('full',
                         argv + ['--reuse', 'classifier=/x/iter_1.pth'], wd,
                         args, steps)
    assert steps[-1]['status'] == 'recorded' and not osp.exists(wd)
    # a config changed since: the runner's --plan --recorded would run a
    # stage, so the run runs
    (tmp_path / 'changed').touch()
    run_bench.run_method('full', argv, wd, args, steps)
    assert steps[-1]['status'] == 'ok'
    (tmp_path / 'changed').unlink()
    shutil.rmtree(tmp_path / 'bench')
    # another command line, or --force: run it
    run_bench.run_method('full', argv + ['--x'], wd, args, steps)
    assert steps[-1]['status'] == 'ok'
    forced = run_bench.parse_args([
        '--work-root',
        str(tmp_path / 'bench'), '--records',
        str(rec), '--force'
    ])
    run_bench.run_method('full', argv, wd, forced, steps)
    assert steps[-1]['status'] == 'ok'
    # a smoke run keeps no records
    quick = run_bench.parse_args([
        '--work-root',
        str(tmp_path / 'bench3'), '--records',
        str(rec), '--quick'
    ])
    assert run_bench.keeps_records(quick) is None
    assert run_bench.as_recorded(['a', '--reuse', 'x=1', 'y=2', '--b',
                                  'c']) == ['a', '--b', 'c']
    # a renamed bench work root keeps its records
    assert run_bench.as_recorded(
        ['a', '--work-dir', 'work_dirs/bench_partbody/cam', '--b']) == \
        run_bench.as_recorded(
            ['a', '--work-dir', 'work_dirs/bench_partbody_x/cam/', '--b'])


def test_driver_picks_reruns_from_the_records_too(tmp_path):
    """The best single-paper method of the seed reruns may be a recorded
    run (another machine ran it)."""
    rec = tmp_path / 'rec'
    old = tmp_path / 'old'
    write_json(old / 'single_stage' / 'result.json',
               _result('single_stage', 80.0))
    records.save(str(rec), str(old))
    args = run_bench.parse_args(
        ['--work-root',
         str(tmp_path / 'bench'), '--records',
         str(rec)])
    write_json(tmp_path / 'bench' / 'cam' / 'result.json',
               _result('cam', 60.0))
    assert run_bench.repeat_methods(args) == ['cam', 'single_stage']
    assert set(run_bench.bench_runs(args)) == {'cam', 'single_stage'}
    no_records = run_bench.parse_args(['--work-root', str(tmp_path / 'bench')])
    assert run_bench.repeat_methods(no_records) == ['cam']


def test_driver_keeps_a_recorded_speed_entry(tmp_path, monkeypatch):
    monkeypatch.setitem(
        run_bench.SPEED, 'fake',
        dict(
            module='fake_speed_missing.mod',
            cuda=[],
            cpu=['--x'],
            fallback=[],
            quick=[],
            cpu_note=None))
    rec = tmp_path / 'rec'
    write_json(rec / 'bench' / 'speed' / 'fake.json',
               dict(status='ok', requested_argv=['--x'], result={}))
    args = run_bench.parse_args(
        ['--work-root',
         str(tmp_path / 'bench'), '--records',
         str(rec)])
    steps = []
    run_bench.run_speed('fake', args, False, steps)
    assert steps[-1]['status'] == 'kept'
    # without the records: its module is missing here
    run_bench.run_speed(
        'fake', run_bench.parse_args(['--work-root',
                                      str(tmp_path / 'b2')]), False, steps)
    assert steps[-1]['status'] == 'missing'
