"""tools/model_converters/vgg16_deeplab_fc.py: DeepLab's fc6/fc7 from the
ImageNet VGG-16 classifier (issue #17 item 3), checked on a randomly
initialised torchvision VGG-16 (no download)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import wsss_mm  # noqa: F401
from tools.model_converters.vgg16_deeplab_fc import (VGG16_CONV_INDICES,
                                                     convert, decimate_fc6,
                                                     decimate_fc7, main)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def vgg16_file(tmp_path_factory):
    torchvision = pytest.importorskip('torchvision')
    torch.manual_seed(0)
    model = torchvision.models.vgg16(weights=None)
    path = tmp_path_factory.mktemp('vgg') / 'vgg16-random.pth'
    torch.save(model.state_dict(), path)
    return str(path)


def test_decimation_takes_every_fourth_filter_and_taps_0_3_6():
    w6 = torch.randn(4096, 512 * 49)
    b6 = torch.randn(4096)
    w, b = decimate_fc6(w6, b6)
    assert w.shape == (1024, 512, 3, 3) and b.shape == (1024, )
    full = w6.view(4096, 512, 7, 7)
    for out in (0, 1, 517, 1023):
        for i, y in enumerate((0, 3, 6)):
            for j, x in enumerate((0, 3, 6)):
                assert torch.equal(w[out, :, i, j], full[4 * out, :, y, x])
        assert b[out] == b6[4 * out]
    # the flattening of torchvision's classifier is (channel, row, column)
    assert w[3, 7, 1, 2] == w6[12, 7 * 49 + 3 * 7 + 6]
    w7, b7 = torch.randn(4096, 4096), torch.randn(4096)
    w, b = decimate_fc7(w7, b7)
    assert w.shape == (1024, 1024, 1, 1) and b.shape == (1024, )
    assert w[5, 9, 0, 0] == w7[20, 36] and b[5] == b7[20]
    assert torch.equal(w[:, :, 0, 0], w7[0::4, 0::4])


def test_convert_keys_and_errors(vgg16_file):
    sd = torch.load(vgg16_file, weights_only=True)
    out = convert(sd, 'largefov')
    assert sum(k.startswith('backbone.features.')
               for k in out) == 2 * len(VGG16_CONV_INDICES)
    assert torch.equal(out['backbone.features.28.weight'],
                       sd['features.28.weight'])
    assert out['decode_head.fc6.conv.weight'].shape == (1024, 512, 3, 3)
    assert out['decode_head.fc7.conv.weight'].shape == (1024, 1024, 1, 1)
    assert not any('classifier' in k for k in out)
    aspp = convert(sd, 'aspp')
    for b in range(4):
        assert torch.equal(aspp[f'decode_head.branches.{b}.fc6.conv.weight'],
                           out['decode_head.fc6.conv.weight'])
        assert torch.equal(aspp[f'decode_head.branches.{b}.fc7.conv.bias'],
                           out['decode_head.fc7.conv.bias'])
    with pytest.raises(KeyError, match='not a torchvision vgg16'):
        convert({k: v for k, v in sd.items() if 'classifier' not in k})
    with pytest.raises(ValueError, match='head must be one of'):
        convert(sd, 'fcn')


def build_from(config, ckpt, **model_kw):
    cfg = Config.fromfile(osp.join(REPO, config))
    init_default_scope('mmseg')
    for key, value in model_kw.items():
        cfg.merge_from_dict({f'model.{key}': value})
    cfg.merge_from_dict({'model.backbone.init_cfg.checkpoint': ckpt})
    head = cfg.model.decode_head
    inner = head.head if head.type in ('DSRGHead', 'MultiSeedHead') else head
    for init in inner.init_cfg if isinstance(inner.init_cfg,
                                             list) else [inner.init_cfg]:
        if init['type'] == 'Pretrained':
            init['checkpoint'] = ckpt
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


@pytest.mark.parametrize('config,head', [
    ('configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py',
     'largefov'),
    ('configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds.py', 'aspp'),
])
def test_voc_configs_load_the_converted_weights(vgg16_file, tmp_path, config,
                                                head):
    """The tool's output, loaded by the VOC configs' init_cfg: backbone =
    torchvision's conv layers, fc6 / fc7 = the decimated classifier, fc8
    new (N(0, 0.01), bias 0)."""
    ckpt = main([vgg16_file, str(tmp_path / f'{head}.pth'), '--head', head])
    sd = torch.load(vgg16_file, weights_only=True)
    model = build_from(config, ckpt)
    assert torch.equal(model.backbone.features[0].weight,
                       sd['features.0.weight'])
    assert torch.equal(model.backbone.features[28].bias,
                       sd['features.28.bias'])
    fc6, fc6_b = decimate_fc6(sd['classifier.0.weight'],
                              sd['classifier.0.bias'])
    fc7, _ = decimate_fc7(sd['classifier.3.weight'], sd['classifier.3.bias'])
    inner = model.decode_head.head
    branches = [inner] if head == 'largefov' else list(inner.branches)
    assert len(branches) == (1 if head == 'largefov' else 4)
    for branch in branches:
        assert torch.equal(branch.fc6.conv.weight, fc6)
        assert torch.equal(branch.fc6.conv.bias, fc6_b)
        assert torch.equal(branch.fc7.conv.weight, fc7)
        assert branch.conv_seg.weight.std() < 0.02 and (branch.conv_seg.bias
                                                        == 0).all()
    if head == 'aspp':
        assert [b.fc6.conv.dilation[0] for b in branches] == [6, 12, 18, 24]


def test_deeplab_learning_rates_of_the_voc_configs():
    """DeepLab's lr_mult / decay_mult (DSRG train-s.prototxt): conv and fc6 /
    fc7 weights 1x, their biases 2x without decay, fc8 10x (bias 20x)."""
    from mmengine.optim import build_optim_wrapper
    cfg = Config.fromfile(
        osp.join(REPO,
                 'configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds.py'))
    init_default_scope('mmseg')
    model = MODELS.build(cfg.model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    optimizer = cfg.optim_wrapper.optimizer
    lr, wd = optimizer.lr, optimizer.weight_decay
    names = {id(p): n for n, p in model.named_parameters()}
    seen = {}
    for group in optim.optimizer.param_groups:
        for p in group['params']:
            seen[names[id(p)]] = (group['lr'] / lr,
                                  group.get('weight_decay', wd) / wd)
    assert seen['backbone.features.0.weight'] == (1, 1)
    assert seen['backbone.features.0.bias'] == (2, 0)
    for b in range(4):
        pre = f'decode_head.head.branches.{b}.'
        assert seen[pre + 'fc6.conv.weight'] == (1, 1)
        assert seen[pre + 'fc7.conv.bias'] == (2, 0)
        assert seen[pre + 'conv_seg.weight'] == (10, 1)
        assert seen[pre + 'conv_seg.bias'] == (20, 0)
