# FickleNet stage 2 on VOC 2012 aug without saliency: the classifier and seeds
# of ficklenet_vgg16_voc12.py, the background from DCP (Luo & Yang, AAAI'20:
# label 0 of the seeds of configs/dcp/dcp_r101_voc12.py, run first) instead of
# DRFI saliency; unclaimed pixels that DCP does not call background are
# ignored. Same checkpoint as the saliency config.
#   python tools/test.py configs/ficklenet/ficklenet_vgg16_voc12_dcp-bg.py CKPT
#   then DSRG on them:
#   configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py with
#   --cfg-options train_dataloader.dataset.data_prefix.seg_map_path=<these
#   seeds>
_base_ = ['./ficklenet_vgg16_voc12.py']
model = dict(
    seed_generator=dict(
        saliency_dir=None, background_cue_dir=_base_.dcp_r101_voc12_seeds))
test_evaluator = dict(output_dir=_base_.ficklenet_vgg16_voc12_dcp_bg_seeds)
