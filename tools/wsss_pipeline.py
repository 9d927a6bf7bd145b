"""Run a WSSS method end to end through the standard tools and report mIoU.

    python tools/wsss_pipeline.py --method cam --data-root data/mini \\
        --work-dir work_dirs/pipeline/cam [--quick] [--build-mini]

What a method runs is declared in ``wsss_mm/recipes/<method>.py``: a list of
stages, each one ``tools/train.py`` / ``tools/test.py`` (or another tool)
run with a named config. This script walks that list and holds no method
logic. To every stage it adds only what is the same for all methods:

- the data set: ``--data-root``, its class names (``--classes``, else
  ``DATA_ROOT/classes.txt``, else numbered from the masks), the split lists,
  the GT folder (image-level labels are derived from it; test stages score
  against it);
- the number of classes of the model's head (``cls_head``: foreground only;
  ``decode_head``: background included);
- shorter schedules (``--quick``, ``--cls-iters``, ``--seg-iters``:
  ``train_cfg.max_iters`` and the val / checkpoint intervals);
- on the mini config sets, the mini-pretrained backbone a stage names
  (trained once and cached in ``--pretrain-dir``, keyed by its config);
- the outputs of the earlier stages it reads (checkpoint, seed folders,
  files), and ``--cfg-options`` / ``--cls-cfg-options`` /
  ``--seg-cfg-options``.

Each stage runs in ``WORK_DIR/<stage>/`` and, when it succeeds, writes
``WORK_DIR/<stage>/stage.json`` (command, outputs, metrics, seconds, and a
provenance key: the command, the stage's resolved config, the recipe of
generated scenes (the data root's ``scenes.json``) and the keys of the
stages it reads). A rerun keeps a stage whose key is unchanged and whose
outputs exist; any other stage is cleared and run again, so no stale seed or
checkpoint is ever reused (``--plan`` prints, stage by stage, what a run with
the same options would keep or run, and why, without running or writing
anything). ``WORK_DIR/result.json`` (rewritten after every
stage) holds every stage's record and the summary: ``seed_miou`` (the mean
over seed sets when there are several), ``val_miou`` and the other tagged
metrics, ``time_train_s``, ``time_seeds_s``, ``time_total_s``. The last line
printed is that summary as one JSON object.

A lock file keeps a second run out of the same work dir; SIGTERM / SIGINT are
passed on to the running stage, which is waited for. The machinery lives in
the package (``wsss_mm/recipes/runner.py``), which the benchmark harness
shares.
"""
import argparse
import os
import os.path as osp
import sys

from wsss_mm.datasets.scenes import PART_BODY_RECIPES
from wsss_mm.recipes import RECIPES
from wsss_mm.recipes.runner import QUICK_ITERS, REPO, SPLITS, run_pipeline


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--method', required=True, choices=sorted(RECIPES))
    p.add_argument(
        '--data-root', required=True, help='VOC-layout dataset root')
    p.add_argument('--work-dir', required=True)
    p.add_argument(
        '--config-set',
        default='mini',
        choices=sorted(SPLITS),
        help='which configs: the mini benchmark\'s or VOC\'s')
    p.add_argument(
        '--classes',
        help='class names, one a line, background first '
        '(default DATA_ROOT/classes.txt, else numbered from the masks)')
    p.add_argument('--train-split', help='list name in ImageSets/Segmentation')
    p.add_argument('--val-split', default='val')
    p.add_argument('--gt-dir', help='GT mask folder inside the data root')
    p.add_argument(
        '--label-file',
        help='image-level labels of the train split (one line an image: '
        'id and class names or indices; or JSON, or VOC cls_labels.npy; '
        'docs/own_data.md): train masks become optional')
    p.add_argument(
        '--quick',
        action='store_true',
        help=f'small data and {QUICK_ITERS}-iteration stages (minutes here)')
    p.add_argument(
        '--build-mini',
        action='store_true',
        help='build the mini dataset into --data-root if missing')
    p.add_argument(
        '--scene-recipe',
        choices=sorted(PART_BODY_RECIPES),
        help='--build-mini with --config-set partbody: the named '
        'part-body recipe (default shared-colour); an existing data '
        'root of another recipe is refused')
    p.add_argument('--num-train', type=int, help='mini scenes (train)')
    p.add_argument('--num-val', type=int, help='mini scenes (val)')
    p.add_argument(
        '--cls-iters', type=int, help='iterations of classifier trainings')
    p.add_argument(
        '--seg-iters', type=int, help='iterations of segmentor trainings')
    p.add_argument(
        '--pretrain-objects', type=int, help='mini pretraining images')
    p.add_argument(
        '--pretrain-epochs', type=int, help='mini pretraining epochs')
    p.add_argument(
        '--no-pretrain',
        action='store_true',
        help='start the mini backbones from scratch')
    p.add_argument(
        '--pretrain-dir', default=osp.join(REPO, 'data', 'pretrained'))
    p.add_argument(
        '--launcher-nproc',
        type=int,
        default=1,
        help='processes per stage (torchrun, gloo on CPU)')
    p.add_argument(
        '--seed-sets',
        nargs='*',
        action='extend',
        help='only the seed sets whose names match '
        'these patterns (multi-seed ablations, e.g. "vgg16_*_s100")')
    p.add_argument(
        '--reuse',
        nargs='*',
        action='extend',
        default=[],
        metavar='STAGE=PATH',
        help='take this output for the stage instead of running it (e.g. '
        'vgg16=work_dirs/cam/vgg16/iter_1000.pth: the CAM, DCP and '
        'multi-seed mini recipes train the same VGG-16 classifier)')
    p.add_argument(
        '--stop-after',
        choices=('seeds', ),
        help='stop after the seed '
        'stages (seed-quality ablations; no segmentation training)')
    p.add_argument(
        '--plan',
        action='store_true',
        help='run nothing, write nothing: print, stage by stage, whether a '
        'run would keep it (same provenance, outputs present) or run it, and '
        'why')
    p.add_argument(
        '--recorded',
        metavar='RESULT_JSON',
        help='with --plan: the result.json of this run recorded elsewhere '
        '(benchmarks/records): a stage it ran with the same provenance '
        'counts as done')
    p.add_argument(
        '--cfg-options',
        nargs='*',
        action='extend',
        default=[],
        help='extra key=value overrides for every stage')
    p.add_argument(
        '--cls-cfg-options',
        nargs='*',
        action='extend',
        default=[],
        help='extra overrides for stages of a classifier (cls_head) only '
        '(e.g. model.seed_generator.num_selections=50)')
    p.add_argument(
        '--seg-cfg-options',
        nargs='*',
        action='extend',
        default=[],
        help='extra overrides for stages of a segmentor (decode_head) only')
    args = p.parse_args(argv)
    if args.recorded and not args.plan:
        p.error('--recorded goes with --plan')
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        return run_pipeline(args)
    except (FileNotFoundError, ValueError, KeyError) as e:
        # bad input (data root, class names, label file, --reuse, options):
        # the message names the file or option; the traceback only on demand
        if getattr(args, 'lock', None) is not None:
            args.lock.close()  # the work dir's lock, for a caller that goes on
        if os.environ.get('WSSS_MM_TRACEBACK'):
            raise
        msg = e.args[0] if isinstance(e, KeyError) and e.args else e
        sys.exit(f'wsss_pipeline.py: error: {msg} ({type(e).__name__}; '
                 'WSSS_MM_TRACEBACK=1 shows where)')


if __name__ == '__main__':
    main()
