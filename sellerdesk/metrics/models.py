from __future__ import annotations

from django.db import models

from .definitions import Metric


class MetricLimit(models.Model):
    """A seller's own limit and warning level for one metric, replacing the default of definitions.METRICS."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="metric_limits")
    metric = models.CharField(max_length=32, choices=[(m.value, m.value) for m in Metric])
    limit = models.DecimalField(max_digits=10, decimal_places=3)
    warning = models.DecimalField(max_digits=10, decimal_places=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seller", "metric"], name="metric_limit_unique")]

    def __str__(self) -> str:
        return f"{self.metric}: {self.limit}"
