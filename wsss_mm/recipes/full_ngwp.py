"""Fully supervised upper bound of the single-stage network, the same data
and schedule; the single-stage row compares with it, the two-stage rows with
``full``.

- part-and-body: the single-stage training with the GT masks in place of its
  pseudo labels (``SingleStageSegmentor(supervision='full_cls')``: the
  classification loss stays, and so does the inference), so the gap is the
  pseudo labels' alone. Cross-entropy alone on this network
  (``configs/full/ngwp_vgg16-slim_partbody_gt.py``) left four classes
  unlearnt (38.6 val mIoU, below single-stage's own 59.4; the scenes' first
  recipe, body_stripes='angle').
- mini (the glyph bench): the backbone and nGWP head trained on the GT masks
  with cross-entropy only (``supervision='full'``)."""
from .stage import GT, Stage

SEGMENTOR = dict(
    mini='configs/full/ngwp_vgg16-slim_mini_gt.py',
    partbody='configs/full/ngwp_vgg16-slim_partbody_gt-cls.py')

STAGES = [
    Stage('segmentation', 'train', SEGMENTOR, labels=GT, pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
