"""Saliency-free class patterns (DCP, Luo & Yang, AAAI'20).

classifier (its features) -> class patterns (statistics pass, eq. 2) -> seeds
(Algorithm 1) -> LargeFOV -> its predicted masks on train -> LargeFOV trained
again from scratch on them, as the paper words the step -> val (partbody: the
shared DeepLab v3 head).

``STAGES_FILL_UNCERTAIN`` (recipe ``dcp_fill_uncertain``, an ablation): the
retraining keeps the DCP seeds and takes the first model's predictions only
where the seeds are uncertain (``tools/fill_uncertain.py``), the step's stated
purpose.
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
    mini=('configs/dcp/'
          'deeplab_largefov_vgg16-slim_mini_dcp-retrain_pred-masks.py'),
    partbody=('configs/dcp/'
              'deeplabv3_vgg16-slim_partbody_dcp-retrain_pred-masks.py'),
    voc='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py')
RETRAIN_FILLED = dict(
    mini='configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-retrain.py',
    partbody='configs/dcp/deeplabv3_vgg16-slim_partbody_dcp-retrain.py',
    voc='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain.py')
PATTERNS_KEY = 'model.seed_generator.patterns_file'

STAGES = [
    # on the mini and partbody sets the same training as the CAM baseline's
    # classifier (make bench passes the CAM run's checkpoint: --reuse
    # classifier=CKPT)
    Stage('classifier', 'train', CLASSIFIER, pretrain='vgg16'),
    # eq. 2 over the train images (their image-level labels), never val
    Stage(
        'statistics',
        'dcp_statistics',
        STATISTICS,
        checkpoint='classifier',
        split='train',
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
    Stage('retrain', 'train', RETRAIN, labels='train_pred', pretrain='vgg16'),
    Stage('val', 'test', RETRAIN, checkpoint='retrain', metrics='val'),
]

#: the ablation: retrain on the seeds whose uncertain pixels the first
#: model's predictions fill (the stages up to ``train_pred`` are the same)
STAGES_FILL_UNCERTAIN = [
    *STAGES[:STAGES.index(next(s for s in STAGES if s.name == 'retrain'))],
    Stage('seeds_filled', 'fill_uncertain', sources=('seeds', 'train_pred')),
    Stage(
        'retrain',
        'train',
        RETRAIN_FILLED,
        labels='seeds_filled',
        pretrain='vgg16'),
    Stage('val', 'test', RETRAIN_FILLED, checkpoint='retrain', metrics='val'),
]
