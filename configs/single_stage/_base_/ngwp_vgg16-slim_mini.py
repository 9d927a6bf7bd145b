# Single-stage WSSS on the mini benchmark, everything but the test pair,
# which its configs set: ../ngwp_vgg16-slim_mini.py (val mIoU) and
# ../ngwp_vgg16-slim_mini_pseudo-masks.py (pseudo masks of train). The VOC
# twin (ngwp_vgg16_voc12.py: the model part configs/_base_/models/
# ngwp_vgg16.py) with what scale forces changed:
# - slim VGG-16 (1/8 width, BN), mini-pretrained; 128x128 crops;
# - head widths 1/8 like the backbone (channels 256 -> 32, skip 48 -> 6):
#   at 1/4 (64 / 16) the stride-4 head cost 2-3x the slim backbone's time;
# - ASPP rates 12/24/36 on a 41x41 map -> 4/8/12 on the 16x16 map of a 128
#   crop; PAMR dilations 1..24 on an 81x81 mask -> 1..10 on the 32x32 mask;
# - dropouts 0.5 -> 0.1 on the 32-channel ASPP / decoder outputs (as the
#   LargeFOV mini twin: heavy dropout on narrow layers stalls training;
#   probe, LR 0.01, loss_cls at iteration 50: 0.482 with 0.5/0.5/0.1,
#   0.465 with 0.1);
# - an iteration schedule (configs/_base_/schedules/seg_1k.py without its
#   poly decay): 1,000 iterations at batch 32 (~21 epochs of 1,500 scenes;
#   VOC: ~13k iterations at batch 16), warm-up the first quarter = 250 (the
#   model part's warmup_ratio; paper: 5 of 20 epochs), so 10x the paper's
#   constant LR (0.01 backbone / 0.1 head; the CAM mini twin uses 0.03).
#   Probe: loss_cls after 100 iterations 0.491 at LR 1e-3, 0.450 at 1e-2.
# Kept as the bench measured them (not scale-forced; the VOC configs follow
# the reference): ASPP BatchNorm statistics trained (aspp_norm_eval=False),
# and seg_1k's optimiser (head 10x, biases like weights) instead of the
# reference's bias multipliers (../_base_/ngwp_vgg16_voc12.py).
_base_ = [
    '../../_base_/models/ngwp_vgg16.py', '../../_base_/models/mini_slim.py',
    '../../_base_/datasets/mini_fmnist_weak.py',
    '../../_base_/schedules/seg_1k.py', '../../_base_/default_runtime.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    backbone=_base_.vgg16_slim,
    decode_head=dict(
        in_channels=64,
        c1_in_channels=32,
        channels=32,
        c1_channels=6,
        num_classes=11,
        dilations=(1, 4, 8, 12),
        aspp_dropout_ratio=0.1,
        aspp_norm_eval=False,
        decoder_dropout_ratios=(0.1, 0.1)),
    pamr=dict(dilations=(1, 2, 3, 4, 6, 10)))
train_pipeline = [
    dict(t, crop_size=_base_.crop_size) if t['type'] == 'RandomCrop' else t
    for t in _base_.ngwp_train_pipeline
]
train_dataloader = dict(
    _base_.cls_train_dataloader,
    dataset=dict(_base_.cls_train_dataloader.dataset, pipeline=train_pipeline))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
tta_pipeline = _base_.ngwp_tta_pipeline
tta_model = dict(type='SingleStageTTAModel', cls_merge='max')
param_scheduler = []  # constant learning rate
