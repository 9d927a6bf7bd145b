import ast
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, METRICS, MODELS, TRANSFORMS

import wsss_mm  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True))
METHOD_CONFIGS = [c for c in CONFIGS if '/_base_/' not in c]


def test_components_registered_in_mmseg_registries():
    for name in ('WeakClassifier', 'CAMHead', 'LargeFOVHead', 'DeepLabVGG',
                 'MultiLabelSoftMarginLoss', 'CAMSeedGenerator',
                 'StochasticSelectionNeck'):
        assert MODELS.get(name) is not None, name
    assert DATASETS.get('WeakVOCDataset') and DATASETS.get(
        'WeakCOCO2014Dataset')
    assert TRANSFORMS.get('PackWeakSegInputs') and TRANSFORMS.get(
        'LoadSeedMaps')
    assert METRICS.get('SeedMetric')


@pytest.mark.parametrize(
    'path', METHOD_CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_loads_and_model_builds(path):
    cfg = Config.fromfile(path)
    if cfg.get('default_scope') == 'mmseg':
        assert 'wsss_mm' in cfg.custom_imports['imports']
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    if 'mmpretrain' in cfg.custom_imports['imports'] or \
            cfg.default_scope == 'mmpretrain':
        import mmpretrain.models  # noqa: F401
    if cfg.default_scope == 'mmpretrain':  # mini pretraining classifiers
        from mmpretrain.registry import MODELS as PRETRAIN_MODELS
        model = PRETRAIN_MODELS.build(cfg.model)
        assert model(torch.rand(2, 3, 64, 64)).shape == (2, 10)
        return
    model = MODELS.build(cfg.model)
    if '_mini' in path:
        model.eval()
        with torch.no_grad():
            out = model._forward(torch.rand(1, 3, 64, 64))
        assert out.shape[0] == 1


def test_mini_configs_differ_from_voc_twins_only_in_scale():
    voc = Config.fromfile(osp.join(REPO, 'configs/cam/cam_vgg16_voc12.py'))
    mini = Config.fromfile(
        osp.join(REPO, 'configs/cam/cam_vgg16-slim_mini.py'))
    assert mini.model.type == voc.model.type
    assert mini.model.cls_head.type == voc.model.cls_head.type
    assert mini.model.seed_generator.type == voc.model.seed_generator.type
    assert mini.model.backbone.type == voc.model.backbone.type
    assert mini.optim_wrapper.paramwise_cfg == voc.optim_wrapper.paramwise_cfg
    assert mini.train_dataloader.dataset.data_root == 'data/mini'


def test_voc_largefov_shapes():
    """VGG-16 at output stride 8: 321x321 -> 512x41x41 (FickleNet Sec. 4.1)."""
    init_default_scope('mmseg')
    backbone = MODELS.build(dict(type='DeepLabVGG', width_mult=0.125))
    feats = backbone(torch.rand(1, 3, 321, 321))
    assert feats[-1].shape == (1, 64, 41, 41)
    full = MODELS.build(dict(type='DeepLabVGG'))
    names = {k for k, _ in full.named_parameters()}
    # torchvision keys
    assert 'features.0.weight' in names and 'features.28.weight' in names


# ------------------------------------------------- config structure (#14) --
def _bases(path):
    """The ``_base_`` entries of a config file, as written."""
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            items = node.value.elts if isinstance(
                node.value, (ast.List, ast.Tuple)) else [node.value]
            return [i.value for i in items if isinstance(i, ast.Constant)]
    return []


def config_depth(path, memo=None):
    """Inheritance depth: a file without bases is 0; an ``mmseg::``-style base
    counts 1, a local base 1 + its own depth."""
    memo = {} if memo is None else memo
    if path not in memo:
        memo[path] = max([
            1 if '::' in b else 1 +
            config_depth(osp.normpath(osp.join(osp.dirname(path), b)), memo)
            for b in _bases(path)
        ] or [0])
    return memo[path]


def test_config_chains_are_at_most_three_levels():
    memo = {}
    deep = {
        osp.relpath(p, REPO): config_depth(p, memo)
        for p in METHOD_CONFIGS
    }
    deep = {p: d for p, d in deep.items() if d > 3}
    assert not deep, f'configs deeper than 3 levels: {deep}'
    # the depth counts mmseg:: bases and the files under _base_/
    assert config_depth(
        osp.join(REPO,
                 'configs/compose/deeplabv3plus_r50-d8_voc12_cam-seeds.py'),
        memo) == 1
    assert config_depth(
        osp.join(REPO, 'configs/dcp/dcp_vgg16-slim_mini_statistics.py'),
        memo) == 3


def _delete_paths(path):
    """Key paths (``model.test_cfg.crf``) of the dicts a config file marks
    ``_delete_=True``: top-level assignments of dict(...) / {...}."""
    found = []

    def walk(node, keys):
        if isinstance(node, ast.Call) and getattr(node.func, 'id',
                                                  None) == 'dict':
            items = [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
        elif isinstance(node, ast.Dict):
            items = [(k.value, v) for k, v in zip(node.keys, node.values)
                     if isinstance(k, ast.Constant)]
        else:
            return
        for key, value in items:
            if key == '_delete_':
                found.append('.'.join(keys))
            else:
                walk(value, keys + [key])

    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0],
                                                       ast.Name):
            walk(node.value, [node.targets[0].id])
    return found


def test_mini_twins_need_no_delete():
    """A mini config combines its VOC twin's model part with the mini data
    and slim-model bases: nothing of a base is thrown away. The uses
    mmengine leaves are a dict put where the base holds None (a dict cannot
    merge into None), e.g. a CRF setting over ``test_cfg.crf=None``, and a
    module replaced by one of another type (a ``SeedSetsGenerator`` whose
    members are the base's generator, over that generator)."""

    def at(cfg, keys):
        for key in keys.split('.'):
            cfg = cfg.get(key) if isinstance(cfg, dict) else None
        return cfg

    minis = [p for p in CONFIGS if 'mini' in osp.basename(p)]
    assert len(minis) > 10
    for path in minis:
        marked = _delete_paths(path)
        if '_delete_' in open(path).read():
            assert marked, f'{path}: _delete_ outside a top-level dict'
        own = Config.fromfile(path).to_dict()
        bases = [
            Config.fromfile(osp.join(osp.dirname(path), b)).to_dict()
            for b in _bases(path)
        ]
        for keys in marked:
            for base in bases:
                value = at(base, keys)
                if isinstance(value, dict) and value.get('type') != at(
                        own, keys).get('type'):
                    continue  # another module in its place
                assert not isinstance(value, dict), (
                    f'{osp.relpath(path, REPO)}: _delete_ at {keys} drops '
                    'keys of a '
                    'base dict; split the bases instead')
