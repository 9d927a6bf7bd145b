# Composed recipe, stage 3 on the glyph scenes (tests and --quick): the multi-
# estimation segmenter (the mini LargeFOV wrapped by MultiSeedHead, its
# pipeline and schedule:
# ../multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py) on the two PAMR-
# refined seed sets of cam_vgg16-slim_mini_sets.py, with the plain multi-seed
# loss (WST scale 0). Tests on val.
_base_ = ['../multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py']
seed_sets = ['threshold', 'crf']
seed_dirs = [_base_.combined_mini_root + '/' + name for name in seed_sets]
model = dict(decode_head=dict(loss_decode=dict(scale=0.0)))
train_dataloader = dict(dataset=dict(seed_dirs=seed_dirs))
