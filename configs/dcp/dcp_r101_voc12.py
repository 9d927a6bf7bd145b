# DCP, Luo & Yang AAAI'20 ("Learning saliency-free model with generic
# features"), stages 1-2 on VOC 2012 aug. Classification network: ResNet-101
# (ImageNet, torchvision weights), output stride 16, CAM head (paper: "we first
# learn a normal classification network using the class labels").
#   stage 1 (classifier):  python tools/train.py configs/dcp/dcp_r101_voc12.py
#   stage 2a (statistics): python tools/dcp_statistics.py
#   configs/dcp/dcp_r101_voc12_statistics.py CKPT
#                          -> patterns_file (eq. 2), no seeds
#   stage 2b (seeds):      python tools/test.py configs/dcp/dcp_r101_voc12.py
#   CKPT
#                          -> seed PNGs in dcp_r101_voc12_seeds of
#                          configs/_base_/paths.py (0 = background), seed mIoU
#   stage 3: configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py, then the
#   retrain step
#   (configs/dcp/deeplab_largefov_vgg16_voc12_dcp-{predict,retrain}.py,
#   tools/fill_uncertain.py). CKPT = the stage-1 checkpoint
#   (work_dirs/dcp_r101_voc12/iter_8000.pth).
# Network and seed generator: configs/_base_/models/dcp_r101.py (layer C4_1 =
# backbone.layer4.0, Table 1); the classifier schedule of the CAM baseline.
_base_ = [
    '../_base_/models/dcp_r101.py', '../_base_/datasets/voc12_aug_weak_cls.py',
    '../_base_/schedules/cls_8k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
model = dict(seed_generator=dict(patterns_file=_base_.dcp_r101_voc12_patterns))
# No validation while training the classifier: the seeds of this config need
# the class patterns of the statistics pass, which needs this checkpoint.
train_cfg = dict(val_begin=10**9)
test_evaluator = dict(output_dir=_base_.dcp_r101_voc12_seeds)
