# FickleNet classifier (Lee et al. CVPR'19, stages 1-2, Sec. 3-4.1): VGG-16
# without FC / last pool, conv5 dilated (rate 2) -> 512x41x41 for a 321x321
# crop; stochastic selection s = 9, p = 0.9 at training *and* inference (S/S,
# Table 6); conv kernel s stride s, GAP, sigmoid CE; seeds from N = 200
# selections, θ = 0.35 (Sec. 3.2).
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=(321, 321))
model = dict(
    type='WeakClassifier',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='DeepLabVGG',
        out_indices=(4, ),
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://vgg16')),
    # rescale: no 1/(1-p) inverted-dropout scaling (the paper mentions none)
    neck=dict(
        type='StochasticSelectionNeck',
        in_channels=512,
        kernel_size=9,
        dropout_ratio=0.9,
        mode='stochastic',
        infer_mode='stochastic',
        rescale=False),
    cls_head=dict(
        type='CAMHead',
        in_channels=512,
        num_classes=20,
        dropout_ratio=0.0,
        kernel_size=9,
        stride=9),
    # aggregation: each selection's Grad-CAM normalised by its own max before
    # the union over selections (the paper does not say; 'shared_max' / 'mean'
    # are the alternatives, see docs/fidelity.md; no measured table yet)
    seed_generator=dict(
        type='FickleNetSeedGenerator',
        num_selections=200,
        fg_threshold=0.35,
        bg_threshold=0.1,
        aggregation='selection_max'))
