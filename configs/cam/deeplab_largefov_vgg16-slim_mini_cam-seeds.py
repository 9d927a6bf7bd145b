# CAM baseline stage 3 on the mini benchmark (twin of the VOC config).
_base_ = ['./deeplab_largefov_vgg16_voc12_cam-seeds.py',
          '../_base_/datasets/mini_fmnist_weak.py']
pretrained = '{{ fileDirname }}/../../data/pretrained/vgg16-slim_fmnist-objects.pth'
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_vgg16-slim_mini'
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(width_mult=0.125, norm_cfg=dict(type='BN'),
                  init_cfg=dict(checkpoint=pretrained)),
    decode_head=dict(in_channels=64, channels=128, num_classes=11))
_seg = _base_.mini_seg_train_dataloader
train_dataloader = dict(_seg, dataset=dict(_seg.dataset, data_prefix=dict(
    _seg.dataset.data_prefix, seg_map_path=seed_dir)))
val_dataloader = _base_.mini_val_dataloader
test_dataloader = _base_.mini_val_dataloader
tta_pipeline = _base_.mini_tta_pipeline
param_scheduler = [dict(type='PolyLR', eta_min=0, power=0.9, begin=0, end=500, by_epoch=False)]
train_cfg = dict(max_iters=500, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500), logger=dict(interval=20))
optim_wrapper = dict(optimizer=dict(lr=0.01))
