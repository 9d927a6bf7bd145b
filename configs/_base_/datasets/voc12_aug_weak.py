# Pascal VOC 2012 + SBD ("trainaug", 10,582 images), 21 classes, for WSSS.
#
# Four dataloaders, one per stage; a method config wires them:
#   cls_train_dataloader  stage 1: images + image-level labels, no GT masks
#   seed_dataloader       stage 2: train split, original size; GT loaded only
#                                  for the seed metric
#   seg_train_dataloader  stage 3: images + *seeds* (seed_dir) as labels
#   val_dataloader        val split with GT (mmseg's IoUMetric)
# Layout: data/VOCdevkit/VOC2012/{JPEGImages,SegmentationClassAug,
# ImageSets/Segmentation/{train_aug,val}.txt} (see README "Datasets").
dataset_type = 'WeakVOCDataset'
data_root = 'data/VOCdevkit/VOC2012'
train_ann = 'ImageSets/Segmentation/train_aug.txt'
val_ann = 'ImageSets/Segmentation/val.txt'
gt_dir = 'SegmentationClassAug'
crop_size = (321, 321)
# where stage 2 writes seeds and stage 3 reads them (absolute: data_prefix
# entries that are relative are joined with data_root)
seed_dir = '{{ fileDirname }}/../../../work_dirs/seeds/voc12'

cls_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResize', scale=(512, 512), ratio_range=(0.5, 1.5), keep_ratio=True),
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
    dict(type='LoadAnnotations'),  # reads seeds when seg_map_path = seed_dir
    dict(type='RandomResize', scale=(512, 512), ratio_range=(0.5, 1.5), keep_ratio=True),
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
    dict(type='TestTimeAug', transforms=[
        [dict(type='Resize', scale_factor=r, keep_ratio=True) for r in img_ratios],
        [dict(type='RandomFlip', prob=0., direction='horizontal'),
         dict(type='RandomFlip', prob=1., direction='horizontal')],
        [dict(type='LoadAnnotations')],
        [dict(type='PackWeakSegInputs')],
    ])
]

cls_train_dataloader = dict(
    batch_size=16, num_workers=4, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, ann_file=train_ann,
                 data_prefix=dict(img_path='JPEGImages', label_path=gt_dir),
                 pipeline=cls_train_pipeline))
seed_dataloader = dict(
    batch_size=1, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, ann_file=train_ann,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir),
                 pipeline=seed_pipeline))
seg_train_dataloader = dict(
    batch_size=10, num_workers=4, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, ann_file=train_ann,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path=seed_dir,
                                  label_path=gt_dir),
                 pipeline=seg_train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, ann_file=val_ann,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir),
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
