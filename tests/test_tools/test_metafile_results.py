"""make bench writes its measured results into the model index: each run's
val config gets a Results entry on the benchmark's dataset; paper figures
and the metafile's comment stay."""
import glob
import os
import os.path as osp
import re
import shutil

import yaml
from conftest import REPO

from benchmarks.metafile_results import (measured_entries, update_metafiles,
                                         val_config)

DATASET = 'wsss_mm partbody benchmark val (mini_partbody_own-colour)'


def test_val_config_is_the_recipe_one():
    assert val_config('cam', 'partbody') == (
        'configs/cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py')
    assert val_config('dcp', 'partbody').endswith('_dcp-retrain_pred-masks.py')
    assert val_config('nothing', 'partbody') is None


def test_results_go_into_the_metafile_of_the_config(tmp_path):
    repo = tmp_path / 'repo'
    for m in ('cam', 'dcp'):
        os.makedirs(repo / 'configs' / m)
        shutil.copy(
            os.path.join(REPO, 'configs', m, 'metafile.yaml'),
            repo / 'configs' / m / 'metafile.yaml')
    runs = {
        'cam': [(None, dict(val_miou=45.27, seed_miou=44.4))],
        'dcp': [(None, dict(val_miou=40.0, seed_miou=None))],
        'ficklenet': [(None, dict(val_miou=None))],  # unfinished: skipped
    }
    entries = measured_entries(runs, 'partbody', DATASET)
    assert sorted(entries) == [
        val_config('cam', 'partbody'),
        val_config('dcp', 'partbody')
    ]
    changed = update_metafiles(entries, DATASET, str(repo))
    assert len(changed) == 2
    text = (repo / 'configs' / 'dcp' / 'metafile.yaml').read_text()
    assert text.startswith('# OpenMMLab model-index metafile')
    models = {m['Config']: m for m in yaml.safe_load(text)['Models']}
    dcp = models[val_config('dcp', 'partbody')]['Results']
    assert dcp == [
        dict(
            Task='Weakly-supervised Semantic Segmentation',
            Dataset=DATASET,
            Metrics={'mIoU': 40.0})
    ]
    # the paper figure of the VOC config is kept
    voc = models['configs/dcp/'
                 'deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py']
    assert voc['Results'][0]['Metrics'] == {'mIoU': 61.2}
    cam = yaml.safe_load(
        (repo / 'configs' / 'cam' / 'metafile.yaml').read_text())
    cam = {m['Config']: m for m in cam['Models']}
    assert cam[val_config('cam', 'partbody')]['Results'][0]['Metrics'] == {
        'mIoU': 45.27,
        'seed mIoU': 44.4
    }
    # a second bench replaces its entry, nothing else changes
    runs['cam'] = [(None, dict(val_miou=46.0, seed_miou=44.4))]
    update_metafiles(
        measured_entries(runs, 'partbody', DATASET), DATASET, str(repo))
    cam = yaml.safe_load(
        (repo / 'configs' / 'cam' / 'metafile.yaml').read_text())
    results = {m['Config']: m
               for m in cam['Models']}[val_config('cam',
                                                  'partbody')]['Results']
    assert len(results) == 1 and results[0]['Metrics']['mIoU'] == 46.0
    assert update_metafiles({}, 'another', str(repo)) == []


def _results_table(text):
    """{row name: val mIoU} of docs/results.md's methods table (None: the
    row has no val number) and the data root the report names."""
    lines = text.splitlines()
    start = lines.index('## Methods')
    rows = {}
    for line in lines[start + 1:]:
        if line.startswith('## '):
            break
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 4 or cells[0] in ('method',
                                          '') or set(cells[0]) <= set('-'):
            continue
        head = cells[3].split(' ')[0]
        rows[cells[0]] = float(head) if head.replace('.', '').isdigit() \
            else None
    root = re.search(r'benchmark \(.*?\) `([^`]+)`', text)
    return rows, osp.basename(root.group(1)) if root else None


def test_the_index_shows_what_results_md_shows():
    """The committed model index and docs/results.md agree: every measured
    entry on the report's benchmark is the val mIoU of its method's row, and
    every row with a val number whose recipe has a val config has one."""
    from benchmarks.make_report import NAMES
    rows, data_root = _results_table(
        open(osp.join(REPO, 'docs', 'results.md')).read())
    assert data_root, 'docs/results.md names no data root'
    measured = {}
    for path in glob.glob(osp.join(REPO, 'configs', '*', 'metafile.yaml')):
        for model in yaml.safe_load(open(path)).get('Models', []):
            for r in model.get('Results') or []:
                ds = r.get('Dataset', '')
                if ds.startswith('wsss_mm ') and ds.endswith(f'({data_root})'):
                    measured[model['Config']] = (ds.split()[1],
                                                 r['Metrics']['mIoU'])
    config_sets = {cs for cs, _ in measured.values()}
    assert len(config_sets) <= 1, config_sets
    config_set = config_sets.pop() if config_sets else 'partbody'
    for method, name in NAMES.items():
        config = val_config(method, config_set)
        if config is None or rows.get(name) is None:
            assert config not in measured, (config, 'row not in results.md')
            continue
        assert config in measured, f'{config}: no measured Results entry'
        assert round(measured[config][1], 1) == rows[name], (config, name)
