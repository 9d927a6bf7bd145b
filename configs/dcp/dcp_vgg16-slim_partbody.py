# DCP stages 1-2 on the part-and-body benchmark (256 px scenes, 32x32 maps):
# the VOC twin's seed generator (configs/_base_/models/dcp_seed_generator.py)
# on the network, data and schedule of configs/cam/cam_vgg16-slim_partbody.py,
# so its checkpoint serves both (tests/test_models/test_dcp.py checks they
# agree).
#   python tools/train.py configs/dcp/dcp_vgg16-slim_partbody.py              #
#   stage 1
#   python tools/dcp_statistics.py
#   configs/dcp/dcp_vgg16-slim_partbody_statistics.py CKPT  # 2a
#   python tools/test.py  configs/dcp/dcp_vgg16-slim_partbody.py CKPT         #
#   2b: seeds
# The paper's values (docs/scale.md; not the mini twin's val-chosen conv5_3 /
# margin 1.5): layer conv5_1 'backbone.features.36' (the first block of the
# last stage, as C4_1 of ResNet-101), margin 0 (the VOC twin's). Scaled: CRF
# bilateral sxy 80 x 256/500 = 41 (image pixels); srgb 13 and the Gaussian
# kernel (sxy 3) stay.
_base_ = [
    '../_base_/models/dcp_vgg16.py', '../_base_/models/mini_slim.py',
    '../_base_/datasets/partbody_weak_cls.py', '../_base_/schedules/cls_1k.py',
    '../_base_/default_runtime.py', '../_base_/paths.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    cls_head=dict(in_channels=64, num_classes=10),
    seed_generator=dict(
        layer='backbone.features.36',
        patterns_file=_base_.dcp_vgg16_slim_partbody_patterns,
        margin=0.0,
        crf=dict(bilateral=dict(sxy=41))))
# No validation while training the classifier (as the VOC twin): the seeds of
# this config need the class patterns of the statistics pass.
train_cfg = dict(val_begin=10**9)
test_evaluator = dict(output_dir=_base_.dcp_vgg16_slim_partbody_seeds)
