# DCP retrain step as the paper words it (VOC 2012 aug): "we retrain the
# segmentation model from scratch using the segmentation masks predicted by
# the trained model": the labels are the first model's predictions on train
# themselves (dcp_r101_voc12_predictions of configs/_base_/paths.py, written
# by deeplab_largefov_vgg16_voc12_dcp-predict.py), every pixel labelled. The
# default retrain config (deeplab_largefov_vgg16_voc12_dcp-retrain.py) keeps
# the DCP seeds and takes the predictions only where the seeds are uncertain
# (tools/fill_uncertain.py), the step's stated purpose ("to predict the proxy
# ground-truth for those uncertain pixels").
#   python tools/test.py
#   configs/dcp/deeplab_largefov_vgg16_voc12_dcp-predict.py CKPT
#   python tools/train.py
#   configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py
#   python tools/test.py
#   configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py CKPT
#   --tta
_base_ = ['./deeplab_largefov_vgg16_voc12_dcp-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.dcp_r101_voc12_predictions)))
