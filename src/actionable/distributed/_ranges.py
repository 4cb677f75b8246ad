"""Normalized areas when the distinct scores are too many for the client's memory.

:func:`uplift_counts` brings one row of sums per distinct score to the client. When
the distinct scores are too many for that, the sums stay on the workers:

1. the per-score sums (:func:`sums_by_score`) are sorted by decreasing score with a
   range-partitioned sort, so that partition ``j`` holds a contiguous run of scores;
2. each partition's column totals come to the client (a few numbers per partition),
   whose exclusive prefix sums are each partition's counts before its first score;
3. each partition accumulates its sums from that prefix, builds its stretch of the
   curve and returns the trapezoids under it, starting from the last point of the
   partitions before it (the origin for the first);
4. the client adds the areas up, and normalizes them with the perfect curve, which for
   a 0/1 outcome needs only the four group totals.

Memory on the client: a few numbers per partition. The result equals
:meth:`UpliftCounts.auc_score` to the rounding of float sums.
"""

import numpy as np

from actionable._validation import MSG_NO_CONTROL, MSG_NO_TREATED
from actionable.distributed._counts import SUMS, sums_by_score
from actionable.metrics._common import (
    MSG_UNDEFINED_AUC,
    area,
    check_bool,
    gain_from_counts,
    normalized_area,
    warn_undefined,
    with_origin,
)
from actionable.metrics._curves import perfect_gain_from_counts
from actionable.metrics._kernel import CumulativeCounts

_MSG_CONTINUOUS = (
    "auc_score_by_ranges needs a 0/1 outcome (its perfect curve comes from four totals); "
    "use uplift_counts for a continuous outcome."
)


def _counts(cumulative):
    return CumulativeCounts.from_totals(
        cumulative["n"], cumulative["n_treated"], cumulative["y_treated"], cumulative["y_all"]
    )


def column_totals(part):
    """One partition's sums over all its scores."""
    return part[SUMS].sum()


def partition_area(part, before, kind):
    """Trapezoids under one partition's stretch of the curve, from the point ``before`` ends at."""
    sums = part.sort_values("score", ascending=False)
    cumulative = {
        name: before[name] + np.cumsum(sums[name].to_numpy(), dtype=np.float64) for name in SUMS
    }
    x, gain = gain_from_counts(_counts(cumulative), kind, origin=False)
    start = {name: np.array([before[name]]) for name in SUMS}
    x_start, gain_start = gain_from_counts(_counts(start), kind, origin=False)
    x = np.concatenate([x_start, x])
    gain = np.concatenate([gain_start, gain])
    return float(area(x, gain)) if x.size > 1 else 0.0


def auc_score_by_ranges(
    frame, *, outcome, score, treatment, sample_weight=None, kind="qini", negative_effect=True
):
    """Normalized area under the Qini or uplift curve, with the curve kept on the workers.

    For scores with more distinct values than the client can hold (see
    :func:`uplift_counts`): the per-score sums are range-partitioned by a distributed
    sort, each partition accumulates from the exclusive prefix of the partitions
    before it and returns the area under its stretch of the curve. The client holds
    a few numbers per partition. Equal to ``UpliftCounts.auc_score`` (and to the
    in-memory ``qini_auc_score`` / ``uplift_auc_score``) on a 0/1 outcome.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        One row per customer.
    outcome, score, treatment : str
        Columns of the 0/1 outcome, the targeting score and the 0/1 treatment.
    sample_weight : str, default=None
        Column of non-negative weights.
    kind : {"qini", "uplift"}, default="qini"
        The curve.
    negative_effect : bool, default=True
        Of the perfect Qini curve, as in :func:`actionable.metrics.qini_auc_score`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`uplift_counts`, and for an outcome that is not 0/1.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"y": [1, 0, 1, 0, 1, 0], "t": [1, 1, 1, 0, 0, 0],
    ...                      "u": [0.9, 0.1, 0.8, 0.7, 0.2, 0.3]})
    >>> frame = dd.from_pandas(rows, npartitions=2)
    >>> round(auc_score_by_ranges(frame, outcome="y", score="u", treatment="t"), 4)
    0.8974
    """
    import dask

    negative_effect = check_bool(negative_effect, "negative_effect")
    if kind not in ("qini", "uplift"):
        raise ValueError(f"kind must be 'qini' or 'uplift'; got {kind!r}.")
    sums = sums_by_score(
        frame, outcome=outcome, score=score, treatment=treatment, sample_weight=sample_weight,
        split_out=max(1, frame.npartitions),
    ).reset_index()  # fmt: skip
    ranged = sums.sort_values("score", ascending=False)
    parts = ranged.to_delayed()
    totals = dask.compute(*[dask.delayed(column_totals)(part) for part in parts])
    before = dict.fromkeys(SUMS, 0.0)
    areas = []
    for part, total in zip(parts, totals, strict=True):
        areas.append(dask.delayed(partition_area)(part, dict(before), kind))
        before = {name: before[name] + float(total[name]) for name in SUMS}
    if before["non_binary"] > 0:
        raise ValueError(_MSG_CONTINUOUS)
    last = _counts({name: np.array([before[name]]) for name in SUMS})
    if last.n_treated[-1] <= 0 or last.n_control[-1] <= 0:
        raise ValueError(MSG_NO_TREATED if last.n_treated[-1] <= 0 else MSG_NO_CONTROL)
    actual_area = float(sum(dask.compute(*areas)))
    # The model curve enters normalized_area only through its area: a two-point curve
    # from the origin to the last point with the same area stands in for it.
    x_end, gain_end = gain_from_counts(last, kind, origin=False)
    height = 2.0 * actual_area / x_end[0] - gain_end[0]
    actual = (with_origin(x_end), np.array([height, gain_end[0]]))
    perfect = perfect_gain_from_counts(last, kind, negative_effect or kind != "qini")
    ratio, undefined = normalized_area(actual, perfect)
    if undefined:
        warn_undefined(MSG_UNDEFINED_AUC.format(kind="Qini" if kind == "qini" else kind))
    return float(ratio)
