"""The whole CAM-baseline pipeline through tools/train.py and tools/test.py."""
import json
import os
import os.path as osp

from conftest import run_tool


def pngs(folder):
    return sorted(f for f in os.listdir(folder) if f.endswith('.png'))


def last_json(stdout):
    return json.loads(stdout.strip().splitlines()[-1])


def test_cam_pipeline_end_to_end(tiny_voc, tmp_path):
    work = tmp_path / 'cam'
    argv = ('tools/wsss_pipeline.py', '--method', 'cam', '--data-root',
            tiny_voc, '--work-dir', str(work), '--cls-iters', '4',
            '--seg-iters', '4', '--pretrain-objects', '200',
            '--pretrain-epochs', '1', '--pretrain-dir',
            str(tmp_path / 'pretrained'))
    proc = run_tool(*argv)
    result = last_json(proc.stdout)
    assert result['method'] == 'cam' and result['num_classes'] == 11
    for key in ('seed_miou', 'val_miou', 'seed_precision', 'seed_recall'):
        assert 0 <= result[key] <= 100, key
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    seeds = pngs(work / 'seeds' / 'labels')
    assert seeds == sorted(i + '.png' for i in ids)
    assert len(os.listdir(work / 'seeds' / 'labels_overlays')) == 8
    assert osp.isfile(result['pretrained']['vgg16'])
    stages = json.load(open(work / 'result.json'))['stages']
    assert list(stages) == ['classifier', 'seeds', 'segmentation', 'val']
    assert stages['seeds']['metrics']['seed/mIoU'] == result['seed_miou']
    # the pretrained backbone is cached: a second build is not triggered
    import re
    cached = [
        f for f in os.listdir(tmp_path / 'pretrained')
        if re.search(r'-[0-9a-f]{12}\.pth$', f)
    ]
    assert len(cached) == 1

    # a rerun keeps every stage of the same provenance ...
    again = last_json(run_tool(*argv).stdout)
    assert again['seed_miou'] == result['seed_miou'] and again[
        'val_miou'] == result['val_miou']
    kept = json.load(open(work / 'result.json'))['stages']
    assert all(kept[n].get('kept') for n in kept)
    # --plan says so first, writing nothing: every stage kept; with a seed
    # option, the seeds and what reads them would run, the classifier not
    seed_opt = ('--cls-cfg-options', 'model.seed_generator.bg_threshold=0.0')
    before = {p: os.path.getmtime(p) for p in work.rglob('*') if p.is_file()}
    plan = run_tool(*argv, '--plan').stdout
    assert '[plan] 0 of 4 stages would run' in plan
    # scenes rebuilt with another recipe in the same folder: every stage
    # read them, so every stage would run again
    manifest = osp.join(tiny_voc, 'scenes.json')
    original = open(manifest).read()
    try:
        with open(manifest, 'w') as f:
            json.dump(dict(json.loads(original), seed=99), f)
        plan = run_tool(*argv, '--plan').stdout
    finally:
        with open(manifest, 'w') as f:
            f.write(original)
    assert '[plan] 4 of 4 stages would run' in plan
    plan = run_tool(*argv, '--plan', *seed_opt).stdout
    assert ('[plan] classifier: done before with the same provenance, '
            'kept') in plan
    assert ('[plan] seeds: would run (its command or resolved config '
            'changed)') in plan
    assert '[plan] segmentation: would run (seeds would run first)' in plan
    assert '[plan] 3 of 4 stages would run: seeds, segmentation, val' in plan
    assert {p: os.path.getmtime(p)
            for p in work.rglob('*') if p.is_file()} == before
    # ... and reruns the seeds (and what reads them) when a seed option
    # changes:
    # no stale seed is scored (background threshold 0: no background seed)
    changed = last_json(run_tool(*argv, *seed_opt).stdout)
    stages = json.load(open(work / 'result.json'))['stages']
    assert stages['classifier'].get('kept') and not stages['seeds'].get('kept')
    assert not stages['segmentation'].get('kept')
    assert changed['seed_coverage'] < result['seed_coverage']
    # the run recorded elsewhere (benchmarks/records), its work dir gone:
    # --plan --recorded keeps every stage of the same provenance
    recorded = tmp_path / 'recorded_result.json'
    recorded.write_text((work / 'result.json').read_text())
    os.rename(work, tmp_path / 'cam_elsewhere')
    plan = run_tool(*argv, *seed_opt, '--plan', '--recorded',
                    str(recorded)).stdout
    assert '[plan] seeds: recorded with the same provenance, kept' in plan
    assert '[plan] 0 of 4 stages would run' in plan
    plan = run_tool(*argv, '--plan', '--recorded', str(recorded)).stdout
    assert '[plan] 3 of 4 stages would run: seeds, segmentation, val' in plan
    assert not work.exists()


def test_cam_pipeline_on_image_labels_without_train_masks(tiny_voc, tmp_path):
    """Own data, image labels only: no masks at all, the train labels come
    from a text file (class names); the CAM recipe runs end to end, the seed
    metrics are skipped, and val ends with predictions and pictures."""
    import shutil

    import numpy as np

    from wsss_mm.utils.io import read_label_png
    root = tmp_path / 'my_set'
    shutil.copytree(tiny_voc, root)
    names = [n for n in (root / 'classes.txt').read_text().split('\n') if n]
    ids = (root / 'ImageSets/Segmentation/train.txt').read_text().split()
    lines = []
    for i in ids:
        mask = read_label_png(str(root / 'SegmentationClass' / f'{i}.png'))
        lines.append(
            ','.join([i] + [names[c] for c in np.unique(mask) if 0 < c < 255]))
        os.remove(root / 'SegmentationClass' / f'{i}.png')
    (root / 'labels.txt').write_text('\n'.join(lines) + '\n')
    val_ids = (root / 'ImageSets/Segmentation/val.txt').read_text().split()
    for i in val_ids:
        os.remove(root / 'SegmentationClass' / f'{i}.png')
    work = tmp_path / 'cam'
    proc = run_tool('tools/wsss_pipeline.py', '--method', 'cam', '--data-root',
                    str(root),
                    '--label-file', str(root / 'labels.txt'), '--work-dir',
                    str(work), '--cls-iters', '2', '--seg-iters', '2',
                    '--no-pretrain')
    result = last_json(proc.stdout)
    # no masks: nothing to score, the seeds and predictions are written
    assert result['seed_miou'] is None and result['val_miou'] is None
    assert pngs(work / 'seeds' / 'labels') == sorted(i + '.png' for i in ids)
    assert pngs(work / 'val' / 'pred') == sorted(i + '.png' for i in val_ids)
    pictures = [p for p in (work / 'val' / 'pictures').rglob('*.png')]
    assert len(pictures) == len(val_ids)
    assert 'instead of mIoU' in proc.stdout


def test_full_supervision_and_custom_classes(tiny_voc, tmp_path):
    classes = tmp_path / 'names.txt'
    classes.write_text('\n'.join(['bg'] + [f'c{i}' for i in range(10)]) + '\n')
    proc = run_tool('tools/wsss_pipeline.py', '--method', 'full',
                    '--data-root', tiny_voc, '--work-dir',
                    str(tmp_path / 'full'), '--seg-iters', '4',
                    '--no-pretrain', '--classes', str(classes))
    result = last_json(proc.stdout)
    assert result['method'] == 'full' and result['seed_miou'] is None
    assert 0 <= result['val_miou'] <= 100
    assert open(tmp_path / 'full' / 'classes.txt').read().split()[0] == 'bg'


def test_resolve_class_names_from_masks(tiny_voc, tmp_path):
    import shutil

    from wsss_mm.utils.io import resolve_class_names
    root = tmp_path / 'noclasses'
    shutil.copytree(
        osp.join(tiny_voc, 'SegmentationClass'), root / 'SegmentationClass')
    names = resolve_class_names(str(root))
    assert names[0] == 'background' and names[-1].startswith('class')


def test_ficklenet_pipeline_runs(tiny_voc, tmp_path):
    """FickleNet seeds (N-selection Grad-CAM) through the same runner."""
    proc = run_tool('tools/wsss_pipeline.py', '--method',
                    'ficklenet', '--data-root', tiny_voc, '--work-dir',
                    str(tmp_path / 'fn'), '--cls-iters', '3', '--seg-iters',
                    '3', '--no-pretrain', '--cls-cfg-options',
                    'model.seed_generator.num_selections=8')
    result = last_json(proc.stdout)
    assert result['method'] == 'ficklenet' and 0 <= result['seed_miou'] <= 100
    assert len(pngs(tmp_path / 'fn' / 'seeds' / 'labels')) == 16


def test_single_stage_pipeline_runs(tiny_voc, tmp_path):
    """Single-stage: one train.py run, val mIoU and pseudo-mask seed mIoU."""
    proc = run_tool('tools/wsss_pipeline.py', '--method',
                    'single_stage', '--data-root', tiny_voc, '--work-dir',
                    str(tmp_path / 'ss'), '--seg-iters', '3', '--no-pretrain')
    result = last_json(proc.stdout)
    assert result['method'] == 'single_stage'
    assert 0 <= result['val_miou'] <= 100 and 0 <= result['seed_miou'] <= 100
    assert 0 <= result['val_crf_miou'] <= 100
    assert len(pngs(tmp_path / 'ss' / 'seeds' / 'labels')) == 16


def test_dcp_pipeline_runs(tiny_voc, tmp_path):
    """DCP: statistics pass, seeds, segmentation, its predicted masks on
    train, retrain on them (the fill-uncertain variant: test_bench_tools)."""
    proc = run_tool('tools/wsss_pipeline.py', '--method',
                    'dcp', '--data-root', tiny_voc, '--work-dir',
                    str(tmp_path / 'dcp'), '--cls-iters', '2', '--seg-iters',
                    '2', '--pretrain-objects', '100', '--pretrain-epochs', '1',
                    '--pretrain-dir', str(tmp_path / 'pretrained'))
    result = last_json(proc.stdout)
    assert 0 <= result['seed_miou'] <= 100
    assert 0 <= result['val_before_retrain_miou'] <= 100 and 0 <= result[
        'val_miou'] <= 100
    assert osp.isfile(tmp_path / 'dcp' / 'statistics' / 'patterns.pth')
    assert len(pngs(tmp_path / 'dcp' / 'train_pred' / 'labels')) == 16
    assert not osp.exists(tmp_path / 'dcp' / 'seeds_filled')


def test_lock_and_sigterm_reach_the_running_stage(tiny_voc, tmp_path):
    """A second runner in the same work dir is refused; SIGTERM ends the
    runner *and* the stage it runs (it used to leave train.py orphaned)."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO
    work = tmp_path / 'w'
    argv = [
        sys.executable, 'tools/wsss_pipeline.py', '--method', 'cam',
        '--data-root', tiny_voc, '--work-dir',
        str(work), '--cls-iters', '2000', '--seg-iters', '2', '--no-pretrain'
    ]
    proc = subprocess.Popen(
        argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not list(
            (work /
             'classifier').glob('*/vis_data')) and time.time() < deadline:
            time.sleep(1)  # the classifier's train.py is running
        assert proc.poll(
        ) is None, 'the runner ended before its first stage ran'
        second = subprocess.run(
            argv, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert second.returncode != 0
        assert 'another tools/wsss_pipeline.py runs' in second.stderr
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
        time.sleep(1)
        left = subprocess.run(['pgrep', '-f', str(work)],
                              capture_output=True,
                              text=True)
        assert left.stdout.strip(
        ) == '', f'stage processes left running: {left.stdout}'
    finally:
        if proc.poll() is None:
            proc.kill()


def test_summary_of_reused_seed_sets():
    """A seed set passed with --reuse has no metrics: the mean seed mIoU is
    over the sets that were scored (none: None), never a crash."""
    from wsss_mm.recipes import RECIPES
    from wsss_mm.recipes.runner import summarise
    stages = [s for s in RECIPES['multi_seed'] if s.runs_on('mini')]
    sets = [n for s in stages if s.metrics == 'seed' for n in s.outputs]
    assert len(sets) == 12
    records = {n: dict(seconds=1.0) for s in stages for n in s.outputs}
    records.update({s.name: dict(seconds=1.0) for s in stages})
    result = dict(stages=records)
    summarise(stages, result)
    assert result['seed_miou'] is None and set(
        result['seed_miou_per_set']) == set(sets)
    records[sets[0]]['metrics'] = {'seed/mIoU': 30.0}
    records[sets[1]]['metrics'] = {'seed/mIoU': 20.0}
    summarise(stages, result)
    assert result['seed_miou'] == 25.0 and result['seed_miou_per_set'][
        sets[2]] is None


def test_plan_before_the_mini_data_exist(tmp_path):
    """``--plan --build-mini`` on a fresh machine (what `make demo` runs,
    planned first) names the scenes it would build and every stage, and
    writes nothing."""
    data, work = tmp_path / 'mini', tmp_path / 'demo'
    plan = run_tool('tools/wsss_pipeline.py', '--method', 'cam', '--data-root',
                    str(data), '--work-dir', str(work),
                    '--build-mini', '--pretrain-dir',
                    str(tmp_path / 'pretrained'), '--plan').stdout
    assert f'[plan] data: would build 1500 / 300 scenes in {data}' in plan
    assert '[plan] pretrained vgg16: would' in plan
    assert '[plan] 4 of 4 stages would run' in plan
    assert sorted(os.listdir(tmp_path)) == []


def test_plan_checks_the_data_and_bad_input_is_one_line(tiny_voc, tmp_path):
    """--plan builds the first training's data sets (files, label file,
    class names) and writes nothing; bad input ends the runner with one line
    naming the file or option, not a traceback."""
    import subprocess
    import sys

    from conftest import REPO

    def runner(*extra):
        return subprocess.run([
            sys.executable, 'tools/wsss_pipeline.py', '--method', 'cam',
            '--data-root', tiny_voc, '--work-dir',
            str(tmp_path / 'w'), '--no-pretrain', '--plan', *extra
        ],
                              cwd=REPO,
                              capture_output=True,
                              text=True,
                              timeout=300)

    ok = runner()
    assert ok.returncode == 0, ok.stderr[-3000:]
    assert '[plan] data of classifier (train_dataloader): 16 images' in \
        ok.stdout
    assert '[plan] data of classifier (val_dataloader): 8 images' in ok.stdout
    ids = open(osp.join(tiny_voc,
                        'ImageSets/Segmentation/train.txt')).read().split()
    labels = tmp_path / 'labels.txt'
    labels.write_text(''.join(f'{i} t-shirt\n'
                              for i in ids[:-1]) + f'{ids[-1]} horse\n')
    bad = runner('--label-file', str(labels))
    assert bad.returncode == 1 and 'Traceback' not in bad.stderr
    assert f"{labels}:{len(ids)}: unknown class 'horse'" in bad.stderr
    missing = runner('--train-split', 'train_aug')
    assert missing.returncode == 1 and 'Traceback' not in missing.stderr
    assert 'train_aug.txt (--train-split)' in missing.stderr
    assert not (tmp_path / 'w').exists()


def test_a_named_classes_file_must_exist(tiny_voc, tmp_path):
    import pytest
    from conftest import weak_voc_dataset
    with pytest.raises(FileNotFoundError, match='classes_file not found'):
        weak_voc_dataset(tiny_voc, classes_file=str(tmp_path / 'none.txt'))
