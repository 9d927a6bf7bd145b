"""One picture grid of a bench: image | GT | CAM | seeds | predictions.

    python -m benchmarks.make_pictures [--bench-root work_dirs/bench] \\
        [--data-root data/mini] [--num 4 | --ids val_00000 ...] \\
        [--out docs/pictures/mini_grid.png] [--dry-run]

Rows are K fixed val images (default: the first 4 of
``ImageSets/Segmentation/val.txt``); columns are the image, its GT, the CAM of
the CAM baseline classifier, the seeds of each method and the prediction of
each method. A missing artefact (method not run, run failed) is a grey
``n/a`` tile.

No method logic here: the artefacts come from ``tools/test.py`` runs that
repeat the runner's own commands, read from each method's ``result.json``
(``tools/wsss_pipeline.py``): the seed stage (the set named ``seeds``, else
for multi-seed ``vgg16_crf_s100``, else the last one) and the stage tagged
``val`` (the final segmentation test). Each is rerun with the same config,
checkpoint and cfg-options, replacing only the test split
(``ImageSets/Segmentation/bench_pictures.txt``, written into the data root;
GT masks as labels so the seed metric has its GT), ``--out`` and
``--work-dir`` (under ``BENCH_ROOT/pictures/<method>``). The seed run writes
palette PNGs (255 = ignore) and, through ``SeedMetric``, overlay panels
image | CAM | seeds | GT; the CAM column is the CAM panel of the CAM
baseline's overlay (the max over foreground classes of its normalised CAM,
``heatmap`` colours blended on the image). Seeds, predictions and GT are
coloured with ``colorize_labels``.
A run is skipped when its outputs exist from the same command and checkpoint
(delete ``BENCH_ROOT/pictures`` to force).
"""
import argparse
import json
import os
import os.path as osp
import shutil
import subprocess

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from wsss_mm.utils.io import atomic_write_png, atomic_write_text, load_json

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

METHODS = ('cam', 'ficklenet', 'single_stage', 'multi_seed', 'dcp', 'combined',
           'full')
SEED_PREFERENCE = ('seeds', 'vgg16_crf_s100', 'vgg16_threshold_s100',
                   'threshold')
LIST_NAME = 'bench_pictures'
GREY = (150, 150, 150)
# options of the runner's commands this tool replaces
REPLACED_KEYS = ('test_dataloader.dataset.ann_file',
                 'test_dataloader.dataset.data_prefix.seg_map_path')


# --------------------------------------------------------------- grid
def _font():
    try:
        return ImageFont.load_default()
    except Exception:  # pragma: no cover
        return None


def _text_size(draw, text, font):
    try:
        box = draw.textbbox((0, 0), text, font=font)
        return box[2] - box[0], box[3] - box[1]
    except AttributeError:  # old Pillow
        return draw.textsize(text, font=font)


def na_tile(tile, text='n/a'):
    img = Image.new('RGB', (tile, tile), GREY)
    draw = ImageDraw.Draw(img)
    font = _font()
    w, h = _text_size(draw, text, font)
    draw.text(((tile - w) // 2, (tile - h) // 2),
              text,
              fill=(255, 255, 255),
              font=font)
    return np.asarray(img)


def _fit(cell, tile):
    """(H, W, 3) or (H, W) uint8 -> (tile, tile, 3), aspect kept, grey
    padded."""
    arr = np.asarray(cell)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, -1)
    arr = arr[..., :3].astype(np.uint8)
    h, w = arr.shape[:2]
    if (h, w) == (tile, tile):
        return arr
    scale = tile / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    img = Image.fromarray(arr).resize((nw, nh), Image.NEAREST)
    out = np.full((tile, tile, 3), 255, np.uint8)
    y, x = (tile - nh) // 2, (tile - nw) // 2
    out[y:y + nh, x:x + nw] = np.asarray(img)
    return out


def compose_grid(rows, labels, tile=128, header=26, gutter=2, row_labels=None):
    """Cells (arrays, or None for a grey 'n/a' tile) -> one RGB uint8 grid.

    Args:
        rows: R lists of C cells each, an (H, W, 3) / (H, W) uint8 array or
        None.
        labels: C column titles (drawn in the header, wrapped on spaces).
        row_labels: optional R strings drawn at the bottom left of each row's
            first tile.
    Returns:
        (header + R*tile + (R-1)*gutter, C*tile + (C-1)*gutter, 3) uint8.
    """
    ncol = len(labels)
    if any(len(r) != ncol for r in rows):
        raise ValueError(
            f'every row needs {ncol} cells, got {[len(r) for r in rows]}')
    nrow = len(rows)
    height = header + nrow * tile + max(nrow - 1, 0) * gutter
    width = ncol * tile + max(ncol - 1, 0) * gutter
    canvas = Image.new('RGB', (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    font = _font()
    na = na_tile(tile)
    for c, label in enumerate(labels):
        x0 = c * (tile + gutter)
        # wrap the label to the tile width, at most two lines
        words, lines = str(label).split(), ['']
        for w in words:
            cand = (lines[-1] + ' ' + w).strip()
            if _text_size(draw, cand, font)[0] <= tile - 4 or not lines[-1]:
                lines[-1] = cand
            else:
                lines.append(w)
        y = 1
        for line in lines[:2]:
            tw, th = _text_size(draw, line, font)
            draw.text((x0 + max((tile - tw) // 2, 0), y),
                      line,
                      fill=(0, 0, 0),
                      font=font)
            y += th + 2
    for r, row in enumerate(rows):
        y0 = header + r * (tile + gutter)
        for c, cell in enumerate(row):
            x0 = c * (tile + gutter)
            canvas.paste(
                Image.fromarray(na if cell is None else _fit(cell, tile)),
                (x0, y0))
        if row_labels:
            tw, th = _text_size(draw, row_labels[r], font)
            draw.rectangle((0, y0 + tile - th - 4, tw + 4, y0 + tile),
                           fill=(255, 255, 255))
            draw.text((2, y0 + tile - th - 3),
                      row_labels[r],
                      fill=(0, 0, 0),
                      font=font)
    return np.asarray(canvas)


# --------------------------------------------------------------- result.json
def find_calls(result):
    """(seed stage, final prediction stage) records of a runner result; the
    seed stage is the first of SEED_PREFERENCE present, else the last seed
    set; the prediction stage is the one tagged ``val``. Either may be None."""
    stages = result.get('stages', {})
    seeds = [
        n for n, r in stages.items() if r.get('tool') == 'test' and (
            r.get('metrics') or {}).get('seed/mIoU') is not None
    ]
    name = next((n for n in SEED_PREFERENCE if n in seeds),
                seeds[-1] if seeds else None)
    seed = dict(stages[name], name=name) if name else None
    if seed and 'command' not in seed and seed.get('part_of') in stages:
        # a set of a several-set run without a one-set command of its own:
        # the run's command, whose --out holds the set as a sub-folder
        seed = dict(stages[seed['part_of']], name=name, subdir=name)
    val = stages.get('val')
    return seed, (
        dict(val, name='val') if val and val.get('tool') == 'test' else None)


def cfg_options(record):
    cmd = record['command']
    return cmd[cmd.index('--cfg-options') +
               1:] if '--cfg-options' in cmd else []


def option(record, key):
    for o in cfg_options(record):
        if o.startswith(key + '='):
            return o.split('=', 1)[1]
    return None


def picture_command(record, out, work, list_file, extra=()):
    """A stage's own test.py command on the picture list, writing into
    ``out``."""
    cmd = record['command']
    i = next(i for i, t in enumerate(cmd) if t.endswith('tools/test.py'))
    config, ckpt = cmd[i + 1], cmd[i + 2]
    kept = [
        o for o in cfg_options(record)
        if o.split('=', 1)[0] not in REPLACED_KEYS
    ]
    gt = option(record, 'test_dataloader.dataset.data_prefix.seg_map_path')
    kept += [
        'test_dataloader.dataset.ann_file=ImageSets/Segmentation/'
        f'{list_file}.txt',
        f'test_dataloader.dataset.data_prefix.seg_map_path={gt}', *extra
    ]
    return [
        cmd[0], cmd[i], config, ckpt, '--work-dir', work, '--out', out,
        '--cfg-options', *kept
    ]


# --------------------------------------------------------------- runs
def _stamp(cmd, ckpt):
    try:
        mtime = os.path.getmtime(ckpt)
    except OSError:
        mtime = None
    return dict(cmd=cmd, ckpt_mtime=mtime)


def run_picture_call(cmd, ckpt, out, ids, log, dry_run=False, subdir=''):
    """Run ``cmd`` (writing ``out/[subdir/]<id>.png``) unless done with the
    same command and checkpoint. True when every picture exists afterwards."""
    stamp_file = out.rstrip('/') + '.cmd.json'
    stamp = _stamp(cmd, ckpt)
    folder = osp.join(out, subdir)
    done = all(osp.isfile(osp.join(folder, i + '.png')) for i in ids)
    if done and osp.isfile(stamp_file):
        with open(stamp_file) as f:
            if json.load(f) == stamp:
                return True
    if dry_run:
        print('$ ' + ' '.join(cmd))
        return False
    for d in (out, out.rstrip('/') + '_overlays'):
        shutil.rmtree(d, ignore_errors=True)
    try:
        with open(log, 'a') as f:
            f.write('$ ' + ' '.join(cmd) + '\n')
            f.flush()
            subprocess.run(
                cmd, check=True, cwd=REPO, stdout=f, stderr=subprocess.STDOUT)
    except (subprocess.CalledProcessError, OSError) as e:
        print(f'[make_pictures] failed: {e} (see {log})', flush=True)
        return False
    atomic_write_text(stamp_file, json.dumps(stamp))
    return all(osp.isfile(osp.join(folder, i + '.png')) for i in ids)


def read_png(path):
    if not osp.isfile(path):
        return None
    with Image.open(path) as im:
        return np.asarray(im).copy()


def cam_panel(overlay, width):
    """The CAM panel of a SeedMetric overlay (image | CAM | seeds [| GT],
    2-pixel gutters); None when the overlay has no CAM panel."""
    if overlay is None or overlay.ndim != 3:
        return None
    k = (overlay.shape[1] + 2) // (width + 2)
    if k < 4 or (overlay.shape[1] + 2) % (width + 2):
        return None  # image | seeds | GT: no CAM panel
    return overlay[:, width + 2:2 * width + 2]


def load_image(data_root, img_id):
    for ext in ('.jpg', '.png', '.jpeg'):
        p = osp.join(data_root, 'JPEGImages', img_id + ext)
        if osp.isfile(p):
            with Image.open(p) as im:
                return np.asarray(im.convert('RGB'))
    return None


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        '--bench-root', default=osp.join(REPO, 'work_dirs', 'bench'))
    p.add_argument('--data-root', default=osp.join(REPO, 'data', 'mini'))
    p.add_argument(
        '--gt-dir',
        default='SegmentationClass',
        help='GT folder of the data root (GT column)')
    p.add_argument('--val-split', default='val')
    p.add_argument('--num', type=int, default=4, help='first NUM val images')
    p.add_argument('--ids', nargs='+', help='these val image ids instead')
    p.add_argument('--methods', nargs='+', default=list(METHODS))
    p.add_argument(
        '--out', default=osp.join(REPO, 'docs', 'pictures', 'mini_grid.png'))
    p.add_argument('--tile', type=int, default=128)
    p.add_argument(
        '--dry-run',
        action='store_true',
        help='print the test.py commands, run nothing, write nothing')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    data_root = osp.abspath(args.data_root)
    bench = osp.abspath(args.bench_root)
    if args.ids:
        ids = list(args.ids)
    else:
        with open(
                osp.join(data_root, 'ImageSets', 'Segmentation',
                         args.val_split + '.txt')) as f:
            ids = f.read().split()[:args.num]
    list_text = '\n'.join(ids) + '\n'
    pic_root = osp.join(bench, 'pictures')
    log = osp.join(pic_root, 'pictures.log')
    if not args.dry_run:
        os.makedirs(pic_root, exist_ok=True)
    written_lists = set()

    def ensure_list(root):
        root = osp.abspath(root)
        if root in written_lists or args.dry_run:
            return
        atomic_write_text(
            osp.join(root, 'ImageSets', 'Segmentation', LIST_NAME + '.txt'),
            list_text)
        written_lists.add(root)

    ensure_list(data_root)
    seeds, preds, seed_names, cam_dir = {}, {}, {}, None
    for method in args.methods:
        result = load_json(osp.join(bench, method, 'result.json'))
        if not result or result.get('time_total_s') is None:
            print(f'[make_pictures] {method}: no finished run in '
                  f'{osp.join(bench, method)}: n/a')
            continue
        seed_call, seg_call = find_calls(result)
        out_root = osp.join(pic_root, method)
        for kind, call in (('seeds', seed_call), ('pred', seg_call)):
            if call is None:
                continue
            ensure_list(
                option(call, 'test_dataloader.dataset.data_root') or data_root)
            out = osp.join(out_root, kind)
            extra = []
            if method == 'cam' and kind == 'seeds' and len(
                    ids) > 8:  # SeedMetric: 8 overlays
                extra = [f'test_evaluator.num_overlays={len(ids)}']
            cmd = picture_command(call, out, osp.join(out_root, kind + '_run'),
                                  LIST_NAME, extra)
            ckpt = cmd[3]
            subdir = call.get('subdir', '')
            ok = run_picture_call(cmd, ckpt, out, ids, log, args.dry_run,
                                  subdir)
            (seeds if kind == 'seeds' else preds)[method] = osp.join(
                out, subdir) if ok else None
            if kind == 'seeds':
                seed_names[method] = call['name']
                if method == 'cam' and ok:
                    cam_dir = out + '_overlays'
    if args.dry_run:
        return None

    from wsss_mm.visualization import \
        colorize_labels  # heavy import: only here
    seed_methods = [m for m in args.methods if m != 'full']
    labels = ['image', 'GT', 'CAM (CAM baseline)']
    labels += [
        'seeds ' + m + (f' ({seed_names[m]})'
                        if seed_names.get(m, 'seeds') != 'seeds' else '')
        for m in seed_methods
    ]
    labels += ['pred ' + m for m in args.methods]

    def label_cell(folder, img_id):
        if not folder:
            return None
        arr = read_png(osp.join(folder, img_id + '.png'))
        return None if arr is None or arr.ndim != 2 else colorize_labels(arr)

    rows = []
    for img_id in ids:
        image = load_image(data_root, img_id)
        gt = read_png(osp.join(data_root, args.gt_dir, img_id + '.png'))
        cam = None
        if cam_dir:
            seed = read_png(osp.join(seeds['cam'], img_id + '.png'))
            if seed is not None:
                cam = cam_panel(
                    read_png(osp.join(cam_dir, img_id + '.png')),
                    seed.shape[1])
        row = [image, None if gt is None else colorize_labels(gt), cam]
        row += [label_cell(seeds.get(m), img_id) for m in seed_methods]
        row += [label_cell(preds.get(m), img_id) for m in args.methods]
        rows.append(row)
    grid = compose_grid(rows, labels, tile=args.tile, row_labels=ids)
    atomic_write_png(grid, args.out, palette=False)
    missing = sum(c is None for r in rows for c in r)
    print(
        f'[make_pictures] wrote {args.out} ({len(ids)} images x {len(labels)} '
        'columns, '
        f'{missing} n/a tiles)')
    return args.out


if __name__ == '__main__':
    main()
