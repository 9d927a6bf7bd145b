"""What the tools share: launcher flags and config loading (tools/train.py,
tools/test.py, tools/dcp_statistics.py); the GT options of the label-map
analysis tools (tools/analysis_tools/confusion_matrix.py, seed_votes.py)."""
import os
import os.path as osp

from mmengine.config import Config, DictAction


def add_common_args(parser):
    """--work-dir, --cfg-options, --launcher, --local-rank."""
    parser.add_argument(
        '--work-dir', help='the dir to save logs, models and metrics')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def parse_with_rank(parser, argv=None):
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def load_config(args) -> Config:
    """Read ``args.config`` and apply --launcher, --cfg-options and --work-dir
    (default ``./work_dirs/{config name}``), as mmseg's tools do; mmseg-scoped
    configs get the ``ClassCountCheckHook``."""
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if cfg.get('default_scope'
               ) == 'mmseg':  # the head must match the data's classes
        hooks = list(cfg.get('custom_hooks') or [])
        if not any(h.get('type') == 'ClassCountCheckHook' for h in hooks):
            cfg.custom_hooks = hooks + [dict(type='ClassCountCheckHook')]
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


def add_gt_args(parser, split):
    """--data-root, --split (default ``split``), --gt-dir, --classes,
    --ignore-index: the GT a label-map analysis tool compares with."""
    parser.add_argument(
        '--data-root', required=True, help='VOC-layout data root')
    parser.add_argument(
        '--split', default=split, help='ImageSets/Segmentation/<split>.txt')
    parser.add_argument(
        '--gt-dir',
        default='SegmentationClass',
        help='GT folder in the data root')
    parser.add_argument(
        '--classes',
        help='class names, one a line '
        '(default DATA_ROOT/classes.txt)')
    parser.add_argument('--ignore-index', type=int, default=255)
    return parser


def classes_and_ids(args):
    """The class names and the image ids of :func:`add_gt_args`' options."""
    names = read_lines(
        args.classes or osp.join(args.data_root, 'classes.txt'), '--classes')
    ids = read_lines(
        osp.join(args.data_root, 'ImageSets', 'Segmentation',
                 f'{args.split}.txt'), '--split')
    return names, ids


def read_lines(path, what):
    """The non-empty lines of ``path``; FileNotFoundError naming the option
    ``what`` when it is missing."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what}: no such file {path}')
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]
