# Fully supervised upper bound: DeepLab-LargeFOV trained on the GT masks.
_base_ = ['../cam/deeplab_largefov_vgg16_voc12_cam-seeds.py']
train_dataloader = dict(
    dataset=dict(data_prefix=dict(seg_map_path=_base_.gt_dir)))
