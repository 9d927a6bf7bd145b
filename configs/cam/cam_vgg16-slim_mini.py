# CAM baseline stages 1-2 on the mini benchmark: the VOC twin's model part
# with the slim VGG-16 (1/8 width, BN; mini-pretrained) at 128x128, the mini
# data and the mini classifier schedule (configs/_base_/schedules/cls_1k.py).
_base_ = [
    '../_base_/models/cam_vgg16.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/mini_fmnist_weak_cls.py',
    '../_base_/schedules/cls_1k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    # Dropout2d(0.5) on 64 channels drops whole feature maps of a slim net:
    # seed mIoU on val 36.6 -> 39.7 without it
    cls_head=dict(in_channels=64, num_classes=10, dropout_ratio=0.0),
    # fg = bg threshold 0.5: best seed mIoU on 300 held-out train images
    # (0.2 of train, seed 0; benchmarks/choose_threshold.py, 2026-12-07):
    # 0.3 -> 35.3, 0.35 -> 36.8, 0.4 -> 37.9, 0.45 -> 38.6, 0.5 -> 38.8,
    # 0.55 -> 38.5; the 16x16 CAMs of 128x128 scenes are coarse
    seed_generator=dict(
        scales=(1.0, 0.75, 1.25), fg_threshold=0.5, bg_threshold=0.5))
test_evaluator = dict(output_dir=_base_.cam_vgg16_slim_mini_seeds)
