"""Start-up hook of wsss_mm: lets mmengine's Config resolve ``wsss_mm::``.

Installed by setup.py as a top-level module beside the package (not inside
it: ``wsss_mm/__init__.py`` imports mmseg and torch, and this module runs at
every interpreter start) and imported by ``wsss_mm-mim.pth``.

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
                warnings.warn(
                    f'wsss_mm: wsss_mm:: config paths unavailable ({exc!r})')

        loader.exec_module = exec_module
        return spec


def install():
    if TARGET in sys.modules:
        enable(sys.modules[TARGET])
    elif WsssMmScopeFinder not in sys.meta_path:
        sys.meta_path.insert(0, WsssMmScopeFinder)


install()
