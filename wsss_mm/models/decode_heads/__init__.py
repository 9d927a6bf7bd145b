from .cam_head import CAMHead
from .deeplabv2_head import DeepLabV2Head
from .dsrg_head import DSRGHead
from .global_cue_injection import GlobalCueInjection
from .largefov_head import LargeFOVHead
from .multi_seed_head import MultiSeedHead
from .ngwp_head import NGWPHead
from .pamr_module import PAMR
from .stochastic_gate import StochasticGate
from .wrapped_decode_head import WrappedDecodeHead

__all__ = ['NGWPHead', 'CAMHead', 'DeepLabV2Head', 'DSRGHead', 'LargeFOVHead', 'PAMR', 'StochasticGate',
           'GlobalCueInjection', 'WrappedDecodeHead', 'MultiSeedHead']
