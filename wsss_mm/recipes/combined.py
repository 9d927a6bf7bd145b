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

A candidate not yet chosen on held-out train, ``STAGES_SECOND_ROUND``
(recipe ``combined_second_round``; partbody and its glyph twin):
single-stage's network (Araslanov & Roth) as a first round, its pseudo
masks on train refined by the dense CRF, and the shared two-stage segmenter
trained on them as a second round; ``STAGES_SECOND_ROUND_WO_CRF`` without
the CRF.
"""
from . import single_stage
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

#: candidate second round: the first round's pseudo masks with the dense CRF,
#: and the shared segmenter trained on them (partbody)
FIRST_ROUND_SEEDS = dict(
    mini='configs/combined/ngwp_vgg16-slim_mini_pseudo-masks_crf.py',
    partbody='configs/combined/ngwp_vgg16-slim_partbody_pseudo-masks_crf.py')
SECOND_ROUND = dict(
    mini='configs/combined/deeplab_largefov_vgg16-slim_mini_second-round.py',
    partbody='configs/combined/deeplabv3_vgg16-slim_partbody_second-round.py')


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


def second_round(seeds=FIRST_ROUND_SEEDS):
    """single-stage's network (trained on image labels) -> its pseudo masks
    on train, read out by the ``seeds`` configs -> the shared segmenter
    trained on them -> val."""
    first = {s: single_stage.MODEL[s] for s in seeds}
    return [
        Stage('first_round', 'train', first, pretrain='vgg16'),
        Stage(
            'seeds',
            'test',
            seeds,
            checkpoint='first_round',
            split='train',
            out=True,
            metrics='seed'),
        Stage(
            'segmentation',
            'train',
            SECOND_ROUND,
            labels='seeds',
            pretrain='vgg16'),
        Stage(
            'val',
            'test',
            SECOND_ROUND,
            checkpoint='segmentation',
            metrics='val'),
    ]


STAGES = stages()
STAGES_WO_PAMR = stages(SEEDS_WO_PAMR)
STAGES_RETRAIN = stages(retrain=True)
STAGES_SECOND_ROUND = second_round()
STAGES_SECOND_ROUND_WO_CRF = second_round(
    {s: single_stage.PSEUDO_MASKS[s]
     for s in FIRST_ROUND_SEEDS})
