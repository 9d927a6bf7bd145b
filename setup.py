"""wsss_mm, installable like an OpenMMLab package.

Besides the Python package, an install carries (as mmseg's and mmpretrain's
setup.py do) the configs, tools, demo and model index in ``wsss_mm/.mim/``,
so that a config anywhere can inherit ``wsss_mm::cam/cam_vgg16_voc12.py``:

- wheel / sdist / ``pip install .``: ``build_py`` copies them into the built
  package (the source tree is not touched);
- editable (``pip install -e .``, PEP 660 or ``setup.py develop``): the source
  tree gets links ``wsss_mm/.mim/configs -> ../../configs`` etc. (git-ignored).

mmengine 0.10 resolves ``pkg::path`` only for packages in its fixed
``MODULE2PACKAGE`` table, so both installs also add a start-up hook
(``wsss_mm-mim.pth`` -> ``_wsss_mm_mim.py`` in site-packages; source:
``SCOPE_HOOK`` below). It costs one entry in ``sys.meta_path`` and waits for
``mmengine.config.config`` to be imported, then lets ``Config`` resolve
``wsss_mm::`` the way it resolves ``mmseg::`` (see ``SCOPE_HOOK``). Any
script then works, mmseg's own ``tools/train.py`` included.
"""
import os
import os.path as osp
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py
from setuptools.command.develop import develop

ROOT = osp.dirname(osp.abspath(__file__))
PACKAGE = 'wsss_mm'
#: what ``wsss_mm/.mim`` holds (the OpenMMLab layout: configs, tools, model index)
MIM_ITEMS = ('configs', 'tools', 'demo', 'metafiles', 'model-index.yml')
HOOK_MODULE = '_wsss_mm_mim'
HOOK_PTH = 'wsss_mm-mim.pth'

SCOPE_HOOK = '''\
"""Start-up hook of wsss_mm (written by its setup.py; loaded by wsss_mm-mim.pth).

mmengine's Config resolves ``pkg::path`` bases only for the packages of its
fixed ``MODULE2PACKAGE`` table. This module waits, at the cost of one
``sys.meta_path`` entry that answers nothing else, for
``mmengine.config.config`` to be imported and then:

- adds ``wsss_mm`` to ``MODULE2PACKAGE``;
- resolves the package directory of ``wsss_mm`` by its import spec (an
  editable install has no package directory next to its metadata, where
  mmengine looks);
- gives the dicts of a ``wsss_mm::`` base the scope that base declares
  (``default_scope``: 'mmseg', or 'mmpretrain' for the pretraining configs)
  instead of 'wsss_mm': wsss_mm registers its components into mmseg's
  registries and has none of its own.

Nothing is imported before mmengine is. ``enable(module)`` is idempotent.
"""
import importlib.util
import os.path as osp
import sys
import warnings

SCOPE = 'wsss_mm'
TARGET = 'mmengine.config.config'
_declared_scopes = {}


def _package_dir(package):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return None
    return osp.dirname(spec.origin)


def _declared_scope(cfg_path):
    if cfg_path not in _declared_scopes:
        from mmengine.config import Config
        cfg = Config.fromfile(cfg_path, import_custom_modules=False)
        _declared_scopes[cfg_path] = cfg.get('default_scope', None)
    return _declared_scopes[cfg_path]


def enable(config_module=None):
    """Patch ``mmengine.config.config`` (imported if not given)."""
    if config_module is None:
        import importlib
        config_module = importlib.import_module(TARGET)
    if getattr(config_module, '_wsss_mm_scope', False):
        return
    utils = sys.modules['mmengine.config.utils']
    utils.MODULE2PACKAGE.setdefault(SCOPE, SCOPE)

    get_installed_path = config_module.get_installed_path

    def _get_installed_path(package):
        if package == SCOPE:
            path = _package_dir(package)
            if path is not None:
                return path
        return get_installed_path(package)

    config_module.get_installed_path = _get_installed_path
    Config = config_module.Config
    get_cfg_path = Config._get_cfg_path

    def _get_cfg_path(cfg_path, filename):
        path, scope = get_cfg_path(cfg_path, filename)
        if scope == SCOPE:
            scope = _declared_scope(path)
        return path, scope

    Config._get_cfg_path = staticmethod(_get_cfg_path)
    config_module._wsss_mm_scope = True


class WsssMmScopeFinder:
    """``sys.meta_path`` entry: patches ``mmengine.config.config`` once it
    has run (then leaves ``sys.meta_path``); answers no other import."""
    _busy = False

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != TARGET or cls._busy:
            return None
        cls._busy = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            cls._busy = False
        loader = getattr(spec, 'loader', None)
        if loader is None or not hasattr(loader, 'exec_module'):
            return spec
        run = loader.exec_module

        def exec_module(module):
            run(module)
            if cls in sys.meta_path:
                sys.meta_path.remove(cls)
            try:
                enable(module)
            except Exception as exc:  # never break mmengine itself
                warnings.warn(f'wsss_mm: wsss_mm:: config paths unavailable ({exc!r})')

        loader.exec_module = exec_module
        return spec


def install():
    if TARGET in sys.modules:
        enable(sys.modules[TARGET])
    elif WsssMmScopeFinder not in sys.meta_path:
        sys.meta_path.insert(0, WsssMmScopeFinder)


install()
'''


def read_version():
    ns = {}
    with open(osp.join(ROOT, PACKAGE, 'version.py')) as f:
        exec(f.read(), ns)
    return ns['__version__']


def _remove(path):
    if osp.islink(path) or osp.isfile(path):
        os.remove(path)
    elif osp.isdir(path):
        shutil.rmtree(path)


def link_mim(src_root=ROOT):
    """Editable installs: ``wsss_mm/.mim/<item> -> ../../<item>`` in the tree."""
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


def write_hook(directory):
    """The start-up hook: ``wsss_mm-mim.pth`` and ``_wsss_mm_mim.py``."""
    os.makedirs(directory, exist_ok=True)
    with open(osp.join(directory, HOOK_MODULE + '.py'), 'w') as f:
        f.write(SCOPE_HOOK)
    with open(osp.join(directory, HOOK_PTH), 'w') as f:
        f.write(f'import {HOOK_MODULE}\n')


class BuildPyWithMim(build_py):
    """``build_py`` + ``wsss_mm/.mim`` + the start-up hook.

    In a wheel build the copies and the hook go into ``build_lib``; in a
    PEP 660 editable build (``editable_mode``) the tree gets links and the
    hook goes straight into the editable wheel (the ``install_lib`` that
    setuptools' ``editable_wheel`` points at it)."""

    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False):
            link_mim()
            write_hook(self.get_finalized_command('install').install_lib)
        else:
            copy_mim(osp.join(self.build_lib, PACKAGE))
            write_hook(self.build_lib)


class DevelopWithMim(develop):
    """Legacy ``setup.py develop``: links in the tree, hook in site-packages."""

    def run(self):
        super().run()
        if not getattr(self, 'uninstall', False):
            link_mim()
            write_hook(self.install_dir)


if __name__ == '__main__':  # setuptools' build backend runs it so; tests import it
    setup(
        name='wsss_mm',
        version=read_version(),
        description='Weakly-supervised semantic segmentation methods as an '
        'mmsegmentation 1.x plugin (FickleNet, single-stage, multi-estimations, DCP)',
        packages=find_packages(include=['wsss_mm', 'wsss_mm.*']),
        python_requires='>=3.9',
        install_requires=[
            'torch', 'torchvision', 'mmengine>=0.10.0', 'mmcv>=2.0.0,<2.2.0',
            'mmsegmentation>=1.2.0', 'mmpretrain>=1.2.0', 'ftfy', 'regex'
        ],
        extras_require={'crf': ['pydensecrf2']},
        cmdclass={'build_py': BuildPyWithMim, 'develop': DevelopWithMim},
        zip_safe=False,
    )
