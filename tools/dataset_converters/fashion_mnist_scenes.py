"""Build the mini WSSS benchmark (VOC layout) from Fashion-MNIST.

    python tools/dataset_converters/fashion_mnist_scenes.py --out data/mini

Train scenes use Fashion-MNIST's train split, val scenes its test split; the
result is deterministic for a given --seed and resumes if interrupted. With
--objects N it also writes the single-object set used for mini pretraining.
"""
import argparse
import json
import time

from wsss_mm.datasets.fashion_mnist_scenes import (
    SceneConfig, write_object_classification_set, write_voc_scenes)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help='output folder (VOC layout)')
    p.add_argument('--num-train', type=int, default=1500)
    p.add_argument('--num-val', type=int, default=300)
    p.add_argument('--size', type=int, default=128, help='scene side in pixels')
    p.add_argument('--min-objects', type=int, default=1)
    p.add_argument('--max-objects', type=int, default=3)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--fmnist-dir', default=None,
                   help='folder of the Fashion-MNIST idx files '
                   '(default $FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist)')
    p.add_argument('--objects', type=int, default=0,
                   help='also write N single-object images (mini pretraining set) '
                   'into OUT/objects')
    p.add_argument('--object-size', type=int, default=64)
    p.add_argument('--only-objects', action='store_true',
                   help='write only the single-object set, directly into --out')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not 1 <= args.min_objects <= args.max_objects <= 10:
        raise SystemExit('need 1 <= --min-objects <= --max-objects <= 10')
    cfg = SceneConfig(size=args.size, min_objects=args.min_objects,
                      max_objects=args.max_objects)
    t0 = time.time()
    summary = {}
    if not args.only_objects:
        summary = write_voc_scenes(args.out, args.num_train, args.num_val,
                                   args.seed, cfg, args.fmnist_dir)
    if args.objects:
        summary['objects'] = write_object_classification_set(
            args.out if args.only_objects else args.out + '/objects', args.objects,
            args.object_size, args.seed, cfg, args.fmnist_dir,
            num_val=max(100, args.objects // 20))
    summary['seconds'] = round(time.time() - t0, 1)
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
