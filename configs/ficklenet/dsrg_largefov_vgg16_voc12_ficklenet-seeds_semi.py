# FickleNet semi-supervised (Sec. 3.3, eq. 2-3; Table 3): DSRG on 1.4K
# strongly labelled + 9K weakly labelled images, L = L_seed + L_boundary +
# alpha * L_full with alpha = 2 (DSRGHead.full_loss_weight).
# The training set is mmengine's ConcatDataset of
#   weak:   train_aug minus VOC train (9,118 images), labels = FickleNet seeds
#   strong: VOC 2012 train (1,464 images), labels = GT, supervision='full'
# Make the two lists once (they go next to train_aug.txt):
#   python tools/dataset_converters/make_semi_split.py \
#       --data-root data/VOCdevkit/VOC2012 --train
#       ImageSets/Segmentation/train_aug.txt \
#       --strong-list ImageSets/Segmentation/train.txt
#   -> ImageSets/Segmentation/train_strong_1464.txt, train_weak_9118.txt
# Batches draw uniformly from the union (~14 % strong on average); the paper
# does not say how it mixes them.
_base_ = ['./_base_/dsrg_largefov_vgg16_voc12.py']
strong_ann = 'ImageSets/Segmentation/train_strong_1464.txt'
weak_ann = 'ImageSets/Segmentation/train_weak_9118.txt'
_weak = _base_.dsrg_train_dataloader.dataset
train_dataloader = dict(
    _base_.dsrg_train_dataloader,
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(_weak, ann_file=weak_ann, supervision='weak'),
            dict(
                _weak,
                ann_file=strong_ann,
                supervision='full',
                data_prefix=dict(
                    img_path='JPEGImages', seg_map_path=_base_.gt_dir)),
        ]))
