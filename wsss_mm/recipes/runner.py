"""The machinery of the pipeline runner (``tools/wsss_pipeline.py``, whose
help tells what a run does): the data options every stage gets, the walk
over a recipe's stages with their provenance keys, and the summary.

The benchmark harness (``benchmarks/``) builds its own commands from the
same pieces: :data:`SPLITS`, :func:`prepare_data`, :func:`tool_cmd`,
:class:`StageRunner`, :func:`head_of`, :func:`summarise`.

The stages run the repository's tools (``tools/train.py``, ...) with its
configs, from :data:`REPO`: the checkout the package is installed from
(``pip install -e .``), else the copy of tools and configs a wheel carries
(``wsss_mm/.mim``).
"""
import argparse
import fcntl
import fnmatch
import hashlib
import json
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
import time

from mmengine.config import Config, DictAction

from wsss_mm.datasets.scenes import (FASHION_MNIST_CLASSES, PART_BODY_RECIPES,
                                     PartBodySceneConfig, read_manifest,
                                     scene_record)
from wsss_mm.recipes import GT, MINI_SETS, PRETRAIN, RECIPES
from wsss_mm.utils.io import (atomic_path, atomic_write_json,
                              atomic_write_text, load_json,
                              resolve_class_names)


def _repo_root():
    """The folder with ``tools/`` and ``configs/``: the checkout of an
    editable install, else the wheel's ``wsss_mm/.mim``."""
    package = osp.dirname(osp.dirname(osp.abspath(__file__)))
    checkout = osp.dirname(package)
    if osp.isfile(osp.join(checkout, 'tools', 'train.py')):
        return checkout
    mim = osp.join(package, '.mim')
    return mim if osp.isdir(mim) else checkout


#: where the stages run: the tools and configs they name are relative to it
REPO = _repo_root()

#: config set -> (train list, GT folder) of its data layout
SPLITS = {
    'mini': ('train', 'SegmentationClass'),
    'partbody': ('train', 'SegmentationClass'),
    'voc': ('train_aug', 'SegmentationClassAug')
}
#: mini config set -> the scenes its data set is built from
MINI_SCENES = {'mini': 'glyph', 'partbody': 'part-body'}
DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: stage tool -> its script
SCRIPTS = {
    'train': 'tools/train.py',
    'test': 'tools/test.py',
    'dcp_statistics': 'tools/dcp_statistics.py',
    'fill_uncertain': 'tools/fill_uncertain.py'
}
#: the tools of the mini data set and of the mini pretraining
SCENES_TOOL = 'tools/dataset_converters/fashion_mnist_scenes.py'
EXTRACT_TOOL = 'tools/extract_backbone.py'
QUICK_ITERS = 150
#: config keys that tools/train.py does not read (its checkpoint does not
#: depend on them): left out of a training stage's provenance, so e.g. a
#: seed-generator option reruns the seeds, not the classifier
TEST_ONLY_KEYS = ('test_dataloader', 'test_evaluator', 'test_cfg', 'tta_model',
                  'tta_pipeline')
TEST_ONLY_MODEL_KEYS = ('seed_generator', 'test_cfg')
#: the keys of mmengine's Runner.from_cfg (and the modules it imports) that
#: a training reads, i.e. without :data:`TEST_ONLY_KEYS`: a training depends
#: on these alone, not on a config's helper variables (``crop_size``,
#: ``seed_pipeline``, ...), whose effect is in them already
TRAINING_KEYS = ('model', 'train_dataloader', 'val_dataloader', 'train_cfg',
                 'val_cfg', 'auto_scale_lr', 'optim_wrapper',
                 'param_scheduler', 'val_evaluator', 'default_hooks',
                 'custom_hooks', 'data_preprocessor', 'load_from', 'resume',
                 'launcher', 'env_cfg', 'log_processor', 'log_level',
                 'visualizer', 'default_scope', 'randomness', 'custom_imports')


def training_view(cfg):
    """What of a resolved config a training reads: its
    :data:`TRAINING_KEYS`, the model without what only testing reads
    (:data:`TEST_ONLY_MODEL_KEYS`)."""
    view = Config({k: cfg[k] for k in TRAINING_KEYS if k in cfg})
    if 'model' in view:
        for key in TEST_ONLY_MODEL_KEYS:
            view.model.pop(key, None)
    return view


# ------------------------------------------------------------------ processes
class StageRunner:
    """Runs one command at a time (in :data:`REPO`), echoed as ``[name] $
    ...`` and appended to ``log``; SIGTERM/SIGINT go to the running child
    (its own process group), which is waited for before this script ends."""

    def __init__(self, log, name='wsss_pipeline'):
        self.log, self.name, self.child, self.stopping = log, name, None, None
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._forward)

    def _forward(self, signum, frame):
        # never wait here: the main thread may hold the child's wait lock
        self.stopping = signum
        if self.child is None:
            raise SystemExit(128 + signum)
        try:
            os.killpg(self.child.pid, signum)
        except ProcessLookupError:
            pass

    def __call__(self, cmd):
        print(f'[{self.name}] $ ' + ' '.join(cmd), flush=True)
        with open(self.log, 'a') as f:
            f.write('$ ' + ' '.join(cmd) + '\n')
        t0 = time.time()
        self.child = subprocess.Popen(cmd, cwd=REPO, start_new_session=True)
        rc = self.child.wait()
        self.child = None
        if self.stopping:  # the stage got our signal and has ended: so do we
            raise SystemExit(128 + self.stopping)
        if rc:
            raise subprocess.CalledProcessError(rc, cmd)
        return round(time.time() - t0, 1)


def lock_work_dir(work_dir):
    """An exclusive lock on WORK_DIR/.lock for the life of this process."""
    f = open(osp.join(work_dir, '.lock'), 'w')
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise RuntimeError(
            f'another tools/wsss_pipeline.py runs in {work_dir} '
            '(its .lock is held); wait for it or stop it first')
    return f


def tool_cmd(args, script, *tool_args):
    if args.launcher_nproc > 1 and script in (SCRIPTS['train'],
                                              SCRIPTS['test']):
        return [
            sys.executable, '-m', 'torch.distributed.run',
            f'--nproc_per_node={args.launcher_nproc}',
            '--master_port=' + str(29500 + os.getpid() % 1000),
            osp.join(REPO, script), *tool_args, '--launcher', 'pytorch'
        ]
    return [sys.executable, osp.join(REPO, script), *tool_args]


def last_checkpoint(work_dir):
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        raise FileNotFoundError(f'no checkpoint written in {work_dir}')
    with open(marker) as f:
        return f.read().strip()


# ------------------------------------------------------------------ options
def schedule_options(iters):
    return [
        f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
        f'default_hooks.checkpoint.interval={iters}'
    ]


def data_options(args, classes_file):
    """Point every dataloader of a config at --data-root and its classes.
    Returns (options, train split, GT folder)."""
    split, gt_dir = SPLITS[args.config_set]
    split = args.train_split or split
    gt_dir = args.gt_dir or gt_dir
    opts = []
    for loader in DATALOADERS:
        d = f'{loader}.dataset'
        opts += [
            f'{d}.data_root={args.data_root}',
            f'{d}.classes_file={classes_file}'
        ]
    if getattr(args, 'label_file', None):
        # image-level labels of the train split from a file: no train masks
        # needed (the seed metrics are skipped without them)
        opts.append('train_dataloader.dataset.label_file=' +
                    osp.abspath(args.label_file))
    opts += [
        'train_dataloader.dataset.ann_file=ImageSets/Segmentation/'
        f'{split}.txt',
        'train_dataloader.dataset.data_prefix.label_path=' + gt_dir,
        'val_dataloader.dataset.ann_file=ImageSets/Segmentation/'
        f'{args.val_split}.txt',
        f'val_dataloader.dataset.data_prefix.seg_map_path={gt_dir}'
    ]
    return opts, split, gt_dir


def class_names(args):
    """Class names of ``args.data_root`` (``--classes``, its classes.txt, else
    numbered from the masks), background first."""
    if (getattr(args, 'plan', False) and getattr(args, 'build_mini', False)
            and args.classes is None
            and not osp.isfile(osp.join(args.data_root, 'classes.txt'))):
        # --plan --build-mini before the scenes exist: the classes the
        # scene builder will write
        return ['background', *FASHION_MNIST_CLASSES]
    return resolve_class_names(args.data_root, args.classes, args.gt_dir
                               or SPLITS[args.config_set][1])


def prepare_data(args, write=True, names=None):
    """Class names (``names``, else :func:`class_names`) ->
    WORK_DIR/classes.txt (unless not ``write``); returns (number of classes,
    data options, train split, GT folder)."""
    names = names or class_names(args)
    classes_file = osp.join(args.work_dir, 'classes.txt')
    if write:
        atomic_write_text(classes_file, '\n'.join(names) + '\n')
    return (len(names), *data_options(args, classes_file))


def split_list(data_root, split):
    """The image list of ``split`` in a VOC-layout ``data_root``."""
    return osp.join(data_root, 'ImageSets', 'Segmentation', split + '.txt')


def check_split_lists(data_root, splits):
    """Each split list ``{split: option}`` exists in ``data_root``."""
    for split, option in splits.items():
        path = split_list(data_root, split)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'no list of the {split!r} split: {path} ({option})')


def test_split_options(split, labels):
    return [
        f'test_dataloader.dataset.ann_file=ImageSets/Segmentation/{split}.txt',
        f'test_dataloader.dataset.data_prefix.seg_map_path={labels}'
    ]


def label_options(dirs):
    """Training labels of a segmentor: one folder, or K seed folders."""
    if isinstance(dirs, (list, tuple)):
        return [
            'train_dataloader.dataset.seed_dirs=[' +
            ','.join(f"'{d}'" for d in dirs) + ']',
            'train_dataloader.dataset.data_prefix.seg_map_path=' + dirs[0]
        ]
    return ['train_dataloader.dataset.data_prefix.seg_map_path=' + dirs]


def head_of(config):
    """'cls' for a classifier (model.cls_head), 'decode' for a segmentor."""
    model = Config.fromfile(config).model
    return 'cls' if 'cls_head' in model else 'decode'


# ------------------------------------------------------------------ data,
# pretraining
def ensure_mini_data(args, run):
    """Build the mini data set of the config set (``--build-mini``) unless
    its train list already has the asked size."""
    n_train = args.num_train or (400 if args.quick else 1500)
    n_val = args.num_val or (100 if args.quick else 300)
    recipe = getattr(args, 'scene_recipe', None)
    if recipe and MINI_SCENES[args.config_set] != 'part-body':
        raise ValueError(
            f'--scene-recipe {recipe}: a part-body recipe, but the '
            f'{args.config_set!r} config set has '
            f'{MINI_SCENES[args.config_set]} scenes')
    check_scene_recipe(args.data_root, recipe)
    listed = split_list(args.data_root, 'train')
    if osp.isfile(listed):
        with open(listed) as f:
            if len(f.read().split()) == n_train:
                return
    if getattr(args, 'plan', False):
        print(
            f'[plan] data: would build {n_train} / {n_val} scenes in '
            f'{args.data_root}',
            flush=True)
        return
    run([
        sys.executable,
        osp.join(REPO, SCENES_TOOL), '--scenes', MINI_SCENES[args.config_set],
        '--out', args.data_root, '--num-train',
        str(n_train), '--num-val',
        str(n_val)
    ] + (['--recipe', recipe] if recipe else []))


def check_scene_recipe(data_root, recipe):
    """A data root built before must hold the scenes of ``recipe`` (a name of
    ``PART_BODY_RECIPES``; None: nothing to check)."""
    manifest = read_manifest(data_root)
    if recipe is None or manifest is None:
        return
    want = scene_record(PartBodySceneConfig(**PART_BODY_RECIPES[recipe]))
    if manifest.get('kind') != 'part-body' or manifest.get('config') != want:
        raise ValueError(
            f'--scene-recipe {recipe}: {data_root}/scenes.json records other '
            f'scenes ({manifest.get("kind")}: {manifest.get("config")}); use '
            f'another --data-root or rebuild it')


def ensure_pretrained(args, name, run):
    """Mini pretraining of backbone ``name``, cached by (config text, objects,
    epochs); returns the weights-only backbone file."""
    cfg_path = osp.join(REPO, PRETRAIN[name])
    stem = osp.splitext(osp.basename(cfg_path))[0]
    objects = args.pretrain_objects or (4000 if args.quick else 20000)
    epochs = args.pretrain_epochs or (1 if args.quick else 3)
    with open(cfg_path, 'rb') as f:
        key = hashlib.sha1(f.read() +
                           f'{objects}/{epochs}'.encode()).hexdigest()[:12]
    out = osp.join(args.pretrain_dir, stem + '.pth')
    cached = osp.join(args.pretrain_dir, f'{stem}-{key}.pth')
    if getattr(args, 'plan', False):
        print(
            f'[plan] pretrained {name}: ' +
            ('cached'
             if osp.isfile(cached) else f'would pretrain into {cached}'),
            flush=True)
        return out
    if not osp.isfile(cached):
        obj_root = osp.join(
            osp.dirname(args.pretrain_dir), f'fmnist_objects_{objects}')
        run([
            sys.executable,
            osp.join(REPO, SCENES_TOOL), '--out', obj_root, '--only-objects',
            '--objects',
            str(objects)
        ])
        work = osp.join(args.work_dir, 'pretrain_' + stem)
        run(
            tool_cmd(args, SCRIPTS['train'], cfg_path, '--work-dir', work,
                     '--cfg-options', f'train_cfg.max_epochs={epochs}',
                     f'train_cfg.val_interval={epochs}',
                     f'default_hooks.checkpoint.interval={epochs}',
                     'train_dataloader.dataset.data_root=' + obj_root,
                     'val_dataloader.dataset.data_root=' + obj_root))
        run([
            sys.executable,
            osp.join(REPO, EXTRACT_TOOL),
            last_checkpoint(work), cached, '--meta', f'key={key}'
        ])
    with atomic_path(out) as tmp:  # the configs read the stable name
        shutil.copyfile(cached, tmp)
    return out


# ------------------------------------------------------------------ the walk
def select_stages(args):
    """The recipe's stages for this run, in order: those with a config for
    the config set, narrowed by --seed-sets, and only what the measured
    stages (or, with --stop-after seeds, the seed stages) need."""
    stages = [
        s.on(args.config_set) for s in RECIPES[args.method]
        if s.runs_on(args.config_set)
    ]
    seed_stages = [
        s for s in stages if s.metrics == 'seed' and s.split == 'train'
    ]
    seed_sets = [n for s in seed_stages for n in s.outputs]
    if args.seed_sets:
        keep = [
            n for n in seed_sets if any(
                fnmatch.fnmatch(n, p) for p in args.seed_sets)
        ]
        if not keep:
            raise ValueError(
                f'--seed-sets {args.seed_sets} matches none of {seed_sets}')
        # a stage that writes several sets runs when any of them is kept
        # (they share its forward passes)
        stages = [
            s for s in stages
            if s not in seed_stages or set(s.outputs) & set(keep)
        ]
    by_name = {n: s for s in stages for n in (s.name, *s.outputs)}
    names = set(by_name)
    targets = [
        s.name for s in stages
        if s.metrics and (args.stop_after != 'seeds' or s.metrics == 'seed')
    ]
    needed, todo = set(), list(targets)
    while todo:
        n = by_name[todo.pop()].name
        if n not in needed:
            needed.add(n)
            todo += [r for r in live_needs(by_name[n], names)]
    return [s for s in stages if s.name in needed], names


def live_needs(stage, names):
    """``stage.needs()`` without the seed sets left out of this run (a
    segmentor trained on K seed sets keeps the ones that run)."""
    needs = [r for r in stage.needs() if r in names]
    missing = [r for r in stage.needs() if r not in names]
    if missing and not (isinstance(stage.labels, tuple)
                        and set(missing) <= set(stage.labels)):
        raise ValueError(
            f'stage {stage.name!r} needs {missing}, which this run leaves out')
    return needs


class Walker:
    """Runs the selected stages of one recipe and records them."""

    def __init__(self, args, names, result, run):
        self.args, self.names, self.result, self.run = args, names, result, run
        self.class_names = class_names(args)
        data = prepare_data(args, write=not args.plan, names=self.class_names)
        self.num_classes, self.data_opts, self.split, self.gt_dir = data
        # the data exist, unless --plan --build-mini has yet to build them
        self.data_ready = not (args.plan and args.build_mini) or osp.isfile(
            split_list(args.data_root, self.split))
        if self.data_ready:
            check_split_lists(args.data_root, {
                self.split: '--train-split',
                args.val_split: '--val-split'
            })
        # own data may have no val masks: no validation while training, and
        # the val stages write predictions and pictures instead of mIoU
        self.val_masks = split_has_masks(args.data_root, self.gt_dir,
                                         args.val_split)
        if not self.val_masks:
            self.data_opts = self.data_opts + [
                'val_dataloader.dataset.optional_masks=True'
            ]
        self.records = result['stages']
        self.reused = dict(pair_args(args.reuse))
        # --plan --recorded: the stages of a run recorded elsewhere
        recorded = getattr(args, 'recorded', None)
        self.recorded = ((load_json(recorded) or {}).get('stages') or {}
                         if recorded else {})

    # ---- outputs
    def plan(self, stage, work, old, key):
        """--plan: say why ``stage`` would run; record a placeholder whose key
        makes every stage that reads it run too."""
        upstream = [
            r for r in live_needs(stage, self.names)
            if self.records.get(r, {}).get('planned')
        ]
        why = (f'{", ".join(upstream)} would run first'
               if upstream else 'no finished run in ' +
               work if not old else 'its outputs are missing' if old.get(
                   'key') == key else 'its command or resolved config changed')
        print(f'[plan] {stage.name}: would run ({why})', flush=True)
        self.records[stage.name] = dict(
            tool=stage.tool,
            planned=True,
            seconds=0.0,
            key='planned:' + stage.name,
            output=osp.join(work, '(output of this run)'))
        for name in stage.sets:
            self.records[name] = dict(
                self.records[stage.name],
                key=f'planned:{stage.name}/{name}',
                output=osp.join(work, 'labels', name))

    def from_record(self, stage, key):
        """--plan --recorded: take ``stage`` from the recorded run when it
        ran there with this provenance key. A stage the recorded run reused
        (``--reuse``) is taken as it was: the keys of the stages after it
        include its record, so they check the rest."""
        rec = self.recorded.get(stage.name)
        if not rec or not (rec.get('key') == key or rec.get('reused')):
            return False
        print(
            f'[plan] {stage.name}: recorded with the same provenance, kept',
            flush=True)
        self.records[stage.name] = dict(rec, kept=True)
        self.records.update(rec.get('sets') or {})
        return True

    def pretrained(self, name):
        """The mini-pretrained backbone ``name`` (trained or copied once a
        run)."""
        if name not in self.result['pretrained']:
            self.result['pretrained'][name] = ensure_pretrained(
                self.args, name, self.run)
        return self.result['pretrained'][name]

    def output(self, ref):
        if ref.startswith('pretrained:'):
            return self.pretrained(ref.split(':', 1)[1])
        return self.records[ref]['output']

    def pretrain_options(self, stage):
        if self.args.config_set not in MINI_SETS or not stage.pretrain:
            return []
        if self.args.no_pretrain:
            return ['model.backbone.init_cfg=None']
        return [
            'model.backbone.init_cfg.checkpoint=' +
            self.pretrained(stage.pretrain)
        ]

    # ---- one stage
    def command(self, stage, work):
        """(command, output path) of one stage."""
        args, script = self.args, SCRIPTS[stage.tool]
        if stage.tool == 'fill_uncertain':
            out = osp.join(work, 'labels')
            return ([
                sys.executable,
                osp.join(REPO, script),
                *(self.output(s) for s in stage.sources), out
            ], out)
        config = osp.join(REPO, stage.config_for(args.config_set))
        head = head_of(config)
        opts = self.data_opts + list(args.cfg_options)
        opts += list(args.cls_cfg_options if head ==
                     'cls' else args.seg_cfg_options)
        opts.append(
            f'model.{head}_head.num_classes='
            f'{self.num_classes - 1 if head == "cls" else self.num_classes}')
        opts += [
            f'{key}={self.output(ref)}' for key, ref in stage.inputs.items()
        ]
        if stage.tool == 'train':
            opts += self.pretrain_options(stage)
            if stage.labels is not None:
                labels = (
                    osp.join(args.data_root, self.gt_dir)
                    if stage.labels == GT else
                    [self.output(s)
                     for s in stage.labels if s in self.names] if isinstance(
                         stage.labels, tuple) else self.output(stage.labels))
                opts += label_options(labels)
            iters = args.cls_iters if head == 'cls' else args.seg_iters
            iters = iters or (QUICK_ITERS if args.quick else None)
            opts += schedule_options(iters) if iters else []
            if not self.val_masks:
                opts.append('train_cfg.val_begin=1000000000')
            return (tool_cmd(args, script, config, '--work-dir', work,
                             '--cfg-options', *opts), None)
        ckpt = self.output(stage.checkpoint)
        opts += test_split_options(
            self.args.val_split if stage.split == 'val' else self.split,
            self.gt_dir)
        if stage.split == 'train' and args.label_file:
            opts.append('test_dataloader.dataset.label_file=' +
                        args.label_file)
        extra = []
        if stage.split == 'val' and stage.tool == 'test' and \
                not self.val_masks:
            # own data without val masks: predictions and pictures, no mIoU
            opts += [
                'test_dataloader.dataset.optional_masks=True',
                'test_evaluator.format_only=True',
                'test_evaluator.output_dir=' + osp.join(work, 'pred')
            ]
            extra = ['--show-dir', osp.join(work, 'pictures')]
            print(
                f'[wsss_pipeline] {stage.name}: no masks of the '
                f'{args.val_split} split in {self.gt_dir}: predictions '
                f'({work}/pred) and pictures ({work}/pictures) instead of '
                'mIoU',
                flush=True)
        if stage.tool == 'dcp_statistics':
            out = osp.join(work, 'patterns.pth')
            # its summary (pattern overlap, explained variance) beside it
            return (tool_cmd(args, script, config, ckpt, '--out', out,
                             '--work-dir', work, '--metrics-out',
                             osp.join(work, 'metrics.json'), '--cfg-options',
                             *opts), out)
        out = osp.join(work, 'labels') if stage.out else None
        cmd = tool_cmd(args, script, config, ckpt, '--work-dir', work,
                       '--metrics-out', osp.join(work, 'metrics.json'),
                       *(['--out', out] if out else []), *extra,
                       '--cfg-options', *opts)
        return cmd, out

    def resolved_config(self, stage, cmd):
        """The config ``stage`` runs with the options of its command."""
        cfg = Config.fromfile(
            osp.join(REPO, stage.config_for(self.args.config_set)))
        opts = cmd[cmd.index('--cfg-options') +
                   1:] if '--cfg-options' in cmd else []
        parser = argparse.ArgumentParser()
        parser.add_argument('--o', nargs='+', action=DictAction, default={})
        cfg.merge_from_dict(
            parser.parse_args(['--o', *opts] if opts else []).o)
        return cfg

    def check_data(self, stage):
        """--plan: build the train and val data sets of ``stage`` (the first
        training) as its run would, so that a missing image or mask, a bad
        label file or an unknown class name shows before anything runs."""
        from mmengine.registry import init_default_scope
        from mmengine.utils import import_modules_from_strings
        from mmseg.registry import DATASETS
        cmd, _ = self.command(stage, osp.join(self.args.work_dir, stage.name))
        cfg = self.resolved_config(stage, cmd)
        if cfg.get('custom_imports'):
            import_modules_from_strings(**cfg.custom_imports)
        init_default_scope(cfg.get('default_scope', 'mmseg'))
        for loader in ('train_dataloader', 'val_dataloader'):
            # the classes the run writes to WORK_DIR/classes.txt
            dataset = dict(
                cfg[loader].dataset,
                metainfo=dict(classes=tuple(self.class_names)))
            n = len(DATASETS.build(dataset))
            print(
                f'[plan] data of {stage.name} ({loader}): {n} images, '
                'files and labels checked',
                flush=True)

    def provenance(self, stage, cmd):
        """The key of a stage: its resolved config and the keys of the stages
        it reads (a training: without :data:`TEST_ONLY_KEYS`), its command
        without the config options (they are in the resolved config), and the
        recipe of generated scenes in the data root (``scenes.json``; None for
        other data)."""
        opts_at = cmd.index(
            '--cfg-options') if '--cfg-options' in cmd else len(cmd)
        h = hashlib.sha1(json.dumps(cmd[1:opts_at]).encode())
        if stage.config is not None:
            cfg = self.resolved_config(stage, cmd)
            if stage.tool == 'train':
                cfg = training_view(cfg)
            h.update(cfg.pretty_text.encode())
        h.update(
            json.dumps(read_manifest(self.args.data_root),
                       sort_keys=True).encode())
        for ref in live_needs(stage, self.names):
            h.update(self.records[ref]['key'].encode())
        return h.hexdigest()

    def __call__(self, stage):
        work = osp.join(self.args.work_dir, stage.name)
        if stage.name in self.reused:
            path = osp.abspath(self.reused[stage.name])
            if not osp.exists(path):
                raise FileNotFoundError(
                    f'--reuse {stage.name}: no such file {path}')
            self.records[stage.name] = dict(
                tool=stage.tool,
                output=path,
                reused=True,
                key='reused:' + path,
                seconds=0.0)
            self.records.update(
                set_records(stage, self.records[stage.name], None))
            return
        cmd, out = self.command(stage, work)
        key = self.provenance(stage, cmd)
        old = load_json(osp.join(work, 'stage.json'))
        if old and old.get('key') == key and osp.exists(
                old.get('output') or work):
            print(
                f'[{"plan" if self.args.plan else "wsss_pipeline"}] '
                f'{stage.name}: done '
                'before with the same provenance, kept',
                flush=True)
            self.records[stage.name] = dict(old, kept=True)
            self.records.update(old.get('sets') or {})
            return
        if self.args.plan and self.from_record(stage, key):
            return
        if self.args.plan:
            self.plan(stage, work, old, key)
            return
        if osp.isdir(work):  # another provenance, or interrupted: start clean
            shutil.rmtree(work)
        os.makedirs(work)
        seconds = self.run(cmd)
        if stage.tool == 'train':
            out = last_checkpoint(work)
        metrics = load_json(osp.join(
            work, 'metrics.json')) if stage.tool == 'test' else None
        record = dict(
            tool=stage.tool,
            config=stage.config_for(self.args.config_set),
            command=cmd,
            output=out,
            metrics=metrics,
            seconds=seconds,
            key=key)
        if stage.sets:
            record['sets'] = set_records(stage, record, metrics)
        atomic_write_json(osp.join(work, 'stage.json'), record)
        self.records[stage.name] = record
        self.records.update(record.get('sets') or {})


def one_set_command(cmd, name, out):
    """The command that makes set ``name`` alone: the stage's test command
    with the set's one-set config (``<name>.py`` beside the stage's config)
    writing into ``out``; None when there is no such config."""
    if not cmd:
        return None
    i = next((i for i, t in enumerate(cmd) if t.endswith('tools/test.py')),
             None)
    if i is None:
        return None
    config = osp.join(osp.dirname(cmd[i + 1]), name + '.py')
    if not osp.isfile(config):
        return None
    alone = list(cmd)
    alone[i + 1] = config
    if '--out' in alone:
        alone[alone.index('--out') + 1] = out
    return alone


def set_records(stage, record, metrics):
    """{set name: record} of a stage that writes several seed sets: each
    set's folder (``<output>/<set>``), its own metrics (``<set>/seed/...`` of
    the run, without the set prefix, and its ``IoU_per_class``) and a key of
    its own, so that later stages read each set as a stage's output."""
    out = {}
    per_class = (metrics or {}).get('IoU_per_class') or {}
    for name in stage.sets:
        own = None
        if metrics is not None:
            own = {
                k[len(name) + 1:]: v
                for k, v in metrics.items() if k.startswith(name + '/')
            }
            if per_class.get(name):
                own['IoU_per_class'] = per_class[name]
        out[name] = dict(
            tool=stage.tool,
            part_of=stage.name,
            output=osp.join(record['output'], name),
            metrics=own,
            seconds=0.0,
            key=f'{record["key"]}/{name}')
        alone = one_set_command(
            record.get('command'), name, out[name]['output'])
        if alone:
            out[name]['command'] = alone
        if record.get('reused'):
            out[name]['reused'] = True
    return out


def split_has_masks(data_root, gt_dir, split):
    """Whether any image of ``split`` has a mask in ``data_root/gt_dir``
    (own data may have none for val)."""
    listed = split_list(data_root, split)
    if not osp.isfile(listed):
        return True  # the tools name the missing list
    with open(listed) as f:
        ids = f.read().split()
    return any(
        osp.isfile(osp.join(data_root, gt_dir, i + '.png')) for i in ids)


def pair_args(pairs):
    for pair in pairs:
        name, sep, path = pair.partition('=')
        if not sep or not name or not path:
            raise ValueError(f'--reuse: expected STAGE=PATH, got {pair!r}')
        yield name, path


def summarise(stages, result):
    """Tagged metrics and times of the stage records -> summary keys."""
    records = result['stages']
    seeds = [n for s in stages if s.metrics == 'seed' for n in s.outputs]
    per_set = {
        n: (records[n].get('metrics') or {}).get('seed/mIoU')
        for n in seeds
    }
    if len(seeds) == 1:
        m = records[seeds[0]].get('metrics') or {}
        result.update(
            seed_miou=m.get('seed/mIoU'),
            seed_precision=m.get('seed/mPrecision'),
            seed_recall=m.get('seed/mRecall'),
            seed_coverage=m.get('seed/coverage'))
    # the mean over the sets that were scored (a reused set was not)
    elif seeds:
        scored = [v for v in per_set.values() if v is not None]
        result['seed_miou'] = round(sum(scored) /
                                    len(scored), 2) if scored else None
        result['seed_miou_per_set'] = per_set
    else:
        result['seed_miou'] = None
    for s in stages:
        if s.metrics and s.metrics != 'seed':  # a val or a seed metric
            m = records[s.name].get('metrics') or {}
            result[f'{s.metrics}_miou'] = m.get('mIoU', m.get('seed/mIoU'))
    for clock in ('train', 'seeds'):
        result[f'time_{clock}_s'] = round(
            sum(records[s.name].get('seconds') or 0 for s in stages
                if s.clock == clock), 1)


def run_pipeline(args):
    """One run of ``tools/wsss_pipeline.py`` with its parsed options ``args``;
    returns the result (also written to ``WORK_DIR/result.json``)."""
    args.data_root = osp.abspath(args.data_root)
    if args.label_file:
        args.label_file = osp.abspath(args.label_file)
    args.work_dir = osp.abspath(args.work_dir)
    args.pretrain_dir = osp.abspath(args.pretrain_dir)
    if not args.plan:
        os.makedirs(args.work_dir, exist_ok=True)
        args.lock = lock_work_dir(
            args.work_dir)  # held until this process ends
    run = StageRunner(osp.join(args.work_dir, 'pipeline.log'))
    stages, names = select_stages(args)
    unknown = set(dict(pair_args(args.reuse))) - {s.name for s in stages}
    if unknown:
        raise ValueError(f'--reuse: this run has no stage {sorted(unknown)} '
                         f'(it has {[s.name for s in stages]})')
    t_start = time.time()
    if args.build_mini:
        if args.config_set not in MINI_SCENES:
            raise ValueError(
                f'--build-mini: the {args.config_set!r} config set has no '
                f'mini data set (only {sorted(MINI_SCENES)})')
        ensure_mini_data(args, run)
    result = dict(
        method=args.method,
        config_set=args.config_set,
        data_root=args.data_root,
        quick=args.quick,
        pretrained={},
        stages={},
        # what the run changed for every stage (e.g. randomness.seed)
        cfg_options=dict(o.partition('=')[::2] for o in args.cfg_options))
    walker = Walker(args, names, result, run)
    result['num_classes'] = walker.num_classes
    result_file = osp.join(args.work_dir, 'result.json')
    if args.plan:
        for stage in stages:
            walker(stage)
        first = next((s for s in stages
                      if s.tool == 'train' and s.name not in walker.reused),
                     None)
        if first is not None and walker.data_ready:
            walker.check_data(first)
        todo = [n for n, r in result['stages'].items() if r.get('planned')]
        print(
            f'[plan] {len(todo)} of {len(stages)} stages would run' +
            (f': {", ".join(todo)}' if todo else ''),
            flush=True)
        return result
    for i, stage in enumerate(stages, 1):
        elapsed = (time.time() - t_start) / 60
        print(
            f'[wsss_pipeline] stage {i}/{len(stages)} {stage.name} '
            f'({stage.tool}), '
            f'{elapsed:.1f} min so far',
            flush=True)
        walker(stage)
        summarise([s for s in stages if s.name in result['stages']], result)
        atomic_write_json(result_file, result)
    result['time_total_s'] = round(time.time() - t_start, 1)
    atomic_write_json(result_file, result)
    print(json.dumps({k: v for k, v in result.items() if k != 'stages'}))
    return result
