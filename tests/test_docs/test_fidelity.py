"""docs/fidelity.md cannot drift: every row that names a config and a key
holds the value that config resolves to."""
import ast
import os.path as osp
import re

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DOC = osp.join(REPO, 'docs', 'fidelity.md')
# | setting | paper | `configs/x.py`: `a.b.c` | `value` | same? | why |
ROW = re.compile(r'^\|(?P<setting>[^|]*)\|(?P<paper>[^|]*)\|'
                 r'\s*`(?P<config>configs/[^`]+\.py)`'
                 r':\s*`(?P<key>[^`]+)`\s*\|\s*`(?P<value>[^`]*)`\s*\|')


def checked_rows():
    rows = []
    with open(DOC) as f:
        for n, line in enumerate(f, 1):
            m = ROW.match(line)
            if m and m.group('config') != 'configs/x.py':  # the format example
                rows.append(pytest.param(m.groupdict(), id=f'line{n}'))
    return rows


def resolve(cfg, key):
    """``a.b.0.c`` in a Config: dict keys, list indices."""
    node = cfg
    for part in key.split('.'):
        node = node[int(part)] if isinstance(node,
                                             (list, tuple)) else node[part]
    return node


def plain(x):
    if hasattr(x, 'to_dict'):
        x = x.to_dict()
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


_configs = {}


@pytest.mark.parametrize('row', checked_rows())
def test_fidelity_row_matches_config(row):
    path = osp.join(REPO, row['config'])
    assert osp.isfile(
        path), f'{row["config"]} (docs/fidelity.md) does not exist'
    if path not in _configs:
        _configs[path] = Config.fromfile(path)
    value = plain(resolve(_configs[path], row['key']))
    expected = plain(ast.literal_eval(row['value']))
    assert value == expected, (
        f'docs/fidelity.md says {row["config"]}: {row["key"]} = '
        f'{row["value"]}, the config has {value!r}')


def test_every_paper_has_checked_rows():
    """Each paper's section pins at least three settings to configs."""
    sections = re.split(r'^## ', open(DOC).read(), flags=re.M)[1:]
    assert len(sections) == 4
    for text in sections:
        title = text.splitlines()[0]
        n = sum(bool(ROW.match(line)) for line in text.splitlines())
        assert n >= 3, f'docs/fidelity.md "{title}": {n} config-checked rows'
