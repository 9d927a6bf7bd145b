"""A classifier trained on image-level labels that predicts seeds."""
import difflib
import logging
import os.path as osp
from typing import Optional, Sequence, Tuple

import torch
from mmengine.logging import print_log
from mmengine.structures import PixelData
from mmseg.models.segmentors.base import BaseSegmentor
from mmseg.registry import MODELS
from torch import Tensor, nn

from wsss_mm.utils.io import read_label_png
from .encoder import build_encoder


class _StopForward(Exception):
    """Raised by a feature tap to skip the layers after the tapped one."""


def resolve_module(model: nn.Module,
                   name: str,
                   owner: str = 'WeakClassifier.tap') -> nn.Module:
    """``model``'s sub-module called ``name`` (as in ``named_modules()``).

    Raises ``ValueError`` listing similar names (and the children of the
    longest existing prefix) when there is none.
    """
    modules = dict(model.named_modules())
    if name in modules and name:
        return modules[name]
    names = [n for n in modules if n]
    similar = difflib.get_close_matches(name, names, n=8, cutoff=0.6)
    parts = name.split('.')
    prefix = ''
    for i in range(len(parts) - 1, 0, -1):
        if '.'.join(parts[:i]) in modules:
            prefix = '.'.join(parts[:i])
            break
    children = [
        f'{prefix}.{c}' if prefix else c
        for c, _ in (modules[prefix].named_children() if prefix else model.
                     named_children())
    ]
    hint = ', '.join(dict.fromkeys(similar + children[:12]))
    raise ValueError(f'{owner}: {type(model).__name__} has no module named '
                     f'{name!r}; similar names: {hint}')


class FeatureTap:
    """The output of one named layer of a :class:`WeakClassifier`.

    ``tap(inputs)`` runs the classifier's forward (``_forward``, no
    gradient) with a forward hook on the layer and returns its output
    (B, D, h, w), detached. With ``stop_early`` the forward stops right after
    the layer (the hook raises); otherwise it runs to the end and the output
    is cloned (later in-place ops, e.g. ``ReLU(inplace=True)``, must not
    change it). Built by :meth:`WeakClassifier.tap`, which resolves the name.
    """

    def __init__(self,
                 model: nn.Module,
                 layer: str,
                 module: nn.Module,
                 stop_early: bool = True):
        self.model, self.layer, self.module = model, layer, module
        self.stop_early = stop_early

    def __call__(self, inputs: Tensor) -> Tensor:
        captured = []

        def hook(_module, _args, output):
            if not torch.is_tensor(output):
                raise TypeError(
                    f'WeakClassifier.tap: layer {self.layer!r} returns '
                    f'{type(output).__name__}, not a tensor; tap a '
                    f'module whose output is the feature map')
            if output.ndim != 4:
                raise ValueError(
                    f'WeakClassifier.tap: layer {self.layer!r} output has '
                    f'shape {tuple(output.shape)}, not (B, D, h, w)')
            if not captured:
                captured.append(output.detach() if self.stop_early else output.
                                detach().clone())
            if self.stop_early:
                raise _StopForward

        handle = self.module.register_forward_hook(hook)
        try:
            with torch.no_grad():
                self.model._forward(inputs)
        except _StopForward:
            pass
        finally:
            handle.remove()
        if not captured:
            raise RuntimeError(
                f'WeakClassifier.tap: layer {self.layer!r} did not run in '
                f'{type(self.model).__name__}._forward')
        return captured[0]


@MODELS.register_module()
class WeakClassifier(BaseSegmentor):
    """Stages 1 and 2 of WSSS as one mmseg segmentor.

    - ``loss`` (``tools/train.py``): backbone (+ neck) + ``cls_head`` trained
      with the image-level labels only (``gt_img_labels``); GT masks are never
      read.
    - ``predict`` (``tools/test.py``, *seed mode*): ``seed_generator`` turns
      the class maps into seeds, returned as ``pred_sem_seg`` (0 background,
      1..C foreground, 255 ignore) with the score maps as ``seg_logits``.
      A ``SeedMetric`` evaluator writes them and reports seed mIoU.

    **Classifier interface.** Seed generators talk to the network through
    these methods only (see :mod:`wsss_mm.models.seed_generators.base`):

    ======================================  ===================================
    ``num_classes``                         foreground classes C
    ``features(inputs)``                    backbone (+ neck) maps, a tuple
    ``backbone_features(inputs)``           backbone maps, before the neck
    ``apply_neck(feats, generators=None)``  the neck on backbone maps
                                            (per-image RNGs for a
                                            selection neck)
    ``class_maps(feats)``                   (B, C, h, w) maps of the head
    ``class_scores(maps)``                  (B, C) image logits (the pooling)
    ``cams(inputs)``                        ``class_maps(features(inputs))``
    ``head_weights()``                      the head's linear classifier weight
    ``sample_selection(num, h, w, ...)``    the neck's random hidden-unit
                                            selections (FickleNet)
    ``tap(layer, stop_early=True)``         a :class:`FeatureTap` on a named
                                            layer (DCP)
    ======================================  ===================================

    A generator's ``feature_layers`` (layer names it will tap) are resolved
    when the classifier is built, so a misspelt name fails at once, with
    similar names in the message.

    **Resuming seeds.** ``set_seed_resume_dir(folder)``: batches whose seed
    PNGs all exist in ``folder`` are read back instead of computed. Set only
    by :class:`~wsss_mm.engine.hooks.seed_resume_hook.SeedResumeHook` (which
    ``tools/test.py`` registers) from the evaluator's ``output_dir`` when its
    ``resume`` is on: the one option is ``test_evaluator.resume`` (with
    ``test_evaluator.output_dir``, i.e. ``tools/test.py --out``). The hook
    first checks the folder's provenance (``provenance.json``): seeds of
    another checkpoint, config or data set are never read back.

    **Build-time checks.** A selection neck's window (``neck.kernel_size``)
    must be the head's kernel and stride; layer names of the generator must
    exist.

    Args:
        backbone, neck (dict): any mmseg/mmpretrain backbone and optional neck.
        cls_head (dict): a head with ``forward(feats) -> (B, C, h, w)`` class
            maps, ``class_scores(maps)`` and ``loss(feats, data_samples)``
            (``CAMHead`` or a method's head).
        seed_generator (dict): e.g. ``dict(type='CAMSeedGenerator')``.
        test_cfg (dict): no options of its own. ``reuse_seed_dir`` (the old
            resume folder) is accepted and ignored with a warning when set.
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 neck: Optional[dict] = None,
                 seed_generator: dict = dict(type='CAMSeedGenerator'),
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 init_cfg=None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        build_encoder(self, backbone, neck, pretrained)
        self.cls_head = MODELS.build(cls_head)
        self._check_selection_window()
        self.seed_generator = MODELS.build(seed_generator)
        for layer in getattr(self.seed_generator, 'feature_layers', ()):
            self.tap(layer)  # fail at build time on a wrong name
        self.train_cfg = train_cfg or {}
        self.test_cfg = test_cfg or {}
        if self.test_cfg.get('reuse_seed_dir'):
            print_log(
                'WeakClassifier: test_cfg.reuse_seed_dir is ignored: resuming '
                'seeds is test_evaluator.resume with '
                'test_evaluator.output_dir '
                '(tools/test.py --out)',
                logger='current',
                level=logging.WARNING)
        self.seed_resume_dir: Optional[str] = None
        self.align_corners = False

    def _check_selection_window(self) -> None:
        """A selection neck (FickleNet) expands each position into an s x s
        window; the head must read exactly those windows (kernel s, stride s).
        Otherwise training runs and the seeds fail (or are wrong) at test
        time: refuse it when the model is built."""
        neck = getattr(self, 'neck', None)
        size = getattr(neck, 'kernel_size', None)
        if size is None or not hasattr(neck, 'sample_keep'):
            return
        conv = getattr(self.cls_head, 'classifier', None)
        kernel = getattr(conv, 'kernel_size', None)
        stride = getattr(conv, 'stride', None)
        if kernel is None:
            return

        def pair(v):
            return tuple(v) if isinstance(v, (tuple, list)) else (v, v)

        if pair(kernel) != (size, size) or pair(stride) != (size, size):

            def show(v):
                return pair(v)[0] if pair(v)[0] == pair(v)[1] else pair(v)

            raise ValueError(
                f'WeakClassifier: model.neck.kernel_size={size} '
                f'({type(neck).__name__}: '
                f'{size}x{size} windows) needs '
                f'model.cls_head.kernel_size={size} and '
                f'model.cls_head.stride={size}; got '
                'model.cls_head.kernel_size='
                f'{show(kernel)}, model.cls_head.stride={show(stride)}')

    # ------------------------------------------------ classifier interface --
    @property
    def num_classes(self) -> int:
        """Foreground classes."""
        return self.cls_head.num_classes

    def backbone_features(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        """(B, 3, H, W) -> the backbone's maps (before the neck)."""
        return self.backbone(inputs)

    def apply_neck(self, feats, generators: Optional[Sequence] = None):
        """The neck on backbone maps (identity without a neck).

        A stochastic selection neck draws its masks from the global RNG,
        unless ``generators`` gives one ``torch.Generator`` per image of the
        batch: image ``i``'s mask is then drawn from ``generators[i]`` alone
        (FickleNet's seed generator: per-image seeds, independent of the
        batch). Other necks ignore ``generators``.
        """
        if not self.with_neck:
            return feats
        if generators is None or not hasattr(self.neck, 'sample_keep'):
            return self.neck(feats)
        x = feats[-1] if isinstance(feats, (tuple, list)) else feats
        if len(generators) != x.shape[0]:
            raise ValueError(
                f'WeakClassifier.apply_neck: {len(generators)} generators '
                f'for a batch of {x.shape[0]}')
        keep = torch.cat([
            self.neck.sample_keep(
                1, x.shape[-2], x.shape[-1], device=x.device, generator=g)
            for g in generators
        ])
        return self.neck(feats, keep=keep)

    def features(self, inputs: Tensor):
        """(B, 3, H, W) -> backbone (+ neck) maps: what ``cls_head`` reads."""
        return self.apply_neck(self.backbone_features(inputs))

    def class_maps(self, feats) -> Tensor:
        """Maps of :meth:`features` -> class maps (B, C, h, w) before
        pooling."""
        return self.cls_head(feats)

    def class_scores(self, maps: Tensor) -> Tensor:
        """Class maps (B, C, h, w) -> image-level logits (B, C) (the head's
        pooling)."""
        return self.cls_head.class_scores(maps)

    def cams(self, inputs: Tensor) -> Tensor:
        """(B, 3, H, W) -> class maps (B, C, h, w) (CAMs)."""
        return self.class_maps(self.features(inputs))

    def head_weights(self) -> Tensor:
        """Weight of the head's linear classifier, ``(C, K, kh, kw)`` for a
        conv classifier (CAM: kh = kw = 1; FickleNet: the s x s kernel)."""
        layer = getattr(self.cls_head, 'classifier', None)
        weight = getattr(layer, 'weight', None)
        if not torch.is_tensor(weight):
            raise TypeError(
                f'WeakClassifier.head_weights: {type(self.cls_head).__name__} '
                'has no linear classifier (cls_head.classifier.weight)')
        return weight

    def sample_selection(self,
                         num: int,
                         height: int,
                         width: int,
                         device=None,
                         generator: Optional[torch.Generator] = None,
                         dtype: torch.dtype = torch.float32) -> Tensor:
        """``num`` random hidden-unit selections of the neck (its active mode)
        on a ``height x width`` backbone map: the (num, height, width, s, s)
        multipliers the neck applies to the expanded map (the keep masks, with
        its rescaling), drawn from ``generator``."""
        neck = getattr(self, 'neck', None)
        if not (hasattr(neck, 'sample_keep')
                and hasattr(neck, 'selection_weights')):
            raise TypeError(
                'WeakClassifier.sample_selection needs a selection neck '
                '(e.g. StochasticSelectionNeck), the model has '
                f'{type(neck).__name__}')
        keep = neck.sample_keep(
            num, height, width, device=device, generator=generator)
        return neck.selection_weights(keep, dtype)

    def sample_kept_units(self,
                          num: int,
                          height: int,
                          width: int,
                          device=None,
                          generator: Optional[torch.Generator] = None):
        """``num`` selections of the neck drawn sparsely, only their kept
        units (``StochasticSelectionNeck.sample_kept_units``); None for a
        neck without them or a mode without random selections (G, D)."""
        sample = getattr(
            getattr(self, 'neck', None), 'sample_kept_units', None)
        if sample is None:
            return None
        return sample(num, height, width, device=device, generator=generator)

    def tap(self, layer: str, stop_early: bool = True) -> FeatureTap:
        """A :class:`FeatureTap` on the sub-module ``layer`` (a name of
        ``named_modules()``, e.g. ``'backbone.layer4.0'``); ``ValueError``
        with similar names if there is none."""
        if not layer or not isinstance(layer, str):
            raise ValueError(
                'WeakClassifier.tap: layer must be a module name, got '
                f'{layer!r}')
        return FeatureTap(self, layer, resolve_module(self, layer), stop_early)

    # ------------------------------------------------------- mmseg segmentor
    # --
    def extract_feat(self, inputs: Tensor):
        return self.features(inputs)

    def encode_decode(self, inputs: Tensor, batch_img_metas=None) -> Tensor:
        maps = self.cams(inputs)
        return torch.nn.functional.interpolate(
            maps, size=inputs.shape[-2:], mode='bilinear', align_corners=False)

    def loss(self, inputs: Tensor, data_samples) -> dict:
        return self.cls_head.loss(self.features(inputs), data_samples)

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        return self.cams(inputs)

    def predict(self, inputs: Tensor, data_samples=None):
        """Seeds as ``pred_sem_seg`` (scores as ``seg_logits``); a generator
        of several sets (``SeedSetsGenerator``) also fills ``seed_sets``:
        {set name: dict(seeds=(H, W), scores=(C+1, H, W))}, the first set
        being ``pred_sem_seg``."""
        if data_samples is None:
            raise ValueError(
                'WeakClassifier.predict needs data samples (metainfo)')
        names = getattr(self.seed_generator, 'set_names', None)
        outputs = self._reuse_existing(data_samples, names)
        if outputs is None:
            outputs = self.seed_generator.generate_sets(
                self, inputs, data_samples) if names else {
                    None: self.seed_generator.generate(self, inputs,
                                                       data_samples)
                }
        first = next(iter(outputs.values()))
        for i, (sample, (scores,
                         seeds)) in enumerate(zip(data_samples, first)):
            sample.set_data({
                'seg_logits': PixelData(data=scores),
                'pred_sem_seg': PixelData(data=seeds[None].long()),
            })
            if names:
                sample.set_data({
                    'seed_sets': {
                        name: dict(scores=out[i][0], seeds=out[i][1].long())
                        for name, out in outputs.items()
                    }
                })
        return data_samples

    # ---------------------------------------------------------------- resume
    # --
    def set_seed_resume_dir(self, folder) -> None:
        """Read back the seeds of batches whose PNGs all exist in ``folder``
        (``None``: compute every seed; a generator of several sets: {set
        name: folder}). Set by ``SeedResumeHook``."""
        self.seed_resume_dir = folder or None

    def _reuse_existing(self, data_samples, names=None):
        """{set name (None for one set): per image (empty scores, seeds)} read
        back from the resume folder(s) when every seed of the batch is there,
        else None."""
        folders = self.seed_resume_dir
        if not folders:
            return None
        if not isinstance(folders, dict):
            folders = {None: folders}
        if set(folders) != set(names or (None, )):
            return None  # resume only what the generator writes, all of it
        ids = [
            osp.splitext(osp.basename(s.metainfo['img_path']))[0]
            for s in data_samples
        ]
        paths = {
            name: [osp.join(folder, i + '.png') for i in ids]
            for name, folder in folders.items()
        }
        if not all(osp.isfile(p) for ps in paths.values() for p in ps):
            return None
        outputs = {}
        for name in (names or (None, )):
            outputs[name] = []
            for path in paths[name]:
                seeds = torch.from_numpy(read_label_png(path).astype('int64'))
                empty = torch.zeros((self.num_classes + 1, ) +
                                    tuple(seeds.shape))
                outputs[name].append((empty, seeds))
        for sample in data_samples:
            sample.set_metainfo({'seed_reused': True})
        return outputs
