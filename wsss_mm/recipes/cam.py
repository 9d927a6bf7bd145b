"""CAM baseline (Zhou et al. CVPR'16; the CAM recipe of Fan et al. eq. 2-3).

classifier -> CAM seeds on train -> DeepLab-LargeFOV on the seeds -> val.
"""
from .stage import Stage

CLASSIFIER = dict(
    mini='configs/cam/cam_vgg16-slim_mini.py',
    partbody='configs/cam/cam_vgg16-slim_partbody.py',
    voc='configs/cam/cam_vgg16_voc12.py')
SEGMENTOR = dict(
    mini='configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py',
    partbody='configs/cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py',
    voc='configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py')

#: the part-and-body benchmark's instrument (``crf_gain``, docs/benchmark.md):
#: the same classifier and seed protocol, read out by the dense CRF
CRF_SEEDS = dict(partbody='configs/cam/cam_vgg16-slim_partbody_crf.py')

STAGES = [
    Stage('classifier', 'train', CLASSIFIER, pretrain='vgg16'),
    Stage(
        'seeds',
        'test',
        CLASSIFIER,
        checkpoint='classifier',
        split='train',
        out=True,
        metrics='seed'),
    Stage(
        'seeds_crf',
        'test',
        CRF_SEEDS,
        checkpoint='classifier',
        split='train',
        out=True,
        metrics='seed_crf'),
    Stage(
        'segmentation', 'train', SEGMENTOR, labels='seeds', pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
