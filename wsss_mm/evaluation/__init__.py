from .metrics import *  # noqa: F401,F403
from .provenance import MANIFEST, ProvenanceError  # noqa: F401
