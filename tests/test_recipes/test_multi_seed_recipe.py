"""The multi_seed recipe (multi-estimations, Fan et al.) on each config set:
its seed stages, the seed configs they run, and the stage-3 config that
reads their output."""
import os.path as osp

import pytest
from conftest import REPO
from mmengine.config import Config

from wsss_mm.recipes import cam, multi_seed


def load(rel):
    return Config.fromfile(osp.join(REPO, rel))


@pytest.mark.parametrize('config_set', ['mini', 'partbody', 'voc'])
def test_multi_seed_seed_stages_write_what_the_segmentor_reads(config_set):
    stages = [
        s.on(config_set) for s in multi_seed.SEED_STAGES
        if s.runs_on(config_set)
    ]
    archs = multi_seed.ARCHS[config_set]
    assert [s.checkpoint for s in stages] == list(archs)
    out_dirs = []
    for stage in stages:
        rel = stage.config_for(config_set)
        assert osp.isfile(osp.join(REPO, rel)), rel
        assert osp.dirname(rel) == multi_seed.SEED_CONFIGS[config_set]
        cfg = load(rel)
        # the seed config is its architecture's classifier with another seed
        # generator: one run writes the stage's six sets
        clf = load(multi_seed.CLASSIFIERS[stage.checkpoint][config_set])
        assert cfg.model.backbone == clf.model.backbone
        assert cfg.model.cls_head == clf.model.cls_head
        assert cfg.model.seed_generator.type == 'SeedSetsGenerator'
        assert tuple(cfg.model.seed_generator.sets) == stage.sets
        for name in stage.sets:
            # each set has its own config, whose generator is the member
            one = load(f'{osp.dirname(rel)}/{name}.py')
            member = cfg.model.seed_generator.sets[name].to_dict()
            assert member == one.model.seed_generator.to_dict()
            assert osp.normpath(one.test_evaluator.output_dir) == \
                osp.normpath(osp.join(cfg.test_evaluator.output_dir, name))
            out_dirs.append(osp.normpath(one.test_evaluator.output_dir))
    # partbody: no 0.5-scale sets (docs/scale.md rule 7)
    assert len(set(out_dirs)) == len(multi_seed.SEED_SETS[config_set]) == (
        8 if config_set == 'partbody' else 12)
    seg = load(multi_seed.SEGMENTOR[config_set])
    seed_dirs = [
        osp.normpath(d) for d in seg.train_dataloader.dataset.seed_dirs
    ]
    assert seed_dirs == out_dirs  # the same folders, in the recipe's order
    labels = [s for s in multi_seed.STAGES
              if s.name == 'segmentation'][0].on(config_set).labels
    assert labels == multi_seed.SEED_SETS[config_set]
    # the classifiers' own (plain CAM) seed folders differ from the seed sets'
    clf_out = {
        osp.normpath(
            load(multi_seed.CLASSIFIERS[a]
                 [config_set]).test_evaluator.output_dir)
        for a in archs
    }
    assert len(clf_out) == 2 and not clf_out & set(out_dirs)


@pytest.mark.parametrize('config_set', ['mini', 'partbody', 'voc'])
def test_multi_seed_vgg16_classifier_is_the_cam_baselines(config_set):
    """benchmarks/run_bench.py hands multi_seed the cam run's classifier
    (SHARES_CAM_CLASSIFIER: stage 'vgg16'): the same config on every set."""
    assert multi_seed.CLASSIFIERS['vgg16'][config_set] == cam.CLASSIFIER[
        config_set]
