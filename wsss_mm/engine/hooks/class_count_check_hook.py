"""Refuse a model whose head does not match the data set's classes."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


def head_classes(model):
    """(config key, number of classes incl. background) of a model's head, or
    None for a model without a known head (e.g. an mmpretrain classifier)."""
    if is_model_wrapper(model):
        model = model.module
    if hasattr(model, 'decode_head'):  # segmentors: background included
        return 'model.decode_head.num_classes', model.decode_head.num_classes
    if hasattr(model, 'cls_head'):  # WeakClassifier: foreground classes
        return 'model.cls_head.num_classes', model.cls_head.num_classes + 1
    return None


@HOOKS.register_module()
class ClassCountCheckHook(Hook):
    """Before training, validation and testing: the head's class count must
    equal the data set's (``metainfo['classes']``, background first).

    A head with more classes than the data trains and scores without a word
    (the extra classes are never seen); one with fewer fails mid-training
    with an ``IndexError`` that names no file. ``tools/train.py`` and
    ``tools/test.py`` add this hook to every mmseg-scoped config
    (``wsss_mm.utils.tool_args.load_config``).
    """
    priority = 'VERY_HIGH'

    def _check(self, runner, dataloader, name):
        head = head_classes(runner.model)
        classes = getattr(
            getattr(dataloader, 'dataset', None), 'metainfo',
            {}).get('classes')
        if head is None or not classes:
            return
        key, n = head
        if n != len(classes):
            # decode heads count the background, classifier heads do not
            with_bg = key.endswith('decode_head.num_classes')
            raise ValueError(
                f'{key} gives {n} classes (background included) but the '
                f'{name} data set '
                f'has {len(classes)}: '
                f'{list(classes)[:6]}{"..." if len(classes) > 6 else ""} '
                f'(from its metainfo / classes_file); set {key} to '
                f'{len(classes) if with_bg else len(classes) - 1}')

    def before_train(self, runner):
        self._check(runner, runner.train_loop.dataloader, 'train_dataloader')

    def before_val(self, runner):
        self._check(runner, runner.val_loop.dataloader, 'val_dataloader')

    def before_test(self, runner):
        self._check(runner, runner.test_loop.dataloader, 'test_dataloader')
