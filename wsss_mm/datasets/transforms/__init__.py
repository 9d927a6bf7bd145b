from .formatting import PackWeakSegInputs
from .loading import LoadSeedMaps

__all__ = ['PackWeakSegInputs', 'LoadSeedMaps']
