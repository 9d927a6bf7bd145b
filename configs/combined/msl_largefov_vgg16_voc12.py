# Composed recipe, stage 3 on VOC 2012: the multi-estimation segmenter
# (LargeFOV on the ImageNet VGG-16 wrapped by MultiSeedHead, its pipeline and
# schedule: ../multi_seed/wst_largefov_vgg16_voc12_12seeds.py) on the two
# PAMR-refined seed sets of cam_vgg16_voc12_sets.py, with the plain multi-seed
# loss (WST scale 0). Tests on val.
_base_ = ['../multi_seed/wst_largefov_vgg16_voc12_12seeds.py']
seed_sets = ['threshold', 'crf']
seed_dirs = [_base_.combined_voc12_root + '/' + name for name in seed_sets]
model = dict(decode_head=dict(loss_decode=dict(scale=0.0)))
train_dataloader = dict(dataset=dict(seed_dirs=seed_dirs))
