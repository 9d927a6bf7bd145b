"""Pure math of the methods: tensors in, tensors out (paper equations)."""
from .cam import (cams_to_crf_seeds, cams_to_seeds, crf_background_score,
                  multi_scale_maps, normalize_cams)
from .dcp import (ClassStatistics, dcp_assign, dcp_assign_projections,
                  dcp_projections, load_patterns, orient_pattern,
                  save_patterns, top_eigenvector)
from .dense_crf import dense_crf
from .dsrg import balanced_seed_loss, constrain_loss, seeded_region_growing
from .feature_expansion import (expand_windows, naive_selection_conv,
                                sample_selection_keep, sliding_windows)
from .geometry import padding_of, restore_geometry, unpad_features
from .labels import stack_image_labels
from .ngwp import background_softmax, focal_mask_penalty, ngwp_class_scores
from .pseudo_labels import balanced_cross_entropy, pamr_pseudo_labels
from .selection_gradcam import (aggregate_selection_maps, selection_gradcam,
                                selection_gradcam_autograd)
from .wst import wst_loss, wst_weights

__all__ = [
    'normalize_cams', 'cams_to_seeds', 'multi_scale_maps', 'dense_crf',
    'ClassStatistics', 'dcp_assign', 'dcp_assign_projections',
    'dcp_projections', 'load_patterns', 'orient_pattern', 'save_patterns',
    'top_eigenvector', 'seeded_region_growing', 'balanced_seed_loss',
    'constrain_loss', 'cams_to_crf_seeds', 'crf_background_score',
    'expand_windows', 'naive_selection_conv', 'sample_selection_keep',
    'sliding_windows', 'padding_of', 'restore_geometry', 'unpad_features',
    'stack_image_labels', 'background_softmax', 'focal_mask_penalty',
    'ngwp_class_scores', 'balanced_cross_entropy', 'pamr_pseudo_labels',
    'aggregate_selection_maps', 'selection_gradcam',
    'selection_gradcam_autograd', 'wst_weights', 'wst_loss'
]
