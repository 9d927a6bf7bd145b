# DCP stage 2a on the mini benchmark (twin of dcp_r101_voc12_statistics.py):
#   python tools/test.py configs/dcp/dcp_vgg16-slim_mini_statistics.py CKPT
_base_ = ['./dcp_vgg16-slim_mini.py']
model = dict(seed_generator=dict(mode='statistics'), test_cfg=dict(reuse_seed_dir=None))
test_dataloader = dict(
    sampler=dict(type='DefaultSampler', shuffle=True, seed=0, round_up=False),
    dataset=dict(pipeline=[dict(type='LoadImageFromFile'), dict(type='PackWeakSegInputs')]))
test_evaluator = dict(_delete_=True, type='DCPStatisticsMetric')
