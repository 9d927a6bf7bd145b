from .formatting import PackWeakSegInputs
from .loading import LoadSeedMaps
from .rescale import RandomRescale

__all__ = ['RandomRescale', 'PackWeakSegInputs', 'LoadSeedMaps']
