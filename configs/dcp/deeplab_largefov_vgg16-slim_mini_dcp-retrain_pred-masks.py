# DCP retrain step on the mini benchmark as the paper words it (twin of
# deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py): the same network
# and schedule trained again from scratch on the first model's predicted
# masks on train (written by deeplab_largefov_vgg16-slim_mini_dcp-predict.py),
# every pixel labelled. The fill-uncertain variant is
# deeplab_largefov_vgg16-slim_mini_dcp-retrain.py (recipe dcp_fill_uncertain).
#   python tools/train.py \
#       configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-retrain_pred-masks.py
_base_ = ['./deeplab_largefov_vgg16-slim_mini_dcp-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.dcp_vgg16_slim_mini_predictions)))
