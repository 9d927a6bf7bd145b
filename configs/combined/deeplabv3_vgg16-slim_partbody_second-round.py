# Composed recipe candidate `combined_second_round`, stage 3: the shared
# DeepLab v3 and schedule of the two-stage rows trained on the first round's
# pseudo masks on train (single-stage's network, refined by the dense CRF:
# ngwp_vgg16-slim_partbody_pseudo-masks_crf.py). Tests on val: the
# candidate's result.
_base_ = ['../cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.combined_partbody_first_round)))
