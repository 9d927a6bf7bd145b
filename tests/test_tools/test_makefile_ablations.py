"""Every run of `make ablations` (part-and-body) is well formed before hours
are spent on it: the configs exist and each variant's model options build
(an option the model does not take fails here, not after the runs before it)."""
import argparse
import os.path as osp
import shlex
import subprocess

import pytest

from conftest import REPO


def ablation_commands():
    out = subprocess.run(['make', '-n', 'ablations', 'PY=python', 'STAMP=/dev/null'], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    joined = out.replace('\\\n', ' ')
    return [shlex.split(line) for line in joined.splitlines()
            if 'train_ablation.py' in line or 'wsss_pipeline.py' in line]


def build_with(config, options):
    from mmengine.config import Config, DictAction
    from mmseg.registry import MODELS
    from mmseg.utils import register_all_modules

    import wsss_mm  # noqa: F401
    register_all_modules()
    cfg = Config.fromfile(osp.join(REPO, config))
    parser = argparse.ArgumentParser()
    parser.add_argument('--o', nargs='+', action=DictAction, default={})
    model_opts = [o for o in options if o.startswith('model.')]
    if model_opts:
        cfg.merge_from_dict(parser.parse_args(['--o', *model_opts]).o)
    model = cfg.model
    for key in ('backbone', 'neck'):  # no pretrained weights are needed to build
        if isinstance(model.get(key), dict):
            model[key].pop('init_cfg', None)
    return MODELS.build(model)


def test_the_ablations_target_lists_its_runs():
    cmds = ablation_commands()
    scripts = [osp.basename(c[1]) for c in cmds]
    assert scripts.count('train_ablation.py') >= 5 and scripts.count('wsss_pipeline.py') >= 3


@pytest.mark.parametrize('argv', [c for c in ablation_commands()
                                  if c[1].endswith('train_ablation.py') and '--preset' not in c],
                         ids=lambda c: c[c.index('--work-dir') + 1].rsplit('/', 1)[-1])
def test_train_ablation_variants_build(argv):
    from tools.benchmark import train_ablation as ta
    args = ta.parse_args(argv[2:])
    assert osp.isfile(osp.join(REPO, args.config)), args.config
    for name, *options in args.variant:
        build_with(args.config, list(args.cfg_options) + options)


@pytest.mark.parametrize('argv', [c for c in ablation_commands()
                                  if c[1].endswith('wsss_pipeline.py')],
                         ids=lambda c: c[c.index('--work-dir') + 1].rsplit('/', 1)[-1])
def test_pipeline_ablations_build_their_classifier(argv):
    from tools.wsss_pipeline import head_of, parse_args
    from wsss_mm.recipes import RECIPES
    args = parse_args(argv[2:])
    configs = {s.config_for(args.config_set) for s in RECIPES[args.method]
               if s.runs_on(args.config_set) and s.config is not None}
    classifiers = [c for c in configs if head_of(osp.join(REPO, c)) == 'cls']
    assert classifiers
    for config in classifiers:
        build_with(config, list(args.cfg_options) + list(args.cls_cfg_options))
