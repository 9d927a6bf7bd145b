from .multilabel_soft_margin_loss import MultiLabelSoftMarginLoss

__all__ = ['MultiLabelSoftMarginLoss']
