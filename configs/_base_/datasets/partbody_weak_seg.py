# The part-and-body benchmark for stage 3 (segmentation network on seeds): the
# config
# sets train_dataloader.dataset.data_prefix.seg_map_path to its seeds
# (configs/_base_/paths.py); val and test = mIoU on the val split.
_base_ = ['./partbody_weak.py']
train_dataloader = _base_.seg_train_dataloader
test_dataloader = _base_.val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
