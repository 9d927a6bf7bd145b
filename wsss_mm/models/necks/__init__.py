from .stochastic_selection_neck import StochasticSelectionNeck

__all__ = ['StochasticSelectionNeck']
