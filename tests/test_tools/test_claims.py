"""benchmarks/claims.py: each paper claim checked against fake bench
and ablation results, weighed against the seed reruns' spread."""
import json
import os
import os.path as osp

from benchmarks import claims, make_report


def write_json(path, obj):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f)


def test_verdict_weighs_the_difference_against_the_spread():
    assert claims.verdict(32.0, 30.0, 1.0) == 'holds'
    assert claims.verdict(30.0, 32.0, 1.0) == 'does not hold'
    assert claims.verdict(30.5, 30.0, 1.0) == 'within noise'
    assert claims.verdict(30.5, 30.0, None) == 'holds (no spread measured)'


def test_claims_read_bench_runs_and_ablation_tables(tmp_path):
    bench, abl = str(tmp_path / 'bench'), str(tmp_path / 'abl')
    write_json(f'{bench}/cam/result.json',
               dict(val_miou=30.0, seed_recall=50.0))
    for k, v in ((2, 31.0), (3, 29.5)):  # the CAM baseline's spread: 1.5
        write_json(f'{bench}/cam_rep{k}/result.json',
                   dict(val_miou=v, seed_recall=50.0))
    write_json(f'{bench}/ficklenet/result.json',
               dict(val_miou=35.0, seed_recall=70.0))
    write_json(f'{bench}/single_stage/result.json',
               dict(val_miou=30.5, val_crf_miou=33.0))
    write_json(
        f'{bench}/dcp/result.json',
        dict(val_miou=28.0, val_before_retrain_miou=29.0, seed_miou=40.0))
    write_json(f'{abl}/ficklenet_dd/result.json',
               dict(val_miou=36.0, seed_recall=60.0))
    write_json(f'{abl}/single_stage/ablation.json', [
        dict(variant='full model', val_miou=30.0),
        dict(variant='w/o PAMR', val_miou=25.0)
    ])
    dirs = [
        f'{abl}/ficklenet_dd', f'{abl}/single_stage', f'{abl}/ficklenet_n10'
    ]
    runs = make_report.collect_runs(bench)
    rows = {(c.paper, c.text): claims.check(c, runs, dirs)
            for c in claims.CLAIMS}
    fn = rows['FickleNet', 'S/S (N = 200) seeds are more complete than D/D']
    # seed recall: the reruns agree (spread 0), so a 10-point lead holds
    assert (fn['better'], fn['worse'], fn['diff'], fn['noise']) == (70.0, 60.0,
                                                                    10.0, 0.0)
    assert fn['verdict'] == 'holds'
    # val: D/D ahead by 1.0 < the CAM spread of 1.5
    assert rows['FickleNet',
                'S/S segments better than D/D']['verdict'] == 'within noise'
    assert rows['FickleNet', 'beats the CAM baseline']['verdict'] == 'holds'
    assert rows['Single-stage', 'PAMR helps (Table 1)']['verdict'] == 'holds'
    assert rows['Single-stage', 'the dense CRF helps']['diff'] == 2.5
    assert rows['Single-stage',
                'beats the CAM baseline']['verdict'] == 'within noise'
    assert rows['DCP', 'beats the CAM baseline']['verdict'] == 'does not hold'
    assert rows['DCP', 'retraining helps']['diff'] == -1.0
    # missing numbers say what measures them
    n10 = rows['FickleNet', 'larger N (200 vs 10) segments better']
    assert n10[
        'verdict'] == 'not measured (`make ablations`: run:ficklenet_n10)'
    sg = rows['Single-stage', 'the Stochastic Gate helps (Table 1)']
    assert sg['verdict'].startswith(
        'not measured') and 'w/o SG' in sg['verdict']
    assert rows['Multi-estimations', 'beats the CAM baseline']['verdict'] == (
        'not measured (`make bench`: bench:multi_seed)')
    all_rows = claims.check_all(runs, dirs)
    assert all_rows == list(rows.values())
    table = claims.claims_table(all_rows)
    assert len(table) == 2 + len(claims.CLAIMS)
    assert ('| FickleNet | beats the CAM baseline | '
            'ficklenet (val mIoU): 35.0 | cam (val mIoU): 30.0 | +5.0 | '
            'holds |') in table
    summary = claims.claims_summary(all_rows)
    assert summary.startswith(f'Paper claims ({len(claims.CLAIMS)}, ')
    assert 'within noise' in summary and 'not measured' in summary


def test_close_calls_are_the_bench_rows_within_twice_the_noise():
    close_calls = claims.close_calls

    def row(better_at, worse_at, diff, noise):
        return dict(
            better_at=better_at, worse_at=worse_at, diff=diff, noise=noise)

    rows = [
        row('bench:ficklenet', 'bench:cam', 7.0, 4.0),  # 7 <= 8: close
        row('bench:dcp', 'bench:cam', -9.0, 4.0),  # clear
        row('bench:dcp', 'bench:dcp', 1.0, 4.0),  # one run, two keys
        row('abl:single_stage/full model', 'abl:single_stage/w/o SG', 1.0,
            4.0),  # ablation rows: make ablations reruns those
        row('bench:single_stage', 'bench:cam', 1.0, None),  # no spread
        dict(
            better_at='bench:multi_seed',
            worse_at='bench:cam',
            diff=None,
            noise=None),  # not measured
    ]
    assert close_calls(rows) == ['ficklenet', 'cam', 'dcp']
    assert close_calls(rows, factor=1.0) == ['dcp']
