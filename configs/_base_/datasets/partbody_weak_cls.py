# The part-and-body benchmark for stages 1-2 (classifier + seeds): trains on
# image-level labels; validates the seeds of the val split against GT with the
# GT image
# labels (pseudo-mask quality); tests = the seed pass over train, which
# writes seeds to test_evaluator.output_dir (set by the config, from
# configs/_base_/paths.py) and reports seed mIoU.
_base_ = ['./partbody_weak.py']
train_dataloader = _base_.cls_train_dataloader
test_dataloader = _base_.seed_dataloader
val_evaluator = dict(type='SeedMetric', prefix='seed_val', num_overlays=0)
test_evaluator = dict(type='SeedMetric', prefix='seed')
