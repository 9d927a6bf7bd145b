"""A composed recipe: parts of two papers on the CAM baseline, by config.

classifier (the CAM baseline's) -> two seed sets from one forward pass, each
refined by PAMR (single-stage, Araslanov & Roth eq. 7-8): the baseline's
thresholds and Fan et al.'s CRF read-out -> a segmenter trained on both with
the plain multi-seed loss (multi-estimations, Fan et al. eq. 4-6, WST scale
0) -> val. Nothing here is method code: every stage is a config of
configs/combined/ built from the papers' configs.

The composition was chosen on held-out train (configs/combined/README.md),
which also left DCP's retraining on predicted masks (Luo & Yang, Sec. 3.3)
out: ``STAGES_RETRAIN`` (recipe ``combined_retrain``) keeps it for the
leave-one-in row. Its leave-one-out rows: without PAMR, ``STAGES_WO_PAMR``
(recipe ``combined_wo_pamr``); without one of the two sets, the runner's
``--seed-sets`` (the segmenter then trains on the other alone).
"""
from .stage import Stage

CLASSIFIER = dict(
    mini='configs/cam/cam_vgg16-slim_mini.py',
    partbody='configs/cam/cam_vgg16-slim_partbody.py',
    voc='configs/cam/cam_vgg16_voc12.py')
SEEDS = dict(
    mini='configs/combined/cam_vgg16-slim_mini_sets.py',
    partbody='configs/combined/cam_vgg16-slim_partbody_sets.py',
    voc='configs/combined/cam_vgg16_voc12_sets.py')
SEGMENTOR = dict(
    mini='configs/combined/msl_largefov_vgg16-slim_mini.py',
    partbody='configs/combined/msl_deeplabv3_vgg16-slim_partbody.py',
    voc='configs/combined/msl_largefov_vgg16_voc12.py')
PREDICT = dict(
    mini='configs/combined/msl_largefov_vgg16-slim_mini_predict.py',
    partbody='configs/combined/msl_deeplabv3_vgg16-slim_partbody_predict.py',
    voc='configs/combined/msl_largefov_vgg16_voc12_predict.py')
RETRAIN = dict(
    mini='configs/combined/deeplab_largefov_vgg16-slim_mini_retrain.py',
    partbody='configs/combined/deeplabv3_vgg16-slim_partbody_retrain.py',
    voc='configs/combined/deeplab_largefov_vgg16_voc12_retrain.py')
#: the seed sets of SEEDS' SeedSetsGenerator, as the segmenter reads them
SETS = ('threshold', 'crf')

#: leave-one-out of PAMR: the same two read-outs unrefined (the CAM
#: baseline's threshold and its CRF instrument's read-out); partbody only
SEEDS_WO_PAMR = dict(
    partbody='configs/combined/cam_vgg16-slim_partbody_sets_wo-pamr.py')


def stages(seeds=SEEDS, retrain=False):
    """The recipe's stages with the seed sets of the ``seeds`` configs; with
    ``retrain``, DCP's retraining on the first model's predicted masks after
    it (the first model's val is then ``val_before_retrain``)."""
    first = [
        Stage('classifier', 'train', CLASSIFIER, pretrain='vgg16'),
        Stage(
            'seeds',
            'test',
            seeds,
            checkpoint='classifier',
            split='train',
            out=True,
            sets=SETS,
            metrics='seed'),
        Stage(
            'segmentation', 'train', SEGMENTOR, labels=SETS, pretrain='vgg16'),
    ]
    if not retrain:
        return first + [
            Stage(
                'val',
                'test',
                SEGMENTOR,
                checkpoint='segmentation',
                metrics='val')
        ]
    return first + [
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
        Stage(
            'retrain', 'train', RETRAIN, labels='train_pred',
            pretrain='vgg16'),
        Stage('val', 'test', RETRAIN, checkpoint='retrain', metrics='val'),
    ]


STAGES = stages()
STAGES_WO_PAMR = stages(SEEDS_WO_PAMR)
STAGES_RETRAIN = stages(retrain=True)
