# Single-stage val on the mini benchmark with the dense-CRF post-processing
# (the `val_crf` stage of wsss_mm/recipes/single_stage.py): the reference CRF
# of configs/single_stage (10 iterations, Gaussian 3/3, bilateral 80/13/10)
# with the bilateral range scaled to the 128 px scenes (80 px at ~500 px ->
# 20), as the mini CRF seeds of configs/multi_seed/_base_/seed_types.py.
#   python tools/test.py configs/single_stage/ngwp_vgg16-slim_mini_crf.py CKPT
_base_ = ['./ngwp_vgg16-slim_mini.py']
# (_delete_: the base's crf is None, not a dict to merge into)
model = dict(
    test_cfg=dict(
        crf=dict(
            _delete_=True,
            num_iter=10,
            bilateral=dict(sxy=20, srgb=13, compat=10))))
