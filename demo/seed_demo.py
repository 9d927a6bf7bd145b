"""One image through a wsss_mm checkpoint: image | CAM per class | seeds |
prediction.

    python demo/seed_demo.py IMG CONFIG CKPT [--labels cat,dog] [--out out.png]
        [--seg-config SEG_CONFIG --seg-checkpoint SEG_CKPT] [--device cpu]
        [--cfg-options k=v ...]

In the spirit of mmseg's ``demo/image_demo.py``, for the stages of a WSSS
method, without running a stage over a split:

- CONFIG/CKPT of a classifier (``WeakClassifier``, stages 1-2: configs/cam/,
  ficklenet/, dcp/, multi_seed/...): one panel per class with the class map
  its seed generator produced (the CAM, normalised for display), then the
  seeds of that generator (0 background, 255 = ignore, drawn white). Classes:
  ``--labels`` (names from the checkpoint's data set, or class indices, 1 =
  first foreground class), i.e. the image-level labels the seed stage uses on
  the train split; without it, the classifier's prediction
  (sigmoid > the generator's ``cls_threshold``, as the seed stage does on an
  unlabelled image).
- CONFIG/CKPT of a segmentor (stage 3, or the single-stage model): the
  prediction.
- ``--seg-config/--seg-checkpoint``: a segmentor's prediction appended to a
  classifier's picture.

The picture (captions above the panels, a legend of the classes drawn below)
is written atomically; a line per class is printed.
"""
import argparse
import math
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import Compose
from mmengine.runner import load_checkpoint
from mmseg.apis import init_model
from PIL import Image, ImageDraw, ImageFont

# registers the components and the checkpoint loader
import wsss_mm  # noqa: F401
from wsss_mm.models.segmentors import WeakClassifier
from wsss_mm.utils.io import atomic_write_png
from wsss_mm.visualization import colorize_labels, heatmap

#: transforms that read annotations: a single image has none
ANNOTATION_LOADERS = ('LoadAnnotations', 'LoadSeedMaps')
GUTTER = 4
CAPTION = 16


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('img', help='image file')
    parser.add_argument(
        'config', help='config of the checkpoint (classifier or segmentor)')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--labels',
        help='comma-separated class names or indices '
        '(1 = first foreground class); default: predicted')
    parser.add_argument(
        '--out', default='seed_demo.png', help='output picture (PNG)')
    parser.add_argument(
        '--seg-config', help='a segmentor config, for a prediction panel')
    parser.add_argument('--seg-checkpoint', help='its checkpoint')
    parser.add_argument(
        '--device', default='cuda:0' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--opacity', type=float, default=0.5, help='overlay opacity')
    parser.add_argument(
        '--min-size',
        type=int,
        default=256,
        help='panels are enlarged (nearest) to at least this height')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of CONFIG, key=value')
    args = parser.parse_args(argv)
    if bool(args.seg_config) != bool(args.seg_checkpoint):
        parser.error('--seg-config and --seg-checkpoint go together')
    return args


# ------------------------------------------------------------------ model --
def load_model(config, checkpoint, device, cfg_options=None):
    """mmseg's ``init_model`` (config, scope, eval mode, device) with the
    weights loaded here, so that a checkpoint without ``dataset_meta`` falls
    back to the config's class names instead of mmseg's guess by head size."""
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    model = init_model(
        cfg, None, device='cpu')  # no pretrained weights are loaded
    ckpt = load_checkpoint(
        model, checkpoint, map_location='cpu', logger='silent')
    meta = (ckpt.get('meta') or {}).get('dataset_meta') or {}
    classes = meta.get('classes') or config_classes(cfg)
    model.dataset_meta = dict(classes=tuple(classes))
    return model.to(device).eval()


def config_classes(cfg):
    """Class names of the config's test data set (metainfo, classes file),
    else numbered ones."""
    from mmseg.registry import DATASETS
    try:
        dataset = DATASETS.build(cfg.test_dataloader.dataset)
        return tuple(dataset.metainfo['classes'])
    except Exception:  # no data at hand: numbered classes
        num = getattr(
            getattr(cfg.model, 'cls_head', None), 'num_classes', None)
        num = num + 1 if num else cfg.model.decode_head.num_classes
        return ('background', ) + tuple(f'class {i}' for i in range(1, num))


def test_pipeline(cfg):
    """The pipeline of the config's test data set, minus annotation loading."""
    pipeline = cfg.test_dataloader.dataset.get('pipeline') or cfg.get(
        'test_pipeline')
    if not pipeline:
        raise KeyError('the config has no test_dataloader.dataset.pipeline')
    return Compose(
        [t for t in pipeline if t.get('type') not in ANNOTATION_LOADERS])


def prepare(model, img_path):
    data = test_pipeline(model.cfg)(dict(img_path=img_path))
    return dict(inputs=[data['inputs']], data_samples=[data['data_samples']])


def parse_labels(text, classes):
    """'cat,dog' or '3,7' -> sorted class indices (1..C; 0 is background)."""
    lower = {c.lower(): i for i, c in enumerate(classes)}
    picked = []
    for item in (s.strip() for s in text.split(',')):
        if not item:
            continue
        if item.isdigit():
            index = int(item)
        elif item.lower() in lower:
            index = lower[item.lower()]
        else:
            raise SystemExit(f'--labels: unknown class {item!r}; classes: '
                             f'{", ".join(classes[1:])}')
        if not 1 <= index < len(classes):
            raise SystemExit(
                f'--labels: class index {index} not in 1..{len(classes) - 1}')
        picked.append(index)
    if not picked:
        raise SystemExit('--labels: no class given')
    return sorted(set(picked))


@torch.no_grad()
def predicted_labels(model, data):
    """Classes the classifier predicts (sigmoid > the seed generator's
    ``cls_threshold``; the top class if none) and all class probabilities."""
    batch = model.data_preprocessor(data, False)
    scores = model.class_scores(model.cams(batch['inputs']))[0].sigmoid()
    threshold = getattr(model.seed_generator, 'cls_threshold', 0.5)
    picked = [
        i + 1 for i in torch.nonzero(scores > threshold).flatten().tolist()
    ]
    return picked or [int(scores.argmax()) + 1], scores.cpu()


@torch.no_grad()
def run_classifier(model, img_path, labels=None):
    """(class indices, {class: (H, W) map in [0, 1]}, seeds (H, W), probs)."""
    data = prepare(model, img_path)
    picked, probs = predicted_labels(model, data)
    if labels is not None:
        picked = labels
    multi_hot = torch.zeros(model.num_classes + 1)
    multi_hot[picked] = 1
    data['data_samples'][
        0].gt_img_labels = multi_hot  # what the seed stage reads
    sample = model.test_step(data)[0]
    scores = sample.seg_logits.data.float().cpu()
    cams = {}
    for c in picked:
        cam = scores[c].clamp(min=0)
        cams[c] = (cam / cam.max()).numpy() if cam.max() > 0 else cam.numpy()
    seeds = sample.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
    return picked, cams, seeds, probs


@torch.no_grad()
def run_segmentor(model, img_path):
    sample = model.test_step(prepare(model, img_path))[0]
    return sample.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)


# ---------------------------------------------------------------- picture --
def enlarge(array, factor):
    return array if factor == 1 else array.repeat(factor, 0).repeat(factor, 1)


def blend(image, overlay, opacity):
    return ((1 - opacity) * image.astype(np.float32) +
            opacity * overlay.astype(np.float32)).round().astype(np.uint8)


def label_panel(image, labels, opacity):
    """Labels blended on the image; ignore (255) drawn white, unblended."""
    out = blend(image, colorize_labels(labels), opacity)
    out[labels == 255] = 255
    return out


def compose(panels, legend, classes):
    """A row of (caption, (H, W, 3)) panels, captions above, a legend of the
    ``legend`` labels (colour, name) below, wrapped to the picture's width."""
    font = ImageFont.load_default()
    height, width = panels[0][1].shape[:2]
    total_w = len(panels) * width + (len(panels) - 1) * GUTTER
    measure = ImageDraw.Draw(Image.new('RGB', (1, 1)))
    swatch, items, rows, x = 12, [], 0, 2
    for c in legend:
        name = 'ignore' if c == 255 else classes[c]
        step = swatch + 12 + int(measure.textlength(name, font=font))
        if x > 2 and x + step > total_w:
            rows, x = rows + 1, 2
        items.append((c, name, x, rows))
        x += step
    top = CAPTION + height + 4
    canvas = Image.new('RGB', (total_w, top + (rows + 1) * CAPTION), 'white')
    draw = ImageDraw.Draw(canvas)
    for i, (caption, panel) in enumerate(panels):
        x = i * (width + GUTTER)
        canvas.paste(Image.fromarray(panel), (x, CAPTION))
        draw.text((x + 2, 2),
                  caption[:max(8, width // 6)],
                  fill='black',
                  font=font)
    for c, name, x, row in items:
        y = top + row * CAPTION
        colour = tuple(int(v) for v in colorize_labels(np.array([[c]]))[0, 0])
        draw.rectangle([x, y, x + swatch - 1, y + swatch - 1],
                       fill=colour,
                       outline='black')
        draw.text((x + swatch + 3, y), name, fill='black', font=font)
    return np.asarray(canvas)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.img):
        raise SystemExit(f'image not found: {args.img}')
    model = load_model(args.config, args.checkpoint, args.device,
                       args.cfg_options)
    classes = model.dataset_meta['classes']
    image = np.asarray(Image.open(args.img).convert('RGB'))
    panels, shown = [('image', image)], set()
    if isinstance(model, WeakClassifier):
        labels = parse_labels(args.labels, classes) if args.labels else None
        picked, cams, seeds, probs = run_classifier(model, args.img, labels)
        source = 'given' if labels is not None else 'predicted'
        for c in picked:
            panels.append((f'CAM {classes[c]}',
                           blend(image, heatmap(cams[c]), args.opacity)))
            covered = 100.0 * float((seeds == c).mean())
            print(f'{classes[c]}: p = {float(probs[c - 1]):.3f} ({source}), '
                  f'seeds cover {covered:.1f} %')
        panels.append(('seeds', label_panel(image, seeds, args.opacity)))
        shown |= set(np.unique(seeds).tolist())
        print(f'background seeds {100.0 * float((seeds == 0).mean()):.1f} %, '
              f'ignored {100.0 * float((seeds == 255).mean()):.1f} %')
    else:
        if args.labels:
            print(
                '--labels ignored: a segmentor predicts every class',
                file=sys.stderr)
        pred = run_segmentor(model, args.img)
        panels.append(('prediction', label_panel(image, pred, args.opacity)))
        shown |= set(np.unique(pred).tolist())
    if args.seg_config:
        seg = load_model(args.seg_config, args.seg_checkpoint, args.device)
        pred = run_segmentor(seg, args.img)
        panels.append(('prediction', label_panel(image, pred, args.opacity)))
        shown |= set(np.unique(pred).tolist())
    factor = max(1, math.ceil(args.min_size / image.shape[0]))
    panels = [(caption, enlarge(p, factor)) for caption, p in panels]
    legend = sorted(
        c for c in shown if c < len(classes)) + ([255] if 255 in shown else [])
    atomic_write_png(compose(panels, legend, classes), args.out)
    print(f'wrote {args.out}: ' + ' | '.join(caption for caption, _ in panels))


if __name__ == '__main__':
    main()
