"""Building a segmentor's encoder the way mmseg's EncoderDecoder does."""
from typing import Optional

from mmseg.registry import MODELS


def build_encoder(segmentor,
                  backbone: dict,
                  neck: Optional[dict] = None,
                  pretrained: Optional[str] = None) -> None:
    """Set ``segmentor.backbone`` (and ``segmentor.neck``) from their configs.

    ``pretrained`` is mmseg's legacy model-level key (its ``_base_/models``
    files set it): it becomes the backbone's ``init_cfg``, so a config that
    inherits an mmseg model part keeps working when its type is one of ours.
    """
    if pretrained is not None:
        backbone.init_cfg = dict(type='Pretrained', checkpoint=pretrained)
    segmentor.backbone = MODELS.build(backbone)
    if neck is not None:
        segmentor.neck = MODELS.build(neck)
