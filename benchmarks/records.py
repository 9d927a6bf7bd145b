"""Committed records of a benchmark: the small files its report reads.

On 2 CPU cores the part-and-body bench takes longer than one machine is
held (about 7 hours with its seed reruns, and the ablations as long again),
and its work root (checkpoints, seeds) is never committed. So the bench
keeps, for each finished run, the files :mod:`benchmarks.make_report` reads
(the runner's ``result.json``, the run statuses, the speed entries, the
ablation tables and choices) under ``benchmarks/records/<bench work root>/``,
with the date and commit each was saved at (``index.json``). A report built
on a machine that ran part of the bench lays these records under the live
work roots (:func:`view`): a live file wins, every other run is shown as
recorded, and the report says which runs came from the records.

``python -m benchmarks.records save --bench-root B --ablation-root A
--records R`` saves by hand what ``make bench`` / ``make ablations`` save
after each run.
"""
import argparse
import datetime
import glob
import os
import os.path as osp
import shutil
import subprocess
import tempfile

from wsss_mm.utils.io import atomic_path, atomic_write_json, load_json

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

#: what the report reads, relative to the bench root and the ablation root
PATTERNS = dict(
    bench=('*/result.json', 'logs/*.status.json', 'bench_summary.json',
           'speed/*.json', 'dcp/statistics/metrics.json'),
    ablation=('*/ablation.json', '*/ablation.md', '*/result.json',
              '*/choice.json'))


def _commit():
    try:
        return subprocess.run(['git', 'rev-parse', '--short', 'HEAD'],
                              cwd=REPO,
                              capture_output=True,
                              text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def matched(root, part):
    """Paths relative to ``root`` of the files of ``PATTERNS[part]``."""
    if not root or not osp.isdir(root):
        return []
    found = set()
    for pattern in PATTERNS[part]:
        for path in glob.glob(osp.join(root, pattern)):
            if osp.isfile(path):
                found.add(osp.relpath(path, root))
    return sorted(found)


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


def save(records, bench_root=None, ablation_root=None):
    """Copy the report's files of the two roots into ``records``; a file is
    written (atomically) and stamped in ``index.json`` only when its bytes
    changed. Returns the relative paths written."""
    index_path = osp.join(records, 'index.json')
    index = load_json(index_path) or {}
    stamp = dict(
        saved=datetime.datetime.now().isoformat(timespec='seconds'),
        commit=_commit())
    written = []
    for part, root in (('bench', bench_root), ('ablation', ablation_root)):
        for rel in matched(root, part):
            data = _read(osp.join(root, rel))
            key = f'{part}/{rel}'
            dest = osp.join(records, key)
            if osp.isfile(dest) and _read(dest) == data:
                continue
            with atomic_path(dest) as tmp:
                with open(tmp, 'wb') as f:
                    f.write(data)
            index[key] = stamp
            written.append(key)
    if written:
        atomic_write_json(index_path, dict(sorted(index.items())))
    return written


def _lay(src, dest, part):
    """Copy the report's files of ``src`` into ``dest``; returns their
    relative paths."""
    rels = matched(src, part)
    for rel in rels:
        os.makedirs(osp.dirname(osp.join(dest, rel)), exist_ok=True)
        shutil.copyfile(osp.join(src, rel), osp.join(dest, rel))
    return rels


def view(records, bench_root, ablation_root=None):
    """A temporary folder holding the records of ``records`` with the live
    files of ``bench_root`` / ``ablation_root`` laid over them.

    Returns ``(folder, bench view, ablation view, taken)``: ``taken`` maps
    each run folder shown from the records alone (``bench/<run>``,
    ``ablation/<name>``) to its index stamp. The caller removes ``folder``.
    """
    folder = tempfile.mkdtemp(prefix='wsss_mm_records_')
    views, live_runs = {}, set()
    for part, live in (('bench', bench_root), ('ablation', ablation_root)):
        views[part] = osp.join(folder, part)
        os.makedirs(views[part])
        _lay(osp.join(records, part), views[part], part)
        live_runs |= {
            f'{part}/{rel.split("/", 1)[0]}'
            for rel in _lay(live, views[part], part) if '/' in rel
        }
    index = load_json(osp.join(records, 'index.json')) or {}
    taken = {}
    for key, stamp in sorted(index.items()):
        part, rel = key.split('/', 1)
        if '/' not in rel:  # bench_summary.json: not a run
            continue
        run = f'{part}/{rel.split("/", 1)[0]}'
        if run != 'bench/logs' and run not in live_runs:
            taken.setdefault(run, stamp)
    return folder, views['bench'], views['ablation'], taken


def taken_line(taken, records):
    """The report's line naming the runs shown from the records."""
    if not taken:
        return None
    runs = ', '.join(f'{k.split("/", 1)[1]} ({v.get("saved", "?")[:10]}, '
                     f'{v.get("commit") or "?"})'
                     for k, v in sorted(taken.items()))
    return (f'runs shown from the committed records '
            f'(`{osp.relpath(records, REPO)}`, not run on this machine; '
            f'saved, commit): {runs}')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('action', choices=('save', ))
    p.add_argument('--records', required=True)
    p.add_argument('--bench-root')
    p.add_argument('--ablation-root')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not (args.bench_root or args.ablation_root):
        raise SystemExit('records save: give --bench-root and/or '
                         '--ablation-root')
    written = save(args.records, args.bench_root, args.ablation_root)
    print(f'[records] {len(written)} files saved to {args.records}' +
          ''.join(f'\n  {w}' for w in written))
    return written


if __name__ == '__main__':
    main()
