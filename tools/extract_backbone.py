"""Save the backbone weights of a checkpoint as a weights-only file.

    python tools/extract_backbone.py CKPT OUT.pth [--prefix backbone.] \\
        [--meta KEY=VALUE ...]

The result holds ``{'state_dict': {...}, 'meta': {...}}`` without the
``backbone.`` prefix and is what ``init_cfg=dict(type='Pretrained',
checkpoint=OUT.pth)`` of a backbone expects. It loads with a plain
``torch.load(weights_only=True)``, no allowlist, anywhere: ``meta`` is
converted to plain Python (numpy values included; ``--meta`` adds string
entries, e.g. the cache key of the pipeline runner's mini pretraining) and
the file is checked before it replaces OUT.pth. CKPT itself is read under
the policy of :mod:`wsss_mm.utils.checkpoint` (weights-only unless it lies
under ``$WSSS_MM_TRUSTED_CKPT_DIRS``).
"""
import argparse

from wsss_mm.utils.checkpoint import load_checkpoint_file, save_weights_only


def extract_backbone(ckpt: str,
                     out: str,
                     prefix: str = 'backbone.',
                     meta=None):
    state = load_checkpoint_file(ckpt, map_location='cpu')
    state = state.get('state_dict', state)
    weights = {
        k[len(prefix):]: v
        for k, v in state.items() if k.startswith(prefix)
    }
    if not weights:
        raise KeyError(f'{ckpt}: no parameter starts with {prefix!r}')
    save_weights_only(weights, out, meta=dict(meta or {}, source=ckpt))
    return len(weights)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('checkpoint')
    p.add_argument('out')
    p.add_argument('--prefix', default='backbone.')
    p.add_argument(
        '--meta',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='more entries of the file\'s meta (strings)')
    args = p.parse_args(argv)
    meta = {}
    for item in args.meta:
        key, sep, value = item.partition('=')
        if not sep or not key:
            p.error(f'--meta: expected KEY=VALUE, got {item!r}')
        meta[key] = value
    n = extract_backbone(args.checkpoint, args.out, args.prefix, meta=meta)
    print(f'saved {n} tensors to {args.out}')


if __name__ == '__main__':
    main()
