"""Loading K seed maps per image (multi-seed training)."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from wsss_mm.utils.io import read_label_png


@TRANSFORMS.register_module()
class LoadSeedMaps(BaseTransform):
    """Load the K seed PNGs listed in ``results['seed_map_paths']``.

    Each map is stored under its own key ``seed_map_{k}`` and registered in
    ``results['seg_fields']``, so mmseg's ``RandomResize``, ``RandomCrop``,
    ``RandomFlip``, ``Pad``... apply exactly the same geometry to the image,
    the GT/seed map and all K seeds (nearest interpolation, 255 padding).
    ``PackWeakSegInputs`` stacks them into ``gt_seed_maps`` (K, H, W).

    Required keys: ``seed_map_paths``. Added keys: ``seed_map_{k}``,
    ``seed_map_keys``; modified: ``seg_fields``.
    """

    def transform(self, results: dict) -> dict:
        paths = results.get('seed_map_paths')
        if not paths:
            raise KeyError('LoadSeedMaps: the sample has no "seed_map_paths"; '
                           'set the dataset\'s seed_dirs')
        h, w = results['img'].shape[:2] if 'img' in results else (None, None)
        keys = []
        for k, path in enumerate(paths):
            seed = read_label_png(path)  # FileNotFoundError names the path
            if h is not None and seed.shape != (h, w):
                raise ValueError(
                    f'LoadSeedMaps: {path} has shape {seed.shape}, '
                    f'image has {(h, w)}')
            key = f'seed_map_{k}'
            results[key] = np.ascontiguousarray(seed)
            results.setdefault('seg_fields', []).append(key)
            keys.append(key)
        results['seed_map_keys'] = keys
        return results


@TRANSFORMS.register_module()
class LoadAnnotationsIfAny(BaseTransform):
    """Run ``load`` (a ``LoadAnnotations``) on samples that name a mask and
    pass the others through unchanged: a split whose image-level labels come
    from a file may have masks for some images or none
    (``WeakVOCDataset`` wraps its pipeline's ``LoadAnnotations`` so).

    Args:
        load (dict | BaseTransform): the wrapped loading transform.
    """

    def __init__(self, load):
        self.load = TRANSFORMS.build(load) if isinstance(load, dict) else load

    def transform(self, results: dict) -> dict:
        if results.get('seg_map_path') is None:
            return results
        return self.load(results)

    def __repr__(self):
        return f'{type(self).__name__}({self.load!r})'
