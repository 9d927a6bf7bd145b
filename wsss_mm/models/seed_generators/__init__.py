from .base import BaseSeedGenerator, crop_and_restore
from .cam_seed_generator import CAMSeedGenerator
from .ficklenet_seed_generator import FickleNetSeedGenerator

__all__ = ['BaseSeedGenerator', 'CAMSeedGenerator', 'FickleNetSeedGenerator', 'crop_and_restore']
