# Composition: mmseg's own DeepLabv3+ config, unchanged but for its training
# labels, which become wsss_mm seeds (stage 3 with any mmseg model).
#   python tools/train.py
#   configs/compose/deeplabv3plus_r50-d8_voc12_cam-seeds.py
_base_ = [
    'mmseg::deeplabv3plus/deeplabv3plus_r50-d8_4xb4-20k_voc12aug-512x512.py',
    '../_base_/paths.py'
]
custom_imports = dict(imports=['wsss_mm'], allow_failed_imports=False)
# (_delete_: mmseg's training set is a ConcatDataset of VOC + SBD, replaced
# by one WeakVOCDataset)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='WeakVOCDataset',
        data_root='data/VOCdevkit/VOC2012',
        ann_file='ImageSets/Segmentation/train_aug.txt',
        data_prefix=dict(
            img_path='JPEGImages',
            seg_map_path=_base_.cam_vgg16_voc12_seeds,
            label_path='SegmentationClassAug'),
        pipeline=_base_.train_pipeline))
