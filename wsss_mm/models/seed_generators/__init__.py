from .base import (BaseSeedGenerator, apply_background_cue, image_generator,
                   image_id, image_seed)
from .cam_seed_generator import CAMSeedGenerator
from .dcp_seed_generator import DCPSeedGenerator
from .ficklenet_seed_generator import FickleNetSeedGenerator
from .seed_sets_generator import SeedSetsGenerator

__all__ = [
    'BaseSeedGenerator', 'CAMSeedGenerator', 'DCPSeedGenerator',
    'FickleNetSeedGenerator', 'SeedSetsGenerator', 'apply_background_cue',
    'image_generator', 'image_id', 'image_seed'
]
