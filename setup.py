"""wsss_mm, installable like an OpenMMLab package.

Besides the Python package, an install carries (as mmseg's and mmpretrain's
setup.py do) the configs, tools, demo and model index in ``wsss_mm/.mim/``,
so that a config anywhere can inherit ``wsss_mm::cam/cam_vgg16_voc12.py``:

- wheel / sdist / ``pip install .``: ``build_py`` copies them into the built
  package (the source tree is not touched);
- editable (``pip install -e .``, PEP 660 or ``setup.py develop``): the source
  tree gets links ``wsss_mm/.mim/configs -> ../../configs`` etc. (git-ignored).

mmengine 0.10 resolves ``pkg::path`` only for packages in its fixed
``MODULE2PACKAGE`` table, so both installs also add a start-up hook: the
top-level module ``_wsss_mm_mim`` (source: ``_wsss_mm_mim.py`` beside this
file; outside the package, whose ``__init__`` imports mmseg and torch) and
``wsss_mm-mim.pth`` in site-packages, one line that imports it at interpreter
start. It costs one entry in ``sys.meta_path`` and waits for
``mmengine.config.config`` to be imported, then lets ``Config`` resolve
``wsss_mm::`` the way it resolves ``mmseg::`` (see ``_wsss_mm_mim.py``). Any
script then works, mmseg's own ``tools/train.py`` included.
"""
import os
import os.path as osp
import shutil
from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.develop import develop

ROOT = osp.dirname(osp.abspath(__file__))
PACKAGE = 'wsss_mm'
#: what ``wsss_mm/.mim`` holds (the OpenMMLab layout: configs with their
#: README.md and metafile.yaml, tools, demo, the model index)
MIM_ITEMS = ('configs', 'tools', 'demo', 'model-index.yml')
#: the start-up hook: a top-level module (``_wsss_mm_mim.py`` in the tree) and
#: the ``.pth`` line that imports it
HOOK_MODULE = '_wsss_mm_mim'
HOOK_PTH = 'wsss_mm-mim.pth'


def _remove(path):
    if osp.islink(path) or osp.isfile(path):
        os.remove(path)
    elif osp.isdir(path):
        shutil.rmtree(path)


def link_mim(src_root=ROOT):
    """Editable installs: ``wsss_mm/.mim/<item> -> ../../<item>`` in the
    tree."""
    mim = osp.join(src_root, PACKAGE, '.mim')
    os.makedirs(mim, exist_ok=True)
    for item in MIM_ITEMS:
        target = osp.join(mim, item)
        _remove(target)
        if osp.exists(osp.join(src_root, item)):
            os.symlink(osp.join('..', '..', item), target)


def copy_mim(dest_package_dir, src_root=ROOT):
    """Wheels: real copies in the built package (links and caches resolved)."""
    mim = osp.join(dest_package_dir, '.mim')
    _remove(mim)
    os.makedirs(mim)
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc', '*.pyo')
    for item in MIM_ITEMS:
        src = osp.join(src_root, item)
        if osp.isdir(src):
            shutil.copytree(src, osp.join(mim, item), ignore=ignore)
        elif osp.isfile(src):
            shutil.copyfile(src, osp.join(mim, item))


def write_pth(directory):
    """``wsss_mm-mim.pth``: the line that imports the start-up hook module
    (installed with the package as ``py_modules``) at interpreter start."""
    os.makedirs(directory, exist_ok=True)
    with open(osp.join(directory, HOOK_PTH), 'w') as f:
        f.write(f'import {HOOK_MODULE}\n')


class BuildPyWithMim(build_py):
    """``build_py`` (the package and the hook module) + ``wsss_mm/.mim`` +
    ``wsss_mm-mim.pth``.

    In a wheel build the copies and the ``.pth`` go into ``build_lib``; in a
    PEP 660 editable build (``editable_mode``) the tree gets links, the hook
    module is found in the tree like the package, and the ``.pth`` goes
    straight into the editable wheel (the ``install_lib`` that setuptools'
    ``editable_wheel`` points at it)."""

    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False):
            link_mim()
            write_pth(self.get_finalized_command('install').install_lib)
        else:
            copy_mim(osp.join(self.build_lib, PACKAGE))
            write_pth(self.build_lib)


class DevelopWithMim(develop):
    """Legacy ``setup.py develop``: links in the tree, the ``.pth`` in
    site-packages (the tree, with the hook module, is on ``sys.path``)."""

    def run(self):
        super().run()
        if not getattr(self, 'uninstall', False):
            link_mim()
            write_pth(self.install_dir)


# setuptools' build backend runs it so; tests import it. The metadata
# (name, version, requirements, extras, the hook module) is pyproject.toml's.
if __name__ == '__main__':
    setup(cmdclass={'build_py': BuildPyWithMim, 'develop': DevelopWithMim})
