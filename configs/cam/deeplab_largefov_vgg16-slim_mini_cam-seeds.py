# CAM baseline stage 3 on the mini benchmark (twin of the VOC config): the
# slim LargeFOV (configs/_base_/models/mini_slim.py) on the mini CAM seeds,
# with the mini benchmark's common stage-3 schedule (schedules/seg_1k.py).
_base_ = [
    '../_base_/models/deeplab_largefov_vgg16.py',
    '../_base_/models/mini_slim.py',
    '../_base_/datasets/mini_fmnist_weak_seg.py',
    '../_base_/schedules/seg_1k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=_base_.largefov_slim_head)
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.cam_vgg16_slim_mini_seeds)))
