"""Per-distinct-score sums of a Dask DataFrame: numpy sums on the workers, merged on the client.

Each partition is reduced on its worker to one table per score column: its distinct
scores (sorted) and, for each, the rows, the weight, the treated weight and the
outcome sums (``np.unique`` and ``np.bincount``: no pandas group-by, no shuffle).
The client fetches each table as soon as its task ends, so that a worker holds one
partition's table at a time, and merges them all at the end the same way. Memory:
on a worker, a partition and its tables; on the client, 48 bytes per distinct score
of each partition (tied scores within a partition count once).
"""

from typing import NamedTuple

import numpy as np

from actionable.distributed._cluster import current_client

SUM_NAMES = ("rows", "n", "n_treated", "y_treated", "y_all")
"""The sums kept per distinct score, beside the score itself."""
_MSG_NAN = "column {name!r} ({role}) holds missing values (NaN) in partition {partition}."
_MSG_TREATMENT = (
    "column {name!r} (treatment) must hold 0 (control) and 1 (treated) only; partition "
    "{partition} holds {value!r}."
)
_MSG_WEIGHT = "column {name!r} (sample_weight) holds a negative weight in partition {partition}."


class ScoreSums(NamedTuple):
    """Sums of the rows of positive weight at each distinct score, in increasing score order."""

    score: np.ndarray
    rows: np.ndarray
    n: np.ndarray
    n_treated: np.ndarray
    y_treated: np.ndarray
    y_all: np.ndarray
    non_binary: bool
    """Whether an outcome is neither 0 nor 1."""
    fractional_weight: bool
    """Whether a weight is not a whole number."""


def column_values(part, name, role, partition):
    """A column as float64, or ``ValueError`` naming it if it holds NaN."""
    values = part[name].to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(values).any():
        raise ValueError(_MSG_NAN.format(name=name, role=role, partition=partition))
    return values


def _aggregate(score, values, *, non_binary, fractional_weight):
    """Sum each of ``values`` (a dict of ``SUM_NAMES``) per distinct ``score``."""
    distinct, inverse = np.unique(score, return_inverse=True)
    sums = {
        name: np.bincount(inverse.ravel(), weights=values[name], minlength=distinct.size)
        for name in SUM_NAMES
    }
    return ScoreSums(
        distinct, **sums, non_binary=bool(non_binary), fractional_weight=bool(fractional_weight)
    )


def checked_rows(part, outcome, treatment, sample_weight, partition):
    """The outcome, 0/1 treatment and weight of a pandas partition as float64, checked."""
    y = column_values(part, outcome, "outcome", partition)
    t = column_values(part, treatment, "treatment", partition)
    bad = (t != 0.0) & (t != 1.0)
    if bad.any():
        value = part[treatment].to_numpy()[bad][:1].tolist()[0]  # a plain Python value
        raise ValueError(_MSG_TREATMENT.format(name=treatment, partition=partition, value=value))
    if sample_weight is None:
        return y, t, np.ones_like(y)
    w = column_values(part, sample_weight, "sample_weight", partition)
    if (w < 0).any():
        raise ValueError(_MSG_WEIGHT.format(name=sample_weight, partition=partition))
    return y, t, w


def partition_sums(part, scores, outcome, treatment, sample_weight, partition):
    """The map step: a :class:`ScoreSums` of one pandas partition for each score column."""
    y, t, w = checked_rows(part, outcome, treatment, sample_weight, partition)
    keep = w > 0  # rows of weight 0 carry nothing, as in the in-memory metrics
    y, t, w = y[keep], t[keep], w[keep]
    values = {"rows": np.ones_like(w), "n": w, "n_treated": w * t, "y_treated": w * t * y}
    values["y_all"] = w * y
    flags = {
        "non_binary": ((y != 0.0) & (y != 1.0)).any(),
        "fractional_weight": (w != np.floor(w)).any(),
    }
    tables = []
    for score in scores:
        s = column_values(part, score, "score", partition)[keep] + 0.0  # -0.0 is 0.0
        tables.append(_aggregate(s, values, **flags))
    return tables


def merge_sums(tables):
    """The reduce step: one :class:`ScoreSums` of several (e.g. one per partition)."""
    tables = list(tables)
    score = np.concatenate([table.score for table in tables])
    values = {
        name: np.concatenate([getattr(table, name) for table in tables]) for name in SUM_NAMES
    }
    return _aggregate(
        score,
        values,
        non_binary=any(table.non_binary for table in tables),
        fractional_weight=any(table.fractional_weight for table in tables),
    )


def results_as_they_come(tasks):
    """The results of delayed ``tasks``, each fetched (and freed on its worker) when it ends."""
    import dask

    client = current_client()
    if client is None:  # Dask's local scheduler
        return list(dask.compute(*tasks))
    from distributed import as_completed

    results = []
    for future in as_completed(client.compute(tasks)):
        results.append(future.result())  # raises the task's error, naming the partition
        future.release()
    return results


def gather_sums(frame, scores, *, outcome, treatment, sample_weight=None):
    """One merged :class:`ScoreSums` of a Dask DataFrame per score column, in one pass.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
    scores : list of str
        Score columns.
    outcome, treatment : str
        Columns of the outcome and of the 0/1 treatment.
    sample_weight : str, default=None
        Column of non-negative weights.

    Returns
    -------
    list of ScoreSums
        In the order of ``scores``.
    """
    import dask

    task = dask.delayed(partition_sums, pure=True)
    tasks = [
        task(part, list(scores), outcome, treatment, sample_weight, number)
        for number, part in enumerate(frame.to_delayed())
    ]
    per_partition = results_as_they_come(tasks)
    return [merge_sums(tables[i] for tables in per_partition) for i in range(len(scores))]
