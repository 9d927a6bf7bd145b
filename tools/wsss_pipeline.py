"""Run a WSSS method end to end through the standard tools and report mIoU.

    python tools/wsss_pipeline.py --method cam --data-root data/mini \\
        --work-dir work_dirs/pipeline/cam [--quick] [--build-mini]

Stages (each an ordinary ``tools/train.py`` / ``tools/test.py`` run):

0. (mini only) build the dataset (``--build-mini``) and the mini-pretrained
   backbone (cached in ``data/pretrained``, keyed by its config);
1. ``train.py`` the method's classifier config                 -> checkpoint
2. ``test.py`` the same config over the train split            -> seeds + seed mIoU
3. ``train.py`` the segmentation config on the seed directory  -> checkpoint
4. ``test.py`` the segmentation config on val                  -> val mIoU

Per method: ``ficklenet`` trains DSRG in stage 3; ``multiseed`` trains two
classifiers and writes 12 seed sets (type x scale x architecture;
``--seed-sets`` picks some) that stage 3 reads together with the WST loss;
``dcp`` replaces stage 1 by a statistics pass over pretrained features and
adds stage 5 (uncertain seed pixels filled by the stage-3 model, train
again); ``singlestage`` is one ``train.py`` run, then ``test.py`` on val (without
and with the dense CRF) and the pseudo-mask quality on train; ``full`` skips 1-2 and trains on the GT
masks (upper bound). ``--classifier-checkpoint vgg16=CKPT`` skips stage 1 for
a classifier already trained by another run with the same config (the mini
CAM, DCP and multi-seed recipes share the slim VGG-16 classifier). The last line printed is one JSON object: method, seed_miou, val_miou (percent), ...
This script chains runs and collects metrics; it holds no method logic.
"""
import argparse
import fnmatch
import hashlib
import json
import os
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)

# Pretraining configs of the mini backbones (cached, see ensure_pretrained).
VGG_PRE = 'configs/pretrain/vgg16-slim_fmnist-objects.py'
RESNET_PRE = 'configs/pretrain/resnet18-slim_fmnist-objects.py'


def _multiseed_sets(config_set, archs, types=('threshold', 'crf'), scales=(100, 75, 50)):
    """Fan et al.'s seed sets: type x scale x architecture (12 in the paper),
    each with its own seed config run on its architecture's classifier."""
    sets = []
    for arch in archs:
        for kind in types:
            for scale in scales:
                name = f'{arch}_{kind}_s{scale:03d}'
                sets.append(dict(name=name, classifier=arch,
                                 config=f'configs/multi_seed/seeds_{config_set}/{name}.py'))
    return sets


def _dcp_sets(prefix, classifier='vgg16'):
    """DCP's stage 2: the statistics pass, then the seeds, sharing one
    patterns file in the work dir."""
    patterns = ['model.seed_generator.patterns_file={work_dir}/dcp_patterns.pth']
    return [dict(name='dcp_statistics', classifier=classifier, evaluate=False,
                 config=prefix + '_statistics.py', options=patterns),
            dict(name='seeds', classifier=classifier, config=prefix + '.py', options=patterns)]


# Single-stage val with the dense CRF on the mini benchmark: the reference CRF
# (configs/single_stage: 10 iterations, Gaussian 3/3, bilateral 80/13/10) with
# the bilateral range scaled to 128 px scenes (80 px at ~500 px -> 20), as the
# mini CRF seeds of configs/multi_seed/_base_/seed_types.py. ``_delete_``:
# the configs' test_cfg.crf is None.
MINI_CRF_OPTIONS = ['model.test_cfg.crf._delete_=True', 'model.test_cfg.crf.num_iter=10',
                    'model.test_cfg.crf.bilateral.sxy=20', 'model.test_cfg.crf.bilateral.srgb=13',
                    'model.test_cfg.crf.bilateral.compat=10']

# method -> config set -> recipe. A recipe lists
#   classifiers: name -> dict(config, pretrain)    stage 1 (train.py)
#   seeds: [dict(name, classifier | config + checkpoint, options)]
#                                                  stage 2 (test.py, seed mode)
#   seg: dict(config, pretrain)                    stages 3-4 (train.py, test.py)
#   retrain: dict(config)                          DCP: fill uncertain, train again
#   single: dict(config, pretrain)                 one-run methods (single-stage)
RECIPES = {
    'cam': {
        'mini': dict(classifiers=dict(vgg16=dict(config='configs/cam/cam_vgg16-slim_mini.py',
                                                 pretrain=VGG_PRE)),
                     seeds=[dict(name='seeds', classifier='vgg16')],
                     seg=dict(config='configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py',
                              pretrain=VGG_PRE)),
        'voc': dict(classifiers=dict(vgg16=dict(config='configs/cam/cam_vgg16_voc12.py')),
                    seeds=[dict(name='seeds', classifier='vgg16')],
                    seg=dict(config='configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py')),
    },
    # FickleNet seeds, then DSRG (region growing + CRF boundary loss)
    'ficklenet': {
        'mini': dict(classifiers=dict(vgg16=dict(
                         config='configs/ficklenet/ficklenet_vgg16-slim_mini.py', pretrain=VGG_PRE)),
                     seeds=[dict(name='seeds', classifier='vgg16')],
                     seg=dict(config='configs/ficklenet/'
                              'dsrg_largefov_vgg16-slim_mini_ficklenet-seeds.py',
                              pretrain=VGG_PRE)),
        'voc': dict(classifiers=dict(vgg16=dict(config='configs/ficklenet_vgg16_voc.py')),
                    seeds=[dict(name='seeds', classifier='vgg16')],
                    seg=dict(config='configs/ficklenet/'
                             'dsrg_largefov_vgg16_voc12_ficklenet-seeds.py')),
    },
    'multiseed': {
        'mini': dict(classifiers=dict(
                         vgg16=dict(config='configs/cam/cam_vgg16-slim_mini.py', pretrain=VGG_PRE),
                         resnet18=dict(config='configs/multi_seed/cam_resnet18-slim_mini.py',
                                       pretrain=RESNET_PRE)),
                     seeds=_multiseed_sets('mini', ('vgg16', 'resnet18')),
                     seg=dict(config='configs/multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py',
                              pretrain=VGG_PRE, multi=True)),
        'voc': dict(classifiers=dict(
                        vgg16=dict(config='configs/cam/cam_vgg16_voc12.py'),
                        resnet101=dict(config='configs/multi_seed/cam_resnet101_voc12.py')),
                    seeds=_multiseed_sets('voc12', ('vgg16', 'resnet101')),
                    seg=dict(config='configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py',
                             multi=True)),
    },
    # one train.py run; pseudo-mask quality (Table 2) by a second test config
    'singlestage': {
        # crf: the options of the second val test (dense CRF post-processing)
        'mini': dict(single=dict(config='configs/single_stage/ngwp_vgg16-slim_mini.py',
                                 pseudo_config='configs/single_stage/'
                                 'ngwp_vgg16-slim_mini_pseudo-masks.py',
                                 pretrain=VGG_PRE,
                                 crf=MINI_CRF_OPTIONS)),
        'voc': dict(single=dict(config='configs/single_stage/ngwp_vgg16_voc12.py',
                                pseudo_config='configs/single_stage/'
                                'ngwp_vgg16_voc12_pseudo-masks.py',
                                crf=['model.test_cfg.crf=True'])),
    },
    # DCP: class patterns (statistics pass), seeds, LargeFOV, fill uncertain
    # pixels with its predictions, train again
    'dcp': {
        'mini': dict(classifiers=dict(vgg16=dict(config='configs/dcp/dcp_vgg16-slim_mini.py',
                                                 pretrain=VGG_PRE)),
                     seeds=_dcp_sets('configs/dcp/dcp_vgg16-slim_mini'),
                     seg=dict(config='configs/dcp/deeplab_largefov_vgg16-slim_mini_dcp-seeds.py',
                              pretrain=VGG_PRE),
                     predict=dict(config='configs/dcp/'
                                  'deeplab_largefov_vgg16-slim_mini_dcp-predict.py'),
                     retrain=dict(config='configs/dcp/'
                                  'deeplab_largefov_vgg16-slim_mini_dcp-retrain.py',
                                  pretrain=VGG_PRE)),
        'voc': dict(classifiers=dict(r101=dict(config='configs/dcp/dcp_r101_voc12.py')),
                    seeds=_dcp_sets('configs/dcp/dcp_r101_voc12', 'r101'),
                    seg=dict(config='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py'),
                    predict=dict(config='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-predict.py'),
                    retrain=dict(config='configs/dcp/deeplab_largefov_vgg16_voc12_dcp-retrain.py')),
    },
    'full': {
        'mini': dict(seg=dict(config='configs/full/deeplab_largefov_vgg16-slim_mini_gt.py',
                              pretrain=VGG_PRE)),
        'voc': dict(seg=dict(config='configs/full/deeplab_largefov_vgg16_voc12_gt.py')),
    },
}
SPLITS = {'mini': ('train', 'SegmentationClass'),
          'voc': ('train_aug', 'SegmentationClassAug')}
DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--method', required=True, choices=sorted(RECIPES))
    p.add_argument('--data-root', required=True, help='VOC-layout dataset root')
    p.add_argument('--work-dir', required=True)
    p.add_argument('--config-set', default='mini', choices=('mini', 'voc'),
                   help='which configs: the mini benchmark\'s or VOC\'s')
    p.add_argument('--classes', help='class names, one a line, background first '
                   '(default DATA_ROOT/classes.txt, else numbered from the masks)')
    p.add_argument('--train-split', help='list name in ImageSets/Segmentation')
    p.add_argument('--val-split', default='val')
    p.add_argument('--gt-dir', help='GT mask folder inside the data root')
    p.add_argument('--quick', action='store_true',
                   help='small data and schedules (under 10 minutes here)')
    p.add_argument('--build-mini', action='store_true',
                   help='build the mini dataset into --data-root if missing')
    p.add_argument('--num-train', type=int, help='mini scenes (train)')
    p.add_argument('--num-val', type=int, help='mini scenes (val)')
    p.add_argument('--cls-iters', type=int, help='stage-1 iterations')
    p.add_argument('--seg-iters', type=int, help='stage-3 iterations')
    p.add_argument('--pretrain-objects', type=int, help='mini pretraining images')
    p.add_argument('--pretrain-epochs', type=int, help='mini pretraining epochs')
    p.add_argument('--no-pretrain', action='store_true',
                   help='start the mini backbones from scratch')
    p.add_argument('--pretrain-dir', default=osp.join(REPO, 'data', 'pretrained'))
    p.add_argument('--launcher-nproc', type=int, default=1,
                   help='processes per stage (torchrun, gloo on CPU)')
    p.add_argument('--seg-cfg-options', nargs='*', default=[],
                   help='extra key=value overrides for the segmentation stages only')
    p.add_argument('--seed-sets', nargs='*', help='only the seed sets whose names match '
                   'these patterns (multi-seed ablations, e.g. "vgg16_*_s100")')
    p.add_argument('--classifier-checkpoint', nargs='*', default=[], metavar='NAME=CKPT',
                   help='use this stage-1 checkpoint for the classifier NAME of the '
                   'recipe instead of training it (e.g. vgg16=work_dirs/cam/stage1_vgg16/'
                   'iter_1000.pth: the CAM, DCP and multi-seed mini recipes share one)')
    p.add_argument('--stop-after', choices=('seeds', ), help='stop after the seed '
                   'stage (seed-quality ablations; no segmentation training)')
    p.add_argument('--cfg-options', nargs='*', default=[],
                   help='extra key=value overrides for every stage')
    p.add_argument('--cls-cfg-options', nargs='*', default=[],
                   help='extra key=value overrides for stages 1-2 only '
                   '(e.g. model.seed_generator.num_selections=50)')
    return p.parse_args(argv)


def run(cmd, log):
    print('[wsss_pipeline] $ ' + ' '.join(cmd), flush=True)
    t0 = time.time()
    with open(log, 'a') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
    subprocess.run(cmd, check=True, cwd=REPO)
    return time.time() - t0


def tool(args, name, *tool_args):
    if args.launcher_nproc > 1:
        return [sys.executable, '-m', 'torch.distributed.run',
                f'--nproc_per_node={args.launcher_nproc}',
                '--master_port=' + str(29500 + os.getpid() % 1000),
                osp.join(REPO, 'tools', name), *tool_args, '--launcher', 'pytorch']
    return [sys.executable, osp.join(REPO, 'tools', name), *tool_args]


def last_checkpoint(work_dir):
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        raise FileNotFoundError(f'no checkpoint written in {work_dir}')
    with open(marker) as f:
        return f.read().strip()


def schedule_options(iters):
    return [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'param_scheduler.0.end={iters}',
            f'default_hooks.checkpoint.interval={iters}']


def data_options(args, classes_file):
    """Point every dataloader of a config at --data-root and its classes."""
    split, gt_dir = SPLITS[args.config_set]
    split = args.train_split or split
    gt_dir = args.gt_dir or gt_dir
    opts = []
    for loader in DATALOADERS:
        d = f'{loader}.dataset'
        opts += [f'{d}.data_root={args.data_root}', f'{d}.classes_file={classes_file}']
    opts += [f'train_dataloader.dataset.ann_file=ImageSets/Segmentation/{split}.txt',
             f'val_dataloader.dataset.ann_file=ImageSets/Segmentation/{args.val_split}.txt',
             f'val_dataloader.dataset.data_prefix.seg_map_path={gt_dir}']
    return opts, split, gt_dir


def ensure_mini_data(args):
    n_train = args.num_train or (400 if args.quick else 1500)
    n_val = args.num_val or (100 if args.quick else 300)
    listed = osp.join(args.data_root, 'ImageSets', 'Segmentation', 'train.txt')
    if osp.isfile(listed):
        with open(listed) as f:
            have = len(f.read().split())
        if have == n_train:
            return
    run([sys.executable, osp.join(REPO, 'tools/dataset_converters/fashion_mnist_scenes.py'),
         '--out', args.data_root, '--num-train', str(n_train), '--num-val', str(n_val)],
        osp.join(args.work_dir, 'pipeline.log'))


def ensure_pretrained(args, pretrain_cfg):
    """Mini pretraining, cached by (config text, objects, epochs)."""
    cfg_path = osp.join(REPO, pretrain_cfg)
    name = osp.splitext(osp.basename(cfg_path))[0]
    objects = args.pretrain_objects or (4000 if args.quick else 20000)
    epochs = args.pretrain_epochs or (1 if args.quick else 3)
    with open(cfg_path, 'rb') as f:
        key = hashlib.sha1(f.read() + f'{objects}/{epochs}'.encode()).hexdigest()[:12]
    out = osp.join(args.pretrain_dir, name + '.pth')
    cached = osp.join(args.pretrain_dir, f'{name}-{key}.pth')
    if not osp.isfile(cached):
        obj_root = osp.join(osp.dirname(args.pretrain_dir), f'fmnist_objects_{objects}')
        log = osp.join(args.work_dir, 'pipeline.log')
        run([sys.executable, osp.join(REPO, 'tools/dataset_converters/fashion_mnist_scenes.py'),
             '--out', obj_root, '--only-objects', '--objects', str(objects)], log)
        work = osp.join(args.work_dir, 'pretrain_' + name)
        run(tool(args, 'train.py', cfg_path, '--work-dir', work, '--cfg-options',
                 f'train_cfg.max_epochs={epochs}', f'train_cfg.val_interval={epochs}',
                 f'param_scheduler.0.T_max={epochs}', f'param_scheduler.0.end={epochs}',
                 f'default_hooks.checkpoint.interval={epochs}',
                 'train_dataloader.dataset.data_root=' + obj_root,
                 'val_dataloader.dataset.data_root=' + obj_root),
            log)
        from tools.extract_backbone import extract_backbone
        extract_backbone(last_checkpoint(work), cached, meta=dict(key=key))
    # the configs read the stable name; copy atomically
    tmp = out + f'.tmp{os.getpid()}'
    with open(cached, 'rb') as src, open(tmp, 'wb') as dst:
        dst.write(src.read())
    os.replace(tmp, out)
    return out


class Pipeline:
    """Runs the stages of one recipe; each stage is one tools/*.py run."""

    def __init__(self, args, recipe, num_classes, classes_file, result):
        self.args, self.recipe, self.result = args, recipe, result
        self.num_classes = num_classes
        self.log = osp.join(args.work_dir, 'pipeline.log')
        self.data_opts, self.split, self.gt_dir = data_options(args, classes_file)
        self.cls_iters = args.cls_iters or (150 if args.quick else None)
        self.seg_iters = args.seg_iters or (150 if args.quick else None)
        self._pretrained = {}

    def weights(self, pretrain_cfg):
        """cfg-options that set the backbone's starting weights."""
        if not pretrain_cfg:
            return []
        if self.args.no_pretrain:
            self.result['pretrained'] = None
            return ['model.backbone.init_cfg=None']
        if pretrain_cfg not in self._pretrained:
            self._pretrained[pretrain_cfg] = ensure_pretrained(self.args, pretrain_cfg)
        self.result.setdefault('pretrained', self._pretrained[pretrain_cfg])
        return ['model.backbone.init_cfg.checkpoint=' + self._pretrained[pretrain_cfg]]

    def split_opts(self, loader, split, labels):
        return [f'{loader}.dataset.ann_file=ImageSets/Segmentation/{split}.txt',
                f'{loader}.dataset.data_prefix.seg_map_path={labels}']

    def timed(self, key, cmd):
        self.result[key] = round(self.result.get(key, 0) + run(cmd, self.log), 1)

    # stage 1 ---------------------------------------------------------------
    def cls_opts(self, stage):
        args = self.args
        opts = self.data_opts + list(args.cfg_options) + list(args.cls_cfg_options)
        opts += self.weights(stage.get('pretrain'))
        opts += [f'model.cls_head.num_classes={self.num_classes - 1}',
                 'train_dataloader.dataset.data_prefix.label_path=' + self.gt_dir]
        opts += self.split_opts('test_dataloader', self.split, self.gt_dir)
        return opts

    def train_classifier(self, name, stage):
        work = osp.join(self.args.work_dir, 'stage1_' + name)
        opts = self.cls_opts(stage)
        opts += schedule_options(self.cls_iters) if self.cls_iters else []
        self.timed('time_stage1_s', tool(self.args, 'train.py', osp.join(REPO, stage['config']),
                                         '--work-dir', work, '--cfg-options', *opts))
        return last_checkpoint(work)

    # stage 2 ---------------------------------------------------------------
    def seeds(self, seed_set, checkpoints):
        """One seed set -> its directory; seed metrics recorded per set."""
        stage = (self.recipe['classifiers'][seed_set['classifier']]
                 if 'classifier' in seed_set else seed_set)
        ckpt = checkpoints.get(seed_set.get('classifier'))
        if ckpt is None:  # DCP: generic pretrained features, no stage-1 classifier
            self.weights(stage.get('pretrain'))
            ckpt = self._pretrained.get(stage.get('pretrain'))
            if ckpt is None:
                raise ValueError(f'seed set {seed_set["name"]!r} reads pretrained '
                                 'features: it needs the pretrained backbone '
                                 '(drop --no-pretrain)')
        name = seed_set['name']
        out = osp.join(self.args.work_dir, name)
        metrics_file = osp.join(self.args.work_dir, f'{name}_metrics.json')
        opts = self.cls_opts(stage) + [o.format(work_dir=self.args.work_dir)
                                       for o in seed_set.get('options', [])]
        opts.append(f'model.test_cfg.reuse_seed_dir={out}')
        config = seed_set.get('config', stage['config'])  # a seed config of its own
        self.timed('time_seeds_s', tool(
            self.args, 'test.py', osp.join(REPO, config), ckpt, '--work-dir',
            osp.join(self.args.work_dir, 'stage2_' + name), '--out', out,
            '--metrics-out', metrics_file, '--cfg-options', *opts))
        metrics = {}
        if osp.isfile(metrics_file):
            with open(metrics_file) as f:
                metrics = json.load(f)
        return out, metrics

    # stages 3-4 ------------------------------------------------------------
    def seg_opts(self, stage, labels):
        args = self.args
        opts = self.data_opts + list(args.cfg_options) + list(args.seg_cfg_options)
        opts += self.weights(stage.get('pretrain'))
        opts.append(f'model.decode_head.num_classes={self.num_classes}')
        if isinstance(labels, (list, tuple)):  # K seed sets (multi-seed)
            opts.append('train_dataloader.dataset.seed_dirs=[' +
                        ','.join(f"'{d}'" for d in labels) + ']')
            labels = labels[0]
        opts += ['train_dataloader.dataset.data_prefix.seg_map_path=' + labels,
                 'train_dataloader.dataset.data_prefix.label_path=' + self.gt_dir]
        opts += self.split_opts('test_dataloader', args.val_split, self.gt_dir)
        opts += schedule_options(self.seg_iters) if self.seg_iters else []
        return opts

    def segment(self, stage, labels, tag='stage3'):
        """Train on ``labels`` (a dir, or a list of dirs), test on val."""
        cfg = osp.join(REPO, stage['config'])
        work = osp.join(self.args.work_dir, tag + '_segmentation')
        opts = self.seg_opts(stage, labels)
        self.timed(f'time_{tag}_s', tool(self.args, 'train.py', cfg, '--work-dir', work,
                                         '--cfg-options', *opts))
        ckpt = last_checkpoint(work)
        metrics_file = osp.join(self.args.work_dir, f'{tag}_val_metrics.json')
        run(tool(self.args, 'test.py', cfg, ckpt, '--work-dir',
                 osp.join(self.args.work_dir, tag + '_test'), '--metrics-out', metrics_file,
                 '--cfg-options', *opts), self.log)
        with open(metrics_file) as f:
            return ckpt, opts, json.load(f)

    def predict_train(self, stage, ckpt, opts, out):
        """The segmentation model's predictions on the train split (PNGs)."""
        cfg = osp.join(REPO, stage['config'])
        opts = opts + self.split_opts('test_dataloader', self.split, self.gt_dir)
        run(tool(self.args, 'test.py', cfg, ckpt, '--work-dir', out + '_run', '--out', out,
                 '--cfg-options', *opts), self.log)
        return out


def main(argv=None):
    args = parse_args(argv)
    args.data_root = osp.abspath(args.data_root)
    args.work_dir = osp.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    recipe = RECIPES[args.method][args.config_set]
    result = dict(method=args.method, config_set=args.config_set,
                  data_root=args.data_root, quick=args.quick)
    t_start = time.time()

    if args.build_mini:
        ensure_mini_data(args)
    from wsss_mm.utils.io import resolve_class_names
    names = resolve_class_names(args.data_root, args.classes,
                                args.gt_dir or SPLITS[args.config_set][1])
    classes_file = osp.join(args.work_dir, 'classes.txt')
    with open(classes_file, 'w') as f:
        f.write('\n'.join(names) + '\n')
    result['num_classes'] = len(names)
    pipe = Pipeline(args, recipe, len(names), classes_file, result)

    if 'single' in recipe:
        if args.classifier_checkpoint:
            raise ValueError(f'--classifier-checkpoint: method {args.method!r} trains one '
                             'network, it has no stage-1 classifier')
        return run_single(pipe, recipe['single'], result, t_start)

    # stages 1-2
    checkpoints = {}
    seed_sets = [s for s in recipe.get('seeds', [])
                 if not args.seed_sets or any(fnmatch.fnmatch(s['name'], pat)
                                              for pat in args.seed_sets)]
    if recipe.get('seeds') and not seed_sets:
        raise ValueError(f'--seed-sets {args.seed_sets} matches none of '
                         f'{[s["name"] for s in recipe["seeds"]]}')
    given = given_checkpoints(args.classifier_checkpoint, recipe.get('classifiers', {}))
    if given:
        result['classifier_checkpoints'] = given
    for name in sorted({s['classifier'] for s in seed_sets if 'classifier' in s}):
        checkpoints[name] = given.get(name) or pipe.train_classifier(
            name, recipe['classifiers'][name])
    seed_dirs, per_set = [], {}
    for seed_set in seed_sets:
        out, metrics = pipe.seeds(seed_set, checkpoints)
        if seed_set.get('evaluate', True):
            seed_dirs.append(out)
            per_set[seed_set['name']] = metrics.get('seed/mIoU')
            last_metrics = metrics
    if len(seed_dirs) == 1:
        m = last_metrics
        result['seed_miou'] = m.get('seed/mIoU')
        result['seed_precision'] = m.get('seed/mPrecision')
        result['seed_recall'] = m.get('seed/mRecall')
        result['seed_coverage'] = m.get('seed/coverage')
    elif seed_dirs:  # several sets: their mean, and each one
        result['seed_miou'] = round(sum(per_set.values()) / len(per_set), 2)
        result['seed_miou_per_set'] = per_set
    else:
        result['seed_miou'] = None
    if args.stop_after == 'seeds':
        return finish(args, result, t_start)

    # stages 3-4
    seg = recipe['seg']
    if seed_dirs:
        labels = seed_dirs if seg.get('multi') else seed_dirs[-1]
    else:
        labels = osp.join(args.data_root, pipe.gt_dir)
    ckpt, opts, metrics = pipe.segment(seg, labels)
    result['val_miou'] = metrics.get('mIoU')
    if 'retrain' in recipe:  # DCP: fill uncertain pixels, train again
        preds = pipe.predict_train(recipe.get('predict', seg), ckpt, opts,
                                   osp.join(args.work_dir, 'stage3_train_pred'))
        filled = osp.join(args.work_dir, 'seeds_filled')
        run([sys.executable, osp.join(REPO, 'tools/fill_uncertain.py'), seed_dirs[-1],
             preds, filled], pipe.log)
        _, _, metrics = pipe.segment(recipe['retrain'], filled, tag='stage5')
        result['val_miou_before_retrain'] = result['val_miou']
        result['val_miou'] = metrics.get('mIoU')
    return finish(args, result, t_start)


def given_checkpoints(pairs, classifiers):
    """``--classifier-checkpoint NAME=CKPT ...`` -> {name: absolute path},
    checked against the recipe's classifiers and the file system."""
    out = {}
    for pair in pairs:
        name, sep, path = pair.partition('=')
        if not sep or not name or not path:
            raise ValueError(f'--classifier-checkpoint: expected NAME=CKPT, got {pair!r}')
        if name not in classifiers:
            raise ValueError(f'--classifier-checkpoint: this recipe has no classifier '
                             f'{name!r} (it has {sorted(classifiers) or "none"})')
        if not osp.isfile(path):
            raise FileNotFoundError(f'--classifier-checkpoint {name}: no checkpoint file {path}')
        out[name] = osp.abspath(path)
    return out


def run_single(pipe, stage, result, t_start):
    """One-run methods: train.py, test.py on val, and the pseudo-mask quality
    on train with the GT image labels (Table 2 of Araslanov & Roth)."""
    args = pipe.args
    cfg = osp.join(REPO, stage['config'])
    opts = pipe.data_opts + list(args.cfg_options) + list(args.seg_cfg_options)
    opts += pipe.weights(stage.get('pretrain'))
    opts += [f'model.decode_head.num_classes={pipe.num_classes}',  # background included
             'train_dataloader.dataset.data_prefix.label_path=' + pipe.gt_dir]
    if pipe.seg_iters:  # constant LR; the warm-up stays a quarter of the run
        it = pipe.seg_iters
        opts += [f'train_cfg.max_iters={it}', f'train_cfg.val_interval={it}',
                 f'default_hooks.checkpoint.interval={it}',
                 f'custom_hooks.0.warmup_iters={max(1, it // 4)}']
    work = osp.join(args.work_dir, 'stage1_train')
    pipe.timed('time_train_s', tool(args, 'train.py', cfg, '--work-dir', work,
                                    '--cfg-options', *opts))
    ckpt = last_checkpoint(work)
    val_file = osp.join(args.work_dir, 'val_metrics.json')
    run(tool(args, 'test.py', cfg, ckpt, '--work-dir', osp.join(args.work_dir, 'stage2_val'),
             '--metrics-out', val_file, '--cfg-options', *opts,
             *pipe.split_opts('test_dataloader', args.val_split, pipe.gt_dir)), pipe.log)
    with open(val_file) as f:
        result['val_miou'] = json.load(f).get('mIoU')
    if stage.get('crf'):  # the same model with dense-CRF post-processing
        crf_file = osp.join(args.work_dir, 'val_crf_metrics.json')
        run(tool(args, 'test.py', cfg, ckpt, '--work-dir',
                 osp.join(args.work_dir, 'stage2_val_crf'), '--metrics-out', crf_file,
                 '--cfg-options', *opts, *stage['crf'],
                 *pipe.split_opts('test_dataloader', args.val_split, pipe.gt_dir)), pipe.log)
        with open(crf_file) as f:
            result['val_miou_crf'] = json.load(f).get('mIoU')
    seed_file = osp.join(args.work_dir, 'seeds_metrics.json')
    pipe.timed('time_seeds_s', tool(
        args, 'test.py', osp.join(REPO, stage['pseudo_config']), ckpt, '--work-dir',
        osp.join(args.work_dir, 'stage3_pseudo'), '--out', osp.join(args.work_dir, 'seeds'),
        '--metrics-out', seed_file, '--cfg-options', *opts,
        *pipe.split_opts('test_dataloader', pipe.split, pipe.gt_dir)))
    with open(seed_file) as f:
        result['seed_miou'] = json.load(f).get('seed/mIoU')
    return finish(args, result, t_start)


def finish(args, result, t_start):
    result['time_total_s'] = round(time.time() - t_start, 1)
    with open(osp.join(args.work_dir, 'result.json'), 'w') as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
