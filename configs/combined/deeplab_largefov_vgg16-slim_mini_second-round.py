# Glyph-scene twin of deeplabv3_vgg16-slim_partbody_second-round.py
# (candidate combined_second_round, stage 3: the CAM baseline's mini
# segmenter trained on the first round's pseudo masks; tests and --quick).
_base_ = ['../cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py']
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(seg_map_path=_base_.combined_mini_first_round)))
