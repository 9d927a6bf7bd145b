"""Packing with image-level labels and multi-seed label stacks."""
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.datasets.transforms import PackSegInputs
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackWeakSegInputs(PackSegInputs):
    """``PackSegInputs`` that also packs weak supervision.

    Added to each ``SegDataSample``:

    - ``gt_img_labels`` (Tensor, (num_classes,) float): multi-hot image-level
      labels, background at index 0 (from ``results['img_labels']``).
    - ``gt_seed_maps`` (PixelData, data (K, H, W) long): the K seed maps loaded
      by ``LoadSeedMaps`` after the same geometric transforms as the image.

    Meta keys: mmseg's plus ``supervision`` (``'weak'`` / ``'full'``, from
    ``WeakVOCDataset``), which tells a loss whether ``gt_sem_seg`` is a seed
    map or strong ground truth.
    """
    META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                 'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                 'reduce_zero_label', 'supervision')

    def __init__(self, meta_keys=META_KEYS):
        super().__init__(meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        sample = packed['data_samples']
        if 'img_labels' in results:
            sample.gt_img_labels = torch.as_tensor(
                np.asarray(results['img_labels'], np.float32))
        seed_keys = results.get('seed_map_keys', [])
        if seed_keys:
            stack = np.stack([results[k] for k in seed_keys]).astype(np.int64)
            sample.gt_seed_maps = PixelData(data=torch.from_numpy(stack))
        return packed
