"""FickleNet speed benchmark (Table 4 of Lee et al. CVPR'19, and N = 200
seeds).

Measures, in one run on one device, at the VOC feature size (321x321 crop ->
x of 512x41x41, s = 9, p = 0.9, 20 classes):

1. one training step of the selection + classifier head (forward, GAP,
   sigmoid CE, backward to x): naive per-window dropout + conv (Fig. 2a)
   versus feature-map expansion (Sec. 3.1);
2. localisation maps of one image: Grad-CAM of N random selections by the
   naive route (extrapolated from a few selections), by autograd through the
   expanded head, by the factorised closed form (``selection_gradcam``) and
   by the sum over the kept units only (``sparse_selection_gradcam``, the
   units drawn sparsely), next to one plain CAM (the cost FickleNet's
   N = 200 is compared with);
3. the whole seed step of one image on the same backbone (VGG-16, conv5
   dilated, ``--image`` pixels): backbone + N = 200 factorised selections,
   + N sparse selections of all C classes and of ``--present-classes`` of
   them (the generator's ``path='sparse'`` computes the image's classes
   only), and + batched autograd, versus backbone + one deterministic CAM
   (issue #31's target: at most 1.1x); ``--seed-step-only`` runs this part
   alone;
4. peak memory of each route, each in a fresh subprocess (CUDA: peak
   allocated; CPU: peak RSS growth).

    python -m benchmarks.speed.ficklenet_expansion [--device cuda] [--quick]
        [--seed-step-only]

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
import torch.nn.functional as F

from wsss_mm.models.utils.feature_expansion import (expand_windows,
                                                    keep_to_expanded_mask,
                                                    naive_selection_conv,
                                                    sample_selection_keep)
from wsss_mm.models.utils.selection_gradcam import (selection_gradcam,
                                                    selection_gradcam_autograd)
from wsss_mm.models.utils.sparse_selection import (kept_units_to_keep,
                                                   sample_kept_units,
                                                   sparse_selection_gradcam)

#: this script, as its one-route subprocesses run it (in the repository)
MODULE = 'benchmarks.speed.ficklenet_expansion'
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# Paper, Table 4 (TITAN Xp): s/iter training, s/img CAM extraction, GB.
PAPER = dict(
    train_naive=20.0,
    train_expanded=1.3,
    cam_naive=2.98,
    cam_expanded=0.21,
    mem_naive_gb=8.4,
    mem_expanded_gb=10.1)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--channels', type=int, default=512)
    p.add_argument(
        '--size', type=int, default=41, help='feature map side (41 = 321/8)')
    p.add_argument('--classes', type=int, default=20)
    p.add_argument('--kernel', type=int, default=9)
    p.add_argument(
        '--dropout-ratio',
        '--drop-rate',
        dest='dropout_ratio',
        type=float,
        default=0.9,
        help='p, the neck\'s dropout_ratio (--drop-rate: old name)')
    p.add_argument(
        '--batch', type=int, default=1, help='training batch (paper: 10)')
    p.add_argument('--selections', type=int, default=200, help='N')
    p.add_argument(
        '--naive-selections',
        type=int,
        default=2,
        help='selections actually run on the naive route (then scaled to N)')
    p.add_argument(
        '--autograd-selections',
        type=int,
        help='selections actually run on '
        'the expanded-autograd route (then scaled to N; default N). Its cost '
        'is linear in N (chunks of 4), so a CPU run may time 20 and scale')
    p.add_argument('--repeat', type=int, default=3)
    p.add_argument(
        '--image',
        type=int,
        default=321,
        help='input side for the backbone '
        'comparison (x is image/8)')
    p.add_argument(
        '--width-mult',
        type=float,
        default=1.0,
        help='VGG-16 width for the '
        'backbone comparison (1 = the paper\'s)')
    p.add_argument(
        '--present-classes',
        type=int,
        default=2,
        help='classes of the '
        'image for the sparse seed step restricted to them (the generator\'s '
        'path=\'sparse\'; VOC has 1.5 a train image on average)')
    p.add_argument('--skip-memory', action='store_true')
    p.add_argument(
        '--seed-step-only',
        action='store_true',
        help='only part 3, the '
        'seed step on the backbone (the issue #31 ratio)')
    p.add_argument(
        '--step-autograd',
        action='store_true',
        help='also time the batched-'
        'autograd route on the backbone features (default: on CUDA or '
        '--quick only; at 512 channels it takes many minutes on a CPU)')
    p.add_argument(
        '--quick', action='store_true', help='small sizes (a smoke run)')
    p.add_argument(
        '--only',
        help=argparse.SUPPRESS)  # subprocess: one route, prints memory
    return p.parse_args(argv)


def sync(device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def timed(fn, device, repeat, warmup=True):
    if warmup:
        fn()
    sync(device)
    best = float('inf')
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        sync(device)
        best = min(best, time.perf_counter() - t0)
    return best


def timed_rounds(fns, device, repeat):
    """Best time of each of ``fns`` (name -> callable) over ``repeat``
    rounds that run each once in turn (after one warm-up each), so that a
    load that comes and goes reaches every route alike."""
    best = {}
    for fn in fns.values():
        fn()
    for _ in range(repeat):
        for name, fn in fns.items():
            sync(device)
            t0 = time.perf_counter()
            fn()
            sync(device)
            best[name] = min(
                best.get(name, float('inf')),
                time.perf_counter() - t0)
    return best


class Case:
    """Random inputs of the benchmark, fixed by a seed."""

    def __init__(self, a):
        g = torch.Generator().manual_seed(0)
        k, h, c, s = a.channels, a.size, a.classes, a.kernel
        self.a = a
        self.x = torch.rand((a.batch, k, h, h), generator=g).to(a.device)
        self.weight = (torch.randn(
            (c, k, s, s), generator=g) * 0.01).to(a.device)
        self.labels = (torch.rand(
            (a.batch, c), generator=g) < 0.1).float().to(a.device)
        self.keep = sample_selection_keep(
            a.batch, h, h, s, a.dropout_ratio, generator=g).to(a.device)

    def train_step(self, route):
        x = self.x.clone().requires_grad_(True)
        if route == 'naive':
            maps = naive_selection_conv(x, self.weight, self.keep)
        else:
            masked = expand_windows(x, self.a.kernel) * keep_to_expanded_mask(
                self.keep).to(x.dtype)
            maps = F.conv2d(masked, self.weight, stride=self.a.kernel)
        loss = F.binary_cross_entropy_with_logits(
            maps.mean((2, 3)), self.labels)
        loss.backward()
        return x.grad

    def cams(self, route, num):
        a = self.a
        x = self.x[0]
        if route == 'sparse':  # draws only the kept units, on the device
            units = sample_kept_units(
                num,
                a.size,
                a.size,
                a.kernel,
                a.dropout_ratio,
                generator=torch.Generator(device=a.device).manual_seed(1),
                device=a.device)
            return sparse_selection_gradcam(x, self.weight, units)
        g = torch.Generator().manual_seed(1)
        keep = sample_selection_keep(
            num, a.size, a.size, a.kernel, a.dropout_ratio,
            generator=g).to(a.device)
        if route == 'factorised':
            return selection_gradcam(x, self.weight, keep, chunk_size=16)
        if route == 'autograd':
            return selection_gradcam_autograd(
                x, self.weight, keep, chunk_size=4)
        if route == 'cam':  # one plain CAM: conv s x s (padding) then ReLU
            with torch.no_grad():
                return F.conv2d(
                    x[None], self.weight, padding=a.kernel // 2).relu()
        # naive: per selection, autograd through the per-window convolution
        out = []
        for n in range(num):
            xx = x[None].clone().requires_grad_(True)
            scores = naive_selection_conv(xx, self.weight, keep[n:n + 1]).mean(
                (2, 3))
            maps = []
            for cls in range(scores.shape[1]):
                grad, = torch.autograd.grad(
                    scores[0, cls], xx, retain_graph=True)
                maps.append((xx * grad).sum(1).relu())
            out.append(torch.cat(maps))
        return torch.stack(out)


def seed_step_times(args):
    """Backbone + seeds of one image: N factorised / sparse / autograd
    selections vs one deterministic CAM, all on the same backbone
    features."""
    from wsss_mm.models.backbones import DeepLabVGG
    torch.manual_seed(0)
    backbone = DeepLabVGG(width_mult=args.width_mult).to(args.device).eval()
    img = torch.rand(1, 3, args.image, args.image, device=args.device)
    with torch.no_grad():
        k = backbone(img)[-1].shape[1]
    g = torch.Generator().manual_seed(0)
    weight = (torch.randn(
        (args.classes, k, args.kernel, args.kernel), generator=g) * 0.01).to(
            args.device)

    def feats():
        with torch.no_grad():
            return backbone(img)[-1][0]

    def one_cam():
        x = feats()
        with torch.no_grad():
            return F.conv2d(x[None], weight, padding=args.kernel // 2).relu()

    def selections(route):
        x = feats()
        h, w = x.shape[-2:]
        keep = sample_selection_keep(
            args.selections,
            h,
            w,
            args.kernel,
            args.dropout_ratio,
            generator=torch.Generator().manual_seed(1)).to(args.device)
        if route == 'factorised':
            return selection_gradcam(x, weight, keep, chunk_size=16)
        return selection_gradcam_autograd(x, weight, keep, chunk_size=4)

    def sparse(num_classes):
        x = feats()
        h, w = x.shape[-2:]
        units = sample_kept_units(
            args.selections,
            h,
            w,
            args.kernel,
            args.dropout_ratio,
            generator=torch.Generator(device=args.device).manual_seed(1),
            device=args.device)
        return sparse_selection_gradcam(x, weight[:num_classes], units)

    dev, rep = args.device, args.repeat
    present = min(args.present_classes, args.classes)
    r = timed_rounds(
        dict(
            step_backbone_s=feats,
            step_one_cam_s=one_cam,
            step_factorised_s=lambda: selections('factorised'),
            step_sparse_s=lambda: sparse(args.classes),
            step_sparse_present_s=lambda: sparse(present)), dev, rep)
    r['present_classes'] = present
    for route in ('factorised', 'sparse', 'sparse_present'):
        r[f'ratio_n_{route}_over_one_cam'] = r[f'step_{route}_s'] / r[
            'step_one_cam_s']
    if args.step_autograd or dev.startswith('cuda'):
        r['step_autograd_s'] = timed(lambda: selections('autograd'), dev, 1)
        r['ratio_n_autograd_over_one_cam'] = r['step_autograd_s'] / r[
            'step_one_cam_s']
    return r


def peak_memory_mb(args, route):
    """Run one route in a fresh process; its peak memory in MiB."""
    cmd = [
        sys.executable, '-m', MODULE, '--only', route, '--autograd-selections',
        str(args.autograd_selections or args.selections), '--device',
        args.device, '--channels',
        str(args.channels), '--size',
        str(args.size), '--classes',
        str(args.classes), '--kernel',
        str(args.kernel), '--batch',
        str(args.batch), '--selections',
        str(args.selections)
    ]
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, cwd=REPO).stdout
    return float(out.strip().splitlines()[-1])


def _proc_status_mb(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)


def cpu_rss_reset_peak_mb():
    """Reset the process's RSS high-water mark (``/proc/self/clear_refs``: 5)
    so that inputs and imports do not hide the route's peak; the current RSS.
    Without procfs: ``ru_maxrss`` (the growth then counts only above the
    import peak)."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return _proc_status_mb('VmRSS')
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_peak_rss_mb():
    try:
        return _proc_status_mb('VmHWM')
    except (OSError, KeyError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_only(args):
    """Subprocess body: the memory of one training step / one seed route."""
    case = Case(args)
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    else:  # reset the RSS high-water mark (Linux), then its growth above now
        base = cpu_rss_reset_peak_mb()
    route = args.only
    if route.startswith('train_'):
        case.train_step(route[len('train_'):])
    else:
        num = {
            'cam_naive': 1,
            'cam_autograd': args.autograd_selections
        }.get(route) or args.selections
        case.cams(route[len('cam_'):], num)
    if args.device.startswith('cuda'):
        print((torch.cuda.max_memory_allocated() - base) / 2**20)
    else:
        print(cpu_peak_rss_mb() - base)


def main(argv=None):
    args = parse_args(argv)
    if args.quick:
        args.channels, args.size, args.selections = 64, 16, 20
        args.image, args.width_mult, args.step_autograd = 128, 0.125, True
        args.naive_selections = 1
        args.repeat = 1
    if args.only:
        return run_only(args)
    if args.seed_step_only:
        return report_seed_step(args, seed_step_times(args))
    torch.manual_seed(0)
    case = Case(args)
    r = {}
    dev, rep = args.device, args.repeat

    def log(key):
        print(f'[ficklenet_expansion] {key} = {r[key]:.4g}', flush=True)

    # 1. training step
    r['train_naive_s'] = timed(lambda: case.train_step('naive'), dev, 1)
    log('train_naive_s')
    r['train_expanded_s'] = timed(lambda: case.train_step('expanded'), dev,
                                  rep)
    log('train_expanded_s')
    g_naive = case.train_step('naive')
    g_exp = case.train_step('expanded')
    r['train_max_abs_grad_diff'] = float((g_naive - g_exp).abs().max())
    # 2. seeds of one image: N selections (the slow routes timed on fewer,
    # scaled;
    # no warm-up run for those: one selection's set-up is negligible beside
    # them)
    n, nn = args.selections, args.naive_selections
    na = min(args.autograd_selections or n, n)
    r['cam_naive_s'] = timed(
        lambda: case.cams('naive', nn), dev, 1, warmup=False) * n / nn
    log('cam_naive_s')
    r['cam_autograd_s'] = timed(
        lambda: case.cams('autograd', na), dev, 1, warmup=False) * n / na
    log('cam_autograd_s')
    r['cam_factorised_s'] = timed(lambda: case.cams('factorised', n), dev, rep)
    r['cam_sparse_s'] = timed(lambda: case.cams('sparse', n), dev, rep)
    r['cam_single_s'] = timed(lambda: case.cams('cam', 1), dev, rep)
    log('cam_factorised_s')
    log('cam_sparse_s')
    # equality of the seed routes on a few selections
    a_map = case.cams('autograd', 4)
    f_map = case.cams('factorised', 4)
    r['gradcam_max_abs_diff'] = float((a_map - f_map).abs().max())
    units = sample_kept_units(
        4,
        args.size,
        args.size,
        args.kernel,
        args.dropout_ratio,
        generator=torch.Generator(device=dev).manual_seed(2),
        device=dev)
    r['sparse_max_abs_diff'] = float(
        (sparse_selection_gradcam(case.x[0], case.weight, units) -
         selection_gradcam(case.x[0], case.weight,
                           kept_units_to_keep(units))).abs().max())
    # 3. the whole seed step on a backbone
    r.update(seed_step_times(args))
    # 4. memory, one route per process
    if not args.skip_memory:
        for route in ('train_naive', 'train_expanded', 'cam_autograd',
                      'cam_factorised', 'cam_sparse'):
            r[f'mem_{route}_mb'] = peak_memory_mb(args, route)

    x_shape = f'{args.batch}x{args.channels}x{args.size}x{args.size}'
    print(
        f'\nFickleNet expansion benchmark on {dev} ({torch.get_num_threads()} '
        'threads), '
        f'x {x_shape}, s={args.kernel}, p={args.dropout_ratio}, '
        f'C={args.classes}, N={n}')
    rows = [
        ('train step, naive (Fig. 2a)', r['train_naive_s'],
         PAPER['train_naive'], 's/iter'),
        ('train step, expanded', r['train_expanded_s'],
         PAPER['train_expanded'], 's/iter'),
        (f'{n} Grad-CAMs, naive (from {nn})', r['cam_naive_s'],
         PAPER['cam_naive'], 's/img'),
        (f'{n} Grad-CAMs, expanded autograd' +
         (f' (from {na})' if na < n else ''), r['cam_autograd_s'],
         PAPER['cam_expanded'], 's/img'),
        (f'{n} Grad-CAMs, factorised', r['cam_factorised_s'], None, 's/img'),
        (f'{n} Grad-CAMs, sparse', r['cam_sparse_s'], None, 's/img'),
        ('1 plain CAM', r['cam_single_s'], None, 's/img'),
    ]
    print(f'{"":38s} {"here":>10s} {"paper":>8s}')
    for name, val, paper, unit in rows:
        ptxt = f'{paper:8.2f}' if paper is not None else f'{"-":>8s}'
        print(f'{name:38s} {val:10.4f} {ptxt} {unit}')
    r['ratio_train_naive_over_expanded'] = r['train_naive_s'] / r[
        'train_expanded_s']
    r['ratio_cam_naive_over_autograd'] = r['cam_naive_s'] / r['cam_autograd_s']
    r['ratio_cam_autograd_over_factorised'] = r['cam_autograd_s'] / r[
        'cam_factorised_s']
    r['ratio_n_selections_over_one_cam'] = r['cam_factorised_s'] / r[
        'cam_single_s']
    r['ratio_n_sparse_selections_over_one_cam'] = r['cam_sparse_s'] / r[
        'cam_single_s']
    print('training speed-up of expansion: '
          f'{r["ratio_train_naive_over_expanded"]:.1f}x '
          f'(paper {PAPER["train_naive"] / PAPER["train_expanded"]:.1f}x)')
    print('seed speed-up naive -> expanded autograd: '
          f'{r["ratio_cam_naive_over_autograd"]:.1f}x '
          f'(paper {PAPER["cam_naive"] / PAPER["cam_expanded"]:.1f}x); '
          'autograd -> factorised: '
          f'{r["ratio_cam_autograd_over_factorised"]:.1f}x')
    print(f'head only: N={n} factorised selections cost '
          f'{r["ratio_n_selections_over_one_cam"]:.1f}x one CAM head, '
          f'sparse {r["ratio_n_sparse_selections_over_one_cam"]:.1f}x')
    print_seed_step(args, r)
    print('peak memory (MiB): ' +
          ', '.join(f'{k[4:-3]} {v:.0f}'
                    for k, v in r.items() if k.startswith('mem_')) +
          f' (paper naive {PAPER["mem_naive_gb"]} GB, expanded '
          f'{PAPER["mem_expanded_gb"]} GB '
          'for a batch of 10 with the backbone)')
    print('max |grad naive - grad expanded| = '
          f'{r["train_max_abs_grad_diff"]:.2e}, '
          'max |Grad-CAM autograd - factorised| = '
          f'{r["gradcam_max_abs_diff"]:.2e}, '
          'max |Grad-CAM sparse - factorised| = '
          f'{r["sparse_max_abs_diff"]:.2e}')
    r.update(
        device=dev,
        x_shape=x_shape,
        kernel=args.kernel,
        selections=n,
        naive_selections=nn,
        autograd_selections=na)
    print_json(r)
    return r


def print_seed_step(args, r):
    n = args.selections
    print(f'seed step with the VGG-16 backbone at {args.image}px (width '
          f'x{args.width_mult}), N={n}, vs backbone + 1 deterministic CAM '
          '(issue #31: target <= 1.1x):')
    rows = [('backbone', 'step_backbone_s', None),
            ('+ 1 deterministic CAM', 'step_one_cam_s', None),
            (f'+ {n} factorised selections', 'step_factorised_s',
             'ratio_n_factorised_over_one_cam'),
            (f'+ {n} sparse selections, {args.classes} classes',
             'step_sparse_s', 'ratio_n_sparse_over_one_cam'),
            (f'+ {n} sparse selections, {r["present_classes"]} classes',
             'step_sparse_present_s', 'ratio_n_sparse_present_over_one_cam'),
            (f'+ {n} autograd selections', 'step_autograd_s',
             'ratio_n_autograd_over_one_cam')]
    for name, key, ratio in rows:
        if key in r:
            rtxt = f'{r[ratio]:8.2f}x' if ratio else f'{"":9s}'
            print(f'  {name:38s} {r[key]:8.3f} s {rtxt}')
    if 'step_autograd_s' not in r:
        print('  (autograd route on the backbone: --step-autograd)')


def print_json(r):
    print(
        json.dumps({
            k: (float(f'{v:.4g}') if isinstance(v, float) else v)
            for k, v in r.items()
        }))


def report_seed_step(args, r):
    """``--seed-step-only``: part 3's table and JSON line."""
    print(f'\nFickleNet seed step on {args.device} '
          f'({torch.get_num_threads()} threads), s={args.kernel}, '
          f'p={args.dropout_ratio}, C={args.classes}')
    print_seed_step(args, r)
    r.update(
        device=args.device,
        kernel=args.kernel,
        selections=args.selections,
        image=args.image,
        width_mult=args.width_mult)
    print_json(r)
    return r


if __name__ == '__main__':
    main()
