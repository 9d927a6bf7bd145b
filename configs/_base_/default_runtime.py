# mmseg's runtime plus wsss_mm's components (registered on import).
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['wsss_mm'], allow_failed_imports=False)
default_scope = 'mmseg'
randomness = dict(seed=0)
