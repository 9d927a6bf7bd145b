"""wsss_mm: weakly-supervised semantic segmentation for mmsegmentation 1.x.

Importing the package registers every component into mmseg's registries
(``custom_imports=dict(imports=['wsss_mm'])`` in a config) and installs the
checkpoint loader of :mod:`wsss_mm.utils.checkpoint`.
"""
import mmseg.models  # noqa: F401  (mmseg's own modules first)

# the sub-packages register their components (the names are not used)
from . import datasets  # noqa: F401
from . import engine  # noqa: F401
from . import evaluation  # noqa: F401
from . import models  # noqa: F401
from . import utils  # noqa: F401
from . import visualization  # noqa: F401
from .utils.checkpoint import register_checkpoint_loader
from .version import __version__

register_checkpoint_loader()

__all__ = ['__version__']
