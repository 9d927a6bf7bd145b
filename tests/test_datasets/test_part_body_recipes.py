"""Named part-and-body recipes (``PART_BODY_RECIPES``): the ``own-colour``
recipe's bodies of their own colours, object-like clutter and touching
objects; the ``shared-colour`` recipe reproduces the first published
scenes bit for bit."""
import numpy as np
import pytest

from wsss_mm.datasets.scenes import (PART_BODY_RECIPES, PartBodySceneConfig,
                                     load_fashion_mnist,
                                     render_part_body_scene, scene_record)
from wsss_mm.datasets.scenes.part_body import (body_colours, object_clutter,
                                               touching_origin)


@pytest.fixture(scope='module')
def fmnist():
    glyphs, labels = load_fashion_mnist('test')
    return glyphs[:2000], labels[:2000]


def _render(fmnist, cfg, i, layers=False):
    rng = np.random.default_rng([11, 0, i])
    return render_part_body_scene(rng, *fmnist, cfg, return_layers=layers)


def test_shared_colour_is_the_published_recipe(fmnist):
    cfg = PartBodySceneConfig(**PART_BODY_RECIPES['shared-colour'])
    assert cfg == PartBodySceneConfig()
    # the published folders' scenes.json stays valid: no new field recorded
    assert scene_record(cfg) == scene_record(PartBodySceneConfig())
    for name in ('body_regions', 'body_own_texture', 'object_clutter',
                 'touch_prob', 'body_colour_jitter'):
        assert name not in scene_record(cfg)
    for i in range(3):
        a, b = _render(fmnist, cfg, i), _render(fmnist, PartBodySceneConfig(),
                                                i)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_own_colour_deterministic_and_recorded(fmnist):
    cfg = PartBodySceneConfig(size=128, **PART_BODY_RECIPES['own-colour'])
    a, b = _render(fmnist, cfg, 4), _render(fmnist, cfg, 4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], _render(fmnist, cfg, 5)[0])
    record = scene_record(cfg)
    for key, value in PART_BODY_RECIPES['own-colour'].items():
        assert record[key] == value


def test_own_colour_masks(fmnist):
    """The mask is still part ∪ body, context and clutter stay background,
    and the touching placement makes objects meet more often."""
    own = dict(PART_BODY_RECIPES['own-colour'], ignore_band=0)
    cfg = PartBodySceneConfig(size=128, **own)
    apart = PartBodySceneConfig(size=128, **dict(own, touch_prob=0.0))
    touching = {'own-colour': 0, 'apart': 0}
    for i in range(16):
        for name, c in (('own-colour', cfg), ('apart', apart)):
            img, mask, layers = _render(fmnist, c, i, layers=True)
            obj = mask > 0
            np.testing.assert_array_equal(obj, layers['part'] | layers['body'])
            assert not (obj & layers['context']).any()
            assert set(np.unique(mask)) <= set(range(11))
            # two labels side by side anywhere in the scene: objects touch
            h = (mask[:, 1:] != mask[:, :-1]) & obj[:, 1:] & obj[:, :-1]
            v = (mask[1:] != mask[:-1]) & obj[1:] & obj[:-1]
            touching[name] += int(h.any() or v.any())
    assert touching['own-colour'] > touching['apart'], touching


@pytest.mark.parametrize('name,key', [('faint-body', 'body_evidence'),
                                      ('small-part', 'part_scale')])
def test_harder_variants_change_one_field(fmnist, name, key):
    """The instrument's harder candidates are ``own-colour`` with one field
    changed, which the folder's record names; their scenes stay
    deterministic and their masks part ∪ body."""
    fields = PART_BODY_RECIPES[name]
    own = PART_BODY_RECIPES['own-colour']
    assert {k for k in fields if fields[k] != own.get(k)} == {key}
    cfg = PartBodySceneConfig(size=128, **dict(fields, ignore_band=0))
    assert scene_record(cfg)[key] == fields[key]
    base = getattr(PartBodySceneConfig(), key)
    assert fields[key] < base  # weaker body evidence / a smaller part
    a, b = _render(fmnist, cfg, 7, True), _render(fmnist, cfg, 7, True)
    np.testing.assert_array_equal(a[0], b[0])
    obj = a[1] > 0
    np.testing.assert_array_equal(obj, a[2]['part'] | a[2]['body'])
    # a smaller part is a smaller share of its object
    if key == 'part_scale':
        ref = _render(
            fmnist, PartBodySceneConfig(size=128, **dict(own, ignore_band=0)),
            7, True)
        share = a[2]['part'].sum() / obj.sum()
        assert share < ref[2]['part'].sum() / (ref[1] > 0).sum()


def test_body_colours_regions():
    rng = np.random.default_rng(0)
    colour = np.array([0.2, 0.4, 0.6], np.float32)
    one = body_colours(rng, colour, 1.0, 1, 32)
    assert one.shape == (3, )
    two = body_colours(np.random.default_rng(1), colour, 1.0, 2, 32)
    assert two.shape == (32, 32, 3)
    regions = np.unique(two.reshape(-1, 3), axis=0)
    assert len(regions) == 2
    # no region is a sliver: each holds at least a fifth of the square
    counts = [(two == r).all(-1).sum() for r in regions]
    assert min(counts) > 0.2 * 32 * 32
    # jitter 0.5 mixes every region half and half with the part's colour
    half = body_colours(np.random.default_rng(1), colour, 0.5, 2, 32)
    np.testing.assert_allclose(half, 0.5 * colour + 0.5 * two, atol=1e-6)


def test_object_clutter_and_touching_origin():
    img = np.zeros((64, 64, 3), np.float32)
    object_clutter(
        np.random.default_rng(2), img, 3, PartBodySceneConfig(size=64))
    assert (img.sum(-1) > 0).mean() > 0.05  # shapes were pasted
    mask = np.zeros((64, 64), np.uint8)
    mask[20:30, 20:30] = 3
    for seed in range(10):
        y0, x0 = touching_origin(np.random.default_rng(seed), mask, 16)
        assert 0 <= y0 <= 48 and 0 <= x0 <= 48
        # the new square reaches within a few pixels of the object
        box = np.zeros_like(mask, bool)
        box[max(y0 - 2, 0):y0 + 18, max(x0 - 2, 0):x0 + 18] = True
        assert (box & (mask > 0)).any()


@pytest.mark.parametrize('key,value', [('body_regions', 0),
                                       ('body_regions', True),
                                       ('object_clutter', -1),
                                       ('touch_prob', 1.5)])
def test_bad_recipe_fields(key, value):
    fields = dict(body_colour_jitter=1.0)
    fields[key] = value
    with pytest.raises(ValueError, match=key):
        PartBodySceneConfig(**fields)
    with pytest.raises(ValueError, match='body_colour_jitter'):
        PartBodySceneConfig(body_regions=2)


def test_converter_recipe_and_bool_fields(tmp_path):
    """--recipe own-colour writes its fields to scenes.json; --set overrides
    one of them; a bool field reads 'False' as False; --recipe needs
    part-body scenes."""
    import json

    from tools.dataset_converters.fashion_mnist_scenes import (main,
                                                               scene_overrides)
    assert scene_overrides(
        PartBodySceneConfig,
        ['body_own_texture=False']) == dict(body_own_texture=False)
    with pytest.raises(SystemExit, match='body_own_texture'):
        scene_overrides(PartBodySceneConfig, ['body_own_texture=maybe'])
    out = tmp_path / 'own'
    main([
        '--scenes', 'part-body', '--recipe', 'own-colour', '--out',
        str(out), '--num-train', '2', '--num-val', '1', '--size', '64',
        '--set', 'touch_prob=0.25'
    ])
    config = json.loads((out / 'scenes.json').read_text())['config']
    assert config['touch_prob'] == 0.25
    assert config['body_regions'] == 2 and config['object_clutter'] == 3
    with pytest.raises(SystemExit, match='--recipe'):
        main(['--recipe', 'own-colour', '--out', str(tmp_path / 'glyph')])


def test_runner_refuses_a_data_root_of_another_recipe(tmp_path):
    from wsss_mm.datasets.scenes import write_voc_scenes
    from wsss_mm.recipes.runner import check_scene_recipe
    root = str(tmp_path / 'shared')
    write_voc_scenes(
        root, 1, 1, cfg=PartBodySceneConfig(size=64), progress=False)
    check_scene_recipe(root, None)  # nothing asked: nothing checked
    check_scene_recipe(str(tmp_path / 'absent'), 'own-colour')  # to build
    with pytest.raises(ValueError, match='--scene-recipe own-colour'):
        check_scene_recipe(root, 'own-colour')
