# DCP retrain step on the part-and-body benchmark as the paper words it (twin
# of deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py; the bench's DCP
# row): the shared DeepLab v3 network and schedule trained again from scratch
# on the first model's predicted masks on train (written by
# deeplabv3_vgg16-slim_partbody_dcp-predict.py), every pixel labelled. The
# fill-uncertain variant is deeplabv3_vgg16-slim_partbody_dcp-retrain.py
# (recipe dcp_fill_uncertain, an ablation row).
#   python tools/train.py \
#       configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-retrain_pred-masks.py
_base_ = ['./deeplabv3_vgg16-slim_partbody_dcp-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(
            seg_map_path=_base_.dcp_vgg16_slim_partbody_predictions)))
