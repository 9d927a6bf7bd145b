from .base import BaseSeedGenerator, crop_and_restore
from .cam_seed_generator import CAMSeedGenerator
from .dcp_seed_generator import DCPSeedGenerator
from .ficklenet_seed_generator import FickleNetSeedGenerator

__all__ = ['BaseSeedGenerator', 'CAMSeedGenerator', 'DCPSeedGenerator',
           'FickleNetSeedGenerator', 'crop_and_restore']
