# Architecture #2 of the mini benchmark's multi-architecture seeds: the VOC
# twin (ResNet-101 CAM classifier) at mini scale: a slim ResNet-18-V1c (1/4
# width, 128 output channels, output stride 8), mini-pretrained
# (configs/pretrain/resnet18-slim_fmnist-objects.py + tools/extract_backbone.py),
# 128x128 crops and the schedule of configs/cam/cam_vgg16-slim_mini.py.
_base_ = ['./cam_resnet101_voc12.py', '../_base_/datasets/mini_fmnist_weak.py']
pretrained = '{{ fileDirname }}/../../data/pretrained/resnet18-slim_fmnist-objects.pth'
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_resnet18-slim_mini'
model = dict(
    data_preprocessor=dict(size=(128, 128)),
    # as pretrained (configs/pretrain/resnet18-slim_fmnist-objects.py)
    backbone=dict(depth=18, base_channels=16, stem_channels=16,
                  init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(in_channels=128, num_classes=10, dropout_ratio=0.0),
    seed_generator=dict(scales=(1.0, 0.75, 1.25), fg_threshold=0.45, bg_threshold=0.45))
train_dataloader = _base_.mini_cls_train_dataloader
val_dataloader = _base_.mini_val_dataloader
test_dataloader = _base_.mini_seed_dataloader
test_evaluator = dict(output_dir=seed_dir)
param_scheduler = [dict(type='PolyLR', eta_min=0, power=0.9, begin=0, end=1000, by_epoch=False)]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=50))
optim_wrapper = dict(optimizer=dict(lr=0.03))
