# FickleNet (Lee et al., CVPR'19) on PASCAL VOC 2012 aug: the headline entry.
#
#   python tools/train.py configs/ficklenet_vgg16_voc.py             # 1.
#   classifier
#   python tools/test.py  configs/ficklenet_vgg16_voc.py CKPT        # 2. seeds
#   (N = 200)
#   python tools/train.py
#   configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py
#   python tools/test.py
#   configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py CKPT
#
# Stage 1 trains VGG-16 (conv5 dilated, FC removed) + the stochastic selection
# (s = 9, p = 0.9, S/S) + a kernel-9 stride-9 classifier with sigmoid CE;
# stage 2 writes the seeds of N = 200 selections (θ = 0.35) to
# work_dirs/seeds/ficklenet_vgg16_voc12 and reports seed mIoU; stages 3-4
# train and test DSRG (DeepLab-LargeFOV) on them. See configs/ficklenet/.
# Background seeds from saliency maps in data/VOCdevkit/VOC2012/saliency
# (voc12_saliency_dir, configs/_base_/paths.py); saliency-free twin:
# configs/ficklenet/ficklenet_vgg16_voc12_dcp-bg.py.
_base_ = ['./ficklenet/ficklenet_vgg16_voc12.py']
