# Pseudo-mask quality (Table 2) on the mini benchmark: the trained mini model
# over the train split with the image-level labels, as seed mIoU.
#   python tools/test.py configs/single_stage/ngwp_vgg16-slim_mini_pseudo-masks.py \
#       work_dirs/ngwp_vgg16-slim_mini/iter_1000.pth [--tta]
_base_ = ['./ngwp_vgg16-slim_mini.py']
pseudo_dir = '{{ fileDirname }}/../../work_dirs/seeds/ngwp_vgg16-slim_mini'
model = dict(test_cfg=dict(use_gt_labels=True))
test_dataloader = _base_.mini_seed_dataloader
test_evaluator = dict(_delete_=True, type='SeedMetric', prefix='seed',
                      output_dir=pseudo_dir)
