# CAM baseline, stage 3: DeepLab-LargeFOV trained on the CAM seeds of stage 2.
#   python tools/train.py configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py
#   python tools/test.py  configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py
#   CKPT [--tta]
_base_ = [
    '../_base_/models/deeplab_largefov_vgg16.py',
    '../_base_/datasets/voc12_aug_weak_seg.py',
    '../_base_/schedules/seg_20k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
# DeepLab's ImageNet fc6 / fc7 and learning rates (fc8 at 10x only): written
# once by tools/model_converters/vgg16_deeplab_fc.py --head largefov (see
# configs/_base_/models/deeplab_largefov_vgg16.py)
model = dict(
    backbone=dict(init_cfg=_base_.largefov_imagenet_backbone_init),
    decode_head=dict(init_cfg=_base_.largefov_imagenet_head_init))
optim_wrapper = dict(paramwise_cfg=_base_.deeplab_paramwise_cfg)
train_dataloader = dict(
    dataset=dict(data_prefix=dict(seg_map_path=_base_.cam_vgg16_voc12_seeds)))
