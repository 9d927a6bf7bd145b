"""The report's composed-recipe section: the ``combined:`` line against the
best single-paper row, and the leave-one-out table."""
import json

from benchmarks.composed import (combined_line, combined_numbers,
                                 composed_section, leave_one_out_rows)


def runs_of(**vals):
    """collect_runs' shape: {method: [(dir, result), ...]}, main run first;
    a list of values is a main run and its reruns."""
    out = {}
    for m, v in vals.items():
        v = v if isinstance(v, list) else [v]
        out[m] = [(m if k == 0 else f'{m}_rep{k + 1}', dict(val_miou=x))
                  for k, x in enumerate(v)]
    return out


def test_line_against_the_best_single_paper_row():
    assert combined_line(runs_of(cam=60.0)) == ('', '')
    runs = runs_of(
        cam=[61.9, 60.0, 62.5],
        ficklenet=39.7,
        full=82.1,
        combined=[66.0, 65.0, 64.0])
    n = combined_numbers(runs)
    # the reference never competes; the spread is the larger of the two
    assert n['best_method'] == 'cam' and n['best_single'] == 61.9
    assert n['spread'] == 2.5
    line, sentence = combined_line(runs)
    assert line == 'combined: val=66.00 best_single=61.90 spread=2.50'
    assert 'beats' in sentence and 'does not' not in sentence
    close = runs_of(cam=[61.9, 58.0], combined=[63.0, 62.0])
    assert 'does not beat' in combined_line(close)[1]
    # without reruns of both rows: no verdict
    assert combined_line(runs_of(cam=61.9,
                                 combined=70.0))[0].endswith('spread=n/a')


def test_leave_one_out_table(tmp_path):
    runs = runs_of(cam=60.0, combined=66.0)
    dirs = []
    for name, val in (('combined_wo_pamr', 61.5), ('combined_retrain', 64.0)):
        (tmp_path / name).mkdir()
        (tmp_path / name / 'result.json').write_text(
            json.dumps(dict(val_miou=val)))
        dirs.append(str(tmp_path / name))
    rows = leave_one_out_rows(runs, dirs)
    assert [r[2] for r in rows] == [66.0, 61.5, None, None, 64.0]
    text = '\n'.join(composed_section(runs, dirs))
    assert '| without PAMR on the seeds | single-stage | 61.5 | -4.5 |' in text
    retrain = ("| with DCP's retraining on predicted masks (left out) | DCP "
               '| 64.0 |')
    assert retrain + ' -2.0 |' in text
    assert 'not run' in text
