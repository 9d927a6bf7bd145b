from .dcp_statistics_metric import DCPStatisticsMetric
from .seed_metric import SeedMetric

__all__ = ['DCPStatisticsMetric', 'SeedMetric']
