"""Several seed sets from one classifier run: each forward pass once.

Multi-estimations (Fan et al. ECCV'20, Sec. 4.2-4.4) reads many seed sets
off one classifier: threshold and CRF seeds at scales 1, 0.75 and 0.5. The
sets that share a classifier and a scale differ only by the read-out, so one
``tools/test.py`` run computes each distinct forward pass once and writes
every set into its own folder (``SeedMetric(seed_set=NAME)``, one per set).
"""
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch
from mmseg.registry import MODELS
from torch import Tensor

from .base import BaseSeedGenerator


@MODELS.register_module()
class SeedSetsGenerator(BaseSeedGenerator):
    """Named seed generators run on the same batch, sharing forward passes.

    Members that expose ``views`` / ``forward_maps`` / ``read_out``
    (:class:`CAMSeedGenerator`) and have equal ``views`` (scales, flip,
    reduce) get the maps of one forward pass; any other member runs its own
    ``generate``. Each set's seeds are exactly those of its member run alone.

    Args:
        sets (dict): {set name: seed generator config}, in output order.
    """

    def __init__(self, sets: Dict[str, dict]):
        if not sets:
            raise ValueError('SeedSetsGenerator: sets is empty')
        self.sets = OrderedDict(
            (name, MODELS.build(cfg)) for name, cfg in sets.items())
        for name, member in self.sets.items():
            if isinstance(member, SeedSetsGenerator):
                raise ValueError(f'SeedSetsGenerator: sets.{name} is itself a '
                                 'SeedSetsGenerator')
        self.feature_layers = tuple(
            dict.fromkeys(layer for m in self.sets.values()
                          for layer in m.feature_layers))
        # members with equal views share a forward pass; the others (no
        # views) are groups of one, keyed by their name
        self.groups: Dict[object, List[str]] = OrderedDict()
        for name, member in self.sets.items():
            views = getattr(member, 'views', None)
            self.groups.setdefault(name if views is None else views,
                                   []).append(name)

    @property
    def set_names(self) -> Tuple[str, ...]:
        return tuple(self.sets)

    def shared_views(self) -> Dict[object, List[str]]:
        """{views (or a lone member's name): the member names that share
        that forward pass}, fixed when the generator is built."""
        return self.groups

    @torch.no_grad()
    def generate_sets(self, model, inputs: Tensor,
                      data_samples) -> Dict[str, List[Tuple[Tensor, Tensor]]]:
        """{set name: per image ``(scores, seeds)``} of a batch."""
        out = {}
        for names in self.groups.values():
            first = self.sets[names[0]]
            if getattr(first, 'views', None) is None:
                out[names[0]] = first.generate(model, inputs, data_samples)
                continue
            maps = first.forward_maps(model, inputs)
            for name in names:
                out[name] = self.sets[name].read_out(model, inputs,
                                                     data_samples, maps)
        return OrderedDict((name, out[name]) for name in self.sets)

    def generate(self, model, inputs, data_samples):
        """The first set's seeds (the interface of one generator)."""
        return next(
            iter(self.generate_sets(model, inputs, data_samples).values()))
