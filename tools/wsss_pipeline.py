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

``--method full`` skips 1-2 and trains on the GT masks (upper bound). The last
line printed is one JSON object: method, seed_miou, val_miou (percent), ...
This script chains runs and collects metrics; it holds no method logic.
"""
import argparse
import hashlib
import json
import os
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)

# method -> config set -> stage configs (relative to the repo).
RECIPES = {
    'cam': {
        'mini': dict(seed='configs/cam/cam_vgg16-slim_mini.py',
                     seg='configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py',
                     pretrain='configs/pretrain/vgg16-slim_fmnist-objects.py'),
        'voc': dict(seed='configs/cam/cam_vgg16_voc12.py',
                    seg='configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py'),
    },
    # FickleNet seeds; its DSRG segmentation stage is not built yet, so the
    # seeds train the same DeepLab-LargeFOV as the CAM baseline.
    'ficklenet': {
        'mini': dict(seed='configs/ficklenet/ficklenet_vgg16-slim_mini.py',
                     seg='configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py',
                     pretrain='configs/pretrain/vgg16-slim_fmnist-objects.py'),
        'voc': dict(seed='configs/ficklenet/ficklenet_vgg16_voc12.py',
                    seg='configs/cam/deeplab_largefov_vgg16_voc12_cam-seeds.py'),
    },
    'full': {
        'mini': dict(seg='configs/full/deeplab_largefov_vgg16-slim_mini_gt.py',
                     pretrain='configs/pretrain/vgg16-slim_fmnist-objects.py'),
        'voc': dict(seg='configs/full/deeplab_largefov_vgg16_voc12_gt.py'),
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


def ensure_pretrained(args, recipe):
    """Mini pretraining, cached by (config text, objects, epochs)."""
    cfg_path = osp.join(REPO, recipe['pretrain'])
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
        work = osp.join(args.work_dir, 'pretrain')
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


def main(argv=None):
    args = parse_args(argv)
    args.data_root = osp.abspath(args.data_root)
    args.work_dir = osp.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    log = osp.join(args.work_dir, 'pipeline.log')
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
    num_classes = len(names)
    result['num_classes'] = num_classes

    common = list(args.cfg_options)
    if 'pretrain' in recipe and not args.no_pretrain:
        result['pretrained'] = ensure_pretrained(args, recipe)
        common.append('model.backbone.init_cfg.checkpoint=' + result['pretrained'])
    elif 'pretrain' in recipe:
        common.append('model.backbone.init_cfg=None')
        result['pretrained'] = None
    data_opts, split, gt_dir = data_options(args, classes_file)
    cls_iters = args.cls_iters or (150 if args.quick else None)
    seg_iters = args.seg_iters or (150 if args.quick else None)

    seed_dir = osp.join(args.work_dir, 'seeds')
    if 'seed' in recipe:
        cfg = osp.join(REPO, recipe['seed'])
        s1 = osp.join(args.work_dir, 'stage1_classifier')
        opts = data_opts + common + list(args.cls_cfg_options) + [
            f'model.cls_head.num_classes={num_classes - 1}']
        opts += schedule_options(cls_iters) if cls_iters else []
        opts += ['train_dataloader.dataset.data_prefix.label_path=' + gt_dir,
                 'test_dataloader.dataset.ann_file=ImageSets/Segmentation/' + split + '.txt',
                 'test_dataloader.dataset.data_prefix.seg_map_path=' + gt_dir]
        result['time_stage1_s'] = round(run(tool(args, 'train.py', cfg, '--work-dir', s1,
                                                 '--cfg-options', *opts), log), 1)
        metrics_file = osp.join(args.work_dir, 'seed_metrics.json')
        result['time_seeds_s'] = round(run(tool(
            args, 'test.py', cfg, last_checkpoint(s1), '--work-dir',
            osp.join(args.work_dir, 'stage2_seeds'), '--out', seed_dir,
            '--metrics-out', metrics_file, '--cfg-options', *opts,
            f'model.test_cfg.reuse_seed_dir={seed_dir}'), log), 1)
        with open(metrics_file) as f:
            seed_metrics = json.load(f)
        result['seed_miou'] = seed_metrics.get('seed/mIoU')
        result['seed_precision'] = seed_metrics.get('seed/mPrecision')
        result['seed_recall'] = seed_metrics.get('seed/mRecall')
        result['seed_coverage'] = seed_metrics.get('seed/coverage')
        seg_labels = seed_dir
    else:
        seg_labels = osp.join(args.data_root, gt_dir)
        result['seed_miou'] = None

    cfg = osp.join(REPO, recipe['seg'])
    s3 = osp.join(args.work_dir, 'stage3_segmentation')
    opts = data_opts + common + [f'model.decode_head.num_classes={num_classes}',
                                 'train_dataloader.dataset.data_prefix.seg_map_path=' + seg_labels,
                                 'train_dataloader.dataset.data_prefix.label_path=' + gt_dir,
                                 'test_dataloader.dataset.ann_file=ImageSets/Segmentation/'
                                 + args.val_split + '.txt',
                                 'test_dataloader.dataset.data_prefix.seg_map_path=' + gt_dir]
    opts += schedule_options(seg_iters) if seg_iters else []
    result['time_stage3_s'] = round(run(tool(args, 'train.py', cfg, '--work-dir', s3,
                                             '--cfg-options', *opts), log), 1)
    metrics_file = osp.join(args.work_dir, 'val_metrics.json')
    run(tool(args, 'test.py', cfg, last_checkpoint(s3), '--work-dir',
             osp.join(args.work_dir, 'stage4_test'), '--metrics-out', metrics_file,
             '--cfg-options', *opts), log)
    with open(metrics_file) as f:
        result['val_miou'] = json.load(f).get('mIoU')
    result['time_total_s'] = round(time.time() - t_start, 1)
    with open(osp.join(args.work_dir, 'result.json'), 'w') as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
