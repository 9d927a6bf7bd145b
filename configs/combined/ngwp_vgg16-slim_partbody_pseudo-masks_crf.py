# Composed recipe candidate `combined_second_round`, stage 2: single-stage's
# network (Araslanov & Roth) as a first round, its pseudo masks on train (the
# image-level labels given: configs/single_stage/
# ngwp_vgg16-slim_partbody_pseudo-masks.py) refined by the dense CRF of its
# val_crf config (ngwp_vgg16-slim_partbody_crf.py: bilateral sxy
# 80 x 256/500 = 41, docs/scale.md; the test keeps the two equal), scored as
# seeds and written for the second round.
#   python tools/test.py \
#       configs/combined/ngwp_vgg16-slim_partbody_pseudo-masks_crf.py CKPT
_base_ = ['../single_stage/ngwp_vgg16-slim_partbody_pseudo-masks.py']
model = dict(
    test_cfg=dict(
        crf=dict(
            _delete_=True,
            num_iter=10,
            gaussian=dict(sxy=3, compat=3),
            bilateral=dict(sxy=41, srgb=13, compat=10))))
test_evaluator = dict(output_dir=_base_.combined_partbody_first_round)
