# Runtime of every wsss_mm config: the keys of mmseg's
# _base_/default_runtime.py, copied here (values and the ``_scope_`` that
# inheriting them through ``mmseg::`` gave them) so that no config inherits
# an mmseg file for them, plus wsss_mm's components (registered on import)
# and a fixed seed.
default_scope = 'mmseg'
custom_imports = dict(imports=['wsss_mm'], allow_failed_imports=False)
randomness = dict(seed=0)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend', _scope_='mmseg')]
visualizer = dict(
    type='SegLocalVisualizer',
    vis_backends=[dict(type='LocalVisBackend')],
    name='visualizer',
    _scope_='mmseg')
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
tta_model = dict(type='SegTTAModel', _scope_='mmseg')
