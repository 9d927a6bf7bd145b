# DCP retrain step, part 2, on the part-and-body benchmark (twin of the VOC
# config): the same network and schedule trained again on the DCP seeds whose
# uncertain pixels the first model filled.
#   python tools/fill_uncertain.py work_dirs/seeds/dcp_vgg16-slim_partbody
#   PRED_DIR \
#       work_dirs/seeds/dcp_vgg16-slim_partbody_filled
#   python tools/train.py
#   configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-retrain.py
_base_ = ['./deeplabv3_vgg16-slim_partbody_dcp-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(
            seg_map_path=_base_.dcp_vgg16_slim_partbody_filled_seeds)))
