# FickleNet stage 3 (DSRG) on the part-and-body benchmark: DSRG's loss
# (DSRGHead: seed growing fg 0.85 / bg 0.99, balanced seed loss + CRF
# boundary loss, as the VOC twin) around the shared two-stage segmentation
# network there (DeepLab v3 on the slim VGG-16, configs/_base_/models/
# mini_slim.py: partbody_aspp_head), on the partbody FickleNet seeds, with
# the schedule of every two-stage segmentation there (schedules/seg_2k.py:
# poly over 2,000 iterations, batch 8), so that the FickleNet row differs
# from the others by its seeds and DSRG's loss alone; DSRG's own x0.33 steps
# are the ablation ./dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds_step.py
# (docs/fidelity.md). Scaled (docs/scale.md):
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
