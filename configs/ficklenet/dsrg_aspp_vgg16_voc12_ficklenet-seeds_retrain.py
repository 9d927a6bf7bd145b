# DSRG step 2, part 2 (run-s.sh "retrain": solver-f.prototxt /
# train-f.prototxt): the step-1 network trained further, from its step-1
# weights, on its own CRF-smoothed multi-scale train_aug predictions
# (./dsrg_aspp_vgg16_voc12_ficklenet-seeds_predict.py) as full labels:
# softmax cross-entropy at the 41x41 output (labels subsampled to it, as the
# prototxt's Interp shrink_factor 8: DSRGHead's loss_full with weight 1),
# SGD momentum 0.9, weight decay 5e-4, base LR 1e-3, poly 0.9, 20,000
# iterations, batch 10, 321x321 crops, mirror; same learning-rate multipliers.
#   python tools/train.py
#   configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds_retrain.py
#   python tools/test.py
#   configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds_retrain.py \
#       work_dirs/dsrg_aspp_vgg16_voc12_ficklenet-seeds_retrain/iter_20000.pth
#       --tta
# (--tta: DSRG's test-ms-f.py, scales 0.75 / 1 / 1.25 + CRF; the number the
# paper reports.)
_base_ = ['./_base_/dsrg_aspp_vgg16_voc12.py']
load_from = _base_.dsrg_aspp_step1_ckpt
model = dict(decode_head=dict(full_loss_weight=1.0))
_seg = _base_.seg_train_dataloader
train_dataloader = dict(
    _seg,
    batch_size=10,
    dataset=dict(
        _seg.dataset,
        supervision='full',
        data_prefix=dict(
            _seg.dataset.data_prefix,
            seg_map_path=_base_.dsrg_aspp_train_predictions)))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='PolyLR', eta_min=0, power=0.9, begin=0, by_epoch=False)
]
train_cfg = dict(max_iters=20000, val_interval=20000)
default_hooks = dict(checkpoint=dict(interval=20000))
