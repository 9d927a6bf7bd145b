# Multi-estimations (Fan et al., ECCV'20), stage 3: DeepLab-LargeFOV (VGG-16)
# trained on 12 seed sets at once with weighted selective training (WST,
# eq. 5-7, s = 1): 2 types (threshold, CRF) x 3 CAM scales (1, 0.75, 0.5) x 2
# CAM architectures (VGG-16, ResNet-101 standing in for ResNet-38). Paper:
# 64.6 mIoU on VOC 2012 val.
#
#   stage 1: python tools/train.py configs/cam/cam_vgg16_voc12.py
#            python tools/train.py configs/multi_seed/cam_resnet101_voc12.py
#   stage 2: python tools/test.py
#   configs/multi_seed/seeds_voc12/vgg16_crf_s075.py \
#                work_dirs/cam_vgg16_voc12/iter_8000.pth          (x 6 per
#                architecture)
#   stage 3: python tools/train.py
#   configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py
#            python tools/test.py
#            configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py CKPT
#
# Ablations by command line: any subset of the seed sets,
#   --cfg-options "train_dataloader.dataset.seed_dirs=[DIR1,DIR2]"
# and the plain multi-seed loss (eq. 4): model.decode_head.loss_decode.scale=0.
_base_ = [
    '../_base_/models/wst_largefov_vgg16.py',
    '../_base_/datasets/voc12_aug_weak_seg.py',
    '../_base_/schedules/seg_20k.py', '../_base_/default_runtime.py',
    '../_base_/paths.py'
]
# seed set names = configs/multi_seed/seeds_voc12/*.py = folders in
# multi_seed_voc12_root (configs/_base_/paths.py)
seed_sets = [
    'vgg16_threshold_s100',
    'vgg16_threshold_s075',
    'vgg16_threshold_s050',
    'vgg16_crf_s100',
    'vgg16_crf_s075',
    'vgg16_crf_s050',
    'resnet101_threshold_s100',
    'resnet101_threshold_s075',
    'resnet101_threshold_s050',
    'resnet101_crf_s100',
    'resnet101_crf_s075',
    'resnet101_crf_s050',
]
seed_dirs = [_base_.multi_seed_voc12_root + '/' + name for name in seed_sets]

# LoadSeedMaps before the geometric transforms: image and all K seeds get the
# same resize / crop / flip. No LoadAnnotations: there is no single label map
# (so RandomCrop has no cat_max_ratio, which needs one, and no
# data_prefix.seg_map_path). Image-level labels still come from label_path
# (not used by the WST loss).
wst_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSeedMaps'),
    dict(
        type='RandomResize',
        scale=(512, 512),
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=_base_.crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
train_dataloader = dict(
    dataset=dict(seed_dirs=seed_dirs, pipeline=wst_train_pipeline))

# Test protocol of the paper's number (64.6 mIoU, VOC 2012 val):
#   python tools/test.py configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py
#   CKPT --tta
# The paper names none beyond "the standard hyper-parameters [...] of the
# DeepLab segmentation models"; DeepLab-CRF-LargeFOV's standard test is one
# scale + a dense CRF on the image, here with the CRF of the WSSS works the
# paper compares to (SEC / DSRG test scripts: -log P unary, P floored at 1e-5,
# Gaussian sxy 3 compat 3, bilateral sxy 80 srgb 13 compat 10, 10
# iterations): DSRGTTAModel (wsss_mm/models/decode_heads/dsrg_head.py) on one
# view. Without --tta: one scale, no CRF.
tta_model = dict(
    type='DSRGTTAModel',
    merge='logits',
    crf=dict(
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=80, srgb=13, compat=10)))
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='LoadAnnotations')],
            [dict(type='PackWeakSegInputs')],
        ])
]
