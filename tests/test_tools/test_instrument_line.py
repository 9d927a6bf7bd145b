"""The part-and-body instrument line of the bench report: full supervision,
the CAM baseline as % of it, the dense CRF's gain on the CAM's seeds, each
against its target."""
from benchmarks.make_report import instrument_line, instrument_values


def _runs(full=None, **cam):
    return dict(full=[('full', dict(val_miou=full))], cam=[('cam', cam)])


def test_values_and_line():
    runs = _runs(80.0, val_miou=48.0, seed_miou=40.0, seed_crf_miou=46.5)
    v = instrument_values(runs)
    assert v['full'] == 80.0 and abs(v['cam_pct'] - 60.0) < 1e-9
    assert abs(v['crf_gain'] - 6.5) < 1e-9
    line, targets = instrument_line(runs)
    assert line == 'instrument: full=80.0 cam_pct=60.0 crf_gain=6.5'
    assert targets.count('met') == 3 and 'missed' not in targets


def test_missed_and_missing_targets():
    line, targets = instrument_line(
        _runs(84.5, val_miou=49.6, seed_miou=46.4, seed_crf_miou=68.5))
    assert line == 'instrument: full=84.5 cam_pct=58.7 crf_gain=22.1'
    assert 'crf_gain <= 8: missed' in targets
    assert 'full >= 55: met' in targets
    # no cam run, or a cam run without the CRF stage: not measured
    line, targets = instrument_line(dict(full=[('full', dict(val_miou=50))]))
    assert line == 'instrument: full=50.0 cam_pct=n/a crf_gain=n/a'
    assert 'full >= 55: missed' in targets
    assert targets.count('not measured') == 2
