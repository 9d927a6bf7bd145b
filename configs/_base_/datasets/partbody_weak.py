# The part-and-body mini benchmark
# (tools/dataset_converters/fashion_mnist_scenes.py
# --scenes part-body): 256x256 scenes, 11 classes (background + 10), VOC
# layout, an ignore band at object boundaries. The same names as
# voc12_aug_weak.py and mini_fmnist_weak.py; what scale forces differs (data
# root, crop 256 = a 32x32 stride-8 map, batch 8: the pixels of a batch of
# 32 128-px scenes), by the rule of docs/scale.md.
dataset_type = 'WeakVOCDataset'
data_root = 'data/mini_partbody'
train_ann = 'ImageSets/Segmentation/train.txt'
val_ann = 'ImageSets/Segmentation/val.txt'
gt_dir = 'SegmentationClass'
crop_size = (256, 256)

cls_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
seg_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.75, 1.25),
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
# Seeds on the scenes at their own size (docs/scale.md rule 7): enlarging
# them to VOC's map size (x1.56, a 50-cell map) shows the classifier objects
# 1.56x larger than it was trained on and halved the CAM seeds (27.8 against
# 56.5 seed mIoU on held-out train); VOC's larger seed maps come from larger
# images with objects of the training size, which needs scenes on a larger
# canvas.
seed_pipeline = test_pipeline

cls_train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img_path='JPEGImages', label_path=gt_dir),
        pipeline=cls_train_pipeline))
seed_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir),
        pipeline=seed_pipeline))
seg_train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img_path='JPEGImages', label_path=gt_dir),
        pipeline=seg_train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=val_ann,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir),
        pipeline=test_pipeline))
