from .checkpoint import (is_trusted_checkpoint, load_checkpoint_file,
                         register_checkpoint_loader, save_weights_only)
from .io import atomic_write_png, read_class_names, read_label_png

__all__ = [
    'is_trusted_checkpoint', 'load_checkpoint_file',
    'register_checkpoint_loader', 'save_weights_only', 'atomic_write_png',
    'read_class_names', 'read_label_png'
]
