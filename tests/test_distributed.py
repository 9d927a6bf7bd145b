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
        opts += [f'{loader}.dataset.data_root={root}', f'{loader}.num_workers=0',
                 f'{loader}.persistent_workers=False']
    return opts + ['model.backbone.init_cfg=None', 'train_cfg.max_iters=3',
                   'train_cfg.val_interval=3', 'param_scheduler.0.end=3',
                   'default_hooks.checkpoint.interval=3', 'train_dataloader.batch_size=4',
                   'test_dataloader.batch_size=2']


def test_dist_train_and_sharded_seed_writing(tiny_voc, tmp_path):
    env = dict(os.environ, PYTHON=sys.executable, PORT='29561', OMP_NUM_THREADS='1')
    cfg = 'configs/cam/cam_vgg16-slim_mini.py'
    work = str(tmp_path / 'work')
    opts = tiny_options(tiny_voc)
    proc = subprocess.run(['bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', work,
                           '--cfg-options', *opts], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    log = proc.stdout + proc.stderr
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    ckpt = open(osp.join(work, 'last_checkpoint')).read().strip()
    seeds = tmp_path / 'seeds'
    metrics = tmp_path / 'm.json'
    env['PORT'] = '29562'
    proc = subprocess.run(['bash', 'tools/dist_test.sh', cfg, ckpt, '2', '--work-dir', work,
                           '--out', str(seeds), '--metrics-out', str(metrics),
                           '--cfg-options', *opts], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-5000:]
    ids = open(osp.join(tiny_voc, 'ImageSets/Segmentation/train.txt')).read().split()
    assert sorted(os.listdir(seeds)) == sorted(i + '.png' for i in ids)  # both shards
    assert 0 <= json.load(open(metrics))['seed/mIoU'] <= 100
