# DCP stage 3 on the part-and-body benchmark, everything but the test pair
# (set by ../deeplabv3_vgg16-slim_partbody_dcp-{seeds,predict}.py): the
# shared two-stage segmentation network there (DeepLab v3 on the slim VGG-16,
# configs/_base_/models/mini_slim.py: partbody_aspp_head) in place of the
# VOC twin's LargeFOV, on the DCP seeds of
# configs/dcp/dcp_vgg16-slim_partbody.py,
# with the stage-3 schedule of every method there (schedules/seg_2k.py:
# 2,000 iterations, batch 8).
_base_ = [
    '../../_base_/models/deeplab_largefov_vgg16.py',
    '../../_base_/models/mini_slim.py',
    '../../_base_/datasets/partbody_weak.py',
    '../../_base_/schedules/seg_2k.py', '../../_base_/default_runtime.py',
    '../../_base_/paths.py'
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
        data_prefix=dict(
            _seg.dataset.data_prefix,
            seg_map_path=_base_.dcp_vgg16_slim_partbody_seeds)))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
