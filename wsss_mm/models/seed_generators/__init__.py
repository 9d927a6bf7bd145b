from .base import BaseSeedGenerator, crop_and_restore
from .cam_seed_generator import CAMSeedGenerator

__all__ = ['BaseSeedGenerator', 'CAMSeedGenerator', 'crop_and_restore']
