# Artefact locations: where one stage writes and a later stage reads. Each is
# defined here once; a config that writes or reads one inherits this file and
# names it (test_evaluator.output_dir=..., data_prefix.seg_map_path=...), so
# the writer and its reader cannot disagree. They lie under the directory the
# run starts in, as mmengine's default work_dir (./work_dirs/CONFIG), never
# under the package a config is inherited from (wsss_mm::): './' marks them
# run-relative (WeakVOCDataset resolves './...' against the current directory
# instead of data_root), and WSSS_MM_WORK_DIRS moves them all, e.g.
#   WSSS_MM_WORK_DIRS=/scratch/wsss python tools/train.py CONFIG
# tools/wsss_pipeline.py replaces them with the outputs in its own work dir
# (--out, --cfg-options).
work_dirs_root = '{{$WSSS_MM_WORK_DIRS:./work_dirs}}'
seed_root = work_dirs_root + '/seeds'

# CAM baseline: stage-2 seeds (configs/cam/cam_*.py) = stage-3 labels
# (configs/cam/deeplab_largefov_*_cam-seeds.py, configs/compose/*_cam-seeds.py)
cam_vgg16_voc12_seeds = seed_root + '/cam_vgg16_voc12'
cam_vgg16_slim_mini_seeds = seed_root + '/cam_vgg16-slim_mini'

# FickleNet: stage-2 seeds (configs/ficklenet/ficklenet_*.py) = DSRG labels
ficklenet_vgg16_voc12_seeds = seed_root + '/ficklenet_vgg16_voc12'
ficklenet_vgg16_slim_mini_seeds = seed_root + '/ficklenet_vgg16-slim_mini'

# Multi-estimations: the second architecture's classifier seeds
# (configs/multi_seed/cam_*.py run as a plain CAM seed stage), and the
# folders of the 12 seed sets, one sub-folder per seed config
# (configs/multi_seed/seeds_{voc12,mini}/<name>.py -> <root>/<name>), read
# together by configs/multi_seed/wst_*.py
cam_resnet101_voc12_seeds = seed_root + '/cam_resnet101_voc12'
cam_resnet18_slim_mini_seeds = seed_root + '/cam_resnet18-slim_mini'
multi_seed_voc12_root = seed_root + '/multi_seed'
multi_seed_mini_root = seed_root + '/multi_seed_mini'

# DCP: class patterns of the statistics pass (configs/dcp/*_statistics.py),
# read by the seed pass; seeds; the first segmentation model's predictions on
# train (*_dcp-predict.py); the seeds with uncertain pixels filled from them
# (tools/fill_uncertain.py), read by the retrain step (*_dcp-retrain.py)
dcp_r101_voc12_patterns = work_dirs_root + '/dcp/patterns_r101_voc12.pth'
dcp_r101_voc12_seeds = seed_root + '/dcp_r101_voc12'
dcp_r101_voc12_predictions = seed_root + '/dcp_r101_voc12_first-model-pred'
dcp_r101_voc12_filled_seeds = seed_root + '/dcp_r101_voc12_filled'
dcp_vgg16_slim_mini_patterns = (
    work_dirs_root + '/dcp/patterns_vgg16-slim_mini.pth')
dcp_vgg16_slim_mini_seeds = seed_root + '/dcp_vgg16-slim_mini'
dcp_vgg16_slim_mini_predictions = (
    seed_root + '/dcp_vgg16-slim_mini_first-model-pred')
dcp_vgg16_slim_mini_filled_seeds = seed_root + '/dcp_vgg16-slim_mini_filled'

# Single-stage: pseudo masks of the trained model on train
# (configs/single_stage/*_pseudo-masks.py)
ngwp_vgg16_voc12_pseudo_masks = seed_root + '/ngwp_vgg16_voc12'
ngwp_r101_voc12_pseudo_masks = seed_root + '/ngwp_r101_voc12'
ngwp_vgg16_slim_mini_pseudo_masks = seed_root + '/ngwp_vgg16-slim_mini'

# The part-and-body benchmark (docs/scale.md): CAM baseline seeds
cam_vgg16_slim_partbody_seeds = seed_root + '/cam_vgg16-slim_partbody'

# Saliency maps: an *input* (not written by any stage), the background cue of
# FickleNet (via DSRG: DRFI saliency) and Fan et al. (threshold seeds:
# saliency < 0.06; CRF seeds: background score 1 - saliency): one grayscale
# PNG (0-255) per image, named like it (2007_000032.png), read by the seed
# generators' saliency_dir (wsss_mm/models/utils/saliency.py). Relative to the
# working directory like the VOC data_root. Fill it with DRFI maps (DSRG's
# python interface to DRFI: github.com/speedinghzl/drfi_cpp, model
# drfiModelCpp.data) or a published set of VOC saliency maps; Fan et al. used
# DSS (Hou et al. CVPR'17) maps.
voc12_saliency_dir = 'data/VOCdevkit/VOC2012/saliency'

# The saliency-free twins: FickleNet and multi-estimation seeds with DCP's
# background (background_cue_dir = the DCP seeds of
# configs/dcp/dcp_r101_voc12.py)
ficklenet_vgg16_voc12_dcp_bg_seeds = (
    seed_root + '/ficklenet_vgg16_voc12_dcp-bg')
multi_seed_voc12_dcp_bg_root = seed_root + '/multi_seed_dcp-bg'

# The part-and-body benchmark, multi-estimations: the slim ResNet-18
# classifier's seeds (configs/multi_seed/cam_resnet18-slim_partbody.py) and
# the 8 seed sets (configs/multi_seed/seeds_partbody/<name>.py ->
# <root>/<name>), read by
# configs/multi_seed/wst_deeplabv3_vgg16-slim_partbody_8seeds.py
cam_resnet18_slim_partbody_seeds = seed_root + '/cam_resnet18-slim_partbody'
multi_seed_partbody_root = seed_root + '/multi_seed_partbody'

# The part-and-body benchmark: FickleNet seeds (configs/ficklenet/
# ficklenet_vgg16-slim_partbody.py) = DSRG labels; DCP class patterns, seeds,
# first-model predictions on train and filled seeds
# (configs/dcp/*_partbody*.py)
ficklenet_vgg16_slim_partbody_seeds = (
    seed_root + '/ficklenet_vgg16-slim_partbody')
dcp_vgg16_slim_partbody_patterns = (
    work_dirs_root + '/dcp/patterns_vgg16-slim_partbody.pth')
dcp_vgg16_slim_partbody_seeds = seed_root + '/dcp_vgg16-slim_partbody'
dcp_vgg16_slim_partbody_predictions = (
    seed_root + '/dcp_vgg16-slim_partbody_first-model-pred')
dcp_vgg16_slim_partbody_filled_seeds = (
    seed_root + '/dcp_vgg16-slim_partbody_filled')

# The part-and-body benchmark, single-stage: the pseudo masks of train
# (configs/single_stage/ngwp_vgg16-slim_partbody_pseudo-masks.py)
ngwp_vgg16_slim_partbody_pseudo_masks = seed_root + '/ngwp_vgg16-slim_partbody'

# The composed recipe (configs/combined; recipe combined): its seed sets, one
# sub-folder per set (configs/combined/cam_*_sets.py -> <root>/<set>), read
# together by configs/combined/msl_*.py; that first model's predicted masks on
# train (configs/combined/msl_*_predict.py), read by the retraining
# (configs/combined/*_retrain.py)
combined_voc12_root = seed_root + '/combined_voc12'
combined_voc12_predictions = seed_root + '/combined_voc12_first-model-pred'
combined_mini_root = seed_root + '/combined_mini'
combined_mini_predictions = seed_root + '/combined_mini_first-model-pred'
combined_partbody_root = seed_root + '/combined_partbody'
combined_partbody_predictions = (
    seed_root + '/combined_partbody_first-model-pred')
# candidate combined_second_round: single-stage's pseudo masks on train, with
# the dense CRF (configs/combined/ngwp_vgg16-slim_partbody_pseudo-masks_crf
# .py), read by configs/combined/deeplabv3_vgg16-slim_partbody_second-round.py
combined_partbody_first_round = seed_root + '/combined_partbody_first-round'
combined_mini_first_round = seed_root + '/combined_mini_first-round'
