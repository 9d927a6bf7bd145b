"""Seed resuming: the evaluator's output folder tells the model what to skip."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmseg.registry import HOOKS


def unwrap_seed_model(model):
    """The model under DDP / TTA wrappers that can skip seeds
    (``set_seed_resume_dir``), or None."""
    seen = 0
    while model is not None and not hasattr(model, 'set_seed_resume_dir') and seen < 8:
        model = getattr(model, 'module', None)
        seen += 1
    return model if hasattr(model, 'set_seed_resume_dir') else None


def seed_resume_dir(evaluator) -> Optional[str]:
    """The folder of the evaluator's seed writer when it resumes, else None
    (the ``resume_dir`` of its metrics, e.g. ``SeedMetric``)."""
    folders = {m.resume_dir for m in getattr(evaluator, 'metrics', ())
               if getattr(m, 'resume_dir', None)}
    if len(folders) > 1:
        raise ValueError(f'SeedResumeHook: several seed writers resume: {sorted(folders)}')
    return folders.pop() if folders else None


@HOOKS.register_module()
class SeedResumeHook(Hook):
    """Hand the seed writer's folder to the model before a test run.

    Seed resuming is one option: ``test_evaluator.resume`` of ``SeedMetric``
    (default True) together with its ``output_dir`` (``tools/test.py
    --out``). The metric keeps the PNGs it finds there; before the test
    loop this hook passes that folder to the model
    (``WeakClassifier.set_seed_resume_dir``), which then reads back batches
    whose seeds all exist instead of computing them. Without a resuming seed
    writer, or for a model that cannot skip seeds, it does nothing.
    ``tools/test.py`` registers it on every run; a config may list it in
    ``custom_hooks`` for other entry points.
    """
    priority = 'NORMAL'

    def before_test(self, runner) -> None:
        model = unwrap_seed_model(runner.model)
        if model is None:
            return
        folder = seed_resume_dir(runner.test_loop.evaluator)
        model.set_seed_resume_dir(folder)
        if folder:
            print_log(f'SeedResumeHook: seeds already in {folder} are reused',
                      logger='current')

    def after_test(self, runner) -> None:
        model = unwrap_seed_model(runner.model)
        if model is not None:
            model.set_seed_resume_dir(None)
