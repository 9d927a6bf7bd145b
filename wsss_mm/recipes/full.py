"""Fully supervised upper bound: the segmentation network of the two-stage
methods trained on the GT masks."""
from .stage import GT, Stage

SEGMENTOR = dict(
    mini='configs/full/deeplab_largefov_vgg16-slim_mini_gt.py',
    partbody='configs/full/deeplabv3_vgg16-slim_partbody_gt.py',
    voc='configs/full/deeplab_largefov_vgg16_voc12_gt.py')

STAGES = [
    Stage('segmentation', 'train', SEGMENTOR, labels=GT, pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
