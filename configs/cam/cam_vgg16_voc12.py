# CAM baseline, stages 1-2 on VOC 2012 aug.
#   stage 1: python tools/train.py configs/cam/cam_vgg16_voc12.py
#   stage 2: python tools/test.py configs/cam/cam_vgg16_voc12.py \
#                work_dirs/cam_vgg16_voc12/iter_8000.pth
#            (writes the seeds to cam_vgg16_voc12_seeds of
#            configs/_base_/paths.py, seed mIoU)
_base_ = [
    '../_base_/models/cam_vgg16.py',
    '../_base_/datasets/voc12_aug_weak_cls.py',
    '../_base_/schedules/cls_8k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
test_evaluator = dict(output_dir=_base_.cam_vgg16_voc12_seeds)
