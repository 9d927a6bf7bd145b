# COCO-2014 for WSSS (81 classes) in the VOC layout used by WSSS works:
# data/coco2014/{JPEGImages,SegmentationClass,ImageSets/Segmentation/{train,val}.txt}
# (class-index PNGs made from the instance annotations, 0 = background).
_base_ = ['./voc12_aug_weak.py']
dataset_type = 'WeakCOCO2014Dataset'
data_root = 'data/coco2014'
train_ann = 'ImageSets/Segmentation/train.txt'
val_ann = 'ImageSets/Segmentation/val.txt'
gt_dir = 'SegmentationClass'
seed_dir = '{{ fileDirname }}/../../../work_dirs/seeds/coco2014'
cls_train_dataloader = dict(dataset=dict(
    type=dataset_type, data_root=data_root, ann_file=train_ann, data_prefix=dict(img_path='JPEGImages', label_path=gt_dir)))
seed_dataloader = dict(dataset=dict(
    type=dataset_type, data_root=data_root, ann_file=train_ann, data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir)))
seg_train_dataloader = dict(dataset=dict(
    type=dataset_type, data_root=data_root, ann_file=train_ann,
    data_prefix=dict(img_path='JPEGImages', seg_map_path=seed_dir, label_path=gt_dir)))
val_dataloader = dict(dataset=dict(
    type=dataset_type, data_root=data_root, ann_file=val_ann, data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir)))
test_dataloader = val_dataloader
