from .seg_loss_warmup_hook import SegLossWarmupHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook  # noqa: F401

__all__ = ['SegLossWarmupHook']
