# DCP stage 2a on VOC 2012 aug: the statistics pass (eq. 2). One streaming
# tools/dcp_statistics.py run over train_aug (this config's test_dataloader)
# with the stage-1 classifier; writes the class means and patterns to
# model.seed_generator.patterns_file (or --out), no seeds.
#   python tools/dcp_statistics.py configs/dcp/dcp_r101_voc12_statistics.py
#   CKPT [--out PATTERNS]
# Images are visited in a fixed random order (shuffle, seed 0) so that the
# first max_images_per_class images of a class are a random subset (paper: at
# most 800, at random); round_up=False so that no image counts twice on
# several GPUs. Image-level labels come from the dataset (GT masks never
# loaded by the pipeline).
_base_ = ['./dcp_r101_voc12.py']
test_dataloader = dict(
    sampler=dict(type='DefaultSampler', shuffle=True, seed=0, round_up=False),
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='PackWeakSegInputs')
    ]))
