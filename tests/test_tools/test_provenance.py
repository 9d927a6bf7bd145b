"""No silent wrong results (issue #16, items 1, 4, 6): artefact provenance,
checkpoints that load no key, selection-window mismatches, --metrics-out.

The probes run the tools (``tools/test.py``, ``tools/dcp_statistics.py``)
in this process on the tiny data set with configs written here (no file of
``configs/`` is read), and import only names that existed before the fix at
module level, so that this file also runs against the old code, where the
probes fail."""
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from tiny_models import (VGG, cam_model, dcp_model, pngs, run_test,
                         save_random_checkpoint, write_config)

import wsss_mm  # noqa: F401


# --------------------------------------------------------------- probe 1
def test_seed_folder_of_another_run_is_refused_not_scored(tiny_voc, tmp_path):
    """Classifier B into the folder of classifier A's seeds: before, A's seeds
    were kept and A's seed mIoU reported. Now: refused before any seed is
    computed (A's files untouched), naming the folder and the field; the same
    run resumes; --overwrite empties the folder and writes B's seeds."""
    cfg = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    ckpt_a = save_random_checkpoint(cfg, tmp_path / 'a.pth', 1)
    ckpt_b = save_random_checkpoint(cfg, tmp_path / 'b.pth', 2)
    out = str(tmp_path / 'seeds')
    m_a = run_test(cfg, ckpt_a, tmp_path / 'w', '--out', out)
    seeds_a = pngs(out)
    assert len(seeds_a) == 16
    with pytest.raises(
            RuntimeError, match=r'(?s)seeds.*checkpoint_sha256.*--overwrite'):
        run_test(cfg, ckpt_b, tmp_path / 'w', '--out', out)
    after = pngs(out)
    assert all(np.array_equal(after[k], v) for k, v in seeds_a.items())
    manifest = json.load(open(osp.join(out, 'provenance.json')))
    assert manifest['split'] == 'train' and len(
        manifest['checkpoint_sha256']) == 64
    assert manifest['model']['seed_generator']['fg_threshold'] == 0.3
    assert manifest['dataset']['data_root'] == osp.realpath(tiny_voc)
    # a seed option is part of the provenance too
    with pytest.raises(
            RuntimeError, match='model.seed_generator.fg_threshold'):
        run_test(cfg, ckpt_a, tmp_path / 'w', '--out', out, '--cfg-options',
                 'model.seed_generator.fg_threshold=0.5')
    # the same run resumes (nothing recomputed: the same metrics)
    again = run_test(cfg, ckpt_a, tmp_path / 'w', '--out', out)
    assert again['seed/mIoU'] == m_a['seed/mIoU']
    # asked to regenerate: B's seeds, B's metric
    m_b = run_test(cfg, ckpt_b, tmp_path / 'w', '--out', out, '--overwrite')
    seeds_b = pngs(out)
    assert sorted(seeds_b) == sorted(seeds_a)
    assert any(not np.array_equal(seeds_a[k], seeds_b[k]) for k in seeds_a)
    fresh = str(tmp_path / 'fresh')
    metrics = run_test(cfg, ckpt_b, tmp_path / 'w', '--out', fresh)
    assert metrics['seed/mIoU'] == m_b['seed/mIoU']
    assert all(np.array_equal(seeds_b[k], v) for k, v in pngs(fresh).items())


def test_seed_folder_without_manifest_is_refused(tiny_voc, tmp_path):
    cfg = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    ckpt = save_random_checkpoint(cfg, tmp_path / 'a.pth', 1)
    out = tmp_path / 'seeds'
    out.mkdir()
    stale = np.full((64, 64), 1, np.uint8)
    from wsss_mm.utils.io import atomic_write_png
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    for i in ids:
        atomic_write_png(stale, str(out / f'{i}.png'))
    with pytest.raises(RuntimeError, match='no readable provenance.json'):
        run_test(cfg, ckpt, tmp_path / 'w', '--out', str(out))
    assert all((v == 1).all() for v in pngs(out).values())  # nothing written
    run_test(cfg, ckpt, tmp_path / 'w', '--out', str(out), '--cfg-options',
             'test_evaluator.overwrite=True')
    assert not all((v == 1).all() for v in pngs(out).values())


def test_patterns_file_provenance(tiny_voc, tmp_path):
    """tools/dcp_statistics.py records the provenance of its patterns file,
    refuses to replace another run's file, and the seed pass refuses patterns
    of another checkpoint."""
    patterns = tmp_path / 'patterns.pth'
    cfg = write_config(tmp_path / 'dcp.py', tiny_voc,
                       dcp_model(tiny_voc, patterns))
    ckpt_a = save_random_checkpoint(cfg, tmp_path / 'a.pth', 1)
    ckpt_b = save_random_checkpoint(cfg, tmp_path / 'b.pth', 2)
    from tools.dcp_statistics import main as stats
    common = ['--work-dir', str(tmp_path / 'w'), '--no-progress']
    stats([cfg, ckpt_a, *common])
    side = json.load(open(str(patterns) + '.provenance.json'))
    assert side['kind'] == 'dcp_patterns' and side['world_size'] == 1
    assert side['model']['seed_generator']['layer'] == 'backbone.features.12'
    stats([cfg, ckpt_a, *common])  # same provenance: recomputed
    with pytest.raises(RuntimeError, match='checkpoint_sha256'):
        stats([cfg, ckpt_b, *common])
    with pytest.raises(
            RuntimeError, match='another checkpoint|another network'):
        run_test(cfg, ckpt_b, tmp_path / 'w', '--out', str(tmp_path / 'seeds'))
    run_test(cfg, ckpt_a, tmp_path / 'w', '--out', str(tmp_path / 'seeds'))
    stats([cfg, ckpt_b, *common, '--overwrite'])
    # the seed folder of A (and A's patterns) is not reused with B's
    with pytest.raises(
            RuntimeError,
            match='(?s)checkpoint_sha256.*'
            'inputs.model.seed_generator.patterns_file'):
        run_test(cfg, ckpt_b, tmp_path / 'w', '--out', str(tmp_path / 'seeds'))


# --------------------------------------------------------------- probe 4
def test_checkpoint_that_loads_no_key_is_refused(tiny_voc, tmp_path):
    """The backbone-only pretrained file passed to tools/test.py: before, seeds
    from random weights and exit 0. Now an error naming the file and counts."""
    cfg = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    ckpt = save_random_checkpoint(cfg, tmp_path / 'cls.pth', 1)
    from tools.extract_backbone import extract_backbone
    backbone = str(tmp_path / 'backbone.pth')
    extract_backbone(ckpt, backbone)
    with pytest.raises(
            ValueError, match=r'backbone\.pth matches 0 of the \d+ weights'):
        run_test(cfg, backbone, tmp_path / 'w', '--out',
                 str(tmp_path / 'seeds'))
    if osp.isdir(tmp_path / 'seeds'):
        assert not [
            p for p in os.listdir(tmp_path / 'seeds') if p.endswith('.png')
        ]
    patterns = tmp_path / 'p.pth'
    dcfg = write_config(tmp_path / 'dcp.py', tiny_voc,
                        dcp_model(tiny_voc, patterns))
    from tools.dcp_statistics import main as stats
    with pytest.raises(ValueError, match='matches 0 of'):
        stats([
            dcfg, backbone, '--work-dir',
            str(tmp_path / 'w'), '--no-progress'
        ])
    assert not patterns.exists()


def test_checkpoint_coverage_helper(tmp_path):
    from wsss_mm.utils.checkpoint import check_checkpoint_covers_model
    init_default_scope('mmseg')
    model = MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=VGG,
            cls_head=dict(type='CAMHead', in_channels=32, num_classes=3)))
    state = model.state_dict()
    total = len(state)
    # DDP-style 'module.' prefixes are stripped; a wrapper is unwrapped
    wrapped = torch.nn.Module()
    wrapped.module = model
    full = {'module.' + k: v for k, v in state.items()}
    assert check_checkpoint_covers_model(
        wrapped, 'x', checkpoint={'state_dict': full}) == (total, total)
    head_only = {k: v for k, v in state.items() if k.startswith('cls_head')}
    with pytest.raises(
            ValueError, match=f'matches {len(head_only)} of the {total}'):
        check_checkpoint_covers_model(model, 'x', checkpoint=head_only)
    # a configurable threshold; shapes must match too
    assert check_checkpoint_covers_model(
        model, 'x', 0.0, checkpoint=head_only)[0] == len(head_only)
    bad = {k: v[..., :1] if v.ndim == 4 else v for k, v in state.items()}
    with pytest.raises(ValueError, match='shape mismatch'):
        check_checkpoint_covers_model(model, 'x', 0.9, checkpoint=bad)
    stripped = {
        k[len('backbone.'):]: v
        for k, v in state.items() if k.startswith('backbone.')
    }
    with pytest.raises(
            ValueError, match="'backbone.' weights without the prefix"):
        check_checkpoint_covers_model(model, 'x', checkpoint=stripped)


# --------------------------------------------------------------- probe 6
def test_selection_window_mismatch_fails_at_build_time():
    init_default_scope('mmseg')
    root_free = dict(
        type='WeakClassifier',
        backbone=VGG,
        neck=dict(
            type='StochasticSelectionNeck',
            in_channels=32,
            kernel_size=3,
            dropout_ratio=0.5),
        seed_generator=dict(type='FickleNetSeedGenerator', num_selections=2))
    with pytest.raises(
            ValueError,
            match=r'model\.neck\.kernel_size=3 .*'
            r'model\.cls_head\.kernel_size=1, model\.cls_head\.stride=1'):
        MODELS.build(
            dict(
                root_free,
                cls_head=dict(type='CAMHead', in_channels=32, num_classes=3)))
    with pytest.raises(ValueError, match=r'model\.cls_head\.stride=1'):
        MODELS.build(
            dict(
                root_free,
                cls_head=dict(
                    type='CAMHead',
                    in_channels=32,
                    num_classes=3,
                    kernel_size=3)))
    MODELS.build(
        dict(
            root_free,
            cls_head=dict(
                type='CAMHead',
                in_channels=32,
                num_classes=3,
                kernel_size=3,
                stride=3)))


def test_metrics_out_temp_name_is_unique(tiny_voc, tmp_path):
    """A fixed ``FILE.tmp`` collides with another writer (here: something else
    holds that name); the temp file is per process now."""
    cfg = write_config(tmp_path / 'cam.py', tiny_voc, cam_model(tiny_voc))
    ckpt = save_random_checkpoint(cfg, tmp_path / 'a.pth', 1)
    metrics = tmp_path / 'm.json'
    os.makedirs(str(metrics) + '.tmp')
    run_test(cfg, ckpt, tmp_path / 'w', '--metrics-out', str(metrics),
             '--cfg-options', 'test_dataloader.dataset.indices=4')
    assert 0 <= json.load(open(metrics))['seed/mIoU'] <= 100
    assert sorted(os.listdir(tmp_path)) == sorted(
        ['a.pth', 'cam.py', 'm.json', 'm.json.tmp', 'w'])


# --------------------------------------------------------------- units
def test_guard_output_folder_states(tmp_path):
    from wsss_mm.utils.io import atomic_write_png
    from wsss_mm.utils.provenance import (ProvenanceError, guard_output_folder,
                                          manifest_diff)
    folder = str(tmp_path / 'out')
    overlays = str(tmp_path / 'out_overlays')
    a = dict(
        format='f',
        checkpoint_sha256='aa',
        model=dict(x=1, y=[1, 2]),
        info=dict(created='t0'))
    b = dict(a, model=dict(x=2, y=[1, 3]), info=dict(created='t1'))
    assert guard_output_folder(folder, a) == 'new'
    assert guard_output_folder(folder, b) == 'new'  # no PNG yet: nothing stale
    assert json.load(open(osp.join(folder,
                                   'provenance.json')))['model']['x'] == 2
    atomic_write_png(np.zeros((2, 2), np.uint8), osp.join(folder, 'i.png'))
    atomic_write_png(np.zeros((2, 2), np.uint8), osp.join(overlays, 'i.png'))
    open(osp.join(folder, 'notes.txt'), 'w').close()
    assert guard_output_folder(folder,
                               dict(b, info=dict(created='t2'))) == 'resume'
    with pytest.raises(ProvenanceError) as err:
        guard_output_folder(folder, a)
    assert folder in str(
        err.value) and 'model.x: 2 (there) != 1 (this run)' in str(err.value)
    assert 'model.y.1' in str(err.value)
    assert manifest_diff(a, dict(a, info=None)) == []
    assert guard_output_folder(
        folder, a, overwrite=True, also_clear=[overlays]) == 'overwritten'
    assert sorted(os.listdir(folder)) == ['notes.txt', 'provenance.json']
    assert os.listdir(overlays) == []
    os.remove(osp.join(folder, 'provenance.json'))
    atomic_write_png(np.zeros((2, 2), np.uint8), osp.join(folder, 'i.png'))
    with pytest.raises(ProvenanceError, match='unknown'):
        guard_output_folder(folder, a)


def test_file_sha256_is_cached_by_size_and_mtime(tmp_path):
    from wsss_mm.utils import provenance
    path = tmp_path / 'f.bin'
    path.write_bytes(b'abc')
    first = provenance.file_sha256(str(path))
    assert first == (
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    path.write_bytes(b'abcd')
    os.utime(path, ns=(1, 2))
    assert provenance.file_sha256(str(path)) != first


def test_manifest_fields():
    """What the manifest holds and what it compares: the checkpoint hash, the
    resolved model (through a TTA wrapper too), pipeline, dataset, split and
    the files the model names; ``indices`` (a subset of the images) only
    informs, except for the statistics pass whose result it changes."""
    from mmengine.config import Config

    from wsss_mm.utils.provenance import (manifest_diff, run_manifest,
                                          statistics_manifest)
    cfg = Config(
        dict(
            model=dict(
                type='SegTTAModel',
                module=dict(
                    type='WeakClassifier',
                    seed_generator=dict(
                        type='DCPSeedGenerator',
                        layer='l',
                        patterns_file=__file__,
                        margin=0.5))),
            test_dataloader=dict(
                sampler=dict(type='DefaultSampler', shuffle=True),
                dataset=dict(
                    type='WeakVOCDataset',
                    data_root='.',
                    ann_file='ImageSets/x/train_aug.txt',
                    indices=4,
                    pipeline=[dict(type='LoadImageFromFile')]))))
    m = run_manifest(cfg, __file__)
    assert m['split'] == 'train_aug' and m['pipeline'] == [
        dict(type='LoadImageFromFile')
    ]
    assert m['dataset']['data_root'] == osp.realpath(
        '.') and 'indices' not in m['dataset']
    assert m['info']['dataset_indices'] == 4 and m['checkpoint_sha256'] == m[
        'inputs']['model.module.seed_generator.patterns_file'][len('sha256:'):]
    full = run_manifest(
        Config(
            dict(
                cfg.to_dict(),
                test_dataloader=dict(
                    cfg.test_dataloader.to_dict(),
                    dataset=dict(
                        cfg.test_dataloader.dataset.to_dict(),
                        indices=None)))), __file__)
    assert manifest_diff(m, full) == []
    stats = statistics_manifest(
        Config(dict(cfg.to_dict(), model=cfg.model.module.to_dict())),
        __file__,
        world_size=2)
    assert stats['dataset']['indices'] == 4 and stats['world_size'] == 2
    assert stats['model']['seed_generator'] == dict(
        type='DCPSeedGenerator',
        layer='l',
        max_images_per_class=None,
        sign_rule=None,
        stop_early=None)
    assert stats['sampler']['shuffle'] is True and stats['inputs'] == {}
