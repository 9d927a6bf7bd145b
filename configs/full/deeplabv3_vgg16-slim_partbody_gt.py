# Fully supervised reference on the part-and-body benchmark for the two-stage
# methods' segmentation network there (DeepLab v3 on the slim VGG-16,
# configs/_base_/models/mini_slim.py: partbody_aspp_head), with the stage-3
# schedule (schedules/seg_2k.py: 2,000 iterations, batch 8), trained on the GT
# masks (their ignore
# band ignored).
_base_ = [
    '../_base_/models/deeplab_largefov_vgg16.py',
    '../_base_/models/mini_slim.py', '../_base_/datasets/partbody_weak.py',
    '../_base_/schedules/seg_2k.py', '../_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=dict(_base_.partbody_aspp_head, _delete_=True))
_seg = _base_.seg_train_dataloader
train_dataloader = dict(
    _seg,
    dataset=dict(
        _seg.dataset,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=_base_.gt_dir)))
test_dataloader = _base_.val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
