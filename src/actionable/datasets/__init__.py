"""Datasets: the bundled Hillstrom data, public RCT loaders, and the synthetic churn world.

Naming: ``load_*`` reads data shipped inside the package, ``fetch_*`` downloads (or copies
from ``ACTIONABLE_DATA_MIRROR``) into the cache ``ACTIONABLE_DATA_HOME``, ``make_*``
generates data.
"""

from actionable.datasets._dataset import UpliftDataset
from actionable.datasets._hillstrom import load_hillstrom
from actionable.datasets._registry import RemoteFile

__all__ = [
    "UpliftDataset",
    "RemoteFile",
    "load_hillstrom",
]
