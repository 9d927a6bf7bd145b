# DSRG as published, step 1, on FickleNet's seeds (FickleNet Sec. 3.3 / 4.1:
# "Segmentation is performed by DSRG"): DeepLab-ASPP on VGG-16, fc6 / fc7
# from ImageNet, DSRG's loss with seeds grown on the CRF output, 8,000
# iterations (model, schedule, test protocol:
# ./_base_/dsrg_aspp_vgg16_voc12.py).
#   python tools/model_converters/vgg16_deeplab_fc.py \
#       ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \
#       data/pretrained/vgg16_deeplab-aspp_fc.pth --head aspp     # once
#   python tools/train.py
#   configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds.py
#   python tools/test.py
#   configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds.py \
#       work_dirs/dsrg_aspp_vgg16_voc12_ficklenet-seeds/iter_8000.pth --tta
# then step 2: ./dsrg_aspp_vgg16_voc12_ficklenet-seeds_predict.py and
# ./dsrg_aspp_vgg16_voc12_ficklenet-seeds_retrain.py.
_base_ = ['./_base_/dsrg_aspp_vgg16_voc12.py']
train_dataloader = _base_.dsrg_train_dataloader
