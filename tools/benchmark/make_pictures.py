"""One picture grid of a bench: image | GT | CAM | seeds | predictions.

    python tools/benchmark/make_pictures.py [--bench-root work_dirs/bench] \\
        [--data-root data/mini] [--num 4 | --ids val_00000 ...] \\
        [--out docs/pictures/mini_grid.png] [--dry-run]

Rows are K fixed val images (default: the first 4 of
``ImageSets/Segmentation/val.txt``); columns are the image, its GT, the CAM of
the CAM baseline classifier, the seeds of each method and the prediction of
each method. A missing artefact (method not run, run failed) is a grey
``n/a`` tile.

No method logic here: the artefacts come from ``tools/test.py`` runs that
repeat the runner's own commands. Every method work dir of the bench holds
``pipeline.log``, one ``$ COMMAND`` line per run of ``tools/wsss_pipeline.py``.
For each method this tool takes from it

- the seed-stage call (``test.py`` with ``--out``: the seed set named
  ``seeds``, else for multi-seed ``vgg16_crf_s100``, else the last one) and
- the final segmentation test (the last ``test.py`` with ``--metrics-out``
  and no ``--out``: stage 4, DCP's stage 5, single-stage's val test),

and reruns each with the same config, checkpoint and cfg-options, replacing
only the test split (``ImageSets/Segmentation/bench_pictures.txt``, written
into the data root; GT masks as labels so the seed metric has its GT), the
seed reuse folder, ``--out`` and ``--work-dir`` (under
``BENCH_ROOT/pictures/<method>``). The seed run writes palette PNGs (255 =
ignore) and, through ``SeedMetric``, overlay panels image | CAM | seeds | GT;
the CAM column is the CAM panel of the CAM baseline's overlay (the max over
foreground classes of its normalised CAM, ``heatmap`` colours blended on the
image). Seeds, predictions and GT are coloured with ``colorize_labels``.
A run is skipped when its outputs exist from the same command and checkpoint
(delete ``BENCH_ROOT/pictures`` to force).
"""
import argparse
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, REPO)

METHODS = ('cam', 'ficklenet', 'singlestage', 'multiseed', 'dcp', 'full')
SEED_PREFERENCE = ('seeds', 'vgg16_crf_s100', 'vgg16_threshold_s100')
LIST_NAME = 'bench_pictures'
GREY = (150, 150, 150)
# options of the runner's commands this tool replaces
REPLACED_KEYS = ('test_dataloader.dataset.ann_file',
                 'test_dataloader.dataset.data_prefix.seg_map_path')
DROPPED_FLAGS = {'--work-dir': 1, '--out': 1, '--metrics-out': 1, '--show-dir': 1,
                 '--launcher': 1}


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
    draw.text(((tile - w) // 2, (tile - h) // 2), text, fill=(255, 255, 255), font=font)
    return np.asarray(img)


def _fit(cell, tile):
    """(H, W, 3) or (H, W) uint8 -> (tile, tile, 3), aspect kept, grey padded."""
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
        rows: R lists of C cells each, an (H, W, 3) / (H, W) uint8 array or None.
        labels: C column titles (drawn in the header, wrapped on spaces).
        row_labels: optional R strings drawn at the bottom left of each row's
            first tile.
    Returns:
        (header + R*tile + (R-1)*gutter, C*tile + (C-1)*gutter, 3) uint8.
    """
    ncol = len(labels)
    if any(len(r) != ncol for r in rows):
        raise ValueError(f'every row needs {ncol} cells, got {[len(r) for r in rows]}')
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
            draw.text((x0 + max((tile - tw) // 2, 0), y), line, fill=(0, 0, 0), font=font)
            y += th + 2
    for r, row in enumerate(rows):
        y0 = header + r * (tile + gutter)
        for c, cell in enumerate(row):
            x0 = c * (tile + gutter)
            canvas.paste(Image.fromarray(na if cell is None else _fit(cell, tile)), (x0, y0))
        if row_labels:
            tw, th = _text_size(draw, row_labels[r], font)
            draw.rectangle((0, y0 + tile - th - 4, tw + 4, y0 + tile), fill=(255, 255, 255))
            draw.text((2, y0 + tile - th - 3), row_labels[r], fill=(0, 0, 0), font=font)
    return np.asarray(canvas)


def atomic_save_png(array, path):
    os.makedirs(osp.dirname(osp.abspath(path)) or '.', exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    Image.fromarray(array).save(tmp, format='PNG')
    os.replace(tmp, path)


def atomic_write_text(path, text):
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


# --------------------------------------------------------------- pipeline.log
def read_commands(log):
    """The ``$ ...`` lines of a runner log, as token lists (paths hold no
    spaces: the runner joins its argv with single spaces)."""
    cmds = []
    with open(log) as f:
        for line in f:
            if line.startswith('$ '):
                cmds.append(line[2:].split())
    return cmds


def split_test_call(cmd):
    """A ``... tools/test.py CFG CKPT [flags] --cfg-options k=v ...`` command
    -> (config, checkpoint, {flag: value}, [cfg options]); None if not test.py."""
    idx = next((i for i, t in enumerate(cmd) if t.endswith('tools/test.py')), None)
    if idx is None or len(cmd) < idx + 3:
        return None
    rest = cmd[idx + 1:]
    config, ckpt, rest = rest[0], rest[1], rest[2:]
    flags, opts, i = {}, [], 0
    while i < len(rest):
        tok = rest[i]
        if tok == '--cfg-options':
            i += 1
            while i < len(rest) and not rest[i].startswith('--'):
                opts.append(rest[i])
                i += 1
            continue
        if tok.startswith('--'):
            if i + 1 < len(rest) and not rest[i + 1].startswith('--'):
                flags[tok] = rest[i + 1]
                i += 2
            else:
                flags[tok] = True
                i += 1
            continue
        i += 1
    return config, ckpt, flags, opts


def find_calls(cmds):
    """(seed call, final segmentation call) of a runner log; either None."""
    tests = [c for c in (split_test_call(cmd) for cmd in cmds) if c]
    seeds = [c for c in tests if '--out' in c[2]
             and not str(c[2].get('--work-dir', '')).endswith('_run')]
    segs = [c for c in tests if '--metrics-out' in c[2] and '--out' not in c[2]]
    seed = None
    for name in SEED_PREFERENCE:
        hit = [c for c in seeds if osp.basename(str(c[2]['--out']).rstrip('/')) == name]
        if hit:
            seed = hit[-1]
            break
    if seed is None and seeds:
        seed = seeds[-1]
    return seed, (segs[-1] if segs else None)


def picture_command(call, out, work, list_file, gt_dir, if_present=None, extra=()):
    """The runner's test.py call on the picture list, writing into ``out``.

    ``if_present``: {key: value} for options replaced only where the runner
    set them (e.g. the seed reuse folder: a model without it may reject the
    key); ``extra``: options appended."""
    from tools.wsss_pipeline import tool
    config, ckpt, flags, opts = call
    if_present = dict(if_present or {})
    kept = []
    for o in opts:
        key = o.split('=', 1)[0]
        if key in REPLACED_KEYS:
            continue
        kept.append(f'{key}={if_present[key]}' if key in if_present else o)
    gt = gt_dir
    for o in opts:  # the runner's GT folder, as its val loader reads it
        if o.startswith('val_dataloader.dataset.data_prefix.seg_map_path='):
            gt = o.split('=', 1)[1]
    kept += [f'test_dataloader.dataset.ann_file=ImageSets/Segmentation/{list_file}.txt',
             f'test_dataloader.dataset.data_prefix.seg_map_path={gt}', *extra]
    other = []
    for flag, val in flags.items():
        if flag in DROPPED_FLAGS:
            continue
        other += [flag] if val is True else [flag, val]
    return tool(argparse.Namespace(launcher_nproc=1), 'test.py', config, ckpt,
                '--work-dir', work, '--out', out, *other, '--cfg-options', *kept)


def data_root_of(call):
    for o in call[3]:
        if o.startswith('test_dataloader.dataset.data_root='):
            return o.split('=', 1)[1]
    return None


# --------------------------------------------------------------- runs
def _stamp(cmd, ckpt):
    try:
        mtime = os.path.getmtime(ckpt)
    except OSError:
        mtime = None
    return dict(cmd=cmd, ckpt_mtime=mtime)


def run_picture_call(cmd, ckpt, out, ids, log, dry_run=False):
    """Run ``cmd`` (writing ``out/<id>.png``) unless done with the same
    command and checkpoint. True when every picture exists afterwards."""
    from tools.wsss_pipeline import run
    stamp_file = out.rstrip('/') + '.cmd.json'
    stamp = _stamp(cmd, ckpt)
    done = all(osp.isfile(osp.join(out, i + '.png')) for i in ids)
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
        run(cmd, log)
    except (subprocess.CalledProcessError, OSError) as e:
        print(f'[make_pictures] failed: {e} (see {log})', flush=True)
        return False
    atomic_write_text(stamp_file, json.dumps(stamp))
    return all(osp.isfile(osp.join(out, i + '.png')) for i in ids)


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
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--bench-root', default=osp.join(REPO, 'work_dirs', 'bench'))
    p.add_argument('--data-root', default=osp.join(REPO, 'data', 'mini'))
    p.add_argument('--gt-dir', default='SegmentationClass',
                   help='GT folder when the runner log does not name one')
    p.add_argument('--val-split', default='val')
    p.add_argument('--num', type=int, default=4, help='first NUM val images')
    p.add_argument('--ids', nargs='+', help='these val image ids instead')
    p.add_argument('--methods', nargs='+', default=list(METHODS))
    p.add_argument('--out', default=osp.join(REPO, 'docs', 'pictures', 'mini_grid.png'))
    p.add_argument('--tile', type=int, default=128)
    p.add_argument('--dry-run', action='store_true',
                   help='print the test.py commands, run nothing, write nothing')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    data_root = osp.abspath(args.data_root)
    bench = osp.abspath(args.bench_root)
    if args.ids:
        ids = list(args.ids)
    else:
        with open(osp.join(data_root, 'ImageSets', 'Segmentation',
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
        atomic_write_text(osp.join(root, 'ImageSets', 'Segmentation', LIST_NAME + '.txt'),
                          list_text)
        written_lists.add(root)

    ensure_list(data_root)
    seeds, preds, seed_names, cam_dir = {}, {}, {}, None
    for method in args.methods:
        plog = osp.join(bench, method, 'pipeline.log')
        if not osp.isfile(plog) or not osp.isfile(osp.join(bench, method, 'result.json')):
            print(f'[make_pictures] {method}: no finished run in {osp.dirname(plog)}: n/a')
            continue
        seed_call, seg_call = find_calls(read_commands(plog))
        out_root = osp.join(pic_root, method)
        for kind, call in (('seeds', seed_call), ('pred', seg_call)):
            if call is None:
                continue
            root = data_root_of(call) or data_root
            ensure_list(root)
            out = osp.join(out_root, kind)
            reuse = {'model.test_cfg.reuse_seed_dir': out}  # never the method's seeds
            extra = []
            if method == 'cam' and kind == 'seeds' and len(ids) > 8:  # SeedMetric: 8 overlays
                extra = [f'test_evaluator.num_overlays={len(ids)}']
            cmd = picture_command(call, out, osp.join(out_root, kind + '_run'), LIST_NAME,
                                  args.gt_dir, reuse, extra)
            ok = run_picture_call(cmd, call[1], out, ids, log, args.dry_run)
            (seeds if kind == 'seeds' else preds)[method] = out if ok else None
            if kind == 'seeds':
                seed_names[method] = osp.basename(str(call[2]['--out']).rstrip('/'))
                if method == 'cam' and ok:
                    cam_dir = out + '_overlays'
    if args.dry_run:
        return None

    from wsss_mm.visualization import colorize_labels  # heavy import: only here
    seed_methods = [m for m in args.methods if m != 'full']
    labels = ['image', 'GT', 'CAM (CAM baseline)']
    labels += ['seeds ' + m + (f' ({seed_names[m]})' if seed_names.get(m, 'seeds') != 'seeds'
                               else '') for m in seed_methods]
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
                cam = cam_panel(read_png(osp.join(cam_dir, img_id + '.png')), seed.shape[1])
        row = [image, None if gt is None else colorize_labels(gt), cam]
        row += [label_cell(seeds.get(m), img_id) for m in seed_methods]
        row += [label_cell(preds.get(m), img_id) for m in args.methods]
        rows.append(row)
    grid = compose_grid(rows, labels, tile=args.tile, row_labels=ids)
    atomic_save_png(grid, args.out)
    missing = sum(c is None for r in rows for c in r)
    print(f'[make_pictures] wrote {args.out} ({len(ids)} images x {len(labels)} columns, '
          f'{missing} n/a tiles)')
    return args.out


if __name__ == '__main__':
    main()
