# DCP retrain step, part 1, on the part-and-body benchmark (twin of the VOC
# config): the first model (deeplabv3_vgg16-slim_partbody_dcp-seeds.py)
# predicts the train scenes, label PNGs to dcp_vgg16_slim_partbody_predictions
# (configs/_base_/paths.py).
#   python tools/test.py
#   configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-predict.py \
#       CKPT [--out PRED_DIR]
_base_ = ['./_base_/deeplabv3_vgg16-slim_partbody_dcp.py']
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
    output_dir=_base_.dcp_vgg16_slim_partbody_predictions)
