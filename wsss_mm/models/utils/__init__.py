"""Pure math of the methods: tensors in, tensors out (paper equations)."""
from .cam import cams_to_seeds, multi_scale_maps, normalize_cams
from .dense_crf import dense_crf
from .feature_expansion import (expand_windows, naive_selection_conv,
                                sample_selection_keep, sliding_windows)
from .labels import stack_image_labels
from .ngwp import background_softmax, focal_mask_penalty, ngwp_class_scores
from .pamr import pamr_affinity, pamr_refine
from .pseudo_labels import balanced_cross_entropy, pamr_pseudo_labels
from .selection_gradcam import (aggregate_selection_maps, selection_gradcam,
                                selection_gradcam_autograd)
from .stochastic_gate import stochastic_gate

__all__ = [
    'normalize_cams', 'cams_to_seeds', 'multi_scale_maps', 'dense_crf',
    'expand_windows', 'naive_selection_conv', 'sample_selection_keep',
    'sliding_windows', 'stack_image_labels', 'background_softmax',
    'focal_mask_penalty', 'ngwp_class_scores', 'pamr_affinity', 'pamr_refine',
    'balanced_cross_entropy', 'pamr_pseudo_labels', 'aggregate_selection_maps',
    'selection_gradcam', 'selection_gradcam_autograd', 'stochastic_gate'
]
