# Stages 1-2 of a downstream project: wsss_mm's CAM classifier and seed
# stage, inherited from the installed package (wsss_mm::, as mmseg:: for
# mmseg's configs). Run from the project folder, next to data/mini:
#   python $WSSS_MIM/tools/train.py configs/cam_vgg16-slim_mini_seeds.py
#   python $WSSS_MIM/tools/test.py  configs/cam_vgg16-slim_mini_seeds.py \
#       work_dirs/cam_vgg16-slim_mini_seeds/iter_1000.pth      # writes the
#       seeds
_base_ = ['wsss_mm::cam/cam_vgg16-slim_mini.py']

# The seeds go where the inherited config puts them: under the directory the
# run starts in (./work_dirs/seeds/cam_vgg16-slim_mini: cam_vgg16_slim_mini_
# seeds of wsss_mm::_base_/paths.py), never into the installed package;
# WSSS_MM_WORK_DIRS=/elsewhere moves every artefact folder.
# The mini-pretrained VGG-16 (wsss_mm's stage 0; `make demo` in a wsss_mm
# checkout leaves it in data/pretrained/). Without it:
#   --cfg-options model.backbone.init_cfg=None   (much weaker seeds)
model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='data/pretrained/vgg16-slim_fmnist-objects.pth')))
