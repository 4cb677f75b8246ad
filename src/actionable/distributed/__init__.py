"""Fit, score and evaluate on Dask: uplift work beyond one machine (the ``dask`` extra)."""

from actionable.distributed._cluster import dask_client, is_partitioned, read_parquet
from actionable.distributed._commands import (
    DASK_OPTIONS,
    SCHEDULER_HELP,
    evaluate_parquet,
    run_command,
    target_parquet,
)
from actionable.distributed._counts import UpliftCounts, uplift_counts
from actionable.distributed._fit import fit_on_dask
from actionable.distributed._ranges import RangedCounts, auc_score_by_ranges, ranged_counts
from actionable.distributed._scoring import score_to_parquet

__all__ = [
    "DASK_OPTIONS",
    "SCHEDULER_HELP",
    "RangedCounts",
    "UpliftCounts",
    "auc_score_by_ranges",
    "dask_client",
    "evaluate_parquet",
    "fit_on_dask",
    "is_partitioned",
    "ranged_counts",
    "read_parquet",
    "run_command",
    "score_to_parquet",
    "target_parquet",
    "uplift_counts",
]
