# Composed recipe, retraining part 2 on the glyph scenes: the mini LargeFOV
# of the CAM baseline trained again on the first model's predicted masks on
# train (msl_largefov_vgg16-slim_mini_predict.py). Tests on val.
_base_ = ['../cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.combined_mini_predictions)))
