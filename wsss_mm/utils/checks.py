"""Build-time checks of config values, with one wording for the package.

Each check returns the value (made plain: ``int``, ``float``, ``tuple``)
or raises ``ValueError('<owner>: <key> must be ..., got <value>')``, so a
message names the component and the config key. ``True`` and ``False`` are
ints in Python; none of these checks takes them for a number.
"""
import logging
import warnings
from numbers import Real
from typing import Iterable, Optional, Tuple

from mmengine.logging import print_log


def is_int(value) -> bool:
    """An ``int`` that is not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    """A real number (int, float, numpy scalar) that is not a ``bool``."""
    return isinstance(value, Real) and not isinstance(value, bool)


def _int_range(min_value: Optional[int], max_value: Optional[int]) -> str:
    if min_value is not None and max_value is not None:
        return f' in {min_value}..{max_value}'
    if min_value == 1:
        return ' >= 1'
    if min_value is not None:
        return f' >= {min_value}'
    if max_value is not None:
        return f' <= {max_value}'
    return ''


def _in_range(value, min_value, max_value) -> bool:
    return ((min_value is None or value >= min_value)
            and (max_value is None or value <= max_value))


def check_int(owner: str,
              key: str,
              value,
              min_value: Optional[int] = None,
              max_value: Optional[int] = None) -> int:
    """``value`` is an int (not a bool) in ``[min_value, max_value]``."""
    if not is_int(value) or not _in_range(value, min_value, max_value):
        raise ValueError(f'{owner}: {key} must be an int'
                         f'{_int_range(min_value, max_value)}, got {value!r}')
    return value


def check_ints(owner: str,
               key: str,
               values: Iterable,
               min_value: Optional[int] = None,
               max_value: Optional[int] = None,
               hint: str = '') -> Tuple[int, ...]:
    """``values`` is a non-empty sequence of ints (not bools) in
    ``[min_value, max_value]``; returned as a tuple. ``hint`` is added to the
    message (e.g. what the numbers index)."""
    iterable = hasattr(
        values, '__iter__') and not isinstance(values, (str, bytes, dict))
    out = tuple(values) if iterable else ()
    if not out or not all(
            is_int(v) and _in_range(v, min_value, max_value) for v in out):
        raise ValueError(f'{owner}: {key} must be a non-empty sequence of '
                         f'ints{_int_range(min_value, max_value)}{hint}, '
                         f'got {values!r}')
    return out


def check_number(owner: str,
                 key: str,
                 value,
                 low: Optional[float] = None,
                 high: Optional[float] = None,
                 low_open: bool = False,
                 high_open: bool = False) -> float:
    """``value`` is a real number (not a bool, not NaN) between ``low`` and
    ``high`` (bounds included unless ``low_open`` / ``high_open``)."""
    ok = is_number(value) and value == value  # NaN fails every comparison
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        if low is not None and high is not None:
            span = (f' in {"(" if low_open else "["}{low}, {high}'
                    f'{")" if high_open else "]"}')
        elif low is not None:
            span = f' {">" if low_open else ">="} {low}'
        elif high is not None:
            span = f' {"<" if high_open else "<="} {high}'
        else:
            span = ''
        raise ValueError(
            f'{owner}: {key} must be a number{span}, got {value!r}')
    return float(value)


def check_rate(owner: str, key: str, value) -> float:
    """A dropout rate (``dropout_ratio``): a number in [0, 1)."""
    return check_number(owner, key, value, 0, 1, high_open=True)


def check_choice(owner: str, key: str, value, choices):
    """``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f'{owner}: {key} must be one of {tuple(choices)}, '
                         f'got {value!r}')
    return value


def renamed_key(owner: str, old: str, new: str, old_value, new_value, default):
    """The value of a config key renamed from ``old`` to ``new``.

    The old key is accepted for one release: when it is given
    (``old_value`` is not None) a ``DeprecationWarning`` naming the new key
    is raised (and logged), and its value is used; giving both keys with
    different values is an error. Declare the old key as a keyword argument
    defaulting to None, e.g. ``drop_rate=None`` beside
    ``dropout_ratio=0.9``.
    """
    if old_value is None:
        return new_value
    if new_value != default and new_value != old_value:
        raise ValueError(f'{owner}: {old} is the old name of {new}; got '
                         f'both ({old}={old_value!r}, {new}={new_value!r}), '
                         f'give {new} only')
    msg = (f'{owner}: {old!r} is deprecated and will be removed in the next '
           f'release; use {new!r} (e.g. {new}={old_value!r})')
    warnings.warn(msg, DeprecationWarning, stacklevel=3)
    print_log(msg, logger='current', level=logging.WARNING)
    return old_value


__all__ = [
    'is_int', 'is_number', 'check_int', 'check_ints', 'check_number',
    'check_rate', 'check_choice', 'renamed_key'
]
