# DCP retrain step, part 1, on the mini benchmark (twin of the VOC config):
# the first mini segmentation model predicts the mini *train* scenes.
#   python tools/test.py configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-predict.py \
#       CKPT [--out PRED_DIR]
_base_ = ['./deeplab_largefov_vgg16-slim_mini_dcp-seeds.py']
pred_dir = '{{ fileDirname }}/../../work_dirs/seeds/dcp_vgg16-slim_mini_first-model-pred'
_seed = _base_.mini_seed_dataloader
test_dataloader = dict(
    _seed, _delete_=True,
    dataset=dict(_seed.dataset, data_prefix=dict(img_path='JPEGImages'),
                 pipeline=[dict(type='LoadImageFromFile'), dict(type='PackWeakSegInputs')]))
test_evaluator = dict(_delete_=True, type='IoUMetric', format_only=True, output_dir=pred_dir)
