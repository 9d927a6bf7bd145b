# Composed recipe, retraining part 2 (DCP's step as the paper words it): the
# shared DeepLab v3 and schedule trained again from the pretrained backbone
# on the first model's predicted masks on train (every pixel labelled;
# msl_deeplabv3_vgg16-slim_partbody_predict.py). Tests on val: the recipe's
# result.
_base_ = ['../cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.combined_partbody_predictions)))
