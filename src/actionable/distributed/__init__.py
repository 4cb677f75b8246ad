"""Fit, score and evaluate on Dask: uplift work beyond one machine (the ``dask`` extra)."""

from actionable.distributed._cluster import dask_client, is_partitioned, read_parquet
from actionable.distributed._counts import UpliftCounts, uplift_counts
from actionable.distributed._fit import fit_on_dask
from actionable.distributed._scoring import score_to_parquet

__all__ = [
    "UpliftCounts",
    "dask_client",
    "fit_on_dask",
    "is_partitioned",
    "read_parquet",
    "score_to_parquet",
    "uplift_counts",
]
