from .weak_classifier import WeakClassifier
from .weak_encoder_decoder import WeakEncoderDecoder, denormalize_inputs

__all__ = ['WeakClassifier', 'WeakEncoderDecoder', 'denormalize_inputs']
