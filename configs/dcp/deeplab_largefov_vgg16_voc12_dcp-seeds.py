# DCP stage 3 on VOC 2012 aug: DeepLab-LargeFOV (VGG-16) trained on the DCP
# seeds of configs/dcp/dcp_r101_voc12.py (0 background, 255 = uncertain).
#   python tools/train.py configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py
#   python tools/test.py  configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py CKPT [--tta]
# Paper (Training and Testing Setting): Adam, LR 1e-4 for the new layers and
# 5e-6 for the backbone, batch 16, 20 epochs (10,582 / 16 x 20 = 13,230
# iterations), 328x328 training images; multi-scale test + CRF.
_base_ = ['../cam/deeplab_largefov_vgg16_voc12_cam-seeds.py']
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/dcp_r101_voc12'
crop_size = (328, 328)
model = dict(data_preprocessor=dict(size=crop_size))
_seg = _base_.seg_train_dataloader
train_dataloader = dict(
    _seg, batch_size=16,
    dataset=dict(_seg.dataset, data_prefix=dict(_seg.dataset.data_prefix, seg_map_path=seed_dir),
                 pipeline=[
                     dict(type='LoadImageFromFile'),
                     dict(type='LoadAnnotations'),
                     dict(type='RandomResize', scale=(512, 512), ratio_range=(0.5, 1.5),
                          keep_ratio=True),
                     dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
                     dict(type='RandomFlip', prob=0.5),
                     dict(type='PhotoMetricDistortion'),
                     dict(type='PackWeakSegInputs'),
                 ]))
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-4, weight_decay=0.0),
                     paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.05)}))
param_scheduler = [dict(type='ConstantLR', factor=1.0, begin=0, end=13230, by_epoch=False)]
train_cfg = dict(max_iters=13230, val_interval=13230)
default_hooks = dict(checkpoint=dict(interval=13230))
