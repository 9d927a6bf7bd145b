"""How K seed sets vote on the pixels of each GT class (multi-estimations).

WST (Fan et al., eq. 6-7) weights each seed by its agreement with the
network's own prediction, so what it learns for a class depends on how the
K sets split on that class's pixels. ``seed_votes`` counts, per GT class,
how many sets label its pixels with the class, with background (index 0),
with another class, or leave them unlabelled; divided by the class's pixel
count the four numbers are the mean number of sets per pixel (they sum to
K). ``tools/analysis_tools/seed_votes.py`` runs it on seed folders.
"""
from typing import Iterable, Tuple

import numpy as np

#: the columns of ``seed_votes``
VOTES = ('class', 'background', 'other class', 'unlabelled')


def seed_votes(pairs: Iterable[Tuple[np.ndarray, np.ndarray]],
               num_classes: int,
               ignore_index: int = 255) -> np.ndarray:
    """(num_classes, 4) int64 counts of set labels on each GT class's pixels,
    columns ``VOTES``, over ``(seeds, gt)`` pairs: seeds (K, H, W), gt
    (H, W). GT pixels at ``ignore_index`` are skipped; on background pixels
    a background label counts as 'class'. A seed label outside ``[0, C)``
    that is not ``ignore_index`` raises."""
    votes = np.zeros((num_classes, len(VOTES)), np.int64)
    for seeds, gt in pairs:
        if seeds.shape[1:] != gt.shape:
            raise ValueError(
                f'seeds {seeds.shape} and GT {gt.shape} differ in shape')
        bad = (seeds >= num_classes) & (seeds != ignore_index)
        if bad.any():
            raise ValueError(f'seed labels outside [0, {num_classes}): '
                             f'{sorted(set(seeds[bad].tolist()))[:5]}')
        for c in np.unique(gt):
            if c == ignore_index:
                continue
            v = seeds[:, gt == c]
            right = (v == c).sum()
            unlabelled = (v == ignore_index).sum()
            bg = 0 if c == 0 else (v == 0).sum()
            votes[c] += [
                right, bg, v.size - right - bg - unlabelled, unlabelled
            ]
    return votes
