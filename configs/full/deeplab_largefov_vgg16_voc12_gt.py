# Fully supervised upper bound: DeepLab-LargeFOV trained on the GT masks.
_base_ = ['../cam/deeplab_largefov_vgg16_voc12_cam-seeds.py']
_seg = _base_.seg_train_dataloader
train_dataloader = dict(_seg, dataset=dict(_seg.dataset, data_prefix=dict(
    img_path='JPEGImages', seg_map_path=_base_.gt_dir)))
