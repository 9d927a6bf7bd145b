"""Single-stage WSSS (Araslanov & Roth, CVPR'20): one training run.

train (nGWP + focal penalty, PAMR pseudo labels after the warm-up) -> val,
val with the dense CRF -> the pseudo-mask quality on train (their Table 2).
"""
from .stage import Stage

MODEL = dict(
    mini='configs/single_stage/ngwp_vgg16-slim_mini.py',
    partbody='configs/single_stage/ngwp_vgg16-slim_partbody.py',
    voc='configs/single_stage/ngwp_vgg16_voc12.py')
WITH_CRF = dict(
    mini='configs/single_stage/ngwp_vgg16-slim_mini_crf.py',
    partbody='configs/single_stage/ngwp_vgg16-slim_partbody_crf.py',
    voc='configs/single_stage/ngwp_vgg16_voc12_crf.py')
PSEUDO_MASKS = dict(
    mini='configs/single_stage/ngwp_vgg16-slim_mini_pseudo-masks.py',
    partbody='configs/single_stage/ngwp_vgg16-slim_partbody_pseudo-masks.py',
    voc='configs/single_stage/ngwp_vgg16_voc12_pseudo-masks.py')

STAGES = [
    Stage('train', 'train', MODEL, pretrain='vgg16'),
    Stage('val', 'test', MODEL, checkpoint='train', metrics='val'),
    Stage('val_crf', 'test', WITH_CRF, checkpoint='train', metrics='val_crf'),
    Stage(
        'seeds',
        'test',
        PSEUDO_MASKS,
        checkpoint='train',
        split='train',
        out=True,
        metrics='seed'),
]
