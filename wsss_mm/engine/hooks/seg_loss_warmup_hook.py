"""Warm-up switch of the single-stage segmentation loss."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from mmseg.registry import HOOKS

from wsss_mm.utils.checks import check_int, check_number

OWNER = 'SegLossWarmupHook'


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
    - ``warmup_ratio``: a fraction of the training loop (paper: 5 of 20
      epochs = 0.25). With an epoch-based loop the first
      ``max(1, int(warmup_ratio * max_epochs))`` epochs, with an
      iteration-based loop the first ``max(1, int(warmup_ratio *
      max_iters))`` iterations (rounded down, at least one: 0.25 of 1,000
      iterations = 250, of 150 = 37). It follows the loop's length, so a
      run that changes ``train_cfg.max_iters`` / ``max_epochs`` keeps the
      same proportion without touching the hook.

    Args:
        warmup_epochs (int, optional): Warm-up in epochs (paper: 5).
        warmup_iters (int, optional): Warm-up in iterations.
        warmup_ratio (float, optional): Warm-up as a fraction in (0, 1) of
            the training loop's epochs or iterations.
        attr (str): Boolean attribute of the model to switch.
    """

    priority = 'NORMAL'

    def __init__(self,
                 warmup_epochs: Optional[int] = None,
                 warmup_iters: Optional[int] = None,
                 warmup_ratio: Optional[float] = None,
                 attr: str = 'seg_loss_enabled') -> None:
        self.warmup_epochs = None if warmup_epochs is None else check_int(
            OWNER, 'warmup_epochs', warmup_epochs, min_value=0)
        self.warmup_iters = None if warmup_iters is None else check_int(
            OWNER, 'warmup_iters', warmup_iters, min_value=0)
        self.warmup_ratio = None if warmup_ratio is None else check_number(
            OWNER, 'warmup_ratio', warmup_ratio, 0, 1, True, True)
        given = [
            name for name, value in (('warmup_epochs', self.warmup_epochs),
                                     ('warmup_iters', self.warmup_iters),
                                     ('warmup_ratio', self.warmup_ratio))
            if value is not None
        ]
        if len(given) != 1:
            raise ValueError('SegLossWarmupHook: give exactly one of '
                             'warmup_epochs, warmup_iters and warmup_ratio, '
                             f'got warmup_epochs={warmup_epochs!r}, '
                             f'warmup_iters={warmup_iters!r}, '
                             f'warmup_ratio={warmup_ratio!r}')
        self.attr = attr
        self._state = None

    def _model(self, runner):
        model = runner.model
        if is_model_wrapper(model) or (not hasattr(model, self.attr)
                                       and hasattr(model, 'module')):
            model = model.module  # DDP and other wrappers
        if not hasattr(model, self.attr):
            raise AttributeError(
                f'SegLossWarmupHook: the model ({type(model).__name__}) has '
                'no '
                f'attribute "{self.attr}" to switch (use SingleStageSegmentor '
                'or set attr)')
        return model

    def ratio_length(self, runner) -> int:
        """The warm-up of ``warmup_ratio`` in the loop's unit (epochs for an
        epoch-based loop, else iterations): ``max(1, int(ratio * total))``."""
        if isinstance(runner.train_loop, EpochBasedTrainLoop):
            total = runner.max_epochs
        else:
            total = runner.max_iters
        return max(1, int(self.warmup_ratio * total))

    def in_warmup(self, runner) -> bool:
        """Whether the next training iteration is inside the warm-up."""
        if self.warmup_iters is not None:
            return runner.iter < self.warmup_iters
        epoch_loop = isinstance(runner.train_loop, EpochBasedTrainLoop)
        if self.warmup_ratio is not None:
            length = self.ratio_length(runner)
            return (runner.epoch if epoch_loop else runner.iter) < length
        if epoch_loop:
            return runner.epoch < self.warmup_epochs
        return runner.iter < self.warmup_epochs * len(runner.train_dataloader)

    def _apply(self, runner) -> None:
        enabled = not self.in_warmup(runner)
        setattr(self._model(runner), self.attr, enabled)
        if enabled != self._state:
            print_log(
                f'SegLossWarmupHook: {self.attr}={enabled} at epoch '
                f'{runner.epoch}, iteration {runner.iter}',
                logger='current')
            self._state = enabled

    def before_train(self, runner) -> None:
        self._model(runner)  # fail early if the attribute is missing
        self._apply(runner)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        self._apply(runner)
