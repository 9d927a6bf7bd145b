"""ImageNet VGG-16 (torchvision) -> DeepLab's VGG-16 initialisation, fc6/fc7
included, as a weights-only checkpoint for this package's models.

DeepLab v1 (Chen et al., ICLR 2015, Sec. 3.1 and Table 2, "DeepLab-LargeFOV")
turns the ImageNet classifier's fully connected layers into convolutions and
shrinks them: fc6 (4096 x 512 x 7 x 7 as a convolution on pool5) is
spatially subsampled "by simple decimation" to 3 x 3 and its channels cut
from 4,096 to 1,024; fc7 (4096 x 4096) to 1,024 x 1,024. Decimation keeps
every k-th element from the first: output filters 0, 4, 8, ... (4096 / 1024 =
4), taps 0, 3, 6 of the 7 x 7 (rows and columns), and for fc7 every 4th row
(output) and every 4th column (input, matching the kept fc6 filters). Taps
3 apart on pool5 (stride 32) are 12 apart at DeepLab's stride 8: the
dilation 12 of LargeFOV's fc6. DeepLab-ASPP (v2) and DSRG start each of
their four branches' fc6 / fc7 from the same decimated weights
(``vgg16_20M`` / DSRG's ``vgg16_20M_mc``); their fc8 is new.

    python tools/model_converters/vgg16_deeplab_fc.py \\
        ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \\
        data/pretrained/vgg16_deeplab-largefov_fc.pth --head largefov
    python tools/model_converters/vgg16_deeplab_fc.py \\
        ~/.cache/torch/hub/checkpoints/vgg16-397923af.pth \\
        data/pretrained/vgg16_deeplab-aspp_fc.pth --head aspp

(the torchvision file: ``torchvision.models.vgg16(weights='IMAGENET1K_V1')``
downloads it, or ``https://download.pytorch.org/models/vgg16-397923af.pth``.)

The output holds ``backbone.features.{i}.*`` (the 13 conv layers, the keys of
``DeepLabVGG`` without norm layers, identical to torchvision's) and the head's
fc6 / fc7 under ``decode_head.``: ``fc6.conv.*`` / ``fc7.conv.*``
(``LargeFOVHead``) or ``branches.{b}.fc6.conv.*`` / ``branches.{b}.fc7.conv.*``
(``DeepLabV2VGGHead``). Configs load it with ``Pretrained`` inits and
``prefix='backbone.'`` / ``prefix='decode_head.'``
(configs/_base_/models/deeplab_largefov_vgg16.py, deeplab_aspp_vgg16.py).
"""
import argparse
import os
import os.path as osp
from collections import OrderedDict

import torch

from wsss_mm.utils.checkpoint import save_weights_only

#: conv layers of torchvision's ``vgg16().features`` (=
#: ``DeepLabVGG.features``)
VGG16_CONV_INDICES = (0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28)
FC_STEP = 4  # 4096 -> 1024 filters (and fc7 inputs)
FC6_TAPS = (0, 3, 6)  # 7 x 7 -> 3 x 3
HEADS = ('largefov', 'aspp')


def decimate_fc6(weight, bias):
    """(4096, 25088) / (4096,) ImageNet fc6 -> (1024, 512, 3, 3) / (1024,)."""
    w = weight.reshape(weight.shape[0], 512, 7, 7)
    taps = torch.tensor(FC6_TAPS)
    w = w[::FC_STEP].index_select(2, taps).index_select(3, taps)
    return w.contiguous(), bias[::FC_STEP].contiguous()


def decimate_fc7(weight, bias):
    """(4096, 4096) / (4096,) ImageNet fc7 -> (1024, 1024, 1, 1) / (1024,)."""
    w = weight[::FC_STEP, ::FC_STEP]
    return w.reshape(*w.shape, 1, 1).contiguous(), bias[::FC_STEP].contiguous()


def convert(vgg16: dict,
            head: str = 'largefov',
            num_branches: int = 4) -> OrderedDict:
    """torchvision ``vgg16`` state dict -> this package's keys (see module
    doc)."""
    if head not in HEADS:
        raise ValueError(f'head must be one of {HEADS}, got {head!r}')
    need = [
        f'features.{i}.{p}' for i in VGG16_CONV_INDICES
        for p in ('weight', 'bias')
    ]
    need += [f'classifier.{i}.{p}' for i in (0, 3) for p in ('weight', 'bias')]
    missing = [k for k in need if k not in vgg16]
    if missing:
        raise KeyError(
            f'not a torchvision vgg16 state dict: missing {missing[:4]}'
            f'{" ..." if len(missing) > 4 else ""}')
    if tuple(vgg16['classifier.0.weight'].shape) != (4096, 512 * 7 * 7):
        raise ValueError(
            f'classifier.0.weight has shape '
            f'{tuple(vgg16["classifier.0.weight"].shape)}, expected (4096, '
            '25088)')
    out = OrderedDict()
    for i in VGG16_CONV_INDICES:
        for p in ('weight', 'bias'):
            out[f'backbone.features.{i}.{p}'] = vgg16[
                f'features.{i}.{p}'].clone()
    fc6 = decimate_fc6(vgg16['classifier.0.weight'],
                       vgg16['classifier.0.bias'])
    fc7 = decimate_fc7(vgg16['classifier.3.weight'],
                       vgg16['classifier.3.bias'])
    prefixes = ['decode_head.'] if head == 'largefov' else \
        [f'decode_head.branches.{b}.' for b in range(num_branches)]
    for pre in prefixes:
        for name, (w, b) in (('fc6', fc6), ('fc7', fc7)):
            out[f'{pre}{name}.conv.weight'] = w.clone()
            out[f'{pre}{name}.conv.bias'] = b.clone()
    return out


def load_vgg16(path: str) -> dict:
    """A torchvision vgg16 state dict from ``path`` (plain state dict, or a
    ``state_dict`` entry), loaded with ``weights_only=True``."""
    obj = torch.load(path, map_location='cpu', weights_only=True)
    if isinstance(obj, dict) and 'state_dict' in obj:
        obj = obj['state_dict']
    return obj


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        'src', help="torchvision vgg16 checkpoint (e.g. vgg16-397923af.pth)")
    parser.add_argument('dst', help='output checkpoint (weights only)')
    parser.add_argument(
        '--head',
        choices=HEADS,
        default='largefov',
        help='key names of the fc6 / fc7 (LargeFOVHead or DeepLabV2VGGHead)')
    parser.add_argument(
        '--num-branches',
        type=int,
        default=4,
        help='ASPP branches (DeepLab-ASPP / DSRG: 4)')
    args = parser.parse_args(argv)
    state = convert(load_vgg16(args.src), args.head, args.num_branches)
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    save_weights_only(
        state,
        args.dst,
        meta=dict(
            source=osp.basename(args.src),
            head=args.head,
            rule=('DeepLab v1 decimation: fc6 filters ::4, taps (0, 3, 6); '
                  'fc7 ::4 x ::4')))
    print(f'{args.dst}: {len(state)} tensors ({args.head})')
    return args.dst


if __name__ == '__main__':
    main()
