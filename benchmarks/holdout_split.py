"""Split train into a fitting part and a held-out part, as split lists.

    python -m benchmarks.holdout_split \\
        --data-root data/mini_partbody_faint-body
    # -> ImageSets/Segmentation/train_fit.txt (4/5 of train) and
    #    ImageSets/Segmentation/train_holdout.txt (the other fifth)
    python tools/wsss_pipeline.py --method combined --config-set partbody \\
        --data-root data/mini_partbody_faint-body --train-split train_fit \\
        --val-split train_holdout --work-dir W ...

A choice that needs a trained segmenter (a loss, a retraining step) is made
on a held-out part of train, never on val: the recipe runs on ``train_fit``
and is scored on ``train_holdout``'s masks. The held-out ids are the same
draw as ``benchmarks.choose_threshold``'s (``--holdout-fraction``,
``--holdout-seed``), so seed choices and segmenter choices share one
held-out fifth. The lists are written atomically; an existing list with
other ids is refused rather than overwritten.
"""
import argparse
import os.path as osp

from benchmarks.choose_threshold import check_not_val, holdout_ids, read_ids
from wsss_mm.utils.io import atomic_write_text


def split_lists(train_ids, holdout):
    """(fit ids, held-out ids): train without the held-out ids, in train's
    order; a held-out id not in train raises."""
    missing = sorted(set(holdout) - set(train_ids))
    if missing:
        raise ValueError(f'{len(missing)} held-out ids are not in the train '
                         f'list (e.g. {missing[0]})')
    held = set(holdout)
    return [i for i in train_ids if i not in held], sorted(held)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data-root', required=True, help='VOC-layout data root')
    p.add_argument('--train-split', default='train')
    p.add_argument('--val-split', default='val')
    p.add_argument('--holdout-fraction', type=float, default=0.2)
    p.add_argument('--holdout-seed', type=int, default=0)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    train = read_ids(args.data_root, args.train_split)
    holdout = holdout_ids(train, args.holdout_fraction, args.holdout_seed)
    val = read_ids(args.data_root, args.val_split, '--val-split')
    check_not_val(holdout, args.train_split, args.val_split, val)
    fit, held = split_lists(train, holdout)
    folder = osp.join(args.data_root, 'ImageSets', 'Segmentation')
    texts = {
        osp.join(folder, f'{args.train_split}_{part}.txt'):
        '\n'.join(ids) + '\n'
        for part, ids in (('fit', fit), ('holdout', held))
    }
    for path, text in texts.items():  # refuse before writing either list
        if osp.isfile(path) and open(path).read() != text:
            raise FileExistsError(
                f'{path} exists with other ids (another --holdout-fraction '
                'or --holdout-seed?): remove it first')
    out = {}
    for path, text in texts.items():
        atomic_write_text(path, text)
        out[osp.basename(path)[:-4]] = text.count('\n')
    print(', '.join(f'{k}: {v} images' for k, v in out.items()))
    return out


if __name__ == '__main__':
    main()
