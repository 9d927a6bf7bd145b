# FickleNet stages 1-2 on VOC 2012 aug (Lee et al. CVPR'19, Sec. 4.1):
# VGG-16 without FC / last pool, conv5 dilated (rate 2) -> 512x41x41 for a
# 321x321 crop; stochastic selection s = 9, p = 0.9 at training *and*
# inference (S/S, Table 6); conv kernel s stride s, GAP, sigmoid CE;
# Adam 1e-3 halved every 10 epochs, batch 10; seeds from N = 200 selections,
# θ = 0.35 (Sec. 3.2).
#   python tools/train.py configs/ficklenet/ficklenet_vgg16_voc12.py
#   python tools/test.py  configs/ficklenet/ficklenet_vgg16_voc12.py CKPT   # seeds
_base_ = ['../cam/cam_vgg16_voc12.py']
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/ficklenet_vgg16_voc12'
model = dict(
    neck=dict(type='StochasticSelectionNeck', in_channels=512, kernel_size=9,
              drop_rate=0.9, mode='stochastic', infer_mode='stochastic'),
    cls_head=dict(kernel_size=9, stride=9, dropout_ratio=0.0),
    seed_generator=dict(_delete_=True, type='FickleNetSeedGenerator',
                        num_selections=200, threshold=0.35, bg_threshold=0.1))
train_dataloader = dict(batch_size=10)
# 10,582 images / batch 10 = 1,059 iterations an epoch; 20 epochs
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [dict(type='StepLR', step_size=10590, gamma=0.5, by_epoch=False)]
train_cfg = dict(max_iters=21180, val_interval=21180)
default_hooks = dict(checkpoint=dict(interval=21180))
test_evaluator = dict(output_dir=seed_dir)
