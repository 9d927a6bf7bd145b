"""wsss_mm installed like an OpenMMLab package (issue #18).

- A wheel (built from an sdist of the working tree, so MANIFEST.in counts)
  installed into a fresh venv carries the configs and the model index in
  ``wsss_mm/.mim``; a config in a temporary folder inherits ``wsss_mm::``
  and builds; an editable install links ``.mim`` to the tree instead.
- The downstream project (projects/example_downstream) runs its three
  stages from the wheel: wsss_mm's tools for the CAM classifier and seeds,
  mmseg's own tools/train.py for SegFormer on the seeds.
- model-index.yml lists every config (every one a recipe names) and nothing
  that does not exist.
- tools/ensure_fashion_mnist.sh names both ways (FASHION_MNIST_DIR, apt).

The temporary venvs see the heavy stack (torch, mmcv, mmseg, ...) through a
``.pth`` line pointing at this interpreter's site-packages; wsss_mm itself
comes only from the wheel (or the editable copy): the checks run from a
temporary folder without PYTHONPATH.
"""
import glob
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest
import yaml
from conftest import REPO

STACK = sysconfig.get_paths()[
    'purelib']  # torch, mmcv, mmseg, ... of this venv
MMSEG_TRAIN = osp.join(STACK, 'mmseg', '.mim', 'tools', 'train.py')
SHORT_RUN = [
    'train_dataloader.batch_size=2',
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'train_cfg.max_iters=2',
    'train_cfg.val_interval=2',
    'default_hooks.checkpoint.interval=2',
    'val_dataloader.num_workers=0',
    'val_dataloader.persistent_workers=False',
    'test_dataloader.num_workers=0',
    'test_dataloader.persistent_workers=False',
]


def _clean_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV')
    }
    env.setdefault('OMP_NUM_THREADS', '1')
    env.update(extra)
    return env


def _run(cmd, cwd, timeout=300, **env):
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_clean_env(**env))
    if proc.returncode != 0:
        raise AssertionError(f'{cmd} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}')
    return proc


def _source_tree(dest):
    """What a fresh checkout holds: tracked and untracked-but-not-ignored
    files (no .venv, no wsss_mm/.mim links, no work_dirs)."""
    files = subprocess.run(
        ['git', 'ls-files', '-co', '--exclude-standard', '-z'],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True)
    for rel in filter(None, files.stdout.split('\0')):
        src = osp.join(REPO, rel)
        if osp.isfile(src):
            os.makedirs(osp.dirname(osp.join(dest, rel)), exist_ok=True)
            shutil.copy2(src, osp.join(dest, rel))
    return dest


def _venv(path):
    """A bare venv that sees this venv's packages (not its wsss_mm: that is
    an editable finder, loaded only by .pth files of a site directory)."""
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', path],
                   check=True)
    python = osp.join(path, 'bin', 'python')
    purelib = subprocess.run([
        python, '-c', 'import sysconfig; print(sysconfig.get_paths()'
        '["purelib"])'
    ],
                             capture_output=True,
                             text=True,
                             check=True).stdout.strip()
    with open(osp.join(purelib, '_wsss_mm_test_stack.pth'), 'w') as f:
        f.write(STACK + '\n')
    return python, purelib


def _pip_install(python, *args):
    # --ignore-installed: never touch the wsss_mm this venv's .pth makes
    # visible
    _run([
        python, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index',
        '--no-build-isolation', '--ignore-installed', *args
    ],
         cwd=osp.dirname(python))


@pytest.fixture(scope='module')
def wheel_venv(tmp_path_factory):
    """(python, site-packages) of a venv with wsss_mm installed from a wheel
    built from an sdist of the working tree."""
    root = tmp_path_factory.mktemp('wheel')
    src = _source_tree(str(root / 'src'))
    dist = str(root / 'dist')
    _run([sys.executable, 'setup.py', '-q', 'sdist', '--dist-dir', dist],
         cwd=src)
    sdist, = glob.glob(osp.join(dist, 'wsss_mm-*.tar.gz'))
    _run([
        sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-index',
        '--no-build-isolation', '-w', dist, sdist
    ],
         cwd=str(root))
    wheel, = glob.glob(osp.join(dist, 'wsss_mm-*.whl'))
    python, purelib = _venv(str(root / 'venv'))
    _pip_install(python, wheel)
    return python, purelib


CHECK_INSTALL = textwrap.dedent('''
    import json, os, os.path as osp, sys
    import wsss_mm
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    pkg = osp.dirname(wsss_mm.__file__)
    with open('user_cfg.py', 'w') as f:  # a config outside the repository
        f.write("_base_ = ['wsss_mm::cam/cam_vgg16_voc12.py']\\n"
                "model = dict(backbone=dict(init_cfg=None), "
                "cls_head=dict(num_classes=5))\\n")
    cfg = Config.fromfile('user_cfg.py')
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    print(json.dumps(dict(
        package=pkg, hook='_wsss_mm_mim' in sys.modules,
        configs_link=osp.islink(osp.join(pkg, '.mim', 'configs')),
        configs=os.path.realpath(osp.join(pkg, '.mim', 'configs')),
        index=osp.isfile(osp.join(pkg, '.mim', 'model-index.yml')),
        tools=osp.isfile(osp.join(pkg, '.mim', 'tools', 'train.py')),
        demo=osp.isfile(osp.join(pkg, '.mim', 'demo', 'seed_demo.py')),
        model=type(model).__name__, num_classes=model.num_classes,
        scope=cfg.model.get('_scope_'), default_scope=cfg.default_scope,
        imports=cfg.custom_imports['imports'])))
''')

#: what the interpreter start (site's .pth files) loaded: the hook module, from
#: where, and nothing heavy (the hook must not import wsss_mm, torch, mmseg)
START_UP = ("import json, sys; print(json.dumps(dict("
            "hook=sys.modules['_wsss_mm_mim'].__file__, heavy=sorted("
            "m for m in ('wsss_mm', 'torch', 'mmseg', 'mmengine') "
            "if m in sys.modules))))")


def _start_up(python, cwd):
    out = _run([python, '-c', START_UP], cwd=cwd).stdout
    return json.loads(out.strip().splitlines()[-1])


def _package_files(purelib):
    """{path: (size, mtime)} of the installed package's files (Python's
    own byte-code caches left out)."""
    out = {}
    for root, dirs, files in os.walk(osp.join(purelib, 'wsss_mm')):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        for name in files:
            path = osp.join(root, name)
            st = os.stat(path)
            out[path] = (st.st_size, st.st_mtime_ns)
    return out


def _check_install(python, cwd):
    with open(osp.join(cwd, 'check.py'), 'w') as f:
        f.write(CHECK_INSTALL)
    out = _run([python, 'check.py'], cwd=cwd).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_wheel_ships_configs_and_resolves_wsss_mm_scope(wheel_venv, tmp_path):
    python, purelib = wheel_venv
    info = _check_install(python, str(tmp_path))
    assert info['package'] == osp.join(purelib,
                                       'wsss_mm')  # the wheel, not the repo
    assert info['hook'], 'the start-up hook (wsss_mm-mim.pth) did not load'
    assert not info['configs_link']  # a copy
    assert info['configs'].startswith(osp.realpath(purelib))
    assert info['index'] and info['tools'] and info['demo']
    assert info['model'] == 'WeakClassifier' and info['num_classes'] == 5
    # wsss_mm's components live in mmseg's registries: its bases keep scope
    # mmseg
    assert info['scope'] == 'mmseg' and info['default_scope'] == 'mmseg'
    assert info['imports'] == ['wsss_mm']
    mim = osp.join(purelib, 'wsss_mm', '.mim')
    for sub in ('configs/_base_', 'configs/cam'):
        assert osp.isdir(osp.join(mim, sub)), sub
    # the model index ships with what it names: each metafile beside its
    # configs, and the README each collection points at (mmseg's layout)
    for rel in ('configs/cam/README.md', 'configs/cam/metafile.yaml'):
        assert osp.isfile(osp.join(mim, rel)), rel
    assert not osp.exists(osp.join(mim, 'metafiles'))
    with open(osp.join(mim, 'model-index.yml')) as f:
        imports = yaml.safe_load(f)['Import']
    for rel in imports:
        with open(osp.join(mim, rel)) as f:
            meta = yaml.safe_load(f)
        for col in meta['Collections']:
            if 'README' in col:
                assert osp.isfile(osp.join(mim, col['README'])), col['README']
    # the hook is the module _wsss_mm_mim.py of the tree, installed beside the
    # package; the .pth imports it, and nothing heavy, at interpreter start
    assert open(osp.join(purelib,
                         'wsss_mm-mim.pth')).read() == 'import _wsss_mm_mim\n'
    start = _start_up(python, str(tmp_path))
    assert start == dict(hook=osp.join(purelib, '_wsss_mm_mim.py'), heavy=[])
    with open(osp.join(REPO, '_wsss_mm_mim.py')) as f:
        assert open(start['hook']).read() == f.read()


#: the wheel's requirements against the environment it went into (what pip
#: would resolve there: every runtime requirement and the extras' present)
CHECK_REQUIREMENTS = textwrap.dedent('''
    import json
    from importlib.metadata import PackageNotFoundError, requires, version
    from packaging.requirements import Requirement
    out = {}
    for line in requires('wsss_mm'):
        req = Requirement(line)
        extra = req.marker is not None and 'extra' in str(req.marker)
        try:
            have = version(req.name)
        except PackageNotFoundError:
            have = None
        out[req.name] = dict(extra=extra, have=have, spec=str(req.specifier),
                             ok=have is not None and req.specifier.contains(
                                 have, prereleases=True))
    print(json.dumps(out))
''')


def test_wheel_requirements_are_met_by_the_tested_stack(wheel_venv, tmp_path):
    """pyproject.toml's ranges admit the stack the tests run on, so pip
    installs the wheel into such an environment without changing it."""
    python, _ = wheel_venv
    with open(tmp_path / 'req.py', 'w') as f:
        f.write(CHECK_REQUIREMENTS)
    reqs = json.loads(
        _run([python, 'req.py'], cwd=str(tmp_path)).stdout.splitlines()[-1])
    runtime = {n: r for n, r in reqs.items() if not r['extra']}
    assert {'torch', 'mmengine', 'mmcv', 'mmsegmentation'} <= set(runtime)
    assert all(r['ok'] for r in runtime.values()), runtime
    assert 'mmpretrain' not in runtime  # an extra: [pretrain]
    assert reqs['mmpretrain']['extra'] and reqs['mmpretrain']['ok']


def test_editable_install_links_mim_to_the_tree(tmp_path):
    src = _source_tree(str(tmp_path / 'src'))
    python, _ = _venv(str(tmp_path / 'venv'))
    _pip_install(python, '-e', src)
    mim = osp.join(src, 'wsss_mm', '.mim')
    assert os.readlink(osp.join(mim,
                                'configs')) == osp.join('..', '..', 'configs')
    assert osp.islink(osp.join(mim, 'model-index.yml'))
    work = tmp_path / 'elsewhere'
    work.mkdir()
    info = _check_install(python, str(work))
    assert info['package'] == osp.join(src, 'wsss_mm') and info['hook']
    assert info['configs_link'] and info['configs'] == osp.realpath(
        osp.join(src, 'configs'))
    assert info['model'] == 'WeakClassifier' and info['scope'] == 'mmseg'
    # the hook module is the tree's, like the package
    assert _start_up(python, str(work)) == dict(
        hook=osp.join(src, '_wsss_mm_mim.py'), heavy=[])


def test_downstream_project_trains_from_the_wheel(wheel_venv, tiny_voc,
                                                  tmp_path):
    """projects/example_downstream, copied anywhere: wsss_mm:: CAM classifier
    (wsss_mm's installed tools) -> seeds -> mmseg's SegFormer-B0 on the seeds
    (mmseg's own tools/train.py), two iterations each on tiny data."""
    python, purelib = wheel_venv
    before = _package_files(purelib)
    proj = tmp_path / 'my_project'
    shutil.copytree(osp.join(REPO, 'projects', 'example_downstream'), proj)
    (proj / 'data').mkdir()
    os.symlink(tiny_voc, proj / 'data' / 'mini')
    tools = osp.join(purelib, 'wsss_mm', '.mim', 'tools')
    cam_cfg = 'configs/cam_vgg16-slim_mini_seeds.py'
    _run([
        python,
        osp.join(tools, 'train.py'), cam_cfg, '--cfg-options',
        'model.backbone.init_cfg=None', *SHORT_RUN
    ],
         cwd=str(proj))
    ckpt = proj / 'work_dirs' / 'cam_vgg16-slim_mini_seeds' / 'iter_2.pth'
    assert ckpt.is_file()
    _run([
        python,
        osp.join(tools, 'test.py'), cam_cfg,
        str(ckpt), '--cfg-options', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ],
         cwd=str(proj))
    seeds = sorted(
        os.listdir(proj / 'work_dirs' / 'seeds' / 'cam_vgg16-slim_mini'))
    train_ids = open(osp.join(
        tiny_voc, 'ImageSets/Segmentation/train.txt')).read().split()
    assert [s for s in seeds
            if s.endswith('.png')] == sorted(i + '.png' for i in train_ids)
    assert osp.isfile(MMSEG_TRAIN), 'mmseg ships tools/train.py in mmseg/.mim'
    out = _run([
        python, MMSEG_TRAIN, 'configs/segformer_mit-b0_mini_cam-seeds.py',
        '--work-dir', 'work_dirs/segformer', '--cfg-options', *SHORT_RUN
    ],
               cwd=str(proj))
    assert (proj / 'work_dirs' / 'segformer' / 'iter_2.pth').is_file()
    log = out.stdout + out.stderr
    assert 'MixVisionTransformer' in log and 'SegformerHead' in log
    assert 'mIoU' in log  # validated on mini val
    # every artefact went under the project (the run's directory): nothing
    # was written under the installed package
    assert _package_files(purelib) == before


# ------------------------------------------------------------ model index --
#: where a result the paper reports (not reproduced here) says so: its
#: Dataset (modelindex keeps only Task, Dataset and Metrics of a result)
PAPER_DATASET = 'Pascal VOC 2012 val (paper figure, not reproduced here)'
#: the fields of mmseg's metafiles (what modelindex and mim read)
COLLECTION_KEYS = {
    'Name', 'License', 'Metadata', 'Paper', 'README', 'Code', 'Frameworks'
}
MODEL_KEYS = {
    'Name', 'In Collection', 'Results', 'Config', 'Metadata', 'Weights',
    'Training log', 'Paper', 'Code', 'Framework'
}


def _metafiles():
    """[(path of the metafile, its content)] in model-index.yml's order."""
    with open(osp.join(REPO, 'model-index.yml')) as f:
        imports = yaml.safe_load(f)['Import']
    out = []
    for rel in imports:
        with open(osp.join(REPO, rel)) as f:
            out.append((rel, yaml.safe_load(f)))
    return out


def _index():
    metafiles = _metafiles()
    imports = [rel for rel, _ in metafiles]
    collections = [c for _, m in metafiles for c in m.get('Collections', [])]
    models = [x for _, m in metafiles for x in m['Models']]
    return imports, collections, models


def _recipe_configs():
    from wsss_mm.recipes import PRETRAIN, RECIPES
    paths = set(PRETRAIN.values())
    for stages in RECIPES.values():
        for stage in stages:
            config = stage.config
            if isinstance(config, dict):
                paths |= set(config.values())
            elif config:
                paths.add(config)
    return paths


def test_model_index_lists_every_config():
    imports, collections, models = _index()
    # mmseg's layout: configs/<method>/metafile.yaml, one per method folder
    folders = sorted(
        d for d in os.listdir(osp.join(REPO, 'configs'))
        if osp.isdir(osp.join(REPO, 'configs', d)) and d != '_base_'
        and glob.glob(osp.join(REPO, 'configs', d, '*.py')))
    assert sorted(imports) == [f'configs/{d}/metafile.yaml' for d in folders]
    assert not osp.exists(osp.join(REPO, 'metafiles'))
    names = [m['Name'] for m in models]
    assert len(names) == len(set(names)), 'model names must be unique'
    known = {c['Name'] for c in collections}
    configs = [m['Config'] for m in models]
    assert len(configs) == len(set(configs)), 'a config listed twice'
    indexed = set(configs)
    missing = sorted(p for p in indexed if not osp.isfile(osp.join(REPO, p)))
    assert not missing, (
        f'model-index.yml names configs that do not exist: {missing}')
    for m in models:
        assert m['In Collection'] in known, m['Name']
    # each metafile lists the configs of its folder (the root alias
    # configs/ficklenet_vgg16_voc.py: FickleNet's)
    for rel, meta in _metafiles():
        folder = osp.dirname(rel) + '/'
        for m in meta['Models']:
            assert m['Config'].startswith(folder) or (
                m['Config'] == 'configs/ficklenet_vgg16_voc.py'
                and folder == 'configs/ficklenet/'), (rel, m['Config'])
    unlisted = sorted(_recipe_configs() - indexed)
    assert not unlisted, (
        'configs of wsss_mm.recipes missing from the model index: '
        f'{unlisted}')
    on_disk = {
        osp.relpath(p, REPO)
        for p in glob.glob(
            osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
        if '_base_' not in osp.relpath(p, REPO).split(os.sep)
    }
    assert not sorted(on_disk - indexed), (
        'configs missing from configs/*/metafile.yaml: '
        f'{sorted(on_disk - indexed)}')
    alias = next(m for m in models
                 if m['Config'] == 'configs/ficklenet_vgg16_voc.py')
    assert alias['In Collection'] == 'FickleNet'
    assert alias['Metadata']['Package Config'].startswith(
        'wsss_mm::ficklenet/ficklenet_vgg16_voc12.py')


def test_model_index_follows_mmseg_schema():
    """The fields mmseg's metafiles use; README paths from the repository
    root (as mmseg's), to files that MANIFEST.in ships."""
    from wsss_mm.version import __version__
    manifest = open(osp.join(REPO, 'MANIFEST.in')).read()
    assert 'recursive-include configs *.py *.md metafile.yaml' in manifest
    _, collections, models = _index()
    for c in collections:
        assert set(c) <= COLLECTION_KEYS, c['Name']
        assert c['License'] == 'Apache License 2.0'
        assert c['Frameworks'] == ['PyTorch']
        assert c['Metadata']['Training Data'], c['Name']
        if 'Paper' in c:
            assert set(c['Paper']) == {'Title', 'URL'}
            assert c['Paper']['URL'].startswith('https://'), c['Name']
        if 'README' in c:
            readme = c['README']
            assert readme.startswith('configs/') and readme.endswith('.md')
            assert osp.isfile(osp.join(REPO, readme)), readme
        assert osp.exists(osp.join(REPO, c['Code']['URL'])), c['Code']
        assert c['Code']['Version'] == __version__, c['Name']
    papers = {
        c['Name']: c['Paper']['URL']
        for c in collections if 'Paper' in c
    }
    assert papers['FickleNet'] == 'https://arxiv.org/abs/1902.10421'
    assert papers['Single-stage'] == 'https://arxiv.org/abs/2005.08104'
    assert papers['Multi-estimations'] == \
        'https://doi.org/10.1007/978-3-030-58520-4_20'
    assert papers['DCP'] == 'https://doi.org/10.1609/aaai.v34i07.6842'
    assert papers['CAM'] == 'https://arxiv.org/abs/1512.04150'
    for m in models:
        assert set(m) <= MODEL_KEYS, m['Name']
        assert m['Framework'] == 'PyTorch'
        assert m['Metadata']['Training Data'] and m['Metadata'][
            'Architecture'], m['Name']
        # a list (mim search iterates it), of what modelindex keeps
        assert isinstance(m['Results'], list), m['Name']
        for r in m['Results']:
            assert set(r) == {'Task', 'Dataset', 'Metrics'}, m['Name']


def test_model_index_paper_figures_are_marked():
    """The papers' VOC numbers are results whose Dataset says they are the
    paper's, on voc12 configs only; nothing on VOC is measured here."""
    _, _, models = _index()
    paper = {}
    for m in models:
        for r in m['Results']:
            if 'paper' in r['Dataset'] or 'VOC' in r['Dataset']:
                assert r['Dataset'] == PAPER_DATASET, m['Name']
                assert r['Task'] == 'Weakly-supervised Semantic Segmentation'
                assert 'voc12' in m['Config'], m['Config']
                # where the number comes from (table, backbone, test)
                assert m['Metadata']['Paper Figure'], m['Name']
                assert m['Name'] not in paper, m['Name']
                paper[m['Name']] = r['Metrics']
    assert paper == {
        'dsrg_aspp_vgg16_voc12_ficklenet-seeds_retrain': {
            'mIoU': 61.2
        },
        'wst_largefov_vgg16_voc12_12seeds': {
            'mIoU': 64.6
        },
        # VGG-16 LargeFOV after retraining (R101: 64.5)
        'deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks': {
            'mIoU': 61.2
        },
        'ngwp_wrn38_voc12': {
            'mIoU': 59.7
        },
        'ngwp_wrn38_voc12_crf': {
            'mIoU': 62.7
        },
    }


def test_mmengine_reads_the_model_index(tmp_path):
    """mmengine's own reader (what a wsss_mm:: lookup runs first) parses it."""
    from mmengine.config.utils import _get_cfg_metainfo
    mim = tmp_path / 'pkg' / '.mim'
    mim.mkdir(parents=True)
    for item in ('model-index.yml', 'configs'):
        os.symlink(osp.join(REPO, item), mim / item)
    meta = _get_cfg_metainfo(
        str(tmp_path / 'pkg'), 'cam/cam_vgg16-slim_mini.py')
    assert meta['In Collection'] == 'CAM'
    meta = _get_cfg_metainfo(
        str(tmp_path / 'pkg'),
        'dcp/deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks.py')
    assert meta['Results'][0]['Metrics'] == {'mIoU': 61.2}
    meta = _get_cfg_metainfo(str(tmp_path / 'pkg'), 'ficklenet_vgg16_voc.py')
    assert meta['In Collection'] == 'FickleNet'


def test_modelindex_loads_the_model_index():
    """The paperswithcode ``modelindex`` library (what ``mim search``
    loads) reads every model and the papers' figures."""
    modelindex = pytest.importorskip('modelindex')
    index = modelindex.load(osp.join(REPO, 'model-index.yml'))
    _, collections, models = _index()
    assert [m.name for m in index.models] == [m['Name'] for m in models]
    assert [c.name
            for c in index.collections] == [c['Name'] for c in collections]
    by_name = {m.name: m for m in index.models}
    for name, miou in (('deeplab_largefov_vgg16_voc12_dcp-retrain_pred-masks',
                        61.2), ('wst_largefov_vgg16_voc12_12seeds', 64.6)):
        (result, ) = by_name[name].results
        assert result.dataset == PAPER_DATASET
        assert result.metrics == {'mIoU': miou}
    full = by_name['ficklenet_vgg16_voc12'].full_model  # with its collection
    assert full.paper['URL'] == 'https://arxiv.org/abs/1902.10421'
    assert full.readme == 'configs/ficklenet/README.md'
    assert list(by_name['ficklenet_vgg16_voc12'].results) == []
    # modelindex resolves a README against the metafile's folder, mmseg's
    # metafiles (and these) name it from the repository root: the only
    # complaint of its check, as for mmseg's own index
    for error in index.check(silent=True):
        assert 'Path to README file ' in error, error
        readme = error.split('Path to README file ')[1].split(' ')[0]
        assert osp.isfile(osp.join(REPO, readme)), error


# ---------------------------------------------------- Fashion-MNIST message --
ENSURE = osp.join(REPO, 'tools', 'ensure_fashion_mnist.sh')
FMNIST_FILES = ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte',
                't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')


def _ensure(tmp_path, script=ENSURE, path=None, **env):
    run_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ('FASHION_MNIST_DIR', 'WSSS_MM_NO_APT')
    }
    run_env.update(env)
    if path is not None:
        run_env['PATH'] = path
    return subprocess.run(['/bin/bash', script],
                          capture_output=True,
                          text=True,
                          env=run_env,
                          cwd=str(tmp_path),
                          timeout=60)


def _names_both_ways(message):
    assert 'FASHION_MNIST_DIR=/path/to/folder' in message
    assert 'sudo apt-get install dataset-fashion-mnist' in message
    assert all(f in message for f in FMNIST_FILES)


def test_fashion_mnist_dir_is_used_or_named(tmp_path):
    full = tmp_path / 'fmnist'
    full.mkdir()
    for name in FMNIST_FILES:
        (full / (name + '.gz')).write_bytes(b'')
    ok = _ensure(tmp_path, FASHION_MNIST_DIR=str(full))
    # the folder is enough: no apt
    assert ok.returncode == 0 and ok.stderr == ''
    empty = tmp_path / 'empty'
    empty.mkdir()
    proc = _ensure(tmp_path, FASHION_MNIST_DIR=str(empty))
    assert proc.returncode == 1
    _names_both_ways(proc.stderr)
    assert str(
        empty) in proc.stderr and 'FASHION_MNIST_DIR is set' in proc.stderr


def test_fashion_mnist_message_without_apt_or_root(tmp_path):
    """The script with the Debian folder replaced by an empty one: a machine
    without the package, without apt-get, or without root."""
    script = tmp_path / 'ensure.sh'
    text = open(ENSURE).read()
    assert 'DEFAULT_DIR=/usr/share/datasets/fashion-mnist' in text
    deb_dir = tmp_path / 'no-package'
    script.write_text(
        text.replace('DEFAULT_DIR=/usr/share/datasets/fashion-mnist',
                     f'DEFAULT_DIR={deb_dir}'))
    bin_dir = tmp_path / 'bin'  # cat and id only: no apt-get, no sudo
    bin_dir.mkdir()
    for tool in ('cat', 'id'):
        os.symlink(shutil.which(tool), bin_dir / tool)
    no_apt = _ensure(tmp_path, str(script), path=str(bin_dir))
    assert no_apt.returncode == 1
    assert 'apt-get is not available' in no_apt.stderr
    _names_both_ways(no_apt.stderr)
    opted_out = _ensure(tmp_path, str(script), WSSS_MM_NO_APT='1')
    assert opted_out.returncode == 1 and 'WSSS_MM_NO_APT=1' in opted_out.stderr
    _names_both_ways(opted_out.stderr)
    # a non-root user on a machine with apt-get, no sudo
    fake = tmp_path / 'fake'
    fake.mkdir()
    (fake / 'id').write_text('#!/bin/sh\necho 1000\n')
    (fake / 'apt-get'
     ).write_text('#!/bin/sh\necho apt-get must not run >&2; exit 3\n')
    for tool in ('id', 'apt-get'):
        os.chmod(fake / tool, 0o755)
    os.symlink(shutil.which('cat'), fake / 'cat')
    user = _ensure(tmp_path, str(script), path=str(fake))
    assert user.returncode == 1 and 'not root' in user.stderr
    assert 'must not run' not in user.stderr
    _names_both_ways(user.stderr)
