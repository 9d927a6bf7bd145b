import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import wsss_mm  # noqa: F401
from mmseg.registry import DATASETS, METRICS, MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True))
METHOD_CONFIGS = [c for c in CONFIGS if '/_base_/' not in c]


def test_components_registered_in_mmseg_registries():
    for name in ('WeakClassifier', 'CAMHead', 'LargeFOVHead', 'DeepLabVGG',
                 'MultiLabelSoftMarginLoss', 'CAMSeedGenerator', 'StochasticSelectionNeck'):
        assert MODELS.get(name) is not None, name
    assert DATASETS.get('WeakVOCDataset') and DATASETS.get('WeakCOCO2014Dataset')
    assert TRANSFORMS.get('PackWeakSegInputs') and TRANSFORMS.get('LoadSeedMaps')
    assert METRICS.get('SeedMetric')


@pytest.mark.parametrize('path', METHOD_CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_loads_and_model_builds(path):
    cfg = Config.fromfile(path)
    if cfg.get('default_scope') == 'mmseg':
        assert 'wsss_mm' in cfg.custom_imports['imports']
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    if 'mmpretrain' in cfg.custom_imports['imports']:
        import mmpretrain.models  # noqa: F401
    if cfg.default_scope == 'mmpretrain':  # mini pretraining classifiers
        import mmpretrain.models  # noqa: F401
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
    mini = Config.fromfile(osp.join(REPO, 'configs/cam/cam_vgg16-slim_mini.py'))
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
    assert 'features.0.weight' in names and 'features.28.weight' in names  # torchvision keys
