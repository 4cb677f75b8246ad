"""Datasets: the bundled Hillstrom data, public RCT loaders, and the synthetic churn world."""

from actionable.datasets._dataset import UpliftDataset

__all__ = ["UpliftDataset"]
