# FickleNet stages 1-2 on VOC 2012 aug (Lee et al. CVPR'19, Sec. 4.1):
# VGG-16 without FC / last pool, conv5 dilated (rate 2) -> 512x41x41 for a
# 321x321 crop; stochastic selection s = 9, p = 0.9 at training *and*
# inference (S/S, Table 6); conv kernel s stride s, GAP, sigmoid CE;
# Adam 1e-3 halved every 10 epochs, batch 10; seeds from N = 200 selections,
# θ = 0.35 (Sec. 3.2): configs/_base_/models/ficklenet_vgg16.py,
# configs/_base_/schedules/ficklenet_21k.py.
# Background seeds from saliency, as the paper (through DSRG: DRFI saliency,
# background where the saliency is below 0.06): one grayscale PNG per image in
# voc12_saliency_dir (configs/_base_/paths.py: data/VOCdevkit/VOC2012/saliency;
# see there for where the maps come from). Saliency-free twin (DCP's
# background): ficklenet_vgg16_voc12_dcp-bg.py.
#   python tools/train.py configs/ficklenet/ficklenet_vgg16_voc12.py
#   python tools/test.py  configs/ficklenet/ficklenet_vgg16_voc12.py CKPT   #
#   seeds
_base_ = [
    '../_base_/models/ficklenet_vgg16.py',
    '../_base_/datasets/voc12_aug_weak_cls.py',
    '../_base_/schedules/ficklenet_21k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
train_dataloader = dict(batch_size=10)
model = dict(
    seed_generator=dict(
        saliency_dir=_base_.voc12_saliency_dir,
        saliency_bg_threshold=0.06,
        saliency_norm='range'))
test_evaluator = dict(output_dir=_base_.ficklenet_vgg16_voc12_seeds)
