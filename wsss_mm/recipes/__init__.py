"""How each method runs: its stages, declared once (one file per method).

``RECIPES[method]`` is the list of :class:`Stage` that
``tools/wsss_pipeline.py --method METHOD`` walks, in order. Read
``cam.py`` first: classifier -> seeds -> segmentation -> val.
"""
from . import (cam, combined, dcp, ficklenet, full, full_ngwp, multi_seed,
               single_stage)
from .stage import GT, TOOLS, Stage

RECIPES = {
    'cam': cam.STAGES,
    'ficklenet': ficklenet.STAGES,
    'single_stage': single_stage.STAGES,
    'multi_seed': multi_seed.STAGES,
    'dcp': dcp.STAGES,
    'full': full.STAGES,
    'full_ngwp': full_ngwp.STAGES,
    # parts of the four papers composed by config (configs/combined)
    'combined': combined.STAGES,
    # ablation variants (benchmarks/ablations.py runs them)
    'dcp_fill_uncertain': dcp.STAGES_FILL_UNCERTAIN,
    'combined_wo_pamr': combined.STAGES_WO_PAMR,
    'combined_retrain': combined.STAGES_RETRAIN,
    # candidates of the composed recipe, not yet chosen on held-out train
    'combined_second_round': combined.STAGES_SECOND_ROUND,
    'combined_second_round_wo_crf': combined.STAGES_SECOND_ROUND_WO_CRF,
}

#: the config sets of the mini benchmarks (glyph scenes: ``mini``;
#: part-and-body
#: scenes: ``partbody``), whose backbones start from the mini pretraining
MINI_SETS = ('mini', 'partbody')
#: mini pretraining (Fashion-MNIST objects; the stand-in for ImageNet) of the
#: backbones named by ``Stage.pretrain`` on the mini config sets
PRETRAIN = {
    'vgg16': 'configs/pretrain/vgg16-slim_fmnist-objects.py',
    'resnet18': 'configs/pretrain/resnet18-slim_fmnist-objects.py',
}

__all__ = ['GT', 'MINI_SETS', 'PRETRAIN', 'RECIPES', 'Stage', 'TOOLS']
