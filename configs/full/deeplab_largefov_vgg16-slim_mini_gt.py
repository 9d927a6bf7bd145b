# Fully supervised upper bound on the mini benchmark.
_base_ = ['../cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py']
_seg = _base_.mini_seg_train_dataloader
train_dataloader = dict(_seg, dataset=dict(_seg.dataset, data_prefix=dict(
    img_path='JPEGImages', seg_map_path=_base_.mini_gt_dir)))
