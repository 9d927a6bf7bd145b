"""The Pascal VOC colour map, shared by the label PNGs and the pictures."""
import numpy as np


def voc_palette(num: int = 256) -> np.ndarray:
    """The Pascal VOC colour map, (num, 3) uint8 (index 255 is cream/white)."""
    palette = np.zeros((num, 3), dtype=np.uint8)
    for i in range(num):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        palette[i] = (r, g, b)
    return palette
