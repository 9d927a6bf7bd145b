from .seed_metric import SeedMetric

__all__ = ['SeedMetric']
