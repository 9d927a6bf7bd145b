"""WideResNet-38 (ResNet-38d) backbone: the layout of the reference
(visinf/1-stage-wseg models/backbones/resnet38d.py, AffinityNet's conversion of
the MXNet model A1), its checkpoint key names, parameter count, outputs,
freezing.

The reference facts are written out here independently of the backbone's own
tables: unit names, widths, strides and dilations.
"""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from torch.nn.modules.batchnorm import _BatchNorm

import wsss_mm  # noqa: F401
from wsss_mm.models.backbones.wideresnet38 import PreActUnit, WideResNet38

init_default_scope('mmseg')

# (name, in, mid, out, stride, first dilation, dilation) of the reference's
# two-conv units ``ResBlock`` ...
REFERENCE_UNITS = [('b2', 64, 128, 128, 2, 1, 1),
                   ('b2_1', 128, 128, 128, 1, 1, 1),
                   ('b2_2', 128, 128, 128, 1, 1, 1),
                   ('b3', 128, 256, 256, 2, 1, 1),
                   ('b3_1', 256, 256, 256, 1, 1, 1),
                   ('b3_2', 256, 256, 256, 1, 1, 1),
                   ('b4', 256, 512, 512, 2, 1, 1)] + [
                       (f'b4_{i}', 512, 512, 512, 1, 1, 1)
                       for i in range(1, 6)
                   ] + [('b5', 512, 512, 1024, 1, 1, 2),
                        ('b5_1', 1024, 512, 1024, 1, 2, 2),
                        ('b5_2', 1024, 512, 1024, 1, 2, 2)]
# ... and of its bottleneck units ``ResBlock_bot`` (in, out, dilation, dropout)
REFERENCE_BOTTLENECKS = [('b6', 1024, 2048, 4, 0.3),
                         ('b7', 2048, 4096, 4, 0.5)]
BN = ('weight', 'bias', 'running_mean', 'running_var')


def reference_keys():
    """State-dict keys of the reference ResNet-38d / its converted checkpoint
    (without the ImageNet classifier and num_batches_tracked)."""
    keys = ['conv1a.weight']
    for name, cin, _, cout, stride, *_ in REFERENCE_UNITS:
        keys += [f'{name}.bn_branch2a.{k}'
                 for k in BN] + [f'{name}.conv_branch2a.weight']
        keys += [f'{name}.bn_branch2b1.{k}'
                 for k in BN] + [f'{name}.conv_branch2b1.weight']
        if cin != cout or stride != 1:
            keys.append(f'{name}.conv_branch1.weight')
    for name, *_ in REFERENCE_BOTTLENECKS:
        for bn, conv in (('bn_branch2a', 'conv_branch2a'), ('bn_branch2b1',
                                                            'conv_branch2b1'),
                         ('bn_branch2b2', 'conv_branch2b2')):
            keys += [f'{name}.{bn}.{k}'
                     for k in BN] + [f'{name}.{conv}.weight']
        keys.append(f'{name}.conv_branch1.weight')
    return keys + [f'bn7.{k}' for k in BN]


def reference_parameter_count():
    """Learnable parameters of the reference ResNet-38d, by hand."""
    n = 3 * 64 * 9  # conv1a
    for _, cin, mid, cout, stride, *_ in REFERENCE_UNITS:
        n += 2 * cin + cin * mid * 9 + 2 * mid + mid * cout * 9
        n += cin * cout if (cin != cout or stride != 1) else 0
    for _, cin, cout, *_ in REFERENCE_BOTTLENECKS:
        q, h = cout // 4, cout // 2
        n += (2 * cin + cin * q + 2 * q + q * h * 9 + 2 * h + h * cout +
              cin * cout)
    return n + 2 * 4096  # bn7


def meta_model(**kw):
    with torch.device('meta'):
        return MODELS.build(dict(type='WideResNet38', **kw))


def test_key_names_are_the_reference_checkpoints():
    model = meta_model()
    keys = [
        k for k in model.state_dict() if not k.endswith('num_batches_tracked')
    ]
    assert keys == reference_keys()
    # no conv has a bias, as in the reference (bias=False everywhere)
    assert not any(k.endswith('.bias') and 'conv' in k for k in keys)


def test_parameter_count_and_widths():
    model = meta_model()
    n = sum(p.numel() for p in model.parameters())
    assert n == reference_parameter_count(
    ) == 105_070_912  # ~105.1 M, no classifier
    buffers = sum(b.numel() for k, b in model.state_dict().items()
                  if not k.endswith('num_batches_tracked'))
    # the converted checkpoint holds these floats: 4 B x 105.12 M = 401 MiB
    # (the reference README lists the download at 402M)
    assert round(4 * buffers / 2**20) == 401
    for name, cin, mid, cout, stride, first_dil, dil in REFERENCE_UNITS:
        unit = getattr(model, name)
        assert unit.conv_branch2a.weight.shape == (mid, cin, 3, 3), name
        assert unit.conv_branch2a.stride == (stride, stride), name
        assert unit.conv_branch2a.dilation == (first_dil, first_dil), name
        assert unit.conv_branch2b1.dilation == (dil, dil), name
        assert unit.conv_branch2b1.weight.shape == (cout, mid, 3, 3), name
    for name, cin, cout, dil, p in REFERENCE_BOTTLENECKS:
        unit = getattr(model, name)
        assert unit.conv_branch2a.weight.shape == (cout // 4, cin, 1, 1)
        assert unit.conv_branch2b1.weight.shape == (cout // 2, cout // 4, 3, 3)
        assert unit.conv_branch2b1.dilation == (dil, dil)
        assert unit.conv_branch2b2.weight.shape == (cout, cout // 2, 1, 1)
        assert unit.dropout_2b1.p == unit.dropout_2b2.p == p


def test_outputs_at_321():
    """Stride 8: 321 -> 81 (stride 4, 256 ch, the nGWP skip) and 41 (4096
    ch)."""
    model = meta_model().eval()
    x = torch.empty(1, 3, 321, 321, device='meta')
    skip, deep = model(x)
    assert skip.shape == (1, 256, 81, 81) and deep.shape == (1, 4096, 41, 41)
    assert model.out_channels == (256, 4096)
    every = meta_model(out_indices=tuple(range(6))).eval()(x)
    assert [tuple(o.shape[1:])
            for o in every] == [(128, 161, 161), (256, 81, 81), (512, 41, 41),
                                (1024, 41, 41), (2048, 41, 41), (4096, 41, 41)]


def small(**kw):
    torch.manual_seed(0)
    return WideResNet38(width_mult=1 / 16, **kw)


def test_real_forward_small_width():
    model = small(out_indices=(0, 1, 5)).eval()
    for m in model.modules():  # non-trivial statistics
        if isinstance(m, _BatchNorm):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    x = torch.rand(2, 3, 65, 49)
    outs = model(x)
    assert [o.shape for o in outs] == [(2, 8, 33, 25), (2, 16, 17, 13),
                                       (2, 256, 9, 7)]
    assert (outs[-1] >= 0).all()  # ReLU(bn7(.))
    # the stride-4 output is the raw residual sum of b3_2 (the reference's
    # conv3), by hand from the units
    y = model.conv1a(x)
    for name in ('b2', 'b2_1', 'b2_2', 'b3', 'b3_1', 'b3_2'):
        y = getattr(model, name)(y)
    assert torch.allclose(outs[1], y)


def test_pre_activation_unit_by_hand():
    torch.manual_seed(0)
    # identity shortcut; both convs dilated (first_dilation defaults to it)
    unit = PreActUnit(8, 6, 8, dilation=2).eval()
    for m in unit.modules():
        if isinstance(m, _BatchNorm):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    x = torch.randn(1, 8, 9, 9)

    def bn(m, t):
        return F.batch_norm(t, m.running_mean, m.running_var, m.weight, m.bias,
                            False, 0., m.eps)

    a = F.relu(bn(unit.bn_branch2a, x))
    h = F.relu(
        bn(unit.bn_branch2b1,
           F.conv2d(a, unit.conv_branch2a.weight, padding=2, dilation=2)))
    y = x + F.conv2d(h, unit.conv_branch2b1.weight, padding=2, dilation=2)
    assert not unit.projection
    assert torch.allclose(unit(x), y, atol=1e-6)
    proj = PreActUnit(
        8, 6, 12, stride=2).eval()  # projection from the activation
    for m in proj.modules():
        if isinstance(m, _BatchNorm):
            m.running_var.uniform_(0.5, 2.0)
    a = F.relu(bn(proj.bn_branch2a, x))
    h = F.relu(
        bn(proj.bn_branch2b1,
           F.conv2d(a, proj.conv_branch2a.weight, stride=2, padding=1)))
    y = F.conv2d(
        a, proj.conv_branch1.weight, stride=2) + F.conv2d(
            h, proj.conv_branch2b1.weight, padding=1)
    assert torch.allclose(proj(x), y, atol=1e-6)


def test_reference_checkpoint_loads_without_renaming(tmp_path):
    """A state dict in the reference's layout (plain dict, extra classifier
    keys, no num_batches_tracked) loads through init_cfg; so does a whole-model
    checkpoint with a prefix, and a DataParallel one ('module.')."""
    source = small()
    with torch.no_grad():
        for t in source.state_dict().values():
            if t.is_floating_point():
                t.copy_(torch.rand_like(t) + 0.1)
    state = {
        k: v.clone()
        for k, v in source.state_dict().items() if k in set(reference_keys())
    }
    assert len(state) == len(reference_keys())
    state['linear1000.weight'] = torch.rand(10, 256)  # an ImageNet classifier
    plain = tmp_path / 'ilsvrc-cls_rna-a1_cls1000_ep-0001.pth'
    torch.save(state, plain)
    whole = tmp_path / 'model.pth'
    torch.save({'state_dict': {'backbone.' + k: v
                               for k, v in state.items()}}, whole)
    parallel = tmp_path / 'parallel.pth'
    torch.save({'module.' + k: v for k, v in state.items()}, parallel)
    for path, prefix in ((plain, None), (whole, 'backbone.'), (parallel,
                                                               None)):
        init = dict(type='Pretrained', checkpoint=str(path))
        if prefix:
            init['prefix'] = prefix
        target = small(init_cfg=init)
        target.init_weights()
        loaded = target.state_dict()
        for k in reference_keys():
            assert torch.equal(loaded[k], state[k]), (path.name, k)
    # round trip: the model's own state dict (reference names) back in
    again = small()
    again.load_state_dict(target.state_dict())
    assert all(
        torch.equal(a, b) for a, b in zip(again.state_dict().values(),
                                          target.state_dict().values()))


def test_frozen_stages_and_norm_eval():
    """Reference: conv1a and b2* frozen; every backbone BN frozen (statistics
    and affine parameters)."""
    model = small().train()
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    assert 'conv1a.weight' in frozen
    assert {f'{u}.conv_branch2a.weight'
            for u in ('b2', 'b2_1', 'b2_2')} <= frozen
    assert 'b3.conv_branch2a.weight' not in frozen
    assert 'b7.conv_branch2b2.weight' not in frozen
    assert all(n in frozen for n, _ in model.named_parameters()
               if '.bn' in n or n.startswith('bn'))
    assert not any(m.training
                   for m in model.modules() if isinstance(m, _BatchNorm))
    assert model.b7.dropout_2b2.training  # dropout stays active
    before = model.b4.bn_branch2a.running_mean.clone()
    model(torch.rand(2, 3, 33, 33))
    assert torch.equal(before, model.b4.bn_branch2a.running_mean)
    # everything trainable
    free = small(
        frozen_stages=-1, norm_eval=False, norm_cfg=dict(type='BN')).train()
    assert all(p.requires_grad for p in free.parameters())
    assert all(m.training for m in free.modules() if isinstance(m, _BatchNorm))
    # frozen_stages=0: only conv1a
    stem = small(frozen_stages=0).train()
    assert not stem.conv1a.weight.requires_grad
    assert stem.b2.conv_branch2a.weight.requires_grad


@pytest.mark.parametrize('kwargs, name',
                         [(dict(out_indices=(6, )), 'out_indices'),
                          (dict(out_indices=()), 'out_indices'),
                          (dict(frozen_stages=7), 'frozen_stages'),
                          (dict(dropout_ratios=(0.3, )), 'dropout_ratios'),
                          (dict(dropout_ratios=(0.3, 1.0)), 'dropout_ratios'),
                          (dict(width_mult=0), 'width_mult')])
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        WideResNet38(**kwargs)


def test_registered_and_exported():
    from wsss_mm.models.backbones import WideResNet38 as exported
    assert MODELS.get('WideResNet38') is exported is WideResNet38
    assert osp.basename(WideResNet38.__module__.replace('.',
                                                        '/')) == 'wideresnet38'
