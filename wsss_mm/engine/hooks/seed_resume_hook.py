"""Seed folders: provenance checked, then the evaluator's output folder tells
the model what to skip."""
import logging

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmseg.registry import HOOKS

from wsss_mm.utils.provenance import (ProvenanceError, check_patterns_source,
                                      guard_output_folder, on_rank0,
                                      run_manifest)


def unwrap_seed_model(model):
    """The model under DDP / TTA wrappers that can skip seeds
    (``set_seed_resume_dir``), or None."""
    seen = 0
    while model is not None and not hasattr(
            model, 'set_seed_resume_dir') and seen < 8:
        model = getattr(model, 'module', None)
        seen += 1
    return model if hasattr(model, 'set_seed_resume_dir') else None


def seed_resume_dir(evaluator):
    """The folder of the evaluator's seed writer when it resumes, else None
    (the ``resume_dir`` of its metrics, e.g. ``SeedMetric``); several seed
    sets (``SeedMetric(seed_set=...)``): {set name: folder}."""
    writers = [
        m for m in getattr(evaluator, 'metrics', ())
        if getattr(m, 'resume_dir', None)
    ]
    if any(getattr(m, 'seed_set', None) for m in writers):
        return {m.seed_set: m.resume_dir for m in writers}
    folders = {m.resume_dir for m in writers}
    if len(folders) > 1:
        raise ValueError(
            f'SeedResumeHook: several seed writers resume: {sorted(folders)}')
    return folders.pop() if folders else None


def output_metrics(evaluator) -> list:
    """The evaluator's metrics that write into a folder (``output_dir``:
    ``SeedMetric``, mmseg's ``IoUMetric``)."""
    return [
        m for m in getattr(evaluator, 'metrics', ()) or ()
        if getattr(m, 'output_dir', None)
    ]


@HOOKS.register_module()
class SeedResumeHook(Hook):
    """Check the provenance of the test run's output folders, then hand the
    seed writer's folder to the model.

    1. **Provenance** (rank 0 decides, every rank raises the same error):
       each output folder of the evaluator (``output_dir`` of ``SeedMetric``
       or mmseg's ``IoUMetric``, i.e. ``tools/test.py --out``) is checked
       against this run's manifest (checkpoint sha256 of ``load_from``,
       resolved model config (a seed set's folder: with that set's seed
       generator, as a run of that set alone), test pipeline, dataset and
       split, see
       :mod:`wsss_mm.utils.provenance`): same provenance: kept;
       another one, or PNGs without a manifest: :class:`ProvenanceError`
       naming the folder and the differing fields, before any seed is
       computed; ``overwrite`` (this hook's, set by ``tools/test.py
       --overwrite``, or the metric's ``test_evaluator.overwrite=True``)
       empties the folder first. A DCP seed run whose patterns file records
       another checkpoint is refused too.
    2. **Resume**: ``test_evaluator.resume`` of ``SeedMetric`` (default True)
       with its ``output_dir``. The metric keeps the PNGs it finds there;
       this hook passes that folder to the model
       (``WeakClassifier.set_seed_resume_dir``), which then reads back batches
       whose seeds all exist instead of computing them. Without a resuming
       seed writer, or for a model that cannot skip seeds, it does nothing.

    ``tools/test.py`` registers it on every run; a config may list it in
    ``custom_hooks`` for other entry points.
    """
    priority = 'NORMAL'

    def __init__(self, overwrite: bool = False):
        self.overwrite = overwrite

    def check_provenance(self, runner) -> None:
        """Step 1 on rank 0; the outcome is broadcast so that every rank
        raises (none waits forever for a rank that failed)."""
        evaluator = getattr(
            getattr(runner, 'test_loop', None), 'evaluator', None)
        metrics = output_metrics(evaluator)
        cfg = getattr(runner, 'cfg', None)
        if cfg is None:
            if metrics:
                raise ProvenanceError(
                    'SeedResumeHook: the runner has no cfg to check '
                    'the provenance of the output folders against')
            return
        payload = on_rank0(self._check, cfg, metrics)
        for metric in metrics:
            metric.provenance_checked = True
        for line in payload:
            print_log(
                f'SeedResumeHook: {line}',
                logger='current',
                level=logging.WARNING
                if line.startswith('warning') else logging.INFO)

    def _check(self, cfg, metrics) -> list:
        checkpoint = cfg.get('load_from')
        lines = []
        warning = check_patterns_source(cfg, checkpoint)
        if warning:
            lines.append('warning: ' + warning)
        if not metrics:
            return lines
        for metric in metrics:
            kind = 'seeds' if hasattr(metric, 'resume_dir') else 'predictions'
            manifest = run_manifest(
                cfg,
                checkpoint,
                kind=kind,
                seed_set=getattr(metric, 'seed_set', None))
            overwrite = bool(
                self.overwrite or getattr(metric, 'overwrite', False))
            overlays = getattr(metric, 'overlay_dir', None)
            state = guard_output_folder(
                metric.output_dir,
                manifest,
                overwrite,
                also_clear=[overlays] if overlays else (),
                option=('--overwrite (tools/test.py) or '
                        'test_evaluator.overwrite=True'))
            lines.append({
                'new':
                f'{metric.output_dir}: new, provenance.json written',
                'resume':
                f'{metric.output_dir}: same provenance, resumed',
                'overwritten':
                f'{metric.output_dir}: emptied (overwrite) and '
                'provenance.json written'
            }[state])
        return lines

    def before_test(self, runner) -> None:
        self.check_provenance(runner)
        model = unwrap_seed_model(runner.model)
        if model is None:
            return
        folder = seed_resume_dir(runner.test_loop.evaluator)
        model.set_seed_resume_dir(folder)
        if folder:
            print_log(
                f'SeedResumeHook: seeds already in {folder} are reused',
                logger='current')

    def after_test(self, runner) -> None:
        model = unwrap_seed_model(runner.model)
        if model is not None:
            model.set_seed_resume_dir(None)
