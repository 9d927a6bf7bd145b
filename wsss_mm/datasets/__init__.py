from .transforms import *  # noqa: F401,F403
from .weak_voc import (COCO_CLASSES, VOC_CLASSES, WeakCOCO2014Dataset,
                       WeakVOCDataset, labels_from_mask)

__all__ = [
    'WeakVOCDataset', 'WeakCOCO2014Dataset', 'labels_from_mask', 'VOC_CLASSES',
    'COCO_CLASSES'
]
