# FickleNet stage 3 (DSRG) on the mini benchmark: the VOC twin at mini scale
# (model, schedule and notes: ./_base_/dsrg_largefov_vgg16-slim_mini.py) on
# the mini FickleNet seeds.
_base_ = ['./_base_/dsrg_largefov_vgg16-slim_mini.py']
train_dataloader = _base_.dsrg_train_dataloader
