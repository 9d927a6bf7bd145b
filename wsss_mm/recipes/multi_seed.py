"""multi_seed (multi-estimations, Fan et al. ECCV'20).

two classifiers -> 12 seed sets (threshold / CRF seeds x scales 1, 0.75,
0.5 x architecture; one run per classifier) -> one LargeFOV (partbody: the
shared DeepLab v3) trained on all of them with the WST loss (eq. 4-7) ->
val. partbody: 8 sets, without the 0.5-scale ones (their 16-cell maps have
no VOC counterpart: docs/scale.md rule 7).
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
    partbody='configs/multi_seed/wst_deeplabv3_vgg16-slim_partbody_8seeds.py',
    voc='configs/multi_seed/wst_largefov_vgg16_voc12_12seeds.py')

#: the read-outs of each classifier (configs/multi_seed/_base_/seed_sets.py)
KINDS = ('threshold', 'crf')
#: the input scales (%) of the seed sets on each config set; partbody drops
#: 0.5, whose 16-cell maps no VOC set reads (docs/scale.md rule 7)
SCALES = dict(mini=(100, 75, 50), partbody=(100, 75), voc=(100, 75, 50))


def set_names(arch, config_set):
    """The seed sets of one architecture on ``config_set``,
    ``<arch>_<type>_s<scale>`` (six; four on partbody)."""
    return tuple(f'{arch}_{kind}_s{scale:03d}' for kind in KINDS
                 for scale in SCALES[config_set])


def seed_sets(arch):
    """One run writes the sets of a classifier, each scale's forward
    pass computed once (``<arch>_sets.py``: a ``SeedSetsGenerator``; each
    set also has a config of its own, ``<arch>_<type>_s<scale>.py``). A
    config set without that architecture has no config: the stage is left
    out there."""
    configs = {
        s: f'{folder}/{arch}_sets.py'
        for s, folder in SEED_CONFIGS.items() if arch in ARCHS[s]
    }
    return Stage(
        f'{arch}_seeds',
        'test',
        configs,
        checkpoint=arch,
        split='train',
        out=True,
        sets={s: set_names(arch, s)
              for s in configs},
        metrics='seed')


SEED_STAGES = [seed_sets(arch) for arch in CLASSIFIERS]
#: the seed sets of each config set, by name (as later stages and the
#: ablations read them)
SEED_SETS = {
    s: tuple(name for arch in archs for name in set_names(arch, s))
    for s, archs in ARCHS.items()
}

STAGES = [
    *(Stage(arch, 'train', configs, pretrain=arch)
      for arch, configs in CLASSIFIERS.items()),
    *SEED_STAGES,
    Stage(
        'segmentation', 'train', SEGMENTOR, labels=SEED_SETS,
        pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
