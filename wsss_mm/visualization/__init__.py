from .overlays import colorize_labels, heatmap, seed_overlay

__all__ = ['colorize_labels', 'heatmap', 'seed_overlay']
