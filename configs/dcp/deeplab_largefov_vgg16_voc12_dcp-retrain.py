# DCP retrain step, part 2 (VOC 2012 aug): DeepLab-LargeFOV trained again,
# from the same initialisation, on the seeds whose uncertain pixels were
# filled by the first model (tools/fill_uncertain.py); the paper's wording
# ("the segmentation masks predicted by the trained model") is
# deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py. Paper: 61.2 mIoU
# with this network (VGG-16 LargeFOV, Table 2); 60.3 -> 64.5 is ResNet-101
# DeepLab (Table 1).
#   python tools/train.py
#   configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain.py
#   python tools/test.py
#   configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain.py CKPT --tta
#   (--tta: the paper's test, 241 / 328 / 401 + dense CRF; without: one scale,
#   no CRF)
_base_ = ['./deeplab_largefov_vgg16_voc12_dcp-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.dcp_r101_voc12_filled_seeds)))
