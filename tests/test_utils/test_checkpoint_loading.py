"""Checkpoint trust (issue #16, item 2): the project's checkpoints load with
``weights_only=True``; full unpickling only under
``$WSSS_MM_TRUSTED_CKPT_DIRS``.

Only names that exist since the first version of ``wsss_mm.utils.checkpoint``
are imported at module level, so this file also runs (and its new cases fail)
against the code from before the fix."""
import os
import os.path as osp
import pickle
import pickletools
import shutil
import subprocess
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.logging.history_buffer import HistoryBuffer

import wsss_mm  # noqa: F401  (registers the loader and the save hook)
from wsss_mm.utils.checkpoint import load_checkpoint_file, save_weights_only

ENV = 'WSSS_MM_TRUSTED_CKPT_DIRS'


class NotAllowed:
    pass


class Payload:
    """Unpickling this creates the file ``target`` (a stand-in for any
    code)."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (open, (self.target, 'w'))


def pickle_globals(path):
    """The ``module name`` globals the pickle of a torch zip file refers to."""
    with zipfile.ZipFile(path) as z:
        data = z.read(next(n for n in z.namelist() if n.endswith('data.pkl')))
    return {
        str(arg)
        for op, arg, _ in pickletools.genops(data)
        if op.name in ('GLOBAL', 'STACK_GLOBAL')
    }


def forbid_full_unpickling(monkeypatch):
    """Make any ``torch.load(weights_only=False)`` fail the test."""
    real = torch.load

    def load(*args, **kwargs):
        assert kwargs.get('weights_only') is not False, 'full unpickling used'
        return real(*args, **kwargs)

    monkeypatch.setattr(torch, 'load', load)


def record_logs(monkeypatch):
    import wsss_mm.utils.checkpoint as ck
    logs = []
    monkeypatch.setattr(ck, 'print_log', lambda msg, *a, **k: logs.append(msg))
    return logs


# ------------------------------------------------------------- tiny Runner --
class _ToyData(torch.utils.data.Dataset):
    # numpy values in the dataset meta end up in checkpoint['meta']
    metainfo = dict(
        classes=('a', 'b'),
        palette=[[0, 0, 0], [1, 2, 3]],
        threshold=np.float32(0.5))

    def __len__(self):
        return 8

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return dict(
            inputs=torch.randn(4, generator=g),
            target=torch.tensor(float(i % 2)))


def _toy_runner(work_dir, max_iters, resume=False, name='train', **kw):
    from mmengine.evaluator import BaseMetric
    from mmengine.model import BaseModel
    from mmengine.runner import Runner

    class ToyModel(BaseModel):

        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 1)

        def forward(self, inputs, target, mode='tensor'):
            out = self.fc(inputs).squeeze(1)
            if mode == 'loss':
                return dict(loss=((out - target)**2).mean())
            if mode == 'predict':
                return [dict(pred=o, t=t) for o, t in zip(out, target)]
            return out

    class ToyMetric(BaseMetric):

        def process(self, data_batch, data_samples):
            self.results += [
                float((d['pred'] - d['t']).abs()) for d in data_samples
            ]

        def compute_metrics(self,
                            results):  # numpy scalars, as mmseg's IoUMetric
            return dict(
                err=np.float64(np.mean(results)), n=np.int64(len(results)))

    loader = dict(
        dataset=_ToyData(),
        batch_size=4,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        collate_fn=dict(type='default_collate'))
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        experiment_name=name,
        train_dataloader=loader,
        val_dataloader=loader,
        val_evaluator=[ToyMetric()],
        val_cfg=dict(),
        train_cfg=dict(by_epoch=False, max_iters=max_iters, val_interval=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        param_scheduler=[
            dict(
                type='LinearLR',
                start_factor=0.5,
                by_epoch=False,
                begin=0,
                end=1),
            dict(type='PolyLR', by_epoch=False, begin=1, end=10)
        ],
        default_hooks=dict(
            checkpoint=dict(
                type='CheckpointHook',
                interval=1,
                by_epoch=False,
                save_best='err',
                rule='less'),
            logger=dict(type='LoggerHook', interval=1)),
        randomness=dict(seed=0),
        resume=resume,
        default_scope='mmseg',
        **kw)


@pytest.fixture(scope='module')
def toy_work_dir(tmp_path_factory):
    """A work dir with the checkpoints of a 2-iteration Runner training."""
    work = tmp_path_factory.mktemp('toy_work')
    _toy_runner(work, max_iters=2).train()
    return work


def _last(work):
    return (work / 'last_checkpoint').read_text().strip()


# ------------------------------------------------------------------- tests --
def test_weights_only_file_loads_anywhere(tmp_path):
    path = str(tmp_path / 'w.pth')
    save_weights_only({'a': torch.ones(2)}, path)
    assert torch.equal(
        load_checkpoint_file(path)['state_dict']['a'], torch.ones(2))
    assert not any(
        n.endswith('.tmp') or '.tmp' in n for n in os.listdir(tmp_path))


def test_runner_checkpoint_is_weights_only(toy_work_dir, monkeypatch):
    """A checkpoint a Runner saves (no hook in its config) needs no fallback:
    nothing beyond tensors, plain Python and PlainHistoryBuffer is pickled."""
    from mmengine.runner.checkpoint import CheckpointLoader
    monkeypatch.delenv(ENV, raising=False)
    forbid_full_unpickling(monkeypatch)
    path = _last(toy_work_dir)
    allowed = {
        'collections OrderedDict', 'torch._utils _rebuild_tensor_v2',
        'wsss_mm.utils.checkpoint PlainHistoryBuffer'
    }
    extra = {
        g
        for g in pickle_globals(path)
        if g not in allowed and not g.endswith('Storage')
    }
    assert not extra, extra  # no numpy, no getattr, no mmengine HistoryBuffer
    # plain torch.load (weights_only=True by default) after `import wsss_mm`
    ckpt = torch.load(path)
    assert ckpt['meta']['iter'] == 2
    assert ckpt['meta']['dataset_meta']['threshold'] == 0.5
    assert type(ckpt['meta']['dataset_meta']['threshold']) is float
    info = ckpt['message_hub']['runtime_info']
    assert type(info['best_score']) is float
    loss = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(loss, HistoryBuffer)
    logs, counts = loss.data
    assert isinstance(
        logs, np.ndarray) and len(logs) == 2 and counts.dtype == np.int64
    assert ckpt['message_hub']['log_scalars']['val/n'].data[
        0].dtype == np.int64
    assert 'momentum_buffer' in next(iter(ckpt['optimizer']['state'].values()))
    assert len(ckpt['param_schedulers']) == 2
    # mmengine's loader (load_from, resume, tools/test.py) goes through ours
    out = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert torch.equal(out['state_dict']['fc.weight'],
                       ckpt['state_dict']['fc.weight'])
    # every checkpoint of the run (iter_1, best_err_*) is weights-only
    for name in os.listdir(toy_work_dir):
        if name.endswith('.pth'):
            torch.load(str(toy_work_dir / name))


def test_hook_added_once_without_config(tmp_path):
    from wsss_mm.engine.hooks.weights_only_checkpoint_hook import \
        WeightsOnlyCheckpointHook

    def count(runner):
        return sum(
            isinstance(h, WeightsOnlyCheckpointHook) for h in runner.hooks)

    assert count(_toy_runner(tmp_path / 'a', 1, name='hook_a')) == 1
    listed = _toy_runner(
        tmp_path / 'b',
        1,
        name='hook_b',
        custom_hooks=[dict(type='WeightsOnlyCheckpointHook')])
    assert count(listed) == 1
    assert type(listed.hooks[-1]) is WeightsOnlyCheckpointHook  # runs last


def test_hook_converts_and_warns_once_about_the_rest(monkeypatch):
    import wsss_mm.engine.hooks.weights_only_checkpoint_hook as mod
    logs = []
    monkeypatch.setattr(mod, 'print_log',
                        lambda msg, *a, **k: logs.append(msg))
    hook = mod.WeightsOnlyCheckpointHook()
    for _ in range(2):
        ckpt = dict(
            state_dict=OrderedDict(w=torch.ones(1)),
            meta=dict(seed=np.int64(1), odd=NotAllowed()))
        hook.before_save_checkpoint(None, ckpt)
        assert type(ckpt['meta']['seed']) is int
    assert len(logs) == 1 and '/meta/odd' in logs[0] and ENV in logs[0]


def test_resume_from_weights_only_checkpoint(toy_work_dir, tmp_path,
                                             monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    forbid_full_unpickling(monkeypatch)
    work = tmp_path / 'resume'
    shutil.copytree(toy_work_dir, work)
    (work / 'last_checkpoint').write_text(str(work / 'iter_2.pth'))
    runner = _toy_runner(work, max_iters=3, resume=True, name='resume')
    runner.train()
    assert runner.iter == 3
    hub = runner.message_hub
    logs, counts = hub.get_scalar('train/loss').data
    assert isinstance(logs, np.ndarray) and len(logs) == 3  # 2 resumed + 1 new
    assert hub.get_info('best_score') is not None
    ckpt = torch.load(str(work / 'iter_3.pth'))
    assert ckpt['meta']['iter'] == 3
    assert len(ckpt['message_hub']['log_scalars']['train/loss'].data[0]) == 3


def test_forged_checkpoint_beside_marker_refused(tmp_path, monkeypatch):
    """A `last_checkpoint` marker is just a file: anyone can ship one in an
    archive next to a malicious .pth. It must not grant trust."""
    from mmengine.runner.checkpoint import CheckpointLoader
    monkeypatch.delenv(ENV, raising=False)
    ran = tmp_path / 'payload_ran'
    work = tmp_path / 'work_dirs' / 'cfg'
    work.mkdir(parents=True)
    path = work / 'iter_1.pth'
    torch.save({
        'state_dict': {
            'w': torch.ones(1)
        },
        'meta': Payload(ran)
    }, str(path))
    (work / 'last_checkpoint').write_text(str(path))
    with pytest.raises(pickle.UnpicklingError, match=ENV):
        load_checkpoint_file(str(path))
    with pytest.raises(pickle.UnpicklingError):
        CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    assert not ran.exists()


def test_trusted_dir_with_tilde_and_vars_loads_and_logs(tmp_path, monkeypatch):
    home = tmp_path / 'home'
    (home / 'trusted').mkdir(parents=True)
    (home / 'trusted2').mkdir()
    monkeypatch.setenv('HOME', str(home))
    ran = tmp_path / 'payload_ran'
    path = home / 'trusted' / 'iter_1.pth'
    torch.save({
        'state_dict': {
            'w': torch.ones(1)
        },
        'meta': Payload(ran)
    }, str(path))
    shutil.copy(path, home / 'trusted2' / 'iter_1.pth')
    monkeypatch.setenv(ENV, '~/trusted')
    logs = record_logs(monkeypatch)
    out = load_checkpoint_file(str(path))
    assert torch.equal(out['state_dict']['w'], torch.ones(1)) and ran.exists()
    assert len(logs) == 1 and str(path) in logs[0] and ENV in logs[0]
    ran.unlink()
    # a sibling that only shares the prefix is not trusted
    with pytest.raises(pickle.UnpicklingError):
        load_checkpoint_file(str(home / 'trusted2' / 'iter_1.pth'))
    assert not ran.exists()
    # environment variables are expanded too, entries are os.pathsep separated
    monkeypatch.setenv('WSSS_TEST_ROOT', str(home))
    monkeypatch.setenv(
        ENV, os.pathsep.join(['/nonexistent', '$WSSS_TEST_ROOT/trusted2']))
    load_checkpoint_file(str(home / 'trusted2' / 'iter_1.pth'))
    assert ran.exists()


def test_mmengine_history_buffer_checkpoint_needs_trusted_dir(
        tmp_path, monkeypatch):
    """A checkpoint saved without the hook is refused, even beside a
    last_checkpoint marker, and loads from a trusted dir. (mmengine's
    HistoryBuffer is not allowlisted: its pickle also holds its statistics
    functions, which need ``getattr``.)"""
    monkeypatch.delenv(ENV, raising=False)
    buf = HistoryBuffer()
    buf.update(np.float64(1.0))
    state = {'state_dict': {'w': torch.ones(1)}, 'message_hub': {'log': buf}}
    path = str(tmp_path / 'c.pth')
    torch.save(state, path)
    with pytest.raises(pickle.UnpicklingError, match='HistoryBuffer'):
        load_checkpoint_file(path)
    (tmp_path / 'last_checkpoint').write_text(path)
    with pytest.raises(pickle.UnpicklingError, match='HistoryBuffer'):
        load_checkpoint_file(path)
    monkeypatch.setenv(ENV, str(tmp_path))
    out = load_checkpoint_file(path)
    assert isinstance(out['message_hub']['log'], HistoryBuffer)


def test_convert_old_checkpoint(tmp_path, monkeypatch):
    from wsss_mm.utils.checkpoint import convert_to_weights_only
    buf = HistoryBuffer()
    buf.update(np.float64(2.0))
    old = tmp_path / 'old' / 'iter_1.pth'
    old.parent.mkdir()
    torch.save(
        {
            'state_dict': {
                'w': torch.ones(1)
            },
            'meta': {
                'seed': np.int64(3)
            },
            'message_hub': {
                'log_scalars': {
                    'loss': buf
                }
            }
        }, str(old))
    monkeypatch.setenv(ENV, str(old.parent))
    new = str(tmp_path / 'new.pth')
    convert_to_weights_only(str(old), new)
    monkeypatch.delenv(ENV)
    forbid_full_unpickling(monkeypatch)
    out = load_checkpoint_file(new)
    assert out['meta']['seed'] == 3 and type(out['meta']['seed']) is int
    assert out['message_hub']['log_scalars']['loss'].current() == 2.0


def test_untrusted_pickle_rejected_even_in_work_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    outside = tmp_path / 'download'
    outside.mkdir()
    path = str(outside / 'c.pth')
    torch.save({'meta': NotAllowed()}, path)
    with pytest.raises(pickle.UnpicklingError, match=ENV):
        load_checkpoint_file(path)
    work = tmp_path / 'work'
    work.mkdir()
    shutil.copy(path, work / 'iter_1.pth')
    (work / 'last_checkpoint').write_text(str(work / 'iter_1.pth'))
    with pytest.raises(pickle.UnpicklingError, match=ENV):
        load_checkpoint_file(str(work / 'iter_1.pth'))


def test_trusted_dirs_env(tmp_path, monkeypatch):
    path = str(tmp_path / 'c.pth')
    torch.save({'meta': NotAllowed()}, path)
    monkeypatch.setenv(ENV, str(tmp_path))
    assert isinstance(load_checkpoint_file(path)['meta'], NotAllowed)


def test_to_weights_only_conversions():
    from wsss_mm.utils.checkpoint import (PlainHistoryBuffer,
                                          non_weights_only_paths,
                                          to_weights_only)
    sd = OrderedDict(w=torch.ones(1))
    sd._metadata = {'': {'version': 1}}
    assert to_weights_only(
        sd) is sd  # unchanged containers are kept as they are
    buf = HistoryBuffer(
        np.array([0.5, 1.5], np.float32), np.array([1, 2], np.int32))
    src = dict(
        f=np.float64(0.5),
        i=np.int64(3),
        b=np.bool_(True),
        s=np.str_('x'),
        a=np.arange(4, dtype=np.uint8).reshape(2, 2),
        d=np.dtype('float32'),
        t=np.float32,
        size=torch.Size([2, 3]),
        tup=(np.int32(1), 'y'),
        nested=[{
            'k': np.float16(2)
        }],
        sd=sd,
        buf=buf,
        none=None)
    out = to_weights_only(src)
    assert out['f'] == 0.5 and type(out['f']) is float
    assert type(out['i']) is int and out['b'] is True and type(out['s']) is str
    assert out['a'] == [[0, 1], [2, 3]] and type(out['a'][0][0]) is int
    assert out['d'] == 'float32' and out['t'] == 'float32'
    assert type(out['size']) is torch.Size and out['tup'] == (1, 'y')
    assert type(out['nested'][0]['k']) is float and out['sd'] is sd
    assert type(out['buf']) is PlainHistoryBuffer and type(
        src['buf']) is HistoryBuffer
    assert non_weights_only_paths(out) == []
    assert non_weights_only_paths({'m': {
        'x': NotAllowed()
    }}) == [f'/m/x ({__name__}.NotAllowed)']
    # PlainHistoryBuffer round trip keeps values and dtypes
    back = pickle.loads(pickle.dumps(out['buf']))
    assert back.current() == 1.5 and back.data[1].tolist() == [1, 2]
    assert back.data[0].dtype == buf.data[0].dtype and back.data[
        1].dtype == buf.data[1].dtype


def test_extract_backbone_writes_plain_weights_only_file(
        toy_work_dir, tmp_path):
    """The backbone file loads with plain torch.load(weights_only=True) in a
    fresh interpreter that never imported wsss_mm (no allowlist at all)."""
    from tools.extract_backbone import extract_backbone
    out = str(tmp_path / 'backbone.pth')
    n = extract_backbone(
        _last(toy_work_dir),
        out,
        prefix='fc.',
        meta=dict(score=np.float64(0.25), ids=np.arange(2)))
    assert n == 2
    code = (
        'import sys, torch; c = torch.load(sys.argv[1], weights_only=True); '
        'assert set(c["state_dict"]) == {"weight", "bias"}, c; '
        'assert c["meta"]["score"] == 0.25 and c["meta"]["ids"] == [0, 1], c')
    proc = subprocess.run([sys.executable, '-c', code, out],
                          capture_output=True,
                          text=True,
                          env=dict(os.environ, OMP_NUM_THREADS='1'),
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert osp.isfile(out) and len(
        os.listdir(tmp_path)) == 1  # no temp file left


def test_missing_checkpoint_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_file(str(tmp_path / 'nope.pth'))
