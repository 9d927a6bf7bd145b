"""wsss_mm parts combined with mmseg/mmpretrain parts by config alone."""
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from conftest import REPO, run_tool
from mmseg.registry import MODELS
from wsss_mm.utils.io import atomic_write_png, read_label_png


def test_mmseg_deeplabv3plus_config_trains_on_wsss_seeds(tiny_voc, tmp_path):
    """configs/compose/ inherits mmseg::deeplabv3plus/... and trains on seeds."""
    seeds = tmp_path / 'seeds'
    ids = open(osp.join(tiny_voc, 'ImageSets/Segmentation/train.txt')).read().split()
    for i in ids:  # seeds: GT with a ring of ignored pixels
        gt = read_label_png(osp.join(tiny_voc, 'SegmentationClass', i + '.png'))
        gt = gt.copy()
        gt[:8] = 255
        atomic_write_png(gt, str(seeds / (i + '.png')))
    work = tmp_path / 'work'
    run_tool('tools/train.py', 'configs/compose/deeplabv3plus_r50-d8_voc12_cam-seeds.py',
             '--work-dir', str(work), '--cfg-options',
             f'train_dataloader.dataset.data_root={tiny_voc}',
             'train_dataloader.dataset.ann_file=ImageSets/Segmentation/train.txt',
             f'train_dataloader.dataset.data_prefix.seg_map_path={seeds}',
             'train_dataloader.dataset.data_prefix.label_path=SegmentationClass',
             'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
             'train_dataloader.persistent_workers=False',
             'model.pretrained=None', 'model.data_preprocessor.size=(64,64)',
             'model.decode_head.num_classes=11', 'model.auxiliary_head.num_classes=11',
             'train_cfg.max_iters=2', 'train_cfg.val_interval=100',
             'default_hooks.checkpoint.interval=2',
             'val_cfg=None', 'val_dataloader=None', 'val_evaluator=None',
             'test_cfg=None', 'test_dataloader=None', 'test_evaluator=None')
    assert osp.isfile(work / 'iter_2.pth')
    cfg = Config.fromfile(osp.join(REPO, 'configs/compose/deeplabv3plus_r50-d8_voc12_cam-seeds.py'))
    assert cfg.model.decode_head.type == 'DepthwiseSeparableASPPHead'  # mmseg's own head


def test_cam_classifier_on_mmpretrain_backbone(tiny_voc):
    cfg = Config.fromfile(osp.join(REPO, 'configs/compose/cam_mmpretrain-resnet18_voc12.py'))
    init_default_scope('mmseg')
    import mmpretrain.models  # noqa: F401  (what custom_imports does)
    cfg.model.backbone.init_cfg = None
    cfg.model.cls_head.num_classes = 10
    model = MODELS.build(cfg.model)
    from mmseg.structures import SegDataSample
    sample = SegDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64)))
    sample.gt_img_labels = torch.tensor([1.] + [0.] * 4 + [1.] + [0.] * 5)
    losses = model.loss(torch.rand(2, 3, 64, 64), [sample, sample])
    assert losses['loss_cls'].requires_grad
    model.eval()
    out = model.predict(torch.rand(1, 3, 64, 64), [sample])[0]
    seeds = out.pred_sem_seg.data
    assert seeds.shape == (1, 64, 64)
    assert set(np.unique(seeds.numpy())) <= {0, 5, 255}  # only the image's classes
