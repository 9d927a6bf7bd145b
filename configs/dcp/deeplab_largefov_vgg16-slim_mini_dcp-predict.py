# DCP retrain step, part 1, on the mini benchmark (twin of the VOC config):
# the first mini segmentation model predicts the mini *train* scenes.
#   python tools/test.py
#   configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-predict.py \
#       CKPT [--out PRED_DIR]
# Same base as the stage-3 config, another test pair: the train split,
# images only, predictions to dcp_vgg16_slim_mini_predictions
# (configs/_base_/paths.py).
_base_ = ['./_base_/deeplab_largefov_vgg16-slim_mini_dcp.py']
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
    output_dir=_base_.dcp_vgg16_slim_mini_predictions)
