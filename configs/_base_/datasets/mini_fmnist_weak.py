# The mini benchmark (tools/dataset_converters/fashion_mnist_scenes.py):
# 128x128 Fashion-MNIST scenes, 11 classes (background + 10), VOC layout.
# Keys are prefixed ``mini_`` so a mini config can inherit its VOC twin *and*
# this file, then point the twin's dataloaders here; only what scale forces
# differs from voc12_aug_weak.py: data root and lists, crop 128, batch sizes.
mini_data_root = 'data/mini'
mini_crop_size = (128, 128)
mini_seed_dir = '{{ fileDirname }}/../../../work_dirs/seeds/mini'
mini_num_classes = 11
mini_train_ann = 'ImageSets/Segmentation/train.txt'
mini_val_ann = 'ImageSets/Segmentation/val.txt'
mini_gt_dir = 'SegmentationClass'

mini_cls_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResize', scale=(128, 128), ratio_range=(0.75, 1.25), keep_ratio=True),
    dict(type='RandomCrop', crop_size=mini_crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
mini_seg_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(128, 128), ratio_range=(0.75, 1.25), keep_ratio=True),
    dict(type='RandomCrop', crop_size=mini_crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWeakSegInputs'),
]
mini_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackWeakSegInputs'),
]
mini_tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='TestTimeAug', transforms=[
        [dict(type='Resize', scale_factor=r, keep_ratio=True) for r in (0.75, 1.0, 1.25)],
        [dict(type='RandomFlip', prob=0., direction='horizontal'),
         dict(type='RandomFlip', prob=1., direction='horizontal')],
        [dict(type='LoadAnnotations')],
        [dict(type='PackWeakSegInputs')],
    ])
]
mini_cls_train_dataloader = dict(
    _delete_=True, batch_size=32, num_workers=2, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='WeakVOCDataset', data_root=mini_data_root, ann_file=mini_train_ann,
                 data_prefix=dict(img_path='JPEGImages', label_path=mini_gt_dir),
                 pipeline=mini_cls_train_pipeline))
mini_seed_dataloader = dict(
    _delete_=True, batch_size=16, num_workers=2, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='WeakVOCDataset', data_root=mini_data_root, ann_file=mini_train_ann,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path=mini_gt_dir),
                 pipeline=mini_test_pipeline))
mini_seg_train_dataloader = dict(
    _delete_=True, batch_size=32, num_workers=2, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='WeakVOCDataset', data_root=mini_data_root, ann_file=mini_train_ann,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path=mini_seed_dir,
                                  label_path=mini_gt_dir),
                 pipeline=mini_seg_train_pipeline))
mini_val_dataloader = dict(
    _delete_=True, batch_size=16, num_workers=2, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='WeakVOCDataset', data_root=mini_data_root, ann_file=mini_val_ann,
                 data_prefix=dict(img_path='JPEGImages', seg_map_path=mini_gt_dir),
                 pipeline=mini_test_pipeline))
