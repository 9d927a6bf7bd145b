from .class_count_check_hook import ClassCountCheckHook
from .seed_resume_hook import SeedResumeHook
from .seg_loss_warmup_hook import SegLossWarmupHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = [
    'ClassCountCheckHook', 'SeedResumeHook', 'SegLossWarmupHook',
    'WeightsOnlyCheckpointHook'
]
