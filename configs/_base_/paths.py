# Artefact locations: where one stage writes and a later stage reads. Each is
# defined here once; a config that writes or reads one inherits this file and
# names it (test_evaluator.output_dir=..., data_prefix.seg_map_path=...), so
# the writer and its reader cannot disagree. Absolute (data_prefix entries
# that are relative are joined with data_root); tools/wsss_pipeline.py
# replaces them with the outputs in its own work dir (--out, --cfg-options).
work_dirs_root = '{{ fileDirname }}/../../work_dirs'
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
dcp_vgg16_slim_mini_patterns = work_dirs_root + '/dcp/patterns_vgg16-slim_mini.pth'
dcp_vgg16_slim_mini_seeds = seed_root + '/dcp_vgg16-slim_mini'
dcp_vgg16_slim_mini_predictions = seed_root + '/dcp_vgg16-slim_mini_first-model-pred'
dcp_vgg16_slim_mini_filled_seeds = seed_root + '/dcp_vgg16-slim_mini_filled'

# Single-stage: pseudo masks of the trained model on train
# (configs/single_stage/*_pseudo-masks.py)
ngwp_vgg16_voc12_pseudo_masks = seed_root + '/ngwp_vgg16_voc12'
ngwp_r101_voc12_pseudo_masks = seed_root + '/ngwp_r101_voc12'
ngwp_vgg16_slim_mini_pseudo_masks = seed_root + '/ngwp_vgg16-slim_mini'

# The part-and-body benchmark (docs/scale.md): CAM baseline seeds
cam_vgg16_slim_partbody_seeds = seed_root + '/cam_vgg16-slim_partbody'
