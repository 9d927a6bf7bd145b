"""Warm-up switch of the single-stage segmentation loss."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from mmseg.registry import HOOKS


def _check_count(name: str, value) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f'SegLossWarmupHook: {name} must be an int >= 0, '
                         f'got {value!r}')
    return value


@HOOKS.register_module()
class SegLossWarmupHook(Hook):
    """Keep the self-supervised segmentation loss off during a warm-up.

    Araslanov & Roth (Sec. 4.1) train 5 epochs with the classification loss
    only, then switch the segmentation loss on for the remaining 15. Before
    every training iteration this hook sets ``model.<attr>`` (default
    ``seg_loss_enabled`` of :class:`SingleStageSegmentor`) to False while
    the run is inside the warm-up and to True after it. The state is
    recomputed from the runner's counters each time, so resuming from a
    checkpoint gives the right state; a DDP-wrapped model is unwrapped
    (``runner.model.module``).

    Exactly one of:

    - ``warmup_epochs``: epochs of warm-up. With an epoch-based loop the
      first ``warmup_epochs`` epochs (``runner.epoch < warmup_epochs``);
      with an iteration-based loop, ``warmup_epochs * len(train_dataloader)``
      iterations.
    - ``warmup_iters``: iterations of warm-up (``runner.iter < warmup_iters``),
      for either loop type.

    Args:
        warmup_epochs (int, optional): Warm-up in epochs (paper: 5).
        warmup_iters (int, optional): Warm-up in iterations.
        attr (str): Boolean attribute of the model to switch.
    """

    priority = 'NORMAL'

    def __init__(self,
                 warmup_epochs: Optional[int] = None,
                 warmup_iters: Optional[int] = None,
                 attr: str = 'seg_loss_enabled') -> None:
        self.warmup_epochs = _check_count('warmup_epochs', warmup_epochs)
        self.warmup_iters = _check_count('warmup_iters', warmup_iters)
        if (self.warmup_epochs is None) == (self.warmup_iters is None):
            raise ValueError('SegLossWarmupHook: give exactly one of '
                             'warmup_epochs and warmup_iters, got '
                             f'warmup_epochs={warmup_epochs!r}, '
                             f'warmup_iters={warmup_iters!r}')
        self.attr = attr
        self._state = None

    def _model(self, runner):
        model = runner.model
        if is_model_wrapper(model) or (not hasattr(model, self.attr)
                                       and hasattr(model, 'module')):
            model = model.module  # DDP and other wrappers
        if not hasattr(model, self.attr):
            raise AttributeError(
                f'SegLossWarmupHook: the model ({type(model).__name__}) has no '
                f'attribute "{self.attr}" to switch (use SingleStageSegmentor '
                'or set attr)')
        return model

    def in_warmup(self, runner) -> bool:
        """Whether the next training iteration is inside the warm-up."""
        if self.warmup_iters is not None:
            return runner.iter < self.warmup_iters
        if isinstance(runner.train_loop, EpochBasedTrainLoop):
            return runner.epoch < self.warmup_epochs
        return runner.iter < self.warmup_epochs * len(runner.train_dataloader)

    def _apply(self, runner) -> None:
        enabled = not self.in_warmup(runner)
        setattr(self._model(runner), self.attr, enabled)
        if enabled != self._state:
            print_log(f'SegLossWarmupHook: {self.attr}={enabled} at epoch '
                      f'{runner.epoch}, iteration {runner.iter}',
                      logger='current')
            self._state = enabled

    def before_train(self, runner) -> None:
        self._model(runner)  # fail early if the attribute is missing
        self._apply(runner)

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        self._apply(runner)
