"""A stage of a WSSS recipe: one run of a standard tool, declared as data.

A recipe (one file per method in this folder) is a list of stages;
``tools/wsss_pipeline.py`` walks it. Everything a stage needs is written here:
which tool, which config (per config set), which earlier stage's output it
reads, and what it measures. The walker adds only what is the same for every
method: the data set (root, class names, split lists, GT folder), the number
of classes of the model's head, shorter schedules (``--quick``) and the
mini-pretrained backbone.
"""
from dataclasses import dataclass, field, replace
from typing import Dict, Optional, Tuple, Union

#: tool -> what its stage produces
TOOLS = {
    'train': 'checkpoint',  # tools/train.py CONFIG
    'test':
    'metrics',  # tools/test.py CONFIG CKPT (+ label PNGs with out=True)
    'dcp_statistics': 'file',  # tools/dcp_statistics.py CONFIG CKPT --out FILE
    'fill_uncertain': 'folder',  # tools/fill_uncertain.py SEEDS PRED OUT
}
#: the reference that names the GT masks instead of a stage
GT = 'gt'


@dataclass(frozen=True)
class Stage:
    """One tool run.

    Args:
        name: unique in the recipe; the run's folder ``WORK_DIR/<name>`` and
            the name by which later stages refer to its output.
        tool: a key of :data:`TOOLS`.
        config: {config set ('mini', 'voc'): config path}, or one path for
            every set; None for ``fill_uncertain``.
        checkpoint: ``test`` / ``dcp_statistics``: the stage whose
            checkpoint is loaded (a ``train`` stage, or ``pretrained:NAME``
            for the mini-pretrained backbone ``NAME``).
        labels: ``train`` of a segmentor: the stage whose label PNGs it
            trains on, a tuple of stages (K seed sets, read by
            ``LoadSeedMaps``), or :data:`GT`. A classifier trains on the
            image-level labels of the GT masks: leave it None. A tuple may
            differ by config set: {config set: tuple} (see :meth:`on`).
        split: ``test``: the list it runs on, ``'train'`` or ``'val'``.
        out: ``test``: write the predictions (seeds) as label PNGs.
        sets: ``test`` with ``out``: the seed sets one run writes (a config
            whose seed generator is a ``SeedSetsGenerator`` with these
            sets), each into ``<name>/labels/<set>``. Later stages refer to
            each set by its name, as to a stage of its own. The sets may
            differ by config set: {config set: tuple} (see :meth:`on`).
        metrics: ``test``: the tag of its metrics in ``result.json``
            (``seed`` for seeds on train, ``val``, ``val_crf``, ...).
        inputs: {cfg key: stage}: further outputs this run reads (e.g. the
            DCP patterns file).
        sources: ``fill_uncertain``: (seed stage, prediction stage).
        pretrain: the mini-pretrained backbone the config starts from
            (``'vgg16'``, ``'resnet18'``; mini config set only).
        clock: which time of ``result.json`` the run counts in
            (``'train'``, ``'seeds'`` or None); default: ``train`` stages
            in ``'train'``, stages with ``metrics='seed'`` in ``'seeds'``.
    """
    name: str
    tool: str
    config: Union[None, str, Dict[str, str]] = None
    checkpoint: Optional[str] = None
    labels: Union[None, str, Tuple[str, ...], Dict[str, Tuple[str,
                                                              ...]]] = None
    split: str = 'val'
    out: bool = False
    sets: Union[Tuple[str, ...], Dict[str, Tuple[str, ...]]] = ()
    metrics: Optional[str] = None
    inputs: Dict[str, str] = field(default_factory=dict)
    sources: Tuple[str, ...] = ()
    pretrain: Optional[str] = None
    clock: Optional[str] = 'auto'

    def __post_init__(self):
        if self.tool not in TOOLS:
            raise ValueError(
                f'stage {self.name!r}: tool {self.tool!r} is not one of '
                f'{sorted(TOOLS)}')
        if self.tool != 'fill_uncertain' and self.config is None:
            raise ValueError(
                f'stage {self.name!r}: {self.tool} needs a config')
        if self.tool in ('test', 'dcp_statistics') and not self.checkpoint:
            raise ValueError(
                f'stage {self.name!r}: {self.tool} needs a checkpoint stage')
        if self.tool == 'fill_uncertain' and len(self.sources) != 2:
            raise ValueError(f'stage {self.name!r}: fill_uncertain needs '
                             'sources=(seed stage, prediction stage)')
        if self.sets and (self.tool != 'test' or not self.out):
            raise ValueError(
                f'stage {self.name!r}: sets are written by a test stage with '
                'out=True')
        if self.split not in ('train', 'val'):
            raise ValueError(
                f'stage {self.name!r}: split must be train or val')
        if self.clock == 'auto':
            clock = ('train' if self.tool == 'train' else
                     'seeds' if self.metrics == 'seed' else None)
            object.__setattr__(self, 'clock', clock)

    def on(self, config_set: str) -> 'Stage':
        """The stage as it runs on ``config_set``: ``sets`` and ``labels``
        given per config set resolved to that set's tuple."""
        per_set = {
            key: getattr(self, key)[config_set]
            for key in ('sets', 'labels')
            if isinstance(getattr(self, key), dict)
        }
        return replace(self, **per_set) if per_set else self

    @property
    def outputs(self) -> Tuple[str, ...]:
        """The names later stages read this stage's outputs by: its seed
        sets (per config set: those of every set, call :meth:`on` first for
        one), else its own name."""
        return _flat(self.sets) or (self.name, )

    def runs_on(self, config_set: str) -> bool:
        """Whether the stage has a config for ``config_set`` (a recipe may
        leave a stage out of a config set, e.g. one architecture of two)."""
        return not isinstance(self.config, dict) or config_set in self.config

    def config_for(self, config_set: str) -> Optional[str]:
        if self.config is None or isinstance(self.config, str):
            return self.config
        if config_set not in self.config:
            raise KeyError(f'stage {self.name!r} has no {config_set!r} config '
                           f'(it has {sorted(self.config)})')
        return self.config[config_set]

    def needs(self) -> Tuple[str, ...]:
        """The stages whose outputs this one reads."""
        refs = [self.checkpoint, *self.inputs.values(), *self.sources]
        labels = _flat(self.labels) if isinstance(self.labels,
                                                  (tuple,
                                                   dict)) else (self.labels, )
        refs += [x for x in labels if x != GT]
        return tuple(r for r in refs if r and not r.startswith('pretrained:'))


def _flat(value) -> tuple:
    """A tuple, or the union in order of a {config set: tuple}."""
    if not isinstance(value, dict):
        return value
    return tuple(dict.fromkeys(n for names in value.values() for n in names))
