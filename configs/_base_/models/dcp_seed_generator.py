# DCP seeds (Luo & Yang AAAI'20, "Learning saliency-free model with generic
# features"): the seed generator of the DCP classifiers (dcp_r101.py,
# dcp_vgg16.py), which add the network's layer; the config names the
# patterns file (configs/_base_/paths.py) written by its statistics pass.
# Any module name of the model works as layer
# (model.seed_generator.layer=backbone.layer3.0, with a new patterns_file).
dcp_seed_generator = dict(
    type='DCPSeedGenerator',
    max_images_per_class=800,  # paper: at most 800 images a class, at random
    sign_rule='contrast',  # sign of xi_c: not in the paper, see dcp.py
    # dense CRF on single-class images only (paper); unary sigmoid(q/(T std q))
    crf=dict(
        temperature=1.0,
        num_iter=10,
        gaussian=dict(sxy=3, compat=3),
        bilateral=dict(sxy=80, srgb=13, compat=10)))
