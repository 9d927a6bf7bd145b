"""Saliency-free class patterns (DCP, Luo & Yang, AAAI'20).

classifier (its features) -> class patterns (statistics pass, eq. 2) -> seeds
(Algorithm 1) -> LargeFOV -> its predictions on train fill the uncertain seed
pixels -> LargeFOV again -> val (partbody: the shared DeepLab v3 head).
"""
from .stage import Stage

CLASSIFIER = dict(
    mini='configs/dcp/dcp_vgg16-slim_mini.py',
    partbody='configs/dcp/dcp_vgg16-slim_partbody.py',
    voc='configs/dcp/dcp_r101_voc12.py')
STATISTICS = dict(
    mini='configs/dcp/dcp_vgg16-slim_mini_statistics.py',
    partbody='configs/dcp/dcp_vgg16-slim_partbody_statistics.py',
    voc='configs/dcp/dcp_r101_voc12_statistics.py')
SEGMENTOR = dict(
    mini='configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-seeds.py',
    partbody='configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-seeds.py',
    voc='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py')
PREDICT = dict(
    mini='configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-predict.py',
    partbody='configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-predict.py',
    voc='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-predict.py')
RETRAIN = dict(
    mini='configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-retrain.py',
    partbody='configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-retrain.py',
    voc='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain.py')
PATTERNS_KEY = 'model.seed_generator.patterns_file'

STAGES = [
    # on the mini and partbody sets the same training as the CAM baseline's
    # classifier (make bench passes the CAM run's checkpoint: --reuse
    # classifier=CKPT)
    Stage('classifier', 'train', CLASSIFIER, pretrain='vgg16'),
    Stage(
        'statistics',
        'dcp_statistics',
        STATISTICS,
        checkpoint='classifier',
        clock='seeds'),
    Stage(
        'seeds',
        'test',
        CLASSIFIER,
        checkpoint='classifier',
        split='train',
        out=True,
        metrics='seed',
        inputs={PATTERNS_KEY: 'statistics'}),
    Stage(
        'segmentation', 'train', SEGMENTOR, labels='seeds', pretrain='vgg16'),
    Stage(
        'val_first',
        'test',
        SEGMENTOR,
        checkpoint='segmentation',
        metrics='val_before_retrain'),
    Stage(
        'train_pred',
        'test',
        PREDICT,
        checkpoint='segmentation',
        split='train',
        out=True),
    Stage('seeds_filled', 'fill_uncertain', sources=('seeds', 'train_pred')),
    Stage(
        'retrain', 'train', RETRAIN, labels='seeds_filled', pretrain='vgg16'),
    Stage('val', 'test', RETRAIN, checkpoint='retrain', metrics='val'),
]
