"""Fill the uncertain pixels of seeds with a segmentation model's predictions.

    python tools/fill_uncertain.py SEED_DIR PRED_DIR OUT_DIR \\
        [--ignore-index 255] [--keep-classes any|seed] [--resume]

DCP's retrain step (Luo & Yang, AAAI'20, "C41 + Retrain", 60.3 -> 64.5): the
seeds of Algorithm 1 leave the pixels claimed by several classes uncertain
(255); the first segmentation model, trained on those seeds, predicts the
train images (``tools/test.py configs/dcp/..._dcp-predict.py CKPT --out
PRED_DIR``), and this tool writes, for every seed PNG of SEED_DIR, a PNG in
OUT_DIR equal to the seed where it is labelled and to the prediction where
it is ``--ignore-index``. A second segmentation model is then trained from
scratch on OUT_DIR (``configs/dcp/..._dcp-retrain.py``).

``--keep-classes seed`` keeps a filled pixel only if the prediction is
background or a class present in that image's seed (else it stays ignored);
the default ``any`` fills every uncertain pixel (the paper). Every missing or
mis-sized prediction is reported by path before anything is written;
outputs are written atomically (temp + rename) and ``--resume`` keeps files
already in OUT_DIR. The last line printed is a JSON summary.
"""
import argparse
import json
import os
import os.path as osp

import numpy as np

from wsss_mm.utils.io import atomic_write_png, read_label_png


def fill_uncertain(seed: np.ndarray,
                   pred: np.ndarray,
                   ignore_index: int = 255,
                   keep_classes: str = 'any') -> np.ndarray:
    """(H, W) seed and prediction -> (H, W) uint8 seed with its ignored
    pixels taken from the prediction (see the module docstring)."""
    if seed.shape != pred.shape:
        raise ValueError(
            f'seed {seed.shape} and prediction {pred.shape} differ in size')
    if keep_classes not in ('any', 'seed'):
        raise ValueError(
            f"keep_classes must be 'any' or 'seed', got {keep_classes!r}")
    out = seed.copy()
    holes = seed == ignore_index
    if keep_classes == 'seed':
        allowed = np.union1d(np.unique(seed[~holes]), [0])
        holes &= np.isin(pred, allowed)
    out[holes] = pred[holes]
    return out


def image_size(path):
    """(W, H) from the file's header."""
    from PIL import Image
    with Image.open(path) as im:
        return im.size


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('seed_dir')
    p.add_argument('pred_dir')
    p.add_argument('out_dir')
    p.add_argument('--ignore-index', type=int, default=255)
    p.add_argument('--keep-classes', choices=('any', 'seed'), default='any')
    p.add_argument(
        '--resume', action='store_true', help='keep files already in OUT_DIR')
    p.add_argument('--no-progress', action='store_true')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.seed_dir):
        raise FileNotFoundError(f'seed directory not found: {args.seed_dir}')
    names = sorted(n for n in os.listdir(args.seed_dir) if n.endswith('.png'))
    if not names:
        raise FileNotFoundError(f'no seed PNG in {args.seed_dir}')
    missing = [
        osp.join(args.pred_dir, n) for n in names
        if not osp.isfile(osp.join(args.pred_dir, n))
    ]
    if missing:
        more = f' (and {len(missing) - 5} more)' if len(missing) > 5 else ''
        raise FileNotFoundError(f'{len(missing)} prediction(s) missing, e.g. '
                                f'{", ".join(missing[:5])}{more}')
    sizes = [
    ]  # PNG headers only: every mis-sized pair before anything is written
    for name in names:
        seed_size, pred_size = (
            image_size(osp.join(d, name))
            for d in (args.seed_dir, args.pred_dir))
        if seed_size != pred_size:
            sizes.append(
                f'{osp.join(args.pred_dir, name)} is {pred_size}, the seed '
                f'{osp.join(args.seed_dir, name)} {seed_size}')
    if sizes:
        more = f' (and {len(sizes) - 5} more)' if len(sizes) > 5 else ''
        raise ValueError(
            f'{len(sizes)} prediction(s) differ in size (W, H) from their '
            f'seed: {"; ".join(sizes[:5])}{more}')
    os.makedirs(args.out_dir, exist_ok=True)
    bar = None
    if not args.no_progress:
        from wsss_mm.utils.progress import progress_bar
        bar = progress_bar(len(names), 'fill_uncertain')
    total = holes = filled = skipped = 0
    for name in names:
        out_path = osp.join(args.out_dir, name)
        if args.resume and osp.isfile(out_path):
            skipped += 1
        else:
            seed = read_label_png(osp.join(args.seed_dir, name))
            pred = read_label_png(osp.join(args.pred_dir, name))
            out = fill_uncertain(seed, pred, args.ignore_index,
                                 args.keep_classes)
            atomic_write_png(out, out_path)
            total += seed.size
            holes += int((seed == args.ignore_index).sum())
            filled += int(((seed == args.ignore_index) &
                           (out != args.ignore_index)).sum())
        if bar is not None:
            bar.update()
    if bar is not None:
        print()
    summary = dict(
        images=len(names),
        reused=skipped,
        pixels=total,
        uncertain=holes,
        filled=filled,
        uncertain_pct=round(100 * holes / max(total, 1), 2),
        out_dir=osp.abspath(args.out_dir))
    print(json.dumps(summary))
    return summary


if __name__ == '__main__':
    main()
