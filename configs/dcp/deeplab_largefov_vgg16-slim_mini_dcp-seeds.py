# DCP stage 3 on the mini benchmark (twin of the VOC config): slim LargeFOV
# on the DCP seeds of configs/dcp/dcp_vgg16-slim_mini.py. Scale: the mini
# network and the mini benchmark's common stage-3 schedule (SGD 0.01, poly,
# 1,000 iterations, batch 32: the CAM baseline's), so that methods compare.
_base_ = ['./deeplab_largefov_vgg16_voc12_dcp-seeds.py',
          '../_base_/datasets/mini_fmnist_weak.py']
pretrained = '{{ fileDirname }}/../../data/pretrained/vgg16-slim_fmnist-objects.pth'
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/dcp_vgg16-slim_mini'
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(width_mult=0.125, norm_cfg=dict(type='BN'),
                  init_cfg=dict(checkpoint=pretrained)),
    decode_head=dict(in_channels=64, channels=128, num_classes=11, dilation=4,
                     dropout_ratio=0.1))
_seg = _base_.mini_seg_train_dataloader
train_dataloader = dict(_seg, _delete_=True, dataset=dict(_seg.dataset, data_prefix=dict(
    _seg.dataset.data_prefix, seg_map_path=seed_dir)))
val_dataloader = _base_.mini_val_dataloader
test_dataloader = _base_.mini_val_dataloader
tta_pipeline = _base_.mini_tta_pipeline
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
                     paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.0)}))
param_scheduler = [dict(type='PolyLR', eta_min=0, power=0.9, begin=0, end=1000, by_epoch=False)]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=50))
