"""Building blocks of the single-stage model (Araslanov & Roth, CVPR 2020):
each file holds the equations as pure functions and the registered module."""
from .global_cue_injection import GlobalCueInjection
from .pamr import PAMR
from .stochastic_gate import StochasticGate

__all__ = ['PAMR', 'StochasticGate', 'GlobalCueInjection']
