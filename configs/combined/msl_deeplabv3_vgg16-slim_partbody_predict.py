# Composed recipe, retraining part 1 (DCP's step, Luo & Yang Sec. 3.3): the
# first segmentation model (msl_deeplabv3_vgg16-slim_partbody.py; the same
# network) predicts the train scenes; label PNGs to
# combined_partbody_predictions (configs/_base_/paths.py). Images only:
# train needs no masks.
_base_ = ['../multi_seed/wst_deeplabv3_vgg16-slim_partbody_8seeds.py']
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
    output_dir=_base_.combined_partbody_predictions)
