"""The report's open questions: each reads the measurement that answers it,
and says so when it is missing."""
import os.path as osp

from benchmarks.open_questions import (default_ablation_root,
                                       open_questions_section)
from wsss_mm.utils.io import atomic_write_json


def test_missing_measurements_say_what_to_run(tmp_path):
    text = '\n'.join(open_questions_section(str(tmp_path / 'bench')))
    assert text.count('not measured yet') == 3
    assert 'make ablations' in text


def test_each_question_prints_its_numbers(tmp_path):
    bench, abl = tmp_path / 'bench_partbody', tmp_path / 'ablation_partbody'
    atomic_write_json(
        str(bench / 'dcp' / 'statistics' / 'metrics.json'), {
            'dcp/images': 1500.0,
            'dcp/classes': 10.0,
            'dcp/explained_variance': 41.5,
            'dcp/pattern_cos_mean': 0.812,
            'dcp/pattern_cos_max': 0.97,
            'dcp/sign_margin': 0.11
        })
    atomic_write_json(
        str(abl / 'multi_seed' / 'ablation.json'), [
            dict(variant='all sets, WST s=1', val_miou=40.0),
            dict(variant='all sets, plain s=0', val_miou=45.5),
            dict(variant='all sets, WST s=1 from plain', val_miou=44.0),
            dict(variant='T (1)', val_miou=30.0)
        ])
    atomic_write_json(
        str(abl / 'choose_ficklenet_s9' / 'choice.json'),
        dict(table=[
            dict(value=0.25, seed_miou=40.0),
            dict(value=0.35, seed_miou=42.5)
        ]))
    atomic_write_json(
        str(bench / 'ficklenet' / 'result.json'),
        dict(seed_miou=41.0, val_miou=39.0))
    atomic_write_json(
        str(bench / 'multi_seed' / 'result.json'),
        dict(
            val_miou=63.6,
            seed_miou_per_set={
                f'{a}_{k}_s{s}': 50.0
                for a in ('vgg16', 'resnet18') for k in ('threshold', 'crf')
                for s in ('100', '075')
            }))
    # the Makefile's pair of roots is found without --ablations
    assert default_ablation_root(str(bench)) == str(abl)
    text = '\n'.join(open_questions_section(str(bench)))
    assert 'mean 0.812, max 0.970' in text and '41.5 %' in text
    assert '| all sets, WST s=1 from plain | 44.0 |' in text
    assert 'trains on 8 seed sets, none at the 0.5 scale' in text
    assert 'val 63.6' in text
    assert '| s = 9, no rescaling | 0.35 | 42.5 |' in text
    assert ("| s = 7, kept units × 1/(1-p) (the config's choice) | – | – |"
            in text)
    assert '| D/D: trained and read out deterministically, s = 7 | – | – |' \
        in text
    assert '| S/S, N = 200 (bench) | 41.0 | 39.0 |' in text
    assert 'not measured yet' not in text
    # with --ablations, the folder of those that exist is the ablation root
    again = open_questions_section(
        str(bench),
        [str(tmp_path / 'nowhere' / 'x'),
         osp.join(str(abl), 'multi_seed')])
    assert '\n'.join(again) == text
    # make_report's default dirs, none there: the bench root's pair
    again = open_questions_section(
        str(bench), [str(tmp_path / 'ablation' / 'x')])
    assert '\n'.join(again) == text
