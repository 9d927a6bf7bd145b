from .seg_loss_warmup_hook import SegLossWarmupHook

__all__ = ['SegLossWarmupHook']
