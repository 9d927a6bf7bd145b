# Single-stage val on the part-and-body benchmark with the dense-CRF
# post-processing (the `val_crf` stage of wsss_mm/recipes/single_stage.py):
# the reference CRF of configs/single_stage (10 iterations, Gaussian 3/3,
# bilateral 80/13/10) with the bilateral range scaled by docs/scale.md rule 2
# (image side / 500: 80 x 256/500 = 41); srgb, compat and the Gaussian
# kernel (sxy 3, the table of docs/scale.md) stay.
#   python tools/test.py configs/single_stage/ngwp_vgg16-slim_partbody_crf.py
#   CKPT
_base_ = ['./ngwp_vgg16-slim_partbody.py']
# (_delete_: the base's crf is None, not a dict to merge into)
model = dict(
    test_cfg=dict(
        crf=dict(
            _delete_=True,
            num_iter=10,
            gaussian=dict(sxy=3, compat=3),
            bilateral=dict(sxy=41, srgb=13, compat=10))))
