"""DCP statistics pass (eq. 2): time and peak memory as the images grow.

Streams N synthetic feature maps (D x h x w, default 512 x 41 x 41: a
321x321 image at output stride 8) with random image labels (1-3 of C = 20
classes) through :class:`ClassStatistics` (float64 sums, per-class cap) and
computes the class patterns (eigendecomposition of the C covariances), for N
in ``--sizes`` (default 100 200 400 800). Each size runs in a fresh
subprocess so that its peak memory is its own: peak RSS growth over the
process after imports (CPU) or peak allocated memory (CUDA).

``--naive`` adds the textbook route for comparison: keep every feature map,
then per class concatenate the pixels of its images and call ``torch.cov``
(memory grows with N; the streaming pass stays at O(C·D²)).

    python -m benchmarks.speed.dcp_statistics_cost [--device cuda] \\
        [--dim 1024] [--sizes 100 200 400 800] \\
        [--naive [--naive-max 400]] [--threads 1]

Prints a table and, last, one JSON line.
"""
import argparse
import json
import os.path as osp
import resource
import subprocess
import sys
import time

import torch

from wsss_mm.models.utils.dcp import ClassStatistics

#: this script, as its one-size subprocesses run it (in the repository)
MODULE = 'benchmarks.speed.dcp_statistics_cost'
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', default='cpu')
    p.add_argument('--dim', type=int, default=512, help='D feature channels')
    p.add_argument(
        '--size', type=int, default=41, help='feature map side h = w')
    p.add_argument('--classes', type=int, default=20)
    p.add_argument(
        '--sizes', type=int, nargs='+', default=[100, 200, 400, 800])
    p.add_argument('--max-images-per-class', type=int, default=800)
    p.add_argument(
        '--naive',
        action='store_true',
        help='also run the concatenate+cov route')
    p.add_argument(
        '--naive-max',
        type=int,
        default=400,
        help='largest N for the naive route (its memory grows with N)')
    p.add_argument(
        '--threads', type=int, default=None, help='torch CPU threads')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument(
        '--worker', help=argparse.SUPPRESS)  # 'stream:N' | 'naive:N'
    return p.parse_args(argv)


def synthetic_images(n, args):
    """Yields (feat (D, h, w) float32, classes) one image at a time."""
    g = torch.Generator().manual_seed(args.seed)
    for _ in range(n):
        k = int(torch.randint(1, 4, (1, ), generator=g))
        classes = torch.randperm(args.classes, generator=g)[:k]
        feat = torch.rand(
            args.dim, args.size, args.size, generator=g).to(args.device)
        yield feat, classes


def peak_bytes(device, rss0):
    if str(device).startswith('cuda'):
        return torch.cuda.max_memory_allocated()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) * 1024


def sync(device):
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()


def run_stream(n, args):
    stats = ClassStatistics(
        args.classes, args.dim, args.max_images_per_class, device=args.device)
    sync(args.device)
    t0, c0 = time.perf_counter(), time.process_time()
    for feat, classes in synthetic_images(n, args):
        stats.add(feat, classes)
    sync(args.device)
    t1 = time.perf_counter()
    stats.patterns('contrast')
    t2, c2 = time.perf_counter(), time.process_time()
    return dict(
        accumulate_s=t1 - t0,
        patterns_s=t2 - t1,
        cpu_s=c2 - c0,
        state_mb=stats.nbytes() / 2**20)


def run_naive(n, args):
    t0, c0 = time.perf_counter(), time.process_time()
    kept = list(synthetic_images(n, args))
    for c in range(args.classes):
        pix = [f.reshape(args.dim, -1) for f, cls in kept if c in cls.tolist()]
        if pix:
            cov = torch.cov(torch.cat(pix, 1).double(), correction=0)
            torch.linalg.eigh(cov)
    sync(args.device)
    return dict(
        accumulate_s=time.perf_counter() - t0,
        patterns_s=0.0,
        cpu_s=time.process_time() - c0,
        state_mb=float('nan'))


def worker(args):
    if args.threads:
        torch.set_num_threads(args.threads)
    route, n = args.worker.split(':')
    # warm up the kernels (matmul, index_add, eigh) on a tiny run, then measure
    warm = ClassStatistics(2, 4, device=args.device)
    warm.add(torch.rand(4, 3, 3).to(args.device), [0])
    warm.patterns()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if str(args.device).startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    out = (run_stream if route == 'stream' else run_naive)(int(n), args)
    out['peak_mb'] = peak_bytes(args.device, rss0) / 2**20
    print(json.dumps(out))


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        return worker(args)
    base = [
        sys.executable, '-m', MODULE, '--device', args.device, '--dim',
        str(args.dim), '--size',
        str(args.size), '--classes',
        str(args.classes), '--max-images-per-class',
        str(args.max_images_per_class), '--seed',
        str(args.seed)
    ]
    if args.threads:
        base += ['--threads', str(args.threads)]
    rows = []
    for n in args.sizes:
        routes = ['stream'
                  ] + (['naive'] if args.naive and n <= args.naive_max else [])
        for route in routes:
            proc = subprocess.run(
                base + ['--worker', f'{route}:{n}'],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO)
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res.update(route=route, images=n)
            rows.append(res)
            print(
                f'{route:>6} N={n:5d}: accumulate {res["accumulate_s"]:7.2f} '
                's  '
                f'patterns {res["patterns_s"]:6.2f} s  CPU '
                f'{res["cpu_s"]:7.2f} s  '
                f'peak +{res["peak_mb"]:8.1f} MiB',
                flush=True)
    pixels = args.size * args.size
    print(f'\nDCP statistics pass, D = {args.dim}, {args.size}x{args.size} '
          'maps, '
          f'C = {args.classes}, cap {args.max_images_per_class}, device '
          f'{args.device}, '
          'torch threads '
          f'{torch.get_num_threads() if not args.threads else args.threads}')
    print('(wall s: elapsed; CPU s: this process\'s CPU time, the figure to '
          'trust on a '
          'shared machine; synthetic data generation included)')
    print(f'{"route":>6} {"images":>6} {"wall s":>7} {"CPU s":>7} '
          f'{"ms/image":>8} '
          f'{"patterns s":>10} {"peak MiB":>9} {"sums MiB":>8}')
    for r in rows:
        total = r['accumulate_s'] + r['patterns_s']
        print(
            f'{r["route"]:>6} {r["images"]:6d} {total:7.2f} {r["cpu_s"]:7.2f} '
            f'{1000 * r["accumulate_s"] / r["images"]:8.1f} '
            f'{r["patterns_s"]:10.2f} '
            f'{r["peak_mb"]:9.1f} {r["state_mb"]:8.1f}')
    print(
        json.dumps(
            dict(
                dim=args.dim,
                pixels_per_image=pixels,
                classes=args.classes,
                device=args.device,
                rows=rows)))


if __name__ == '__main__':
    main()
