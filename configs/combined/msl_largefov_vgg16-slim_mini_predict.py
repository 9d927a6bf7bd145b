# Composed recipe, retraining part 1 (DCP's step) on the glyph scenes: the
# first segmentation model (msl_largefov_vgg16-slim_mini.py; the same network)
# predicts the train images; label PNGs to combined_mini_predictions
# (configs/_base_/paths.py). Images only: train needs no masks.
_base_ = ['../multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py']
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
    output_dir=_base_.combined_mini_predictions)
