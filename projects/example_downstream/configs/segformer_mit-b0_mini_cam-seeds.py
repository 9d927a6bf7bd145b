# Stage 3 of a downstream project: mmseg's SegFormer-B0, a model wsss_mm does
# not ship, trained on the seeds of ./cam_vgg16-slim_mini_seeds.py. Model,
# runtime and schedule come from mmseg (mmseg::), the weakly-labelled data
# set from wsss_mm (wsss_mm::): WeakVOCDataset reads the seed PNGs
# (255 = ignore) as the training masks; val is mIoU on the GT of mini val.
#   python $WSSS_MIM/tools/train.py configs/segformer_mit-b0_mini_cam-seeds.py
#   (or mmseg's own tools/train.py)
_base_ = [
    'mmseg::_base_/models/segformer_mit-b0.py',
    'mmseg::_base_/default_runtime.py',
    'mmseg::_base_/schedules/schedule_20k.py',
    'wsss_mm::_base_/datasets/mini_fmnist_weak_seg.py',
    'wsss_mm::_base_/paths.py',
]
custom_imports = dict(imports=['wsss_mm'], allow_failed_imports=False)

# the seed folder stage 2 wrote (run-relative: ./work_dirs/seeds/...)
seed_dir = _base_.cam_vgg16_slim_mini_seeds
crop_size = (128, 128)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    # no ImageNet weights here (offline); with them, as mmseg's SegFormer
    # configs: backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=
    #   'https://download.openmmlab.com/mmsegmentation/v0.5/pretrain/segformer/mit_b0_20220624-7e0fe6dd.pth'))
    decode_head=dict(num_classes=11))  # background + 10 Fashion-MNIST classes
train_dataloader = dict(dataset=dict(data_prefix=dict(seg_map_path=seed_dir)))

# SegFormer's optimiser; the learning rate is not tuned for the mini data
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=0.0006, betas=(0.9, 0.999), weight_decay=0.01),
    paramwise_cfg=dict(
        custom_keys={
            'pos_block': dict(decay_mult=0.),
            'norm': dict(decay_mult=0.),
            'head': dict(lr_mult=10.)
        }))
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=1.0,
        begin=0,
        end=1000,
        by_epoch=False)
]
train_cfg = dict(max_iters=1000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000), logger=dict(interval=50))
