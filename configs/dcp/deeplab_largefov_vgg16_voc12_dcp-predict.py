# DCP retrain step, part 1 (VOC 2012 aug): the first segmentation model
# (deeplab_largefov_vgg16_voc12_dcp-seeds.py) predicts the *train* images;
# the predictions fill the uncertain seed pixels.
#   python tools/test.py
#   configs/dcp/deeplab_largefov_vgg16_voc12_dcp-predict.py \
#       work_dirs/deeplab_largefov_vgg16_voc12_dcp-seeds/iter_13230.pth [--out
#       PRED_DIR]
#   python tools/fill_uncertain.py work_dirs/seeds/dcp_r101_voc12 PRED_DIR \
#       work_dirs/seeds/dcp_r101_voc12_filled
# Predictions are label PNGs (IoUMetric with format_only: no GT is read).
# Same base as the stage-3 config, another test pair: the train split,
# images only, predictions to dcp_r101_voc12_predictions
# (configs/_base_/paths.py).
_base_ = ['./_base_/deeplab_largefov_vgg16_voc12_dcp.py']
_seed = _base_.seed_dataloader
test_dataloader = dict(
    _seed,
    dataset=dict(
        _seed.dataset,
        data_prefix=dict(img_path='JPEGImages'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='PackWeakSegInputs')
        ]))
test_evaluator = dict(
    type='IoUMetric',
    format_only=True,
    output_dir=_base_.dcp_r101_voc12_predictions)
