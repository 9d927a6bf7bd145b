# DCP stage 2a on the part-and-body benchmark (twin of
# dcp_r101_voc12_statistics.py):
#   python tools/dcp_statistics.py
#   configs/dcp/dcp_vgg16-slim_partbody_statistics.py CKPT [--out PATTERNS]
_base_ = ['./dcp_vgg16-slim_partbody.py']
test_dataloader = dict(
    sampler=dict(type='DefaultSampler', shuffle=True, seed=0, round_up=False),
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='PackWeakSegInputs')
    ]))
