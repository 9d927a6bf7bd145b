"""Build a mini WSSS benchmark (VOC layout) from Fashion-MNIST.

    python tools/dataset_converters/fashion_mnist_scenes.py --out data/mini
    python tools/dataset_converters/fashion_mnist_scenes.py \\
        --scenes part-body --out data/mini_pb

``--scenes glyph`` (default, 128 px): 1-3 glyph objects on clutter, the
mask the glyph (``wsss_mm/datasets/scenes/glyph.py``; the test
suite's data). ``--scenes part-body`` (256 px): objects made of a
discriminative part (the glyph) and a larger body with weak class evidence,
class-correlated context strips that are background, an ignore band at
boundaries (``wsss_mm/datasets/scenes/part_body.py`` says why).

Train scenes use Fashion-MNIST's train split, val scenes its test split; the
result is deterministic for a given --seed and resumes if interrupted;
``OUT/scenes.json`` records the recipe, and a folder of other scenes is
refused unless --overwrite. With --objects N it also writes the single-object
set used for mini pretraining; with --preview N, ``OUT/preview.png``: the
first N train scenes over their masks (white: the ignore band).

Part-body scenes come in named recipes (``--recipe``, ``PART_BODY_RECIPES``
of ``wsss_mm/datasets/scenes/part_body.py``): ``shared-colour`` (default
here; a body of its part's colour, the first published scenes) and
``own-colour`` (bodies of their own colours, clutter from the objects'
palette, objects against each other: colour affinity cannot grow a part
into its object, as on VOC), and its variants ``faint-body`` (fainter class
stripes on the body: the bench's default) and ``small-part``::

    python tools/dataset_converters/fashion_mnist_scenes.py \\
        --scenes part-body --recipe faint-body \\
        --out data/mini_partbody_faint-body --preview 8
"""
import argparse
import dataclasses
import json
import time

from wsss_mm.datasets.scenes import (PART_BODY_RECIPES, SCENE_KINDS,
                                     SceneConfig,
                                     write_object_classification_set,
                                     write_voc_scenes)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help='output folder (VOC layout)')
    p.add_argument('--num-train', type=int, default=1500)
    p.add_argument('--num-val', type=int, default=300)
    p.add_argument('--scenes', choices=sorted(SCENE_KINDS), default='glyph')
    p.add_argument(
        '--recipe',
        choices=sorted(PART_BODY_RECIPES),
        help='named part-body recipe (default shared-colour); '
        '--set overrides single fields of it')
    p.add_argument(
        '--size',
        type=int,
        help='scene side in pixels '
        '(default: glyph 128, part-body 256)')
    p.add_argument(
        '--overwrite',
        action='store_true',
        help='replace scenes of another recipe found in --out')
    p.add_argument('--min-objects', type=int, default=1)
    p.add_argument('--max-objects', type=int, default=3)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument(
        '--set',
        nargs='+',
        default=[],
        metavar='FIELD=VALUE',
        help='other fields of the scene config (SceneConfig / '
        'PartBodySceneConfig), e.g. --set body_evidence=0.05 part_scale=0.4; '
        'written to scenes.json with the rest')
    p.add_argument(
        '--fmnist-dir',
        default=None,
        help='folder of the Fashion-MNIST idx files '
        '(default $FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist)')
    p.add_argument(
        '--objects',
        type=int,
        default=0,
        help='also write N single-object images (mini pretraining set) '
        'into OUT/objects')
    p.add_argument('--object-size', type=int, default=64)
    p.add_argument(
        '--only-objects',
        action='store_true',
        help='write only the single-object set, directly into --out')
    p.add_argument(
        '--preview',
        type=int,
        default=0,
        metavar='N',
        help='write OUT/preview.png: the first N train scenes over their masks'
    )
    return p.parse_args(argv)


def scene_overrides(cls, pairs):
    """``--set FIELD=VALUE`` pairs -> {field: value} cast to the field's type
    of the scene config class ``cls``."""
    fields = {f.name: f.type for f in dataclasses.fields(cls)}
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition('=')
        own_options = ('size', 'min_objects', 'max_objects')
        if not sep or name not in fields or name in own_options:
            raise SystemExit(
                f'--set {pair!r}: expected FIELD=VALUE with FIELD one of '
                f'{sorted(set(fields) - set(own_options))} '
                f'(size and object counts have their own options)')
        kind = fields[name]
        kind = {
            'int': int,
            'float': float,
            'str': str,
            'bool': bool
        }.get(kind, kind)  # string annotations
        try:
            if kind is bool:  # bool('False') is True: read the word
                if value.lower() not in ('true', 'false', '1', '0'):
                    raise ValueError(value)
                out[name] = value.lower() in ('true', '1')
            else:
                out[name] = kind(value)
        except ValueError:
            raise SystemExit(
                f'--set {pair!r}: {name} takes a {kind.__name__}') from None
    return out


def write_preview(out_dir, n):
    """``OUT/preview.png``: the first ``n`` train scenes (top) over their
    colourised masks (bottom), written atomically; returns its path."""
    import os.path as osp

    import numpy as np
    from PIL import Image

    from wsss_mm.utils.io import atomic_write_png
    from wsss_mm.visualization.overlays import colorize_labels
    with open(osp.join(out_dir, 'ImageSets/Segmentation/train.txt')) as f:
        ids = f.read().split()[:n]
    cols = []
    for i in ids:
        img = np.asarray(
            Image.open(osp.join(out_dir, 'JPEGImages',
                                i + '.jpg')).convert('RGB'))
        mask = np.asarray(
            Image.open(osp.join(out_dir, 'SegmentationClass', i + '.png')))
        white = np.full((2, img.shape[1], 3), 255, np.uint8)  # 2-px gutters
        cols += [
            np.concatenate([img, white, colorize_labels(mask)]),
            np.full((2 * img.shape[0] + 2, 2, 3), 255, np.uint8)
        ]
    path = osp.join(out_dir, 'preview.png')
    atomic_write_png(np.concatenate(cols[:-1], axis=1), path)
    return path


def main(argv=None):
    args = parse_args(argv)
    if not 1 <= args.min_objects <= args.max_objects <= 10:
        raise SystemExit('need 1 <= --min-objects <= --max-objects <= 10')
    cls = SCENE_KINDS[args.scenes]
    fields = {}
    if args.recipe:
        if args.scenes != 'part-body':
            raise SystemExit('--recipe names a part-body recipe: use it with '
                             '--scenes part-body')
        fields.update(PART_BODY_RECIPES[args.recipe])
    fields.update(scene_overrides(cls, args.set))
    cfg = cls(
        size=args.size or cls.size,
        min_objects=args.min_objects,
        max_objects=args.max_objects,
        **fields)
    t0 = time.time()
    summary = {}
    if not args.only_objects:
        summary = write_voc_scenes(
            args.out,
            args.num_train,
            args.num_val,
            args.seed,
            cfg=cfg,
            fmnist_dir=args.fmnist_dir,
            overwrite=args.overwrite)
    if args.objects:
        summary['objects'] = write_object_classification_set(
            args.out if args.only_objects else args.out + '/objects',
            args.objects,
            args.object_size,
            args.seed,
            SceneConfig(),
            args.fmnist_dir,
            num_val=max(100, args.objects // 20))
    if args.preview and not args.only_objects:
        summary['preview'] = write_preview(args.out, args.preview)
    summary['seconds'] = round(time.time() - t0, 1)
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
