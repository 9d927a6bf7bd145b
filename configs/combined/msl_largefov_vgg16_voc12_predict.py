# Composed recipe, retraining part 1 (DCP's step) on VOC 2012: the first
# segmentation model (msl_largefov_vgg16_voc12.py; the same network) predicts
# the train_aug images; label PNGs to combined_voc12_predictions
# (configs/_base_/paths.py). Images only: train needs no masks.
_base_ = ['../multi_seed/wst_largefov_vgg16_voc12_12seeds.py']
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
    output_dir=_base_.combined_voc12_predictions)
