"""make bench writes its measured results into the model index: each run's
val config gets a Results entry on the benchmark's dataset; paper figures
and the metafile's comment stay."""
import os
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
