"""Image-level labels out of data samples."""
from typing import Sequence

import torch
from torch import Tensor


def stack_image_labels(data_samples: Sequence,
                       num_classes: int,
                       with_background: bool = False) -> Tensor:
    """(B, num_classes) multi-hot image labels from ``gt_img_labels``.

    ``gt_img_labels`` (packed by ``PackWeakSegInputs``) covers all classes with
    background at index 0. ``num_classes`` counts the classes the caller wants:
    foreground only (``with_background=False``, a classifier's outputs) or all.
    Raises ``ValueError`` on a class-count mismatch or missing labels.
    """
    rows = []
    for sample in data_samples:
        if 'gt_img_labels' not in sample:
            raise KeyError(
                'data sample has no gt_img_labels: pack the data with '
                'PackWeakSegInputs and use a dataset with image labels '
                '(WeakVOCDataset)')
        labels = sample.gt_img_labels
        expected = num_classes + (0 if with_background else 1)
        if labels.numel() != expected:
            raise ValueError(
                f'the dataset has {labels.numel()} classes (with background) '
                f'but the model expects {expected}: check num_classes of the '
                f'head (foreground classes) against the dataset classes')
        rows.append(labels if with_background else labels[1:])
    return torch.stack(rows).float()
