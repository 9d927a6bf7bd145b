# COCO-2014 for WSSS (81 classes) in the VOC layout used by WSSS works:
# data/coco2014/{JPEGImages,SegmentationClass,ImageSets/Segmentation/{train,val}.txt}
# (class-index PNGs made from the instance annotations, 0 = background).
# The variables of voc12_aug_weak.py (same pipelines) with COCO's data set,
# root and lists; wire the loaders as voc12_aug_weak_{cls,seg}.py do.
_base_ = ['./voc12_aug_weak.py']
dataset_type = 'WeakCOCO2014Dataset'
data_root = 'data/coco2014'
train_ann = 'ImageSets/Segmentation/train.txt'
val_ann = 'ImageSets/Segmentation/val.txt'
gt_dir = 'SegmentationClass'
_coco = dict(type=dataset_type, data_root=data_root, ann_file=train_ann)
cls_train_dataloader = dict(
    dataset=dict(
        _coco, data_prefix=dict(img_path='JPEGImages', label_path=gt_dir)))
seed_dataloader = dict(
    dataset=dict(
        _coco, data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir)))
seg_train_dataloader = dict(
    dataset=dict(
        _coco, data_prefix=dict(img_path='JPEGImages', label_path=gt_dir)))
val_dataloader = dict(
    dataset=dict(
        _coco,
        ann_file=val_ann,
        data_prefix=dict(img_path='JPEGImages', seg_map_path=gt_dir)))
