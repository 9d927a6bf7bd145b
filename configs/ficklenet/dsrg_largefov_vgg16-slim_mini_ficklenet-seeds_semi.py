# Semi-supervised FickleNet/DSRG on the mini benchmark (twin of
# dsrg_largefov_vgg16_voc12_ficklenet-seeds_semi.py): the first 10 % of the
# mini train list strongly labelled, the rest weakly (FickleNet seeds).
#   python tools/dataset_converters/make_semi_split.py --data-root data/mini \
#       --train ImageSets/Segmentation/train.txt --strong-fraction 0.1
#   -> ImageSets/Segmentation/train_strong_150.txt, train_weak_1350.txt
#      (1,500 train scenes; other sizes: pass the printed names as
#      train_dataloader.dataset.datasets.{0,1}.ann_file)
_base_ = ['./_base_/dsrg_largefov_vgg16-slim_mini.py']
strong_ann = 'ImageSets/Segmentation/train_strong_150.txt'
weak_ann = 'ImageSets/Segmentation/train_weak_1350.txt'
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
