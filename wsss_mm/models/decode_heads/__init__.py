from .cam_head import CAMHead
from .global_cue_injection import GlobalCueInjection
from .largefov_head import LargeFOVHead
from .pamr_module import PAMR
from .stochastic_gate import StochasticGate
from .wrapped_decode_head import WrappedDecodeHead

__all__ = ['CAMHead', 'LargeFOVHead', 'PAMR', 'StochasticGate',
           'GlobalCueInjection', 'WrappedDecodeHead']
