# FickleNet stage 3 (DSRG) on the part-and-body benchmark: DSRG's loss
# (DSRGHead: seed growing fg 0.85 / bg 0.99, balanced seed loss + CRF
# boundary loss, as the VOC twin) around the shared two-stage segmentation
# network there (DeepLab v3 on the slim VGG-16, configs/_base_/models/
# mini_slim.py: partbody_aspp_head), on the partbody FickleNet seeds, with
# the stage-3 schedule there (schedules/seg_2k.py: 2,000 iterations, batch
# 8) in DSRG's shape as the mini twin (x0.33 every eighth of the run, 250
# iterations, as the reference's 1,000 of 8,000). Scaled (docs/scale.md):
# DSRG's CRF ranges in map pixels (3/12, 80/12 on a 41x41 map) x 32/41; srgb
# stays.
_base_ = [
    '../_base_/models/dsrg_largefov_vgg16.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/partbody_weak_seg.py', '../_base_/schedules/seg_2k.py',
    '../_base_/default_runtime.py', '../_base_/paths.py'
]
map_scale = 32 / 41
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=dict(
        head=dict(_base_.partbody_aspp_head, _delete_=True),
        crf=dict(
            gaussian=dict(sxy=3 / 12 * map_scale),
            bilateral=dict(sxy=80 / 12 * map_scale))))
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(
            seg_map_path=_base_.ficklenet_vgg16_slim_partbody_seeds)))
param_scheduler = [
    dict(type='StepLR', step_size=250, gamma=0.33, by_epoch=False, begin=0)
]
