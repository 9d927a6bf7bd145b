"""The paper ablations at small scale, as data: what ``make ablations`` runs.

    python -m benchmarks.train_ablation --plan partbody \\
        --bench-root work_dirs/bench_partbody_faint-body \\
        --data-root data/mini_partbody_faint-body \\
        --work-dir work_dirs/ablation_partbody_faint-body [--dry-run]

``PLANS[config set]`` lists the runs of one benchmark, in order; each
:class:`Ablation` is one run of a tool into ``WORK_DIR/<name>``:

- ``train_ablation``: one training + val test a variant
  (``benchmarks/train_ablation.py``; a ``preset`` brings its own variants);
- ``seed_ablation``: one seed run a variant of a trained classifier
  (``benchmarks/seed_ablation.py``);
- ``runner``: one ``tools/wsss_pipeline.py --method METHOD`` run with other
  options (e.g. FickleNet trained deterministically);
- ``choose_threshold``: the held-out choice of a seed threshold
  (``benchmarks/choose_threshold.py``) that a config records.

After the runs, ``benchmarks/make_report.py`` writes the report again with
the tables of the runs marked ``report``. Every run resumes: a finished
variant or stage of unchanged provenance is not rerun.

Part-and-body (``partbody``, after ``make bench``, whose runs it reuses):
single-stage Table 1; multi-estimations (one vs two seed types, WST vs the
plain loss on all sets); FickleNet D/D (the base config infers
stochastically, so D/D sets ``infer_mode`` too; D/S is the same classifier
with stochastic inference) and N = 10 against the bench's S/S N = 200, and
the bench's S/S classifier under other inference; DSRG with its own
×0.33 steps instead of the bench's poly schedule, without its boundary loss
and without region growing; plain cross-entropy instead of DSRG on the same
seeds; DCP on the last block (conv5_3) against conv5_1. Each trains the
bench's 2,000-iteration schedule (several hours on 2 CPU cores); the report
then checks every claim of ``benchmarks/claims.py``. The variants that a
bench run already trained (single-stage's full model, multi-estimations' 12
sets with WST) are read from it (``twin``), not trained again.

Glyph scenes (``mini``, after ``make bench BENCH_SET=mini``): the two
presets at 300 iterations, the single-stage full model with two more random
seeds, and DSRG against plain cross-entropy on FickleNet's and CAM's seeds.

In the options, ``{data}``, ``{bench}`` and ``{abl}`` stand for the data
root, the bench root and the ablation root (``--work-dir``) as given;
``{bench_abs}`` and ``{abl_abs}`` for their absolute paths.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

#: the tools an ablation runs: module or script, run from the repository root
TOOLS = {
    'train_ablation': ('-m', 'benchmarks.train_ablation'),
    'seed_ablation': ('-m', 'benchmarks.seed_ablation'),
    'runner': ('tools/wsss_pipeline.py', ),
    'choose_threshold': ('-m', 'benchmarks.choose_threshold'),
}
#: what writes the report after the runs
REPORT = ('-m', 'benchmarks.make_report')


@dataclass(frozen=True)
class Ablation:
    """One run of ``tool`` into ``ABLATION_ROOT/name``.

    Its command is ``tool HEAD [--config-set S] --data-root DATA ...
    --work-dir ABLATION_ROOT/name OPTIONS VARIANTS TEST_VARIANTS TWIN``
    (:func:`command`), where HEAD is ``config`` (and ``checkpoint``),
    ``--preset preset`` or ``--method method``.
    """
    name: str
    tool: str  # a key of TOOLS
    config: Optional[str] = None  # train_ablation, seed_ablation
    checkpoint: Optional[str] = None  # seed_ablation: the trained classifier
    preset: Optional[str] = None  # train_ablation: a preset, not a config
    method: Optional[str] = None  # runner
    #: train_ablation's --seed-root: the bench run whose seed sets it reads
    seed_root: Optional[str] = None
    options: Tuple[str, ...] = ()  # more options of the tool
    variants: Tuple[Tuple[str, ...], ...] = ()  # (NAME, KEY=VALUE, ...)
    test_variants: Tuple[Tuple[str, ...], ...] = ()
    #: (variant, bench run): the variant the bench run trained already
    twin: Optional[Tuple[str, str]] = None
    report: bool = True  # its table / result goes into the report


def _bench_seeds(method):
    """The seeds of a bench run as a segmentor's training labels."""
    return ('train_dataloader.dataset.data_prefix.seg_map_path='
            '{bench_abs}/' + method + '/seeds/labels')


#: one threshold for foreground and background (the CAM baseline's read-out)
SEED_FG_BG = ('model.seed_generator.fg_threshold',
              'model.seed_generator.bg_threshold')


def _choose(name, config, checkpoint, keys, values, *options):
    """A held-out threshold choice (its numbers go into the config)."""
    return Ablation(
        name,
        'choose_threshold',
        config=config,
        checkpoint=checkpoint,
        options=('--key', *keys, '--values', *values, *options),
        report=False)


#: FickleNet's kernel s = 9 (the VOC value; 7 is its scaled value) and the
#: 1 / (1 - p) rescaling of kept units, as --cls-cfg-options
FICKLENET_S9 = ('model.neck.kernel_size=9', 'model.cls_head.kernel_size=9',
                'model.cls_head.stride=9')
FICKLENET_RESCALE = ('model.neck.rescale=True', )
#: explicit, since the part-and-body config rescales (chosen on held-out
#: train, docs/fidelity.md)
FICKLENET_NO_RESCALE = ('model.neck.rescale=False', )
FICKLENET_THETA = (('model.seed_generator.fg_threshold', ),
                   ('0.25', '0.35', '0.45', '0.55', '0.65', '0.75', '0.85'))

#: D/D: the deterministically trained classifier (ficklenet_ds) read out
#: deterministically, one selection
FICKLENET_D_TRAINING = ('model.neck.mode=deterministic', )
FICKLENET_DD = (*FICKLENET_D_TRAINING, 'model.neck.infer_mode=deterministic',
                'model.seed_generator.num_selections=1')
FICKLENET_DS_CKPT = '{abl_abs}/ficklenet_ds/classifier/iter_1000.pth'
#: D/D's theta, chosen by choose_ficklenet_dd (held-out seed mIoU)
FICKLENET_DD_THETA = 'model.seed_generator.fg_threshold=0.45'


def _ficklenet_run(name, *options, report=True):
    """A FickleNet runner run with other options."""
    return Ablation(
        name, 'runner', method='ficklenet', options=options, report=report)


#: the bench's S/S FickleNet classifier
FICKLENET_CKPT = '{bench_abs}/ficklenet/classifier/iter_1000.pth'
FICKLENET_CONFIG = 'configs/ficklenet/ficklenet_vgg16-slim_partbody.py'
#: the bench's CAM classifier (also DCP's and multi_seed's VGG-16)
CAM_CKPT = '{bench_abs}/cam/classifier/iter_1000.pth'
#: the bench's composed-recipe run (configs/combined): its seed sets and
#: its segmenter
COMBINED_SEEDS = '{bench_abs}/combined/seeds/labels'
COMBINED_CKPT = '{bench_abs}/combined/segmentation/iter_2000.pth'

MINI = (
    Ablation('single_stage', 'train_ablation', preset='single_stage'),
    Ablation(
        'multi_seed',
        'train_ablation',
        preset='multi_seed',
        seed_root='multi_seed'),
    Ablation(
        'single_stage_seeds',
        'train_ablation',
        config='configs/single_stage/ngwp_vgg16-slim_mini.py',
        options=('--iters', '300'),
        variants=(('full model, seed 1', 'randomness.seed=1'),
                  ('full model, seed 2', 'randomness.seed=2')),
        test_variants=((
            '+CRF', 'configs/single_stage/ngwp_vgg16-slim_mini_crf.py'), )),
    Ablation(
        'dsrg_vs_ce',
        'train_ablation',
        config='configs/cam/'
        'deeplab_largefov_vgg16-slim_mini_cam-seeds.py',
        variants=(('FickleNet seeds, LargeFOV CE',
                   _bench_seeds('ficklenet')), )),
    Ablation(
        'dsrg_vs_ce_cam',
        'train_ablation',
        config='configs/ficklenet/'
        'dsrg_largefov_vgg16-slim_mini_ficklenet-seeds.py',
        variants=(('CAM seeds, DSRG', _bench_seeds('cam')), )),
)

PARTBODY = (
    # the one seed protocol's thresholds, chosen on held-out train for CAM
    # and FickleNet alike; FickleNet's s (7 / 9) and rescaling (off / on)
    # chosen the same way, each classifier at its best theta
    _choose('choose_cam', 'configs/cam/cam_vgg16-slim_partbody.py', CAM_CKPT,
            SEED_FG_BG, ('0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7')),
    # (each FickleNet classifier trained here, the config's own choice
    # included, so the table never depends on which the bench ran)
    *(x for name, opts in (('norescale', FICKLENET_NO_RESCALE),
                           ('rescale', FICKLENET_RESCALE),
                           ('s9', FICKLENET_S9 + FICKLENET_NO_RESCALE),
                           ('s9_rescale', FICKLENET_S9 + FICKLENET_RESCALE))
      for x in (
          _ficklenet_run(
              f'ficklenet_{name}',
              '--stop-after',
              'seeds',
              '--cls-cfg-options',
              *opts,
              report=False),
          _choose(f'choose_ficklenet_{name}', FICKLENET_CONFIG,
                  f'{{abl_abs}}/ficklenet_{name}/classifier/'
                  'iter_1000.pth', *FICKLENET_THETA, '--cfg-options', *opts))),
    # the bench's FickleNet classifier read out the CAM baseline's way (one
    # threshold for foreground and background: no unlabelled band)
    _choose('choose_ficklenet_fgbg', FICKLENET_CONFIG, FICKLENET_CKPT,
            SEED_FG_BG, ('0.25', '0.35', '0.45', '0.55', '0.65')),
    # single-stage, Table 1 (the full model: the bench's single-stage run)
    Ablation(
        'single_stage',
        'train_ablation',
        preset='single_stage',
        twin=('full model', 'single_stage')),
    # multi-estimations, Tables 2 and 5 (all sets with WST: the bench's run)
    Ablation(
        'multi_seed',
        'train_ablation',
        preset='multi_seed',
        seed_root='multi_seed',
        options=('--only', 'T (1)', 'C (1)', 'T+C (2)', 'all sets, WST s=1',
                 'all sets, plain s=0', 'all sets, WST s=1 from plain'),
        twin=('all sets, WST s=1', 'multi_seed')),
    # FickleNet: D/S (deterministic training, stochastic inference), whose
    # classifier D/D infers deterministically with one selection
    # (its seeds are D/S's; only its classifier goes on); D/D's theta is
    # chosen on held-out train like every read-out's (FICKLENET_DD_THETA)
    _ficklenet_run(
        'ficklenet_ds',
        '--stop-after',
        'seeds',
        '--cls-cfg-options',
        *FICKLENET_D_TRAINING,
        report=False),
    _choose('choose_ficklenet_dd', FICKLENET_CONFIG, FICKLENET_DS_CKPT,
            *FICKLENET_THETA, '--cfg-options', *FICKLENET_DD),
    _ficklenet_run('ficklenet_dd', '--reuse',
                   'classifier=' + FICKLENET_DS_CKPT, '--cls-cfg-options',
                   *FICKLENET_DD, FICKLENET_DD_THETA),
    # the bench's S/S classifier under other inference: deterministic (S/D),
    # and the other two aggregations of the N selections (docs/fidelity.md)
    Ablation(
        'ficklenet_seeds',
        'seed_ablation',
        config='configs/ficklenet/ficklenet_vgg16-slim_partbody.py',
        checkpoint=FICKLENET_CKPT,
        variants=(
            ('S/D (S/S classifier, deterministic inference, N = 1)',
             'model.neck.infer_mode=deterministic',
             'model.seed_generator.num_selections=1'),
            ('S/S N = 200, shared_max',
             'model.seed_generator.aggregation=shared_max'),
            ('S/S N = 200, mean', 'model.seed_generator.aggregation=mean'),
            ('S/S N = 200, factorised draws (all units; the bench: sparse)',
             'model.seed_generator.path=factorised'),
        )),
    _ficklenet_run('ficklenet_n10', '--reuse', 'classifier=' + FICKLENET_CKPT,
                   '--cls-cfg-options',
                   'model.seed_generator.num_selections=10'),
    # DSRG on the bench's FickleNet seeds: its own step schedule (the bench
    # runs every segmentation with poly), its parts, and plain cross-entropy
    # instead
    Ablation(
        'dsrg_step',
        'train_ablation',
        config='configs/ficklenet/'
        'dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds_step.py',
        variants=(('FickleNet seeds, DSRG, its own step schedule',
                   _bench_seeds('ficklenet')), )),
    Ablation(
        'dsrg_parts',
        'train_ablation',
        config='configs/ficklenet/'
        'dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py',
        options=('--cfg-options', _bench_seeds('ficklenet')),
        variants=(('DSRG w/o the boundary loss',
                   'model.decode_head.boundary_loss_weight=0.0'),
                  ('DSRG w/o region growing',
                   'model.decode_head.grow=False'))),
    Ablation(
        'dsrg_vs_ce',
        'train_ablation',
        config='configs/cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py',
        variants=(('FickleNet seeds, cross-entropy',
                   _bench_seeds('ficklenet')), )),
    # DCP's retraining on the seeds with their uncertain pixels filled (the
    # step's stated purpose) instead of the predicted masks (the bench's row):
    # the bench's classifier and first segmentation model, the rest again
    Ablation(
        'dcp_fill_uncertain',
        'runner',
        method='dcp_fill_uncertain',
        options=('--reuse', 'classifier=' + CAM_CKPT,
                 'segmentation={bench_abs}/dcp/segmentation/iter_2000.pth')),
    # the seed protocols the bench's one protocol replaced, on the bench's
    # classifiers: the CAM VOC twin's (4 scales + flip, thresholds 0.3) and
    # FickleNet's paper's (theta = 0.35)
    Ablation(
        'cam_protocol',
        'seed_ablation',
        config='configs/cam/cam_vgg16-slim_partbody.py',
        checkpoint=CAM_CKPT,
        variants=(('VOC twin: scales 1/0.5/1.5/2 + flip, 0.3 / 0.3',
                   'model.seed_generator.scales=[1.0,0.5,1.5,2.0]',
                   'model.seed_generator.flip=True',
                   'model.seed_generator.fg_threshold=0.3',
                   'model.seed_generator.bg_threshold=0.3'), )),
    Ablation(
        'ficklenet_protocol',
        'seed_ablation',
        config='configs/ficklenet/ficklenet_vgg16-slim_partbody.py',
        checkpoint=FICKLENET_CKPT,
        variants=(('paper: theta = 0.35',
                   'model.seed_generator.fg_threshold=0.35'), )),
    # the composed recipe (configs/combined) with each paper's part removed
    # in turn, on the bench's CAM classifier; and with DCP's retraining,
    # which held-out train left out, on the bench run's seeds and segmenter
    # (neither computed again)
    Ablation(
        'combined_wo_pamr',
        'runner',
        method='combined_wo_pamr',
        options=('--reuse', 'classifier=' + CAM_CKPT)),
    *(Ablation(
        f'combined_wo_{gone}',
        'runner',
        method='combined',
        options=('--reuse', 'classifier=' + CAM_CKPT, '--seed-sets', kept))
      for gone, kept in (('crf', 'threshold'), ('threshold', 'crf'))),
    Ablation(
        'combined_retrain',
        'runner',
        method='combined_retrain',
        # the bench's classifier, seeds and segmenter: only the retraining runs
        options=('--reuse', 'classifier=' + CAM_CKPT,
                 'seeds=' + COMBINED_SEEDS, 'segmentation=' + COMBINED_CKPT)),
    # DCP's patterns from the last block (conv5_3) of the bench's CAM
    # classifier instead of conv5_1
    Ablation(
        'dcp_conv5_3',
        'runner',
        method='dcp',
        options=('--reuse', 'classifier=' + CAM_CKPT, '--cls-cfg-options',
                 'model.seed_generator.layer=backbone.features.42')),
)

#: config set -> its ablations, in the order they run
PLANS = {'mini': MINI, 'partbody': PARTBODY}


def fill(text, paths):
    """``text`` with the ``{data}`` ... placeholders of ``paths`` replaced."""
    for key, value in paths.items():
        text = text.replace('{' + key + '}', value)
    return text


def command(entry, config_set, paths):
    """The tool's options of one ablation (without the interpreter and the
    tool); ``paths``: dict(data, bench, abl, bench_abs, abl_abs)."""
    if entry.tool == 'runner':
        head = ['--method', entry.method]
    elif entry.preset:
        head = ['--preset', entry.preset]
    else:
        head = [
            entry.config, *([entry.checkpoint] if entry.checkpoint else [])
        ]
    argv = head[:]
    if config_set != 'mini':  # the tools' default
        argv += ['--config-set', config_set]
    argv += ['--data-root', '{data}']
    if entry.tool == 'runner':  # the bench's data set (built if missing)
        argv.append('--build-mini')
    if entry.seed_root:
        argv += ['--seed-root', '{bench}/' + entry.seed_root]
    argv += ['--work-dir', '{abl}/' + entry.name, *entry.options]
    for variant in entry.variants:
        argv += ['--variant', *variant]
    for variant in entry.test_variants:
        argv += ['--test-variant', *variant]
    if entry.twin:
        argv += ['--bench-twin', entry.twin[0], '{bench}/' + entry.twin[1]]
    return [fill(a, paths) for a in argv]


def report_command(entries, paths, config_set):
    """make_report's options after the runs of ``entries`` (the picture grid
    ``make bench`` draws for ``config_set``)."""
    return [
        fill(a, paths) for a in [
            '--bench-root', '{bench}', '--data-root', '{data}', '--ablations',
            *('{abl}/' + e.name for e in entries
              if e.report), '--picture', f'docs/pictures/{config_set}_grid.png'
        ]
    ]


def plan(config_set, paths):
    """``[(name, argv), ...]``: the ablations of ``config_set`` in order,
    then ``('report', argv)``; each argv without the interpreter."""
    entries = PLANS[config_set]
    return (
        [(e.name, [*TOOLS[e.tool], *command(e, config_set, paths)])
         for e in entries] +
        [('report', [*REPORT, *report_command(entries, paths, config_set)])])
