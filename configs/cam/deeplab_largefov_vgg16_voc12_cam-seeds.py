# CAM baseline, stage 3: DeepLab-LargeFOV trained on the CAM seeds of stage 2.
#   python tools/train.py configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py
#   python tools/test.py  configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py CKPT [--tta]
_base_ = [
    '../_base_/datasets/voc12_aug_weak.py', '../_base_/models/deeplab_largefov_vgg16.py',
    '../_base_/schedules/seg_20k.py', '../_base_/default_runtime.py'
]
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/cam_vgg16_voc12'
_seg = _base_.seg_train_dataloader
train_dataloader = dict(_seg, dataset=dict(_seg.dataset, data_prefix=dict(
    _seg.dataset.data_prefix, seg_map_path=seed_dir)))
tta_pipeline = _base_.tta_pipeline
