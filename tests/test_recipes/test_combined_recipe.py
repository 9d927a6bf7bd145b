"""The composed recipe (configs/combined, recipe ``combined``): its stage
graph on every config set, the configs each stage runs, and one run of the
whole graph on tiny data."""
import json
import os
import os.path as osp

import numpy as np
import pytest
from conftest import REPO, run_tool
from mmengine.config import Config

from benchmarks.seed_holdout import agreement, seed_scores
from wsss_mm.recipes import RECIPES, cam, combined


def load(rel):
    return Config.fromfile(osp.join(REPO, rel))


def norm(path):
    return osp.normpath(path)


def test_stage_graph_reads_what_earlier_stages_write():
    stages = RECIPES['combined']
    names = [s.name for s in stages]
    assert names == ['classifier', 'seeds', 'segmentation', 'val']
    by_name = {s.name: s for s in stages}
    assert by_name['seeds'].sets == combined.SETS == ('threshold', 'crf')
    assert by_name['segmentation'].labels == combined.SETS
    assert by_name['val'].checkpoint == 'segmentation'
    # with DCP's retraining (the part held-out train left out): the same
    # first stages, then the first model's predicted masks on train and a
    # second network trained on them
    retrain = RECIPES['combined_retrain']
    assert retrain[:3] == stages[:3]
    assert [s.name for s in retrain[3:]
            ] == ['val_first', 'train_pred', 'retrain', 'val']
    by_name = {s.name: s for s in retrain}
    assert by_name['retrain'].labels == 'train_pred'
    assert by_name['val_first'].metrics == 'val_before_retrain'
    assert by_name['val'].checkpoint == 'retrain'
    for graph in (stages, retrain, RECIPES['combined_wo_pamr']):
        written = set()
        for s in graph:
            # every stage reads only outputs of stages before it
            assert set(s.needs()) <= written, s.name
            written.update(s.outputs)
    # the leave-one-out without PAMR differs by its seed configs alone
    wo = RECIPES['combined_wo_pamr']
    assert [s.name for s in wo] == names
    for a, b in zip(stages, wo):
        assert a == b or a.name == 'seeds'


@pytest.mark.parametrize('config_set', ['mini', 'partbody', 'voc'])
def test_configs_chain_their_outputs(config_set):
    # the classifier is the CAM baseline's: the bench hands over its run
    assert combined.CLASSIFIER[config_set] == cam.CLASSIFIER[config_set]
    clf = load(combined.CLASSIFIER[config_set])
    seeds = load(combined.SEEDS[config_set])
    assert seeds.model.backbone == clf.model.backbone
    assert seeds.model.cls_head == clf.model.cls_head
    gen = seeds.model.seed_generator
    assert gen.type == 'SeedSetsGenerator'
    assert tuple(gen.sets) == combined.SETS
    thr, crf = gen.sets.threshold, gen.sets.crf
    # both read the CAM baseline's views (one forward pass), PAMR-refined
    base = clf.model.seed_generator
    for member in (thr, crf):
        assert member.scales == base.scales and member.flip == base.flip
        assert member.refine.type == 'PAMR'
    assert thr.get('seed_type', 'threshold') == 'threshold'
    assert crf.seed_type == 'crf'
    # the segmenter reads the two folders the seed run writes
    seg = load(combined.SEGMENTOR[config_set])
    root = seeds.test_evaluator.output_dir
    assert [norm(d) for d in seg.train_dataloader.dataset.seed_dirs
            ] == [norm(osp.join(root, s)) for s in combined.SETS]
    assert seg.model.decode_head.type == 'MultiSeedHead'
    assert seg.model.decode_head.loss_decode.scale == 0.0  # plain loss
    # with the retraining: the predict run is the segmenter's network on
    # train images only; the retraining reads its masks
    pred = load(combined.PREDICT[config_set])
    seg_model = seg.model.to_dict()
    pred_model = pred.model.to_dict()
    for m in (seg_model, pred_model):
        m['decode_head'].pop('loss_decode')
    assert pred_model == seg_model
    assert pred.test_evaluator.format_only
    assert not any(t['type'] == 'LoadAnnotations'
                   for t in pred.test_dataloader.dataset.pipeline)
    retrain = load(combined.RETRAIN[config_set])
    assert norm(pred.test_evaluator.output_dir) == norm(
        retrain.train_dataloader.dataset.data_prefix.seg_map_path)
    assert norm(root) != norm(pred.test_evaluator.output_dir)


def test_leave_one_out_without_pamr_is_the_same_read_outs_unrefined():
    full = load(combined.SEEDS['partbody']).model.seed_generator.sets
    wo = load(combined.SEEDS_WO_PAMR['partbody']).model.seed_generator.sets
    assert tuple(wo) == combined.SETS
    # the CAM baseline's own generator and its CRF instrument's read-out
    clf = load(cam.CLASSIFIER['partbody']).model.seed_generator
    instrument = load(cam.CRF_SEEDS['partbody']).model.seed_generator
    assert wo.threshold.to_dict() == clf.to_dict()
    assert wo.crf.to_dict() == instrument.to_dict()
    # the composed sets are those with PAMR (and the threshold it chose)
    for name in combined.SETS:
        refined = full[name].to_dict()
        assert refined.pop('refine')['type'] == 'PAMR'
        refined.pop('fg_threshold'), refined.pop('bg_threshold')
        plain = wo[name].to_dict()
        plain.pop('fg_threshold'), plain.pop('bg_threshold')
        assert refined == plain


def test_agreement_and_seed_scores():
    a = np.array([[0, 1], [2, 255]], np.uint8)
    b = np.array([[0, 1], [1, 2]], np.uint8)
    assert agreement([a, b]).tolist() == [[0, 1], [255, 255]]
    # rows GT 0..2, columns prediction 0..2 + unlabelled
    m = np.array([[4, 0, 0, 0], [0, 2, 0, 2], [0, 1, 1, 0]])
    s = seed_scores(m)
    # IoU: 4/4, 2/(4+3-2), 1/(2+1-1): an unlabelled pixel misses its class
    assert s['mIoU'] == pytest.approx(100 * (1 + 0.4 + 0.5) / 3, abs=0.01)
    assert s['precision'] == pytest.approx(100 * (1 + 2 / 3 + 1) / 3, abs=0.01)
    assert s['recall'] == pytest.approx(100 * (1 + 0.5 + 0.5) / 3, abs=0.01)
    assert s['coverage'] == pytest.approx(80.0)


def test_combined_pipeline_end_to_end(tiny_voc, tmp_path):
    """Every stage of the recipe, and of its variant with DCP's retraining
    (a superset), runs on tiny data through the runner; the held-out scorer
    reads the sets it wrote."""
    work = tmp_path / 'combined'
    proc = run_tool('tools/wsss_pipeline.py', '--method',
                    'combined_retrain', '--data-root', tiny_voc, '--work-dir',
                    str(work), '--cls-iters', '2', '--seg-iters', '2',
                    '--no-pretrain')
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result['method'] == 'combined_retrain'
    for key in ('seed_miou', 'val_before_retrain_miou', 'val_miou'):
        assert 0 <= result[key] <= 100, key

    def pngs(folder):
        return sorted(f for f in os.listdir(folder) if f.endswith('.png'))

    sets = [work / 'seeds' / 'labels' / s for s in combined.SETS]
    for folder in sets:
        assert len(pngs(folder)) == 16
    assert len(pngs(work / 'train_pred' / 'labels')) == 16
    ids = [f[:-4] for f in pngs(sets[0])][:4]
    holdout = tmp_path / 'holdout.txt'
    holdout.write_text('\n'.join(ids) + '\n')
    out = tmp_path / 'scores.json'
    run_tool('-m',
             'benchmarks.seed_holdout', '--data-root', tiny_voc, '--holdout',
             str(holdout), '--set', f'threshold={sets[0]}', '--set',
             f'crf={sets[1]}', '--agree', 'threshold,crf', '--out', str(out))
    rows = json.load(open(out))['rows']
    assert set(rows) == {'threshold', 'crf', 'agree(threshold+crf)'}
    assert rows['agree(threshold+crf)']['coverage'] <= min(
        rows['threshold']['coverage'], rows['crf']['coverage'])


def test_second_round_candidate_graph_and_configs():
    """Candidate ``combined_second_round``: single-stage's network, its
    pseudo masks on train with the dense CRF of its val_crf config, the
    two-stage segmenter trained on them; without the CRF the plain pseudo
    masks of the single-stage recipe."""
    from wsss_mm.recipes import single_stage
    for name in ('combined_second_round', 'combined_second_round_wo_crf'):
        graph = RECIPES[name]
        assert [s.name for s in graph
                ] == ['first_round', 'seeds', 'segmentation', 'val']
        written = set()
        for s in graph:
            assert set(s.needs()) <= written, (name, s.name)
            written.update(s.outputs)
        by_name = {s.name: s for s in graph}
        assert by_name['segmentation'].labels == 'seeds'
    for config_set in ('mini', 'partbody'):
        first = RECIPES['combined_second_round'][0]
        assert first.config_for(config_set) == single_stage.MODEL[config_set]
        seeds = load(combined.FIRST_ROUND_SEEDS[config_set])
        crf = load(single_stage.WITH_CRF[config_set]).model.test_cfg.crf
        plain = load(single_stage.PSEUDO_MASKS[config_set])
        assert seeds.model.test_cfg.crf == crf
        assert seeds.model.test_cfg.use_gt_labels is True
        assert seeds.test_dataloader == plain.test_dataloader
        assert seeds.test_evaluator.type == 'SeedMetric'
        seg = load(combined.SECOND_ROUND[config_set])
        # the second round reads the first round's folder
        assert norm(
            seg.train_dataloader.dataset.data_prefix.seg_map_path) == norm(
                seeds.test_evaluator.output_dir)
        wo = RECIPES['combined_second_round_wo_crf'][1]
        assert wo.config_for(
            config_set) == single_stage.PSEUDO_MASKS[config_set]


def test_second_round_end_to_end(tiny_voc, tmp_path):
    """Candidate ``combined_second_round`` through the runner on tiny data:
    every stage runs and the second round trains on the first round's
    pseudo masks."""
    work = tmp_path / 'second_round'
    proc = run_tool('tools/wsss_pipeline.py', '--method',
                    'combined_second_round', '--data-root', tiny_voc,
                    '--work-dir', str(work), '--cls-iters', '2', '--seg-iters',
                    '2', '--no-pretrain')
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert 0 <= result['seed_miou'] <= 100
    assert 0 <= result['val_miou'] <= 100
    labels = work / 'seeds' / 'labels'
    assert len([f for f in os.listdir(labels) if f.endswith('.png')]) == 16
    stages = json.load(open(work / 'result.json'))['stages']
    cmd = stages['segmentation']['command']
    assert any(str(labels) in c for c in cmd)


def test_holdout_split_lists_match_choose_threshold(tmp_path):
    from benchmarks.choose_threshold import holdout_ids
    from benchmarks.holdout_split import main, split_lists
    lists = tmp_path / 'ImageSets' / 'Segmentation'
    lists.mkdir(parents=True)
    train = [f'train_{i:03d}' for i in range(20)]
    (lists / 'train.txt').write_text('\n'.join(train) + '\n')
    (lists / 'val.txt').write_text('val_000\n')
    assert main(['--data-root', str(tmp_path)]) == dict(
        train_fit=16, train_holdout=4)
    held = (lists / 'train_holdout.txt').read_text().split()
    assert held == holdout_ids(train, 0.2, 0)  # choose_threshold's draw
    fit = (lists / 'train_fit.txt').read_text().split()
    assert sorted(fit + held) == train and not set(fit) & set(held)
    # the same call again is a no-op; another draw over it is refused
    main(['--data-root', str(tmp_path)])
    with pytest.raises(FileExistsError, match='exists with other ids'):
        main(['--data-root', str(tmp_path), '--holdout-seed', '1'])
    with pytest.raises(ValueError, match='not in the train list'):
        split_lists(train, ['nope'])
