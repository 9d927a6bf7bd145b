from .single_stage_segmentor import SingleStageSegmentor
from .single_stage_tta import SingleStageTTAModel
from .weak_classifier import WeakClassifier
from .weak_encoder_decoder import WeakEncoderDecoder, denormalize_inputs

__all__ = [
    'SingleStageSegmentor', 'SingleStageTTAModel', 'WeakClassifier',
    'WeakEncoderDecoder', 'denormalize_inputs'
]
