"""Two CPU processes (gloo) through tools/dist_train.sh and dist_test.sh."""
import json
import os
import os.path as osp
import subprocess
import sys

from conftest import REPO


def tiny_options(root):
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [
            f'{loader}.dataset.data_root={root}', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    return opts + [
        'model.backbone.init_cfg=None', 'train_cfg.max_iters=3',
        'train_cfg.val_interval=3', 'param_scheduler.0.end=3',
        'default_hooks.checkpoint.interval=3', 'train_dataloader.batch_size=4',
        'test_dataloader.batch_size=2'
    ]


def test_dist_train_and_sharded_seed_writing(tiny_voc, tmp_path):
    env = dict(
        os.environ, PYTHON=sys.executable, PORT='29561', OMP_NUM_THREADS='1')
    cfg = 'configs/cam/cam_vgg16-slim_mini.py'
    work = str(tmp_path / 'work')
    opts = tiny_options(tiny_voc)
    proc = subprocess.run([
        'bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', work,
        '--cfg-options', *opts
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    log = proc.stdout + proc.stderr
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    ckpt = open(osp.join(work, 'last_checkpoint')).read().strip()
    seeds = tmp_path / 'seeds'
    metrics = tmp_path / 'm.json'
    env['PORT'] = '29562'
    proc = subprocess.run([
        'bash', 'tools/dist_test.sh', cfg, ckpt, '2', '--work-dir', work,
        '--out',
        str(seeds), '--metrics-out',
        str(metrics), '--cfg-options', *opts
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    assert sorted(f for f in os.listdir(seeds) if f.endswith('.png')) == \
        sorted(i + '.png' for i in ids)  # both shards
    assert osp.isfile(seeds / 'provenance.json')  # written once, by rank 0
    assert 0 <= json.load(open(metrics))['seed/mIoU'] <= 100


def test_ficklenet_seeds_same_for_1_and_2_ranks_and_refusal_on_every_rank(
        tiny_voc, tmp_path):
    """Issue #16 item 3: FickleNet's selections were seeded by the position in
    the batch, so seeds changed with the number of ranks. Now one rank at
    batch 8 and two gloo ranks at batch 3 write the same 16 seed PNGs. And a
    run refused for its provenance (another checkpoint into that folder) stops
    every rank with the message, none waits for the others."""
    import numpy as np
    from tiny_models import (ficklenet_model, pngs, run_test,
                             save_random_checkpoint, write_config)
    cfg = write_config(
        tmp_path / 'fickle.py',
        tiny_voc,
        ficklenet_model(tiny_voc),
        batch_size=8)
    ckpt = save_random_checkpoint(cfg, tmp_path / 'a.pth', 1)
    one = str(tmp_path / 'one')
    run_test(cfg, ckpt, tmp_path / 'w1', '--out', one)
    env = dict(
        os.environ, PYTHON=sys.executable, PORT='29563', OMP_NUM_THREADS='1')
    two = str(tmp_path / 'two')
    proc = subprocess.run([
        'bash', 'tools/dist_test.sh', cfg, ckpt, '2', '--work-dir',
        str(tmp_path / 'w2'), '--out', two, '--cfg-options',
        'test_dataloader.batch_size=3'
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    a, b = pngs(one), pngs(two)
    assert len(a) == 16 and sorted(a) == sorted(b)
    differ = [k for k in a if not np.array_equal(a[k], b[k])]
    assert not differ, (
        f'{len(differ)} of 16 seed PNGs differ between 1 and 2 ranks')
    # another checkpoint into the 1-rank folder: refused on both ranks
    other = save_random_checkpoint(cfg, tmp_path / 'b.pth', 2)
    env['PORT'] = '29564'
    proc = subprocess.run([
        'bash', 'tools/dist_test.sh', cfg, other, '2', '--work-dir',
        str(tmp_path / 'w3'), '--out', one
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode != 0
    assert 'checkpoint_sha256' in proc.stderr
    assert 'rank 0 refused the run' in proc.stderr
    assert all(np.array_equal(v, pngs(one)[k]) for k, v in a.items())
