from .multilabel_soft_margin_loss import MultiLabelSoftMarginLoss
from .wst_loss import WSTLoss

__all__ = ['MultiLabelSoftMarginLoss', 'WSTLoss']
