from .formatting import PackWeakSegInputs
from .loading import LoadAnnotationsIfAny, LoadSeedMaps
from .rescale import RandomRescale

__all__ = [
    'RandomRescale', 'PackWeakSegInputs', 'LoadSeedMaps',
    'LoadAnnotationsIfAny'
]
