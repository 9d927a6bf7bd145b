# Composed recipe, retraining part 2 on VOC 2012 (DCP's step as the paper
# words it): LargeFOV (VGG-16, ImageNet) trained again on the first model's
# predicted masks on train_aug (msl_largefov_vgg16_voc12_predict.py). Tests
# on val.
_base_ = ['../cam/deeplab_largefov_vgg16_voc12_cam-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.combined_voc12_predictions)))
