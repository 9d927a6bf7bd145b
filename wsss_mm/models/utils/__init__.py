from .cam import cams_to_seeds, multi_scale_maps, normalize_cams
from .labels import stack_image_labels

__all__ = ['normalize_cams', 'cams_to_seeds', 'multi_scale_maps',
           'stack_image_labels']
