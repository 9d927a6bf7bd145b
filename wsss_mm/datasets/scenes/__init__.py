"""Mini WSSS scenes drawn from Fashion-MNIST, written in VOC layout: glyph
scenes (:mod:`.glyph`) and part-and-body scenes (:mod:`.part_body`), with
what they share in :mod:`.common`."""
from .common import (DEFAULT_FMNIST_DIR, FASHION_MNIST_CLASSES, SceneRecipe,
                     check_manifest, load_fashion_mnist, read_manifest,
                     render_background, scene_record, texture,
                     write_voc_scenes)
from .glyph import (SceneConfig, render_object, render_scene,
                    write_object_classification_set)
from .part_body import (PART_BODY_RECIPES, PartBodySceneConfig, ignore_band,
                        render_part_body_object, render_part_body_scene)

#: the scene recipes by kind (``scenes.json``'s ``kind``)
SCENE_KINDS = {cfg.KIND: cfg for cfg in (SceneConfig, PartBodySceneConfig)}

__all__ = [
    'DEFAULT_FMNIST_DIR', 'FASHION_MNIST_CLASSES', 'SceneRecipe',
    'check_manifest', 'load_fashion_mnist', 'read_manifest',
    'render_background', 'scene_record', 'texture', 'write_voc_scenes',
    'SceneConfig', 'render_object', 'render_scene',
    'write_object_classification_set', 'PartBodySceneConfig', 'ignore_band',
    'render_part_body_object', 'render_part_body_scene', 'SCENE_KINDS',
    'PART_BODY_RECIPES'
]
