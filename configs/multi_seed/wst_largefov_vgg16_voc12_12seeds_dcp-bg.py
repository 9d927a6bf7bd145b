# Multi-estimations (Fan et al., ECCV'20), stage 3, saliency-free: the 12 seed
# sets of configs/multi_seed/seeds_voc12_dcp-bg/ (the paper's seed sets with
# DCP's background, configs/dcp/dcp_r101_voc12.py, instead of saliency),
# everything else as wst_largefov_vgg16_voc12_12seeds.py.
#   stage 2: python tools/test.py
#   configs/multi_seed/seeds_voc12_dcp-bg/vgg16_crf_s075.py \
#                work_dirs/cam_vgg16_voc12/iter_8000.pth     (x 6 per
#                architecture, after
#                the DCP seed stage of configs/dcp/dcp_r101_voc12.py)
#   stage 3: python tools/train.py
#   configs/multi_seed/wst_largefov_vgg16_voc12_12seeds_dcp-bg.py
#   test:    python tools/test.py
#   configs/multi_seed/wst_largefov_vgg16_voc12_12seeds_dcp-bg.py \
#                CKPT --tta      (the paper's one scale + dense CRF, as the
#                saliency config)
_base_ = ['./wst_largefov_vgg16_voc12_12seeds.py']
train_dataloader = dict(
    dataset=dict(seed_dirs=[
        _base_.multi_seed_voc12_dcp_bg_root + '/' + name
        for name in _base_.seed_sets
    ]))
