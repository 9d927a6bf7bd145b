"""Fully supervised upper bound of the single-stage network: the backbone and
nGWP head of ``singlestage`` trained on the GT masks with cross-entropy
(``SingleStageSegmentor(supervision='full')``), the same data and schedule.
The single-stage row compares with it, the two-stage rows with ``full``."""
from .stage import GT, Stage

SEGMENTOR = dict(mini='configs/full/ngwp_vgg16-slim_mini_gt.py',
                 partbody='configs/full/ngwp_vgg16-slim_partbody_gt.py')

STAGES = [
    Stage('segmentation', 'train', SEGMENTOR, labels=GT, pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
