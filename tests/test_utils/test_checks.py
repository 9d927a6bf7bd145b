"""Build-time checks (wsss_mm/utils/checks.py): one wording naming the
component and the key, bools never taken for numbers; and the config keys
renamed for one name per thing (a dropout rate is ``dropout_ratio``, a
foreground threshold ``fg_threshold``), whose old spellings still build the
same module for one release, with a DeprecationWarning naming the new key."""
import warnings

import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import wsss_mm  # noqa: F401  (registers the modules)
from wsss_mm.utils.checks import (check_choice, check_int, check_ints,
                                  check_number, check_rate, renamed_key)


def test_checks_return_plain_values_and_name_owner_and_key():
    assert check_int('Owner', 'n', 3, min_value=1) == 3
    assert check_ints('Owner', 'dils', [1, 2]) == (1, 2)
    assert check_number('Owner', 'x',
                        1) == 1.0 and type(check_number('O', 'x', 1)) is float
    assert check_rate('Owner', 'p', 0.0) == 0.0
    assert check_choice('Owner', 'mode', 'a', ('a', 'b')) == 'a'
    for call, text in [
        (lambda: check_int('Owner', 'n', True),
         'Owner: n must be an int, got True'),
        (lambda: check_int('Owner', 'n', 0, min_value=1),
         'Owner: n must be an int >= 1'),
        (lambda: check_int('Owner', 'n', 7, -1, 6),
         r'Owner: n must be an int in -1\.\.6'),
        (lambda: check_ints('Owner', 'dils',
                            ()), 'Owner: dils must be a non-empty'),
        (lambda: check_ints('Owner', 'dils', (1, False)), 'Owner: dils'),
        (lambda: check_ints('Owner', 'dils', 3), 'Owner: dils'),
        (lambda: check_number('Owner', 'x', True),
         'Owner: x must be a number'),
        (lambda: check_number('Owner', 'x', float('nan'), 0, 1),
         r'Owner: x .*\[0, 1\]'),
        (lambda: check_number('Owner', 'x', 1, 0, 1, True, True), r'\(0, 1\)'),
        (lambda: check_number('Owner', 'x', 0, low=0, low_open=True),
         'x must be a number > 0'),
        (lambda: check_rate('Owner', 'p', 1.0),
         r'Owner: p must be a number in \[0, 1\)'),
        (lambda: check_choice('Owner', 'mode', 'c',
                              ('a', 'b')), "mode must be one of"),
    ]:
        with pytest.raises(ValueError, match=text):
            call()


def test_renamed_key():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert renamed_key('O', 'old', 'new', None, 0.3,
                           0.5) == 0.3  # new key: silent
    with pytest.warns(
            DeprecationWarning, match="O: 'old' is deprecated.*use 'new'"):
        assert renamed_key('O', 'old', 'new', 0.2, 0.5, 0.5) == 0.2
    with pytest.warns(DeprecationWarning):  # both, one value: accepted
        assert renamed_key('O', 'old', 'new', 0.2, 0.2, 0.5) == 0.2
    with pytest.raises(ValueError, match='old is the old name of new'):
        renamed_key('O', 'old', 'new', 0.2, 0.3, 0.5)


NGWP = dict(
    type='NGWPHead',
    in_channels=8,
    channels=8,
    num_classes=3,
    c1_in_channels=4,
    c1_channels=4)
RENAMED = [
    (dict(type='StochasticSelectionNeck',
          in_channels=4), 'drop_rate', 'dropout_ratio', 0.5, 'dropout_ratio'),
    (dict(type='FickleNetSeedGenerator'), 'threshold', 'fg_threshold', 0.6,
     'fg_threshold'),
    (NGWP, 'aspp_dropout', 'aspp_dropout_ratio', 0.2, 'aspp_dropout.p'),
    (NGWP, 'decoder_dropouts', 'decoder_dropout_ratios', (0.2, 0.3),
     'decoder.1.p'),
    (dict(type='WideResNet38', width_mult=0.0625), 'dropouts',
     'dropout_ratios', (0.2, 0.4), 'b6.dropout_2b1.p'),
]


def _attr(module, dotted):
    for part in dotted.split('.'):
        module = module[int(part)] if part.isdigit() else getattr(module, part)
    return module


@pytest.mark.parametrize(
    'base, old, new, value, attr', RENAMED, ids=[r[1] for r in RENAMED])
def test_old_key_builds_the_same_module_with_a_deprecation_warning(
        base, old, new, value, attr):
    init_default_scope('mmseg')
    with pytest.warns(
            DeprecationWarning, match=f"'{old}' is deprecated.*'{new}'"):
        old_module = MODELS.build(dict(base, **{old: value}))
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        new_module = MODELS.build(dict(base, **{new: value}))
    first = value[0] if isinstance(value, tuple) else value
    assert _attr(old_module, attr) == _attr(new_module, attr) == first
    public = [{k: v
               for k, v in vars(m).items() if not k.startswith('_')}
              for m in (old_module, new_module)]
    assert public[0] == public[1]
    if isinstance(new_module, torch.nn.Module):
        assert repr(old_module) == repr(new_module)
    with pytest.raises(ValueError, match=f'{old} is the old name of {new}'):
        other = 0.1 if not isinstance(value, tuple) else (0.1, 0.1)
        MODELS.build(dict(base, **{old: value, new: other}))
