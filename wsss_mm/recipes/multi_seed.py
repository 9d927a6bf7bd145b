"""multi_seed (multi-estimations, Fan et al. ECCV'20).

two classifiers -> 12 seed sets (threshold / CRF seeds x scales 1, 0.75, 0.5
x architecture) -> one LargeFOV (partbody: the shared DeepLab v3) trained on
all of them with the WST loss (eq. 4-7) -> val.
"""
from .stage import Stage

#: the two architectures of each config set and the folder of its seed configs
ARCHS = dict(
    mini=('vgg16', 'resnet18'),
    partbody=('vgg16', 'resnet18'),
    voc=('vgg16', 'resnet101'))
SEED_CONFIGS = dict(
    mini='configs/multi_seed/seeds_mini',
    partbody='configs/multi_seed/seeds_partbody',
    voc='configs/multi_seed/seeds_voc12')
#: the VGG-16 classifier is the CAM baseline's (the same config on every set)
CLASSIFIERS = dict(
    vgg16=dict(
        mini='configs/cam/cam_vgg16-slim_mini.py',
        partbody='configs/cam/cam_vgg16-slim_partbody.py',
        voc='configs/cam/cam_vgg16_voc12.py'),
    resnet18=dict(
        mini='configs/multi_seed/cam_resnet18-slim_mini.py',
        partbody='configs/multi_seed/cam_resnet18-slim_partbody.py'),
    resnet101=dict(voc='configs/multi_seed/cam_resnet101_voc12.py'))
SEGMENTOR = dict(
    mini='configs/multi_seed/wst_largefov_vgg16-slim_mini_12seeds.py',
    partbody='configs/multi_seed/wst_deeplabv3_vgg16-slim_partbody_12seeds.py',
    voc='configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py')


def seed_set(arch, kind, scale):
    """One seed set: its own seed config run on its architecture's classifier
    (a config set without that architecture has no config: the stage is
    left out there)."""
    name = f'{arch}_{kind}_s{scale:03d}'
    configs = {
        s: f'{folder}/{name}.py'
        for s, folder in SEED_CONFIGS.items() if arch in ARCHS[s]
    }
    return Stage(
        name,
        'test',
        configs,
        checkpoint=arch,
        split='train',
        out=True,
        metrics='seed')


SEED_SETS = [
    seed_set(arch, kind, scale) for arch in CLASSIFIERS
    for kind in ('threshold', 'crf') for scale in (100, 75, 50)
]

STAGES = [
    *(Stage(arch, 'train', configs, pretrain=arch)
      for arch, configs in CLASSIFIERS.items()),
    *SEED_SETS,
    Stage(
        'segmentation',
        'train',
        SEGMENTOR,
        labels=tuple(s.name for s in SEED_SETS),
        pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
