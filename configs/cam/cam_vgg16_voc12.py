# CAM baseline, stages 1-2 on VOC 2012 aug.
#   stage 1: python tools/train.py configs/cam/cam_vgg16_voc12.py
#   stage 2: python tools/test.py configs/cam/cam_vgg16_voc12.py \
#                work_dirs/cam_vgg16_voc12/iter_8000.pth   (writes seed_dir, seed mIoU)
_base_ = [
    '../_base_/datasets/voc12_aug_weak.py', '../_base_/models/cam_vgg16.py',
    '../_base_/schedules/cls_8k.py', '../_base_/default_runtime.py'
]
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_vgg16_voc12'
train_dataloader = _base_.cls_train_dataloader
# validation = seeds on val with GT image labels (pseudo-mask quality)
val_dataloader = dict(dataset=dict(pipeline=_base_.seed_pipeline))
val_evaluator = dict(_delete_=True, type='SeedMetric', prefix='seed_val', num_overlays=0)
test_dataloader = _base_.seed_dataloader
test_evaluator = dict(_delete_=True, type='SeedMetric', prefix='seed', output_dir=seed_dir)
