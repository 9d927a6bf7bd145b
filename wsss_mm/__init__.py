"""wsss_mm: weakly-supervised semantic segmentation for mmsegmentation 1.x.

Importing the package registers every component into mmseg's registries
(``custom_imports=dict(imports=['wsss_mm'])`` in a config) and installs the
checkpoint loader of :mod:`wsss_mm.utils.checkpoint`.
"""
import mmseg.models  # noqa: F401  (mmseg's own modules first)

from . import utils  # noqa: F401,E402
from . import datasets, engine, evaluation, models, visualization
from .utils.checkpoint import register_checkpoint_loader
from .version import __version__

register_checkpoint_loader()

__all__ = ['__version__']
