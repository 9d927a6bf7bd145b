import os
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
# Tiny tensors: one thread each (tests and the tools they start) avoids
# oversubscribing the 2 cores (a 64x64 predict: 1.75 s with 2 threads under
# load, 5 ms with 1).
os.environ.setdefault('OMP_NUM_THREADS', '1')


@pytest.fixture(scope='session')
def tiny_voc(tmp_path_factory):
    """A tiny mini dataset (VOC layout): 16 train and 8 val scenes of 64x64."""
    from wsss_mm.datasets.scenes import SceneConfig, write_voc_scenes
    root = str(tmp_path_factory.mktemp('tiny_voc'))
    write_voc_scenes(
        root,
        num_train=16,
        num_val=8,
        seed=1,
        cfg=SceneConfig(size=64, clutter_shapes=6),
        progress=False)
    return root


#: what a segmentation sample loads: image, mask, packed
SEG_PIPELINE = (dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                dict(type='PackWeakSegInputs'))


def weak_voc_dataset(root, pipeline=SEG_PIPELINE, **kw):
    """A WeakVOCDataset of ``root``'s train list (images, GT masks), built
    through mmseg's registry; ``kw`` replaces or adds its options."""
    from mmengine.registry import init_default_scope
    from mmseg.registry import DATASETS

    import wsss_mm  # noqa: F401
    init_default_scope('mmseg')
    cfg = dict(
        type='WeakVOCDataset',
        data_root=root,
        ann_file='ImageSets/Segmentation/train.txt',
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClass'),
        pipeline=list(pipeline))
    cfg.update(kw)
    return DATASETS.build(cfg)


def run_tool(*args, timeout=600, env=None):
    """Run a repo script with this interpreter; return CompletedProcess."""
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, *args],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          timeout=timeout,
                          env=full_env)
    if proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}')
    return proc
