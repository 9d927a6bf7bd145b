"""Multi-label soft-margin loss for image-level labels."""
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class MultiLabelSoftMarginLoss(nn.Module):
    """``-(1/C) Σ_c [y_c log σ(s_c) + (1-y_c) log(1-σ(s_c))]``, averaged over
    the batch — the sigmoid cross-entropy of FickleNet (Sec. 3.1) and eq. (6)
    of Araslanov & Roth.

    Args:
        loss_weight (float): multiplier. loss_name (str): key in the log.
    """

    def __init__(self, loss_weight: float = 1.0, loss_name: str = 'loss_cls'):
        super().__init__()
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, scores: Tensor, labels: Tensor) -> Tensor:
        """scores, labels: (B, C); the labels come from ``stack_image_labels``,
        which checks the class count."""
        return self.loss_weight * F.multilabel_soft_margin_loss(scores, labels)

    @property
    def loss_name(self) -> str:
        return self._loss_name
