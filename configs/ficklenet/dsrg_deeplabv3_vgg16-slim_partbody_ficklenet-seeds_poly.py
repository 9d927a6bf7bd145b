# Investigation variant of FickleNet stage 3 (DSRG) on the part-and-body
# benchmark: everything of
# ./dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py
# but the schedule of every other method there (configs/_base_/schedules/
# seg_2k.py: poly decay over 2,000 iterations) in place of DSRG's x0.33 every
# 250 iterations, whose learning rate is 1 % of the base after 1,000 of them.
# Not a method config: it separates DSRG's loss from its schedule when DSRG
# is compared with the CAM baseline (make ablations, docs/results.md).
_base_ = ['./dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py']
param_scheduler = [
    dict(type='PolyLR', eta_min=0, power=0.9, begin=0, by_epoch=False)
]
