"""A training's provenance reads only what mmengine's Runner reads: a
config's helper variables (a seed pipeline, a crop size) and what only
testing reads do not retrain a classifier."""
import os.path as osp

from mmengine.config import Config

from wsss_mm.recipes.runner import training_view

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_helper_variables_and_test_keys_leave_the_training_view(tmp_path):
    base = osp.join(REPO, 'configs', 'cam', 'cam_vgg16-slim_partbody.py')
    cfg = Config.fromfile(base)
    changed = tmp_path / 'changed.py'
    changed.write_text(f"_base_ = ['{base}']\n"
                       "seed_pipeline = [dict(type='LoadImageFromFile')]\n"
                       "model = dict(seed_generator=dict(fg_threshold=0.1))\n"
                       "test_dataloader = dict(batch_size=1)\n")
    other = Config.fromfile(str(changed))
    assert other.seed_pipeline != cfg.seed_pipeline
    assert (training_view(other).pretty_text == training_view(cfg).pretty_text)
    view = training_view(cfg)
    assert 'seed_generator' not in view.model and 'crop_size' not in view
    assert 'test_dataloader' not in view and 'train_dataloader' in view
    # what a training reads does change it
    lr = tmp_path / 'lr.py'
    lr.write_text(f"_base_ = ['{base}']\n"
                  "optim_wrapper = dict(optimizer=dict(lr=0.5))\n")
    assert (training_view(Config.fromfile(str(lr))).pretty_text !=
            view.pretty_text)
