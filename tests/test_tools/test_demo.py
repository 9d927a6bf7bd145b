"""demo/seed_demo.py: one image through a classifier / segmentor checkpoint
(checkpoints trained for 2 iterations on the tiny_voc scenes)."""
import importlib.util
import os.path as osp
import sys

import numpy as np
import pytest
from conftest import REPO, run_tool
from PIL import Image

CAM_CFG = osp.join(REPO, 'configs/cam/cam_vgg16-slim_mini.py')
SEG_CFG = osp.join(REPO, 'configs/full/deeplab_largefov_vgg16-slim_mini_gt.py')
NO_EVAL = [
    'val_cfg=None', 'val_dataloader=None', 'val_evaluator=None',
    'test_cfg=None', 'test_dataloader=None', 'test_evaluator=None'
]


def _train(config, data_root, work_dir):
    run_tool('tools/train.py', config, '--work-dir', str(work_dir),
             '--cfg-options',
             f'train_dataloader.dataset.data_root={data_root}',
             'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
             'train_dataloader.persistent_workers=False',
             'model.backbone.init_cfg=None', 'train_cfg.max_iters=2',
             'train_cfg.val_interval=100',
             'default_hooks.checkpoint.interval=2', *NO_EVAL)
    ckpt = osp.join(str(work_dir), 'iter_2.pth')
    assert osp.isfile(ckpt)
    return ckpt


@pytest.fixture(scope='module')
def checkpoints(tiny_voc, tmp_path_factory):
    work = tmp_path_factory.mktemp('demo_ckpts')
    return dict(
        cam=_train(CAM_CFG, tiny_voc, work / 'cam'),
        seg=_train(SEG_CFG, tiny_voc, work / 'seg'))


@pytest.fixture(scope='module')
def seed_demo():
    spec = importlib.util.spec_from_file_location(
        'seed_demo', osp.join(REPO, 'demo', 'seed_demo.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _image(tiny_voc, index=1):
    return osp.join(tiny_voc, 'JPEGImages', f'train_{index:05d}.jpg')


def _panels(path, count, size=64, min_size=256):
    """Width of a row of ``count`` enlarged panels (seed_demo.GUTTER = 4)."""
    scale = -(-min_size // size)
    width = count * size * scale + (count - 1) * 4
    with Image.open(path) as im:
        return im.size, width, np.asarray(im.convert('RGB'))


def test_classifier_and_segmentor_picture(checkpoints, tiny_voc, tmp_path):
    """The command line: image | CAM t-shirt | CAM bag | seeds | prediction."""
    out = tmp_path / 'out.png'
    proc = run_tool('demo/seed_demo.py', _image(tiny_voc), CAM_CFG,
                    checkpoints['cam'], '--labels', 'T-shirt,9', '--out',
                    str(out), '--device', 'cpu', '--seg-config', SEG_CFG,
                    '--seg-checkpoint', checkpoints['seg'])
    (width, height), expected, pixels = _panels(out, 5)
    assert width == expected and height > 256
    assert 'image | CAM t-shirt | CAM bag | seeds | prediction' in proc.stdout
    assert 't-shirt: p = ' in proc.stdout and '(given)' in proc.stdout
    assert pixels[20:256].std() > 0  # panels drawn, not a blank canvas
    assert not list(tmp_path.glob('out.png.tmp*'))  # atomic write left nothing


def test_seeds_follow_the_labels(checkpoints, tiny_voc, seed_demo):
    model = seed_demo.load_model(CAM_CFG, checkpoints['cam'], 'cpu')
    classes = model.dataset_meta['classes']
    assert classes[0] == 'background' and len(classes) == 11
    labels = seed_demo.parse_labels('trouser, bag', classes)
    picked, cams, seeds, probs = seed_demo.run_classifier(
        model, _image(tiny_voc), labels)
    assert picked == labels == [2, 9] and sorted(cams) == [2, 9]
    assert all(0 <= c.min() and c.max() <= 1 and c.shape == (64, 64)
               for c in cams.values())
    assert set(np.unique(seeds).tolist()) <= {0, 2, 9, 255}
    assert probs.shape == (10, )
    picked, cams, seeds, _ = seed_demo.run_classifier(
        model, _image(tiny_voc))  # predicted
    assert picked and set(np.unique(seeds).tolist()) <= {0, 255, *picked}


def test_segmentor_alone_and_bad_labels(checkpoints, tiny_voc, tmp_path,
                                        seed_demo, capsys):
    out = tmp_path / 'seg.png'
    seed_demo.main([
        _image(tiny_voc, 2), SEG_CFG, checkpoints['seg'], '--out',
        str(out), '--device', 'cpu'
    ])
    (width, _), expected, _ = _panels(out, 2)
    assert width == expected
    assert 'image | prediction' in capsys.readouterr().out
    with pytest.raises(SystemExit, match='unknown class .*cat.*t-shirt'):
        seed_demo.main([
            _image(tiny_voc), CAM_CFG, checkpoints['cam'], '--labels', 'cat',
            '--out',
            str(tmp_path / 'x.png'), '--device', 'cpu'
        ])
    assert not (tmp_path / 'x.png').exists()


if __name__ == '__main__':
    sys.exit(pytest.main([__file__, '-q']))
