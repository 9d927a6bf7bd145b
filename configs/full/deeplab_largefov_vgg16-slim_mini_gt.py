# Fully supervised upper bound on the mini benchmark: the network and
# schedule of the CAM baseline's stage 3
# (configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py) trained on the
# GT masks, which also give the image-level labels (no label_path).
_base_ = [
    '../_base_/models/deeplab_largefov_vgg16.py',
    '../_base_/models/mini_slim.py', '../_base_/datasets/mini_fmnist_weak.py',
    '../_base_/schedules/seg_1k.py', '../_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=_base_.largefov_slim_head)
_seg = _base_.seg_train_dataloader
train_dataloader = dict(
    _seg,
    dataset=dict(
        _seg.dataset,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=_base_.gt_dir)))
test_dataloader = _base_.val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
