# CAM baseline stages 1-2 on the mini benchmark: the VOC twin with a slim
# VGG-16 (1/8 width, BN; mini-pretrained) at 128x128 and a short schedule.
_base_ = ['./cam_vgg16_voc12.py', '../_base_/datasets/mini_fmnist_weak.py']
pretrained = '{{ fileDirname }}/../../data/pretrained/vgg16-slim_fmnist-objects.pth'
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_vgg16-slim_mini'
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(width_mult=0.125, norm_cfg=dict(type='BN'),
                  init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(in_channels=64, num_classes=10),
    seed_generator=dict(scales=(1.0, 0.75, 1.25)))
train_dataloader = _base_.mini_cls_train_dataloader
val_dataloader = _base_.mini_val_dataloader
test_dataloader = _base_.mini_seed_dataloader
test_evaluator = dict(output_dir=seed_dir)
# about 10 epochs of 1,500 scenes at batch 32
param_scheduler = [dict(type='PolyLR', eta_min=0, power=0.9, begin=0, end=500, by_epoch=False)]
train_cfg = dict(max_iters=500, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500), logger=dict(interval=20))
optim_wrapper = dict(optimizer=dict(lr=0.01))
