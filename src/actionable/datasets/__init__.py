"""Datasets: the bundled Hillstrom data, public RCT loaders, and the synthetic churn world.

Naming: ``load_*`` reads data shipped inside the package, ``fetch_*`` downloads (or copies
from ``ACTIONABLE_DATA_MIRROR``) into the cache ``ACTIONABLE_DATA_HOME``, ``make_*``
generates data.
"""

from actionable.datasets._catalog import describe_datasets, fetch_dataset, list_datasets
from actionable.datasets._dataset import UpliftDataset
from actionable.datasets._download import fetch_file, get_data_home
from actionable.datasets._fetchers import (
    fetch_criteo,
    fetch_lenta,
    fetch_megafon,
    fetch_starbucks,
    fetch_x5,
)
from actionable.datasets._hillstrom import load_hillstrom
from actionable.datasets._registry import RemoteFile
from actionable.datasets._synthetic import make_churn
from actionable.exceptions import DatasetDownloadError

__all__ = [
    "UpliftDataset",
    "RemoteFile",
    "DatasetDownloadError",
    "load_hillstrom",
    "make_churn",
    "fetch_starbucks",
    "fetch_criteo",
    "fetch_lenta",
    "fetch_x5",
    "fetch_megafon",
    "fetch_file",
    "fetch_dataset",
    "list_datasets",
    "describe_datasets",
    "get_data_home",
]
