# Ablation of FickleNet stage 3 (DSRG) on the part-and-body benchmark:
# everything of ./dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py but
# DSRG's own schedule in place of the bench's common one (poly over 2,000
# iterations, as every two-stage segmentation there): x0.33 every eighth of
# the run (250 iterations), as the reference's 1,000 of 8,000, whose learning
# rate is 1 % of the base after 1,000 iterations (make ablations,
# docs/results.md).
_base_ = ['./dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py']
param_scheduler = [
    dict(type='StepLR', step_size=250, gamma=0.33, by_epoch=False, begin=0)
]
