# CAM baseline stage 3 on the part-and-body benchmark: the shared two-stage
# segmentation network there (DeepLab v3 on the slim VGG-16,
# configs/_base_/models/mini_slim.py: partbody_aspp_head) in place of the VOC
# twin's LargeFOV, the part-and-body stage-3 schedule (schedules/seg_2k.py:
# 2,000 iterations, batch 8).
_base_ = [
    '../_base_/models/deeplab_largefov_vgg16.py',
    '../_base_/models/mini_slim.py', '../_base_/datasets/partbody_weak_seg.py',
    '../_base_/schedules/seg_2k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=dict(_base_.partbody_aspp_head, _delete_=True))
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.cam_vgg16_slim_partbody_seeds)))
