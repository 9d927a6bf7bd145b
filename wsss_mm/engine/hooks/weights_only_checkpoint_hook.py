"""Make every checkpoint a Runner saves loadable with ``weights_only=True``.

``import wsss_mm`` adds :class:`WeightsOnlyCheckpointHook` to every
mmengine ``Runner`` built afterwards (configs need not list it; listing it in
``custom_hooks`` is harmless, it is not added twice). See
:mod:`wsss_mm.utils.checkpoint` for what it converts and why.
"""
import logging

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import Runner
from mmseg.registry import HOOKS

from ...utils.checkpoint import (TRUSTED_DIRS_ENV, non_weights_only_paths,
                                 to_weights_only)


@HOOKS.register_module()
class WeightsOnlyCheckpointHook(Hook):
    """Convert the checkpoint dict in ``before_save_checkpoint``: numpy
    scalars/arrays/dtypes to plain Python, mmengine ``HistoryBuffer`` to
    :class:`~wsss_mm.utils.checkpoint.PlainHistoryBuffer`. Runs last
    (priority ``LOWEST``) so it also sees what other hooks added. The runner's
    own state (message hub, dataset meta) is not modified."""

    priority = 'LOWEST'

    def __init__(self):
        self._warned = False

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        for key in list(checkpoint):
            checkpoint[key] = to_weights_only(checkpoint[key])
        bad = non_weights_only_paths(
            {k: v
             for k, v in checkpoint.items() if k != 'state_dict'})
        if bad and not self._warned:
            self._warned = True
            print_log(
                f'WeightsOnlyCheckpointHook: these checkpoint entries '
                f'are not weights-only, so the checkpoint will load '
                f'only from a directory in ${TRUSTED_DIRS_ENV}: {bad}',
                logger='current',
                level=logging.WARNING)


def _add_to_every_runner():
    """Wrap ``Runner.register_hooks`` (called once by ``Runner.__init__``) so
    that a :class:`WeightsOnlyCheckpointHook` is registered unless the config
    already has one. Idempotent."""
    original = Runner.register_hooks
    if getattr(original, '_wsss_mm_weights_only', False):
        return

    def register_hooks(self, default_hooks=None, custom_hooks=None):
        original(self, default_hooks, custom_hooks)
        if not any(
                isinstance(h, WeightsOnlyCheckpointHook) for h in self._hooks):
            self.register_hook(WeightsOnlyCheckpointHook())

    register_hooks._wsss_mm_weights_only = True
    register_hooks.__doc__ = original.__doc__
    Runner.register_hooks = register_hooks


_add_to_every_runner()
