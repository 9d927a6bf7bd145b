# DSRG step 2, part 1 (run-s.sh: test-ms.py --smooth on train_aug_id.txt): the
# step-1 model (./dsrg_aspp_vgg16_voc12_ficklenet-seeds.py) labels the
# *train_aug* images with DSRG's train-set protocol: the image resized to
# 241x241, 321x321 and 401x401 squares, class scores summed at the image
# size, dense CRF on the image (DSRGTTAModel), label PNGs to
# dsrg_aspp_train_predictions (./_base_/dsrg_aspp_vgg16_voc12.py). --tta is
# the protocol; without it, one scale and no CRF.
#   python tools/test.py
#   configs/ficklenet/dsrg_aspp_vgg16_voc12_ficklenet-seeds_predict.py \
#       work_dirs/dsrg_aspp_vgg16_voc12_ficklenet-seeds/iter_8000.pth --tta
_base_ = ['./_base_/dsrg_aspp_vgg16_voc12.py']
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
    output_dir=_base_.dsrg_aspp_train_predictions)
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='Resize', scale=(s, s), keep_ratio=False)
                for s in (241, 321, 401)
            ],
            [dict(type='PackWeakSegInputs')],
        ])
]
