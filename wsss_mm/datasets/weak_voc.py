"""VOC-layout datasets that carry image-level labels.

A weakly-supervised method may only use *image-level* labels. This dataset
attaches them to every sample as ``img_labels`` (multi-hot over all classes,
background at index 0) and lets the segmentation map that ``LoadAnnotations``
reads be either the ground truth (evaluation, the fully supervised upper bound)
or a directory of *pseudo labels* (seed PNGs, 255 = ignore) — see
``data_prefix['seg_map_path']``. Which files the image-level labels come from
is chosen separately (``data_prefix['label_path']`` or ``label_file``), so a
segmentation stage trained on seeds still knows each image's classes (DSRG and
the single-stage pseudo labels need them) without ever reading a GT mask in a
loss.
"""
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
from mmcv.transforms import LoadAnnotations
from mmengine.logging import MMLogger
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from wsss_mm.utils.io import read_class_names, read_label_png
from wsss_mm.utils.progress import progress_bar
from .image_labels import load_image_labels
from .transforms.loading import LoadAnnotationsIfAny

VOC_CLASSES = ('background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle',
               'bus', 'car', 'cat', 'chair', 'cow', 'diningtable', 'dog',
               'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa',
               'train', 'tvmonitor')

SUPERVISION_KINDS = ('weak', 'full')


def _voc_palette(n):
    from wsss_mm.utils.palette import voc_palette
    return [list(map(int, c)) for c in voc_palette(n)]


def labels_from_mask(mask: np.ndarray,
                     num_classes: int,
                     ignore_index: int = 255,
                     source: str = '') -> np.ndarray:
    """Multi-hot (num_classes,) float32 of the classes present in ``mask``.

    Raises ``ValueError`` naming ``source`` if the mask holds a label that is
    neither a class index nor ``ignore_index`` (wrong class count).
    """
    present = np.unique(mask)
    present = present[present != ignore_index]
    if present.size and present.max() >= num_classes:
        raise ValueError(
            f'{source}: label {int(present.max())} found but the dataset has '
            f'{num_classes} classes (set metainfo/classes or classes.txt)')
    multi_hot = np.zeros(num_classes, np.float32)
    multi_hot[present.astype(np.int64)] = 1
    return multi_hot


def run_relative(path):
    """``./x`` and ``../x`` -> absolute, against the current directory (the
    run's start); anything else unchanged (None, absolute, or relative to
    ``data_root``)."""
    if not isinstance(path, str):
        return path
    if path.replace('\\', '/').startswith(('./', '../')):
        return osp.abspath(path)
    return path


@DATASETS.register_module()
class WeakVOCDataset(BaseSegDataset):
    """Pascal-VOC-layout dataset with image-level labels.

    Args:
        ann_file (str): list of image ids
            (``ImageSets/Segmentation/train.txt``).
        data_prefix (dict): ``img_path`` (images), ``seg_map_path`` (what
            ``LoadAnnotations`` reads: GT masks *or a seed directory*),
            ``label_path`` (masks the image-level labels are derived from;
            defaults to ``seg_map_path``).
        label_file (str, optional): image-level labels given directly, one
            entry an image (JSON ``{id: [classes]}``, VOC's
            ``cls_labels.npy``, or text lines ``id class class ...``; classes
            by name or foreground index; see
            :func:`~wsss_mm.datasets.image_labels.load_image_labels`).
            Overrides ``label_path``. With it, masks are optional: a sample
            whose mask file does not exist carries none and the pipeline's
            ``LoadAnnotations`` skips it (one notice in the log); metrics
            score the samples with a mask.
        classes_file (str, optional): class names, one a line, background first
            (relative to ``data_root``). Used when ``metainfo`` gives no
            classes and the file exists; default ``classes.txt``.
        seed_dirs (Sequence[str]): extra pseudo-label directories; each sample
            gets ``seed_map_paths`` (one PNG per directory) for multi-seed
            training (see ``LoadSeedMaps``).
        optional_masks (bool): a test split whose images may have no mask
            (own data without val masks): those carry none, as with
            ``label_file``, and get no image-level labels.
        check_files (bool): check at start-up that every image, label, seed
            file exists and is not empty (raising with the path), that the
            training labels (a seed folder) hold only class indices and
            ``ignore_index`` (naming the first bad file), and warn with counts
            about images without any image-level label and all-ignore label
            maps. A sample that fails to load later names its files.
        supervision (str): ``'weak'`` (default: ``seg_map_path`` holds seeds
            or is only evaluated) or ``'full'`` (a strongly labelled subset
            whose ``seg_map_path`` is the ground truth a loss may use, e.g.
            the semi-supervised DSRG/FickleNet L_full). Stored in every
            data info and packed into the sample metainfo
            (``PackWeakSegInputs``), so one ``ConcatDataset`` can mix both.

    Paths: a relative ``data_prefix`` entry, seed dir or ``label_file`` is
    joined with ``data_root`` (mmengine's rule), except one written
    ``./...`` or ``../...``: that one is relative to the directory the run
    starts in, like mmengine's default ``work_dir`` — how the artefact paths
    of ``configs/_base_/paths.py`` (seeds, predictions) stay outside an
    installed package (:func:`run_relative`).
    """
    METAINFO = dict(
        classes=VOC_CLASSES, palette=_voc_palette(len(VOC_CLASSES)))

    def __init__(self,
                 ann_file: str = '',
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 label_file: Optional[str] = None,
                 classes_file: Optional[str] = 'classes.txt',
                 seed_dirs: Sequence[str] = (),
                 check_files: bool = True,
                 optional_masks: bool = False,
                 supervision: str = 'weak',
                 metainfo: Optional[dict] = None,
                 data_root: Optional[str] = None,
                 **kwargs):
        if supervision not in SUPERVISION_KINDS:
            raise ValueError(
                f'{type(self).__name__}: supervision must be one of '
                f'{SUPERVISION_KINDS}, got {supervision!r}')
        self.supervision = supervision
        metainfo = dict(metainfo or {})
        if 'classes' not in metainfo and classes_file:
            if osp.isabs(classes_file) or data_root is None:
                path = classes_file
            else:
                path = osp.join(data_root, classes_file)
            if osp.isfile(path):
                names = read_class_names(path)
                metainfo['classes'] = names
                metainfo.setdefault('palette', _voc_palette(len(names)))
            elif classes_file != 'classes.txt':  # named, not the default
                raise FileNotFoundError(
                    f'{type(self).__name__}: classes_file not found: {path}')
        if 'classes' in metainfo and 'palette' not in metainfo:
            metainfo['palette'] = _voc_palette(len(metainfo['classes']))
        self.optional_masks = optional_masks
        self.label_file = run_relative(label_file)
        self.seed_dirs = [run_relative(d) for d in seed_dirs]
        if isinstance(kwargs.get('data_prefix'), dict):
            kwargs['data_prefix'] = {
                k: run_relative(v)
                for k, v in kwargs['data_prefix'].items()
            }
        self.check_files = check_files
        super().__init__(
            ann_file=ann_file,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            metainfo=metainfo,
            data_root=data_root,
            **kwargs)

    @classmethod
    def get_label_map(cls, new_classes=None):
        """Class names name the label indices as stored; no remapping.

        (mmseg would remap, and reject names outside VOC's, whenever the
        class list differs from ``METAINFO``; a weak-label dataset of any
        class set — Fashion-MNIST scenes, COCO — stores indices directly.)
        """
        return None

    # mmengine joins data_root with every data_prefix entry (label_path too);
    # seed dirs and label_file are joined here the same way.
    def _join_root(self, path: Optional[str]) -> Optional[str]:
        if path is None or osp.isabs(path) or not self.data_root:
            return path
        return osp.join(self.data_root, path)

    @property
    def num_classes(self) -> int:
        return len(self.metainfo['classes'])

    def load_data_list(self) -> List[dict]:
        data_list = super().load_data_list()
        if not data_list:
            raise ValueError(
                f'{self.__class__.__name__}: no images listed in '
                f'{self.ann_file or self.data_prefix.get("img_path")}')
        seed_dirs = [self._join_root(d) for d in self.seed_dirs]
        if self.label_file or self.optional_masks:
            self._drop_missing_masks(data_list)
        for info in data_list:
            stem = osp.splitext(osp.basename(info['img_path']))[0]
            info['img_id'] = stem
            info['supervision'] = self.supervision
            if seed_dirs:
                info['seed_map_paths'] = [
                    osp.join(d, stem + self.seg_map_suffix) for d in seed_dirs
                ]
        if self.check_files:
            self._check_files(data_list)
        self._attach_image_labels(data_list)
        if self.check_files:
            self._check_label_maps(data_list)
        return data_list

    def _drop_missing_masks(self, data_list):
        """Image labels from a file: masks are optional. A sample whose mask
        file does not exist carries none, and ``LoadAnnotations`` is wrapped
        to skip it (:class:`LoadAnnotationsIfAny`); a metric of this split
        scores the samples with a mask and only writes the others (seeds,
        predictions). One notice in the log says how many have none."""
        missing = 0
        for info in data_list:
            path = info.get('seg_map_path')
            if path is not None and not osp.isfile(path):
                info.pop('seg_map_path')
                missing += 1
        if not missing:
            return
        transforms = getattr(self.pipeline, 'transforms', [])
        self.pipeline.transforms = [
            LoadAnnotationsIfAny(t) if isinstance(t, LoadAnnotations) else t
            for t in transforms
        ]
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: {missing} of {len(data_list)} images '
            f'have no mask in {self.data_prefix.get("seg_map_path")}' +
            (f': their image-level labels come from {self.label_file} '
             'alone' if self.label_file else '') +
            '; metrics that need masks skip them')

    def _check_label_maps(self, data_list):
        """Seed maps in range; counts of unlabelled images and empty maps."""
        logger = MMLogger.get_current_instance()
        name = self.__class__.__name__
        seg_dir = self.data_prefix.get('seg_map_path')
        label_dir = self.data_prefix.get('label_path')
        no_label = sum(1 for i in data_list
                       if 'img_labels' in i and not i['img_labels'].any())
        if no_label:
            logger.warning(
                f'{name}: {no_label} of {len(data_list)} images have no '
                'image-level label at all (their label masks are all '
                f'ignore: {label_dir or seg_dir})')
        if not seg_dir or label_dir is None or osp.normpath(
                seg_dir) == osp.normpath(
                    label_dir) or 'seg_map_path' not in data_list[0]:
            return  # the maps are the label masks, checked when read
        empty = 0
        # training labels other than the GT: seeds (all K)
        for info in data_list:
            paths = dict.fromkeys(
                [info['seg_map_path'], *info.get('seed_map_paths', [])])
            for k, path in enumerate(paths):
                labels = np.unique(read_label_png(path))
                bad = labels[(labels != self.ignore_index)
                             & (labels >= self.num_classes)]
                if bad.size:
                    raise ValueError(
                        f'{name}: {path} holds label {int(bad[0])}, but the '
                        f'data set has {self.num_classes} classes '
                        f'({self.ignore_index} = ignore)')
                if k == 0:
                    empty += bool(labels.size == 1
                                  and labels[0] == self.ignore_index)
        if empty == len(data_list):
            logger.warning(
                f'{name}: every label map in {seg_dir} is all ignore '
                f'({self.ignore_index}): the training loss sees no label')
        elif empty:
            logger.warning(
                f'{name}: {empty} of {len(data_list)} label maps in '
                f'{seg_dir} are all ignore ({self.ignore_index})')

    def prepare_data(self, idx):
        """mmseg's sample loading; an error names the sample's files."""
        try:
            return super().prepare_data(idx)
        except Exception as e:
            info = self.get_data_info(idx)
            files = [
                info.get('img_path'),
                info.get('seg_map_path'), *info.get('seed_map_paths', [])
            ]
            raise RuntimeError(
                f'{self.__class__.__name__}: could not load sample {idx} '
                f'({", ".join(f for f in files if f)}): '
                f'{type(e).__name__}: {e}') from e

    def _check_files(self, data_list):
        for info in data_list:
            paths = [('image', info['img_path'])]
            if 'seg_map_path' in info:
                paths.append(('label/seed map', info['seg_map_path']))
            paths += [('seed map', p) for p in info.get('seed_map_paths', [])]
            for kind, path in paths:
                if not osp.isfile(path):
                    raise FileNotFoundError(
                        f'{self.__class__.__name__}: {kind} file not found: '
                        f'{path} '
                        f'(listed in {self.ann_file or "the image folder"})')
                if osp.getsize(path) == 0:
                    raise ValueError(
                        f'{self.__class__.__name__}: {kind} file is empty: '
                        f'{path}')

    def _attach_image_labels(self, data_list):
        num_classes = self.num_classes
        if self.label_file:
            path = self._join_root(self.label_file)
            table = load_image_labels(path, self.metainfo['classes'])
            for info in data_list:
                if info['img_id'] not in table:
                    raise KeyError(
                        f'{path}: no image-level labels for {info["img_id"]}')
                info['img_labels'] = table[info['img_id']]
            return
        # data_prefix entries are already joined with data_root by mmengine
        label_dir = self.data_prefix.get('label_path')
        bar = progress_bar(len(data_list),
                           'image labels') if len(data_list) > 2000 else None
        for info in data_list:
            if label_dir is not None:
                path = osp.join(label_dir,
                                info['img_id'] + self.seg_map_suffix)
            elif 'seg_map_path' in info:
                path = info['seg_map_path']
            else:
                continue  # no mask (a test split): no image-level labels
            mask = read_label_png(path)
            info['img_labels'] = labels_from_mask(
                mask, num_classes, self.ignore_index, source=path)
            if bar:
                bar.update()


COCO_CLASSES = ('background', 'person', 'bicycle', 'car', 'motorcycle',
                'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
                'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird',
                'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear',
                'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie',
                'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball',
                'kite', 'baseball bat', 'baseball glove', 'skateboard',
                'surfboard', 'tennis racket', 'bottle', 'wine glass', 'cup',
                'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
                'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza',
                'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
                'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote',
                'keyboard', 'cell phone', 'microwave', 'oven', 'toaster',
                'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors',
                'teddy bear', 'hair drier', 'toothbrush')


@DATASETS.register_module()
class WeakCOCO2014Dataset(WeakVOCDataset):
    """COCO-2014 for WSSS (81 classes, background first) in the VOC layout
    used by WSSS works: ``JPEGImages/`` (train2014 + val2014 jpgs),
    ``SegmentationClass/`` (class-index PNGs made from the instance
    annotations), ``ImageSets/Segmentation/{train,val}.txt``."""
    METAINFO = dict(
        classes=COCO_CLASSES, palette=_voc_palette(len(COCO_CLASSES)))
