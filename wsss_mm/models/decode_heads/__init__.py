from .cam_head import CAMHead
from .deeplabv2_head import DeepLabV2Head
from .dsrg_head import DSRGHead
from .largefov_head import LargeFOVHead
from .multi_seed_head import MultiSeedHead
from .ngwp_head import NGWPHead
from .wrapped_decode_head import WrappedDecodeHead

__all__ = [
    'NGWPHead', 'CAMHead', 'DeepLabV2Head', 'DSRGHead', 'LargeFOVHead',
    'WrappedDecodeHead', 'MultiSeedHead'
]
