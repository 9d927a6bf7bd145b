# CAM baseline stage 3 on the mini benchmark (twin of the VOC config).
_base_ = ['./deeplab_largefov_vgg16_voc12_cam-seeds.py',
          '../_base_/datasets/mini_fmnist_weak.py']
pretrained = '{{ fileDirname }}/../../data/pretrained/vgg16-slim_fmnist-objects.pth'
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_vgg16-slim_mini'
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(width_mult=0.125, norm_cfg=dict(type='BN'),
                  init_cfg=dict(checkpoint=pretrained)),
    # scale: a 16x16 map (41x41 on VOC) wants dilation 12*16/41 ~ 4, and
    # dropout 0.5 on 128 channels (1024 on VOC) stalls training (GT-trained,
    # 500 it.: d12/p0.5 7.7 mIoU, d4/p0.1 27.6)
    decode_head=dict(in_channels=64, channels=128, num_classes=11, dilation=4,
                     dropout_ratio=0.1))
_seg = _base_.mini_seg_train_dataloader
train_dataloader = dict(_seg, dataset=dict(_seg.dataset, data_prefix=dict(
    _seg.dataset.data_prefix, seg_map_path=seed_dir)))
val_dataloader = _base_.mini_val_dataloader
test_dataloader = _base_.mini_val_dataloader
tta_pipeline = _base_.mini_tta_pipeline
# about 21 epochs of 1,500 scenes at batch 32
param_scheduler = [dict(type='PolyLR', eta_min=0, power=0.9, begin=0, end=1000, by_epoch=False)]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=50))
optim_wrapper = dict(optimizer=dict(lr=0.01))  # 0.03: 14.6 mIoU at 500 it.
