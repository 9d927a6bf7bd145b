"""Logging to TensorBoard from any wsss_mm config: the snippet of
docs/get_started.md builds."""
import os.path as osp
import re

from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import VISUALIZERS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def docs_snippet():
    text = open(osp.join(REPO, 'docs', 'get_started.md')).read()
    block = re.search(r"```python\n(_base_ = \['wsss_mm::cam/.*?)```", text,
                      re.S)
    assert block, 'the TensorBoard snippet left docs/get_started.md'
    return block.group(1)


def test_tensorboard_snippet_builds_with_a_method_config(tmp_path):
    snippet = docs_snippet()
    assert "dict(type='TensorboardVisBackend')" in snippet
    cfg_path = tmp_path / 'cam_tensorboard.py'
    # the installed package's wsss_mm:: path, or the tree's
    cfg_path.write_text(
        snippet.replace('wsss_mm::',
                        osp.join(REPO, 'configs') + '/'))
    cfg = Config.fromfile(str(cfg_path))
    backends = [b['type'] for b in cfg.visualizer.vis_backends]
    assert backends == ['LocalVisBackend', 'TensorboardVisBackend']
    init_default_scope('mmseg')
    cfg.visualizer.name = 'tb_test'
    cfg.visualizer.save_dir = str(tmp_path / 'vis')
    vis = VISUALIZERS.build(cfg.visualizer)
    # built, not started: TensorBoard itself is imported on first use
    assert [type(b).__name__ for b in vis._vis_backends.values()] == backends
