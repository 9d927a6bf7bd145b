import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import wsss_mm  # noqa: F401
from wsss_mm.evaluation import SeedMetric
from wsss_mm.utils.io import read_label_png


def sample(img_path, pred, gt):
    s = SegDataSample(metainfo=dict(img_path=img_path))
    s.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
    s.gt_sem_seg = PixelData(data=torch.tensor(gt)[None])
    s.seg_logits = PixelData(data=torch.rand(3, *np.shape(pred)))
    return s.to_dict()


def test_seed_metric_counts_ignore_as_miss(tmp_path, tiny_voc):
    img = osp.join(tiny_voc, 'JPEGImages', 'train_00000.jpg')
    metric = SeedMetric(output_dir=str(tmp_path / 'seeds'), num_overlays=1)
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    pred = [[0, 1, 255, 255], [1, 1, 2, 255]]
    gt = [[0, 1, 1, 2], [0, 1, 2, 2]]
    metric.process({}, [sample(img, pred, gt)])
    res = metric.compute_metrics(metric.results)
    # class a: TP 2, FP 1 (gt 0), FN 1 (ignored) -> IoU 2/4, precision 2/3,
    # recall 2/3
    # class b: TP 1, FN 2 -> IoU 1/3, precision 1, recall 1/3; bg: TP 1, FN 1
    # -> 1/2
    assert abs(res['mIoU'] - 100 * (0.5 + 0.5 + 1 / 3) / 3) < 0.02
    assert abs(res['mPrecision'] - 100 * (1 + 2 / 3 + 1) / 3) < 0.02
    assert res['coverage'] == 62.5
    written = read_label_png(str(tmp_path / 'seeds' / 'train_00000.png'))
    np.testing.assert_array_equal(written, pred)
    assert osp.isfile(tmp_path / 'seeds_overlays' / 'train_00000.png')


def test_seed_writer_resumes_and_leaves_no_temp_files(tmp_path):
    out = tmp_path / 'seeds'
    metric = SeedMetric(output_dir=str(out), num_overlays=0)
    metric.dataset_meta = dict(classes=('background', 'a'))
    metric.process({}, [sample('/x/img1.jpg', [[1, 1]], [[1, 1]])])
    # a second run (resume) keeps the existing file and scores it
    metric.process({}, [sample('/x/img1.jpg', [[0, 0]], [[1, 1]])])
    np.testing.assert_array_equal(
        read_label_png(str(out / 'img1.png')), [[1, 1]])
    assert [p.name for p in out.iterdir()] == ['img1.png']
    res = metric.compute_metrics(metric.results)
    assert res['mIoU'] == 100.0  # both entries scored from the kept file


def test_resume_is_one_evaluator_option(tmp_path):
    """test_evaluator.output_dir + test_evaluator.resume: SeedResumeHook hands
    the folder to the model, which reads back batches whose seeds exist."""
    from types import SimpleNamespace

    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    from wsss_mm.engine.hooks.seed_resume_hook import SeedResumeHook

    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='WeakClassifier',
            backbone=dict(type='DeepLabVGG', width_mult=0.0625),
            cls_head=dict(type='CAMHead', in_channels=32, num_classes=2),
            seed_generator=dict(
                type='CAMSeedGenerator', fg_threshold=0.0,
                bg_threshold=0.0))).eval()
    calls = []
    generate = model.seed_generator.generate
    model.seed_generator.generate = lambda m, x, s: calls.append(len(
        s)) or generate(m, x, s)

    def batch(names):
        out = []
        for n in names:
            s = SegDataSample(
                metainfo=dict(
                    img_path=f'/x/{n}.jpg',
                    img_shape=(24, 24),
                    ori_shape=(24, 24)))
            s.gt_img_labels = torch.tensor([1., 1., 0.])
            out.append(s)
        return out

    out = tmp_path / 'seeds'
    metric = SeedMetric(
        output_dir=str(out), num_overlays=0)  # resume=True by default
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    # a TTA / DDP wrapper: the hook unwraps ``.module``; the config is what
    # the folder's provenance is checked against
    from mmengine.config import Config
    cfg = Config(
        dict(
            model=dict(type='WeakClassifier'),
            load_from=None,
            test_dataloader=dict(
                dataset=dict(data_root='/x', ann_file='t.txt'))))
    runner = SimpleNamespace(
        model=SimpleNamespace(module=model),
        cfg=cfg,
        test_loop=SimpleNamespace(evaluator=SimpleNamespace(metrics=[metric])))
    hook = SeedResumeHook()
    hook.before_test(runner)
    assert model.seed_resume_dir == str(out) == metric.resume_dir
    x = torch.rand(2, 3, 24, 24)
    first = model.predict(x, batch(['a', 'b']))
    metric.process({}, [s.to_dict() for s in first])
    assert calls == [2] and sorted(
        p.name
        for p in out.iterdir()) == ['a.png', 'b.png', 'provenance.json']
    again = model.predict(x,
                          batch(['a',
                                 'b']))  # all written: read back, not computed
    assert calls == [2] and again[0].metainfo['seed_reused']
    assert torch.equal(again[1].pred_sem_seg.data, first[1].pred_sem_seg.data)
    model.predict(x, batch(['a', 'c']))  # one missing: the batch is computed
    assert calls == [2, 2]
    hook.after_test(runner)
    assert model.seed_resume_dir is None
    # resume off: nothing is skipped, files are overwritten
    metric.resume = False
    hook.before_test(runner)
    assert model.seed_resume_dir is None and metric.resume_dir is None
    model.predict(x, batch(['a', 'b']))
    assert calls == [2, 2, 2]
    # models without seeds and evaluators without a seed writer: no-op
    hook.before_test(
        SimpleNamespace(model=torch.nn.Linear(1, 1), test_loop=None))
    assert sorted(p.name for p in out.iterdir()) == [
        'a.png', 'b.png', 'provenance.json'
    ]
    # another run (here: another split) into that folder is refused, and the
    # same run with overwrite empties it first
    other = Config(
        dict(
            cfg.to_dict(),
            test_dataloader=dict(
                dataset=dict(data_root='/x', ann_file='val.txt'))))
    metric = SeedMetric(output_dir=str(out), num_overlays=0)
    runner.cfg, runner.test_loop.evaluator.metrics = other, [metric]
    with pytest.raises(
            RuntimeError, match=r"(?s)split: 't' \(there\) != 'val'"):
        hook.before_test(runner)
    metric.overwrite = True
    hook.before_test(runner)
    assert [p.name for p in out.iterdir()] == ['provenance.json']


def test_seed_folder_of_unknown_provenance_is_refused_without_the_hook(
        tmp_path):
    """Issue #16 item 1 at the metric: a SeedMetric used without the hook
    (e.g. mmseg's own tools/test.py) cannot check what made the PNGs already
    in its folder, so it refuses them instead of scoring them."""
    out = tmp_path / 'seeds'
    first = SeedMetric(output_dir=str(out), num_overlays=0)
    first.dataset_meta = dict(classes=('background', 'a'))
    first.process({}, [sample('/x/img1.jpg', [[1, 1]], [[1, 1]])])
    second = SeedMetric(output_dir=str(out), num_overlays=0)
    second.dataset_meta = dict(classes=('background', 'a'))
    with pytest.raises(RuntimeError, match='provenance was not checked'):
        second.process({}, [sample('/x/img1.jpg', [[0, 0]], [[1, 1]])])
    np.testing.assert_array_equal(
        read_label_png(str(out / 'img1.png')), [[1, 1]])
