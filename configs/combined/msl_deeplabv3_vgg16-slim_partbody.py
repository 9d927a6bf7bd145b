# Composed recipe, stage 3 on the part-and-body benchmark: the multi-
# estimation segmenter (the shared DeepLab v3 wrapped by MultiSeedHead, its
# pipeline and schedule: ../multi_seed/wst_deeplabv3_vgg16-slim_partbody_
# 12seeds.py) on the two PAMR-refined seed sets of cam_vgg16-slim_partbody_
# sets.py, with the plain multi-seed loss (WST scale 0: every set weighs
# the same, Fan et al. Table 5's baseline). Tests on val.
_base_ = ['../multi_seed/wst_deeplabv3_vgg16-slim_partbody_8seeds.py']
seed_sets = ['threshold', 'crf']
seed_dirs = [_base_.combined_partbody_root + '/' + name for name in seed_sets]
model = dict(decode_head=dict(loss_decode=dict(scale=0.0)))
train_dataloader = dict(dataset=dict(seed_dirs=seed_dirs))
