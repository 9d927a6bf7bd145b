# DCP, Luo & Yang AAAI'20 ("Learning saliency-free model with generic
# features"), stages 1-2 on VOC 2012 aug. Classification network: ResNet-101
# (ImageNet, torchvision weights), output stride 16, CAM head (paper: "we first
# learn a normal classification network using the class labels").
#   stage 1 (classifier):  python tools/train.py configs/dcp/dcp_r101_voc12.py
#   stage 2a (statistics): python tools/dcp_statistics.py configs/dcp/dcp_r101_voc12_statistics.py CKPT
#                          -> patterns_file (eq. 2), no seeds
#   stage 2b (seeds):      python tools/test.py configs/dcp/dcp_r101_voc12.py CKPT
#                          -> seed PNGs in seed_dir (0 = background), seed mIoU
#   stage 3: configs/dcp/deeplab_largefov_vgg16_voc12_dcp-seeds.py, then the
#   retrain step (configs/dcp/deeplab_largefov_vgg16_voc12_dcp-{predict,retrain}.py,
#   tools/fill_uncertain.py). CKPT = the stage-1 checkpoint
#   (work_dirs/dcp_r101_voc12/iter_8000.pth).
# Layer: C4_1 = the first block of the *last* stage of ResNet-101
# ("three different blocks in the last stage (C4) of ResNet-101, namely C41,
# C42 and C43. Block C43 is closest to the classification layer"):
# backbone.layer4.0 (Table 1: C4_1 60.3 > C4_2 'backbone.layer4.1' 52.4 >
# C4_3 'backbone.layer4.2' 46.0 mIoU). Any module name of the model works:
# model.seed_generator.layer=backbone.layer3.0 (and a new patterns_file).
_base_ = ['../cam/cam_vgg16_voc12.py']
seed_dir = '{{ fileDirname }}/../../work_dirs/seeds/dcp_r101_voc12'
patterns_file = '{{ fileDirname }}/../../work_dirs/dcp/patterns_r101_voc12.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='ResNet', depth=101, num_stages=4, out_indices=(3, ),
        strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2), style='pytorch',
        norm_cfg=dict(type='BN', requires_grad=False), norm_eval=True,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet101')),
    cls_head=dict(in_channels=2048, dropout_ratio=0.0),
    seed_generator=dict(
        _delete_=True, type='DCPSeedGenerator',
        layer='backbone.layer4.0', patterns_file=patterns_file,
        max_images_per_class=800,  # paper: at most 800 images a class, at random
        sign_rule='contrast',      # sign of xi_c: not in the paper, see dcp.py
        # dense CRF on single-class images only (paper); unary sigmoid(q/(T std q))
        crf=dict(temperature=1.0, num_iter=10,
                 gaussian=dict(sxy=3, compat=3),
                 bilateral=dict(sxy=80, srgb=13, compat=10))))
# No validation while training the classifier: the seeds of this config need
# the class patterns of the statistics pass, which needs this checkpoint.
train_cfg = dict(val_begin=10**9)
test_evaluator = dict(output_dir=seed_dir)
