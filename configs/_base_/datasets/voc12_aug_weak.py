# Pascal VOC 2012 + SBD ("trainaug", 10,582 images), 21 classes, for WSSS.
# Layout: data/VOCdevkit/VOC2012/{JPEGImages,SegmentationClassAug,
# ImageSets/Segmentation/{train_aug,val}.txt} (docs/own_data.md).
#
# The data of every stage, as variables, plus what every stage shares (the
# val split with GT and the multi-scale test pipeline). A config takes one of
#   voc12_aug_weak_cls.py  stages 1-2: classifier on image-level labels, seeds
#   voc12_aug_weak_seg.py  stage 3: segmentation network on seeds
# or this file and wires the loaders itself. Loaders, one per stage:
#   cls_train_dataloader  stage 1: images + image-level labels, no GT masks
#   seed_dataloader       stage 2: train split, original size; GT loaded only
#                                  for the seed metric
#   seg_train_dataloader  stage 3: images + labels from
#   data_prefix.seg_map_path,
#                                  which the config sets to its seeds
#                                  (configs/_base_/paths.py)
#   val_dataloader        val split with GT
# The mini benchmark (mini_fmnist_weak*.py) defines the same names.
dataset_type = 'WeakVOCDataset'
data_root = 'data/VOCdevkit/VOC2012'
train_ann = 'ImageSets/Segmentation/train_aug.txt'
val_ann = 'ImageSets/Segmentation/val.txt'
gt_dir = 'SegmentationClassAug'
crop_size = (321, 321)

cls_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResize',
        scale=(512, 512),
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
seed_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),  # GT for SeedMetric only
    dict(type='PackWeakSegInputs'),
]
seg_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='LoadAnnotations'),  # reads the seeds of data_prefix.seg_map_path
    dict(
        type='RandomResize',
        scale=(512, 512),
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackWeakSegInputs'),
]
img_ratios = [0.75, 1.0, 1.25]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='Resize', scale_factor=r, keep_ratio=True)
                for r in img_ratios
            ],
            [
                dict(type='RandomFlip', prob=0., direction='horizontal'),
                dict(type='RandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadAnnotations')],
            [dict(type='PackWeakSegInputs')],
        ])
]

cls_train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img_path='JPEGImages', label_path=gt_dir),
        pipeline=cls_train_pipeline))
seed_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir),
        pipeline=seed_pipeline))
seg_train_dataloader = dict(
    batch_size=10,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img_path='JPEGImages', label_path=gt_dir),
        pipeline=seg_train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=val_ann,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir),
        pipeline=test_pipeline))
