"""Pictures of seeds: image | CAM heat map | seeds | ground truth."""
from typing import Optional

import numpy as np

from wsss_mm.utils.palette import voc_palette


def colorize_labels(labels: np.ndarray) -> np.ndarray:
    """(H, W) class indices (255 = ignore, drawn white) -> (H, W, 3) uint8."""
    return voc_palette()[labels.astype(np.int64).clip(0, 255)]


def heatmap(values: np.ndarray) -> np.ndarray:
    """(H, W) values in [0, 1] -> (H, W, 3) uint8 blue-to-red 'jet' colours."""
    v = np.clip(values, 0, 1)
    r = np.clip(1.5 - np.abs(4 * v - 3), 0, 1)
    g = np.clip(1.5 - np.abs(4 * v - 2), 0, 1)
    b = np.clip(1.5 - np.abs(4 * v - 1), 0, 1)
    return (np.stack([r, g, b], -1) * 255).astype(np.uint8)


def seed_overlay(image: np.ndarray,
                 seeds: np.ndarray,
                 cam: Optional[np.ndarray] = None,
                 gt: Optional[np.ndarray] = None,
                 alpha: float = 0.5) -> np.ndarray:
    """One row of panels for an image: image, CAM blended on the image (if
    given), seeds blended on the image, GT blended on the image (if given).

    Args:
        image: (H, W, 3) uint8 RGB. seeds, gt: (H, W) label maps.
        cam: (H, W) in [0, 1], e.g. the max normalised CAM over classes.
    Returns:
        (H, k*W + (k-1)*2, 3) uint8 with 2-pixel white gutters.
    """
    if image.shape[:2] != seeds.shape:
        from PIL import Image
        image = np.asarray(Image.fromarray(image).resize(seeds.shape[::-1]))
    img = image.astype(np.float32)
    panels = [image]
    if cam is not None:
        panels.append((1 - alpha) * img + alpha * heatmap(cam))
    for labels in (seeds, gt):
        if labels is not None:
            panels.append((1 - alpha) * img + alpha * colorize_labels(labels))
    gutter = np.full((image.shape[0], 2, 3), 255, np.float32)
    row = []
    for i, p in enumerate(panels):
        if i:
            row.append(gutter)
        row.append(np.asarray(p, np.float32))
    return np.concatenate(row, 1).round().astype(np.uint8)
