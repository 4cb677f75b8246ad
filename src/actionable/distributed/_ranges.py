"""Exact curves of more distinct scores than the client can hold: a range-partitioned sort.

:func:`uplift_counts` brings one row of sums per distinct score to the client: about
150 bytes per distinct score, 15 GB for 10^8 LightGBM scores. Here the rows stay on
the workers (``actionable.distributed._runs``):

1. each partition's rows become a run sorted by decreasing score, on its worker;
2. the client chooses score bounds from a few hundred landmarks of each run, so that
   the ranges between them hold about as many rows as a partition;
3. each run is cut at the bounds and each range's pieces joined on a worker: range
   ``j`` holds every row whose score lies between bounds ``j`` and ``j + 1``;
4. each range's totals come to the client, whose exclusive prefix sums give each range
   the counts of the rows ranked before it;
5. each range builds its stretch of the curves from that prefix and returns what the
   measures need: its area under the Qini and uplift curves, its best profit, and for
   ``uplift_at_k`` the rows of the range holding the cut.

Memory: on the client, a few numbers per range; on the workers, 10 bytes per row of an
unweighted 0/1 outcome (18 with a continuous outcome, 8 more with weights), twice while
a ranking is being range-partitioned. The perfect curve of a 0/1 outcome needs only
the four group totals; that of a continuous outcome ranks the rows by the oracle score
(the outcome if treated, minus it if not) the same way, from the ranges' own rows.
"""

import numpy as np

from actionable._validation import MSG_NO_CONTROL, MSG_NO_TREATED, check_integer
from actionable.distributed._counts import CountMeasures, area_score, check_columns, cut_size
from actionable.distributed._runs import (
    choose_bounds,
    join_runs,
    landmarks,
    point,
    range_measures,
    range_points,
    run_rows,
    run_totals,
    score_run,
    segment_rows,
    split_run,
)
from actionable.distributed._tables import SUM_NAMES, checked_rows, column_values
from actionable.metrics._common import (
    area,
    area_ratio,
    check_bool,
    gain_from_counts,
)
from actionable.metrics._curves import MSG_NO_NEGATIVE_EFFECT_CONTINUOUS, perfect_gain_from_counts
from actionable.metrics._ranked import RankedSamples


def range_partition(runs, n_ranges=None):
    """Sort the rows of ``runs`` into score ranges on the workers: the ranges' runs, best first.

    Parameters
    ----------
    runs : list of dask.delayed.Delayed
        One run per partition (a :class:`~actionable.distributed._runs.ScoreRun`, or
        any named tuple of arrays sorted by its decreasing ``score``), in input order.
    n_ranges : int, default=None
        Ranges to aim for (default: one per run); fewer when scores are tied.

    Returns
    -------
    tuple of dask.delayed.Delayed
        The ranges' runs, persisted (on the workers of a distributed cluster): range
        ``j`` holds the rows scored between bounds ``j`` and ``j + 1``, ties in input
        order.
    """
    import dask

    runs = dask.persist(*runs)  # each partition's run, computed once
    marks = dask.compute(*[dask.delayed(landmarks)(run) for run in runs])
    bounds = choose_bounds(marks, len(runs) if n_ranges is None else n_ranges)
    pieces = [dask.delayed(split_run, nout=bounds.size + 1)(run, bounds) for run in runs]
    return dask.persist(
        *[dask.delayed(join_runs)([piece[j] for piece in pieces]) for j in range(bounds.size + 1)]
    )


def oracle_run(run):
    """The rows of ``run`` ranked by the oracle score: the outcome if treated, minus it if not."""
    y, _, t, w = run_rows(run)
    return score_run(np.where(run.treated, y, -y), t, y, None if run.weight is None else w)


class RangedCounts(CountMeasures):
    """The counts of one ranking, range-partitioned by score on the workers.

    Built by :func:`ranged_counts` (or from runs, by ``evaluate`` on Parquet files);
    every method returns what the in-memory function of the same name returns on the
    same rows, to the rounding of float sums.

    Attributes
    ----------
    n_rows : int
        Rows of positive weight.
    n_treated : float
        Weight of the treated rows (their number when unweighted).
    n_distinct : int
        Distinct scores.
    n_ranges : int
        Score ranges the rows were partitioned into.
    binary : bool
        Whether every outcome is 0 or 1.
    weighted : bool
        Whether the rows carry weights.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from actionable.economics import CostModel
    >>> rows = pd.DataFrame({"y": [1, 0, 1, 0, 1, 0], "t": [1, 1, 1, 0, 0, 0],
    ...                      "u": [0.9, 0.1, 0.8, 0.7, 0.2, 0.3]})
    >>> counts = ranged_counts(dd.from_pandas(rows, npartitions=2), outcome="y",
    ...                        score="u", treatment="t", n_ranges=3)
    >>> round(counts.uplift_at_k(k=4), 4)
    1.0
    >>> counts.best_profit(CostModel(value_per_success=10.0, cost_per_contact=1.0))
    {'profit': 36.0, 'n_targeted': 4.0, 'at_capacity': None}
    """

    def __init__(self, runs, *, n_ranges=None, weighted=False):
        import dask

        self._ranges = range_partition(runs, n_ranges)
        self.totals = list(dask.compute(*[dask.delayed(run_totals)(r) for r in self._ranges]))
        self._before = []
        running = dict.fromkeys(SUM_NAMES, 0.0)
        for total in self.totals:
            self._before.append(dict(running))
            running = {name: running[name] + total[name] for name in SUM_NAMES}
        self._total = running
        if running["n_treated"] <= 0:
            raise ValueError(MSG_NO_TREATED)
        if running["n"] - running["n_treated"] <= 0:
            raise ValueError(MSG_NO_CONTROL)
        self.n_rows = int(running["rows"])
        self.n_treated = running["n_treated"]
        self.n_distinct = sum(total["distinct"] for total in self.totals)
        self.n_ranges = len(self._ranges)
        self.binary = not any(total["non_binary"] for total in self.totals)
        self.weighted = bool(weighted)
        self._frequency = not any(total["fractional_weight"] for total in self.totals)
        self._measures = {}
        self._oracle = None

    def _per_range(self, cost_model=None, capacity=None):
        """Each range's :func:`range_measures` (computed once per cost model and capacity)."""
        import dask

        key = (None if cost_model is None else repr(cost_model), capacity)
        if key not in self._measures:
            options = {"cost_model": cost_model, "weighted": self.weighted, "capacity": capacity}
            self._measures[key] = dask.compute(
                *[
                    dask.delayed(range_measures)(run, before, **options)
                    for run, before in zip(self._ranges, self._before, strict=True)
                ]
            )
        return [measures for measures in self._measures[key] if measures]

    def _end(self, kind):
        """The last point of every curve of these rows: all of them targeted."""
        x, gain = gain_from_counts(point(self._total), kind, origin=False)
        return float(x[0]), float(gain[0])

    def _perfect(self, kind, negative_effect):
        """Area, last point and peak of the perfect curve."""
        if self.binary:
            x, gain = perfect_gain_from_counts(point(self._total), kind, negative_effect)
            return float(area(x, gain)), float(x[-1]), float(gain[-1]), float(np.abs(gain).max())
        if not negative_effect:
            raise ValueError(MSG_NO_NEGATIVE_EFFECT_CONTINUOUS)
        if self._oracle is None:
            import dask

            self._oracle = RangedCounts(
                [dask.delayed(oracle_run)(run) for run in self._ranges],
                n_ranges=self.n_ranges, weighted=self.weighted,
            )  # fmt: skip
        measures = [part[kind] for part in self._oracle._per_range()]
        x_end, gain_end = self._end(kind)
        return sum(m["area"] for m in measures), x_end, gain_end, max(m["peak"] for m in measures)

    def auc_score(self, kind="qini", negative_effect=True):
        """Normalized area under the curve, as ``qini_auc_score`` / ``uplift_auc_score``.

        Parameters
        ----------
        kind : {"qini", "uplift"}, default="qini"
        negative_effect : bool, default=True
            Of the perfect Qini curve, as in :func:`actionable.metrics.qini_auc_score`.

        Returns
        -------
        float
            NaN, with an ``UndefinedUpliftMetricWarning``, when the perfect curve
            encloses no area above the random line.
        """
        negative_effect = check_bool(negative_effect, "negative_effect")
        if kind not in ("qini", "uplift"):
            raise ValueError(f"kind must be 'qini' or 'uplift'; got {kind!r}.")
        actual = sum(part[kind]["area"] for part in self._per_range())
        perfect_area, x_end, gain_end, peak = self._perfect(kind, negative_effect or kind != "qini")
        return area_score(*area_ratio(actual, perfect_area, x_end, gain_end, peak), kind)

    def best_profit(self, cost_model, capacity=None):
        """The best point of the profit curve (:func:`actionable.economics.profit_curve`).

        Parameters
        ----------
        cost_model : CostModel
        capacity : float, default=None
            Most rows (weight) to contact for ``at_capacity``.

        Returns
        -------
        dict
            ``profit`` (the curve's maximum, 0 for contacting nobody included),
            ``n_targeted`` (where it is first reached) and ``at_capacity`` (the best
            profit contacting at most ``capacity``; None without a capacity).
        """
        best, n_at_best, within = 0.0, 0.0, 0.0  # contacting nobody
        for part in self._per_range(cost_model, capacity):
            profit = part["profit"]
            if profit["best"] > best:  # the first maximum, as numpy's argmax
                best, n_at_best = profit["best"], profit["n_at_best"]
            if profit["best_within_capacity"] is not None:
                within = max(within, profit["best_within_capacity"])
        return {
            "profit": best,
            "n_targeted": n_at_best,
            "at_capacity": None if capacity is None else within,
        }

    def curve(self, kind="qini", n_points=1000, cost_model=None):
        """Exact points of the Qini, uplift or profit curve, about ``n_points`` of them.

        Each point is a point of the in-memory curve (:func:`actionable.metrics.qini_curve`,
        ``uplift_curve``, :func:`actionable.economics.profit_curve`): at the first
        distinct score where the weight targeted reaches ``i / n_points`` of the total,
        for ``i`` from 1 to ``n_points``, plus the last score of each range; with the
        origin.
        Enough to draw the curve of any number of rows; nothing is interpolated.

        Parameters
        ----------
        kind : {"qini", "uplift", "profit"}, default="qini"
        n_points : int, default=1000
        cost_model : CostModel, default=None
            Needed for ``kind="profit"``.

        Returns
        -------
        n_targeted, value : ndarray
            Increasing weight targeted, starting at 0, and the curve's value there.
        """
        import dask

        if kind not in ("qini", "uplift", "profit"):
            raise ValueError(f"kind must be 'qini', 'uplift' or 'profit'; got {kind!r}.")
        if kind == "profit" and cost_model is None:
            raise ValueError("kind='profit' needs a cost_model.")
        check_integer(n_points, "n_points", minimum=1)
        targets = self._total["n"] * np.arange(1, n_points + 1) / n_points
        options = {"cost_model": cost_model, "weighted": self.weighted}
        found = dask.compute(
            *[
                dask.delayed(range_points)(run, before, targets, kind, **options)
                for run, before in zip(self._ranges, self._before, strict=True)
            ]
        )
        x = np.concatenate([[0.0], *(points[0] for points in found)])
        return x, np.concatenate([[0.0], *(points[1] for points in found)])

    def _ranked_at_cuts(self, strategy, k):
        """The rows of the ranges holding the cuts, and one row per arm for the ranges between.

        Only the ranges holding the cuts bring their rows to the client (ties in input
        order, as the in-memory function takes them); the others, only their sums.
        """
        import dask

        cuts = self._cut_ranges(strategy, k)
        rows = dict(zip(cuts, dask.compute(*[dask.delayed(run_rows)(self._ranges[j])
                                             for j in cuts]), strict=True))  # fmt: skip
        parts, start = [], 0
        for stop in [*cuts, len(self.totals)]:
            segment = [j for j in range(start, stop) if self.totals[j]["rows"] > 0]
            if segment:
                total = {name: sum(self.totals[j][name] for j in segment) for name in SUM_NAMES}
                parts.append(segment_rows(total, self.totals[segment[0]]["top"]))
            if stop < len(self.totals):
                parts.append(rows[stop])
            start = stop + 1
        y, s, t, w = (np.concatenate(values) for values in zip(*parts, strict=True))
        ranked = RankedSamples(y, s, t, w)
        ranked.frequency = self._frequency
        return ranked

    def _cut_ranges(self, strategy, k):
        """The ranges holding the cuts of ``uplift_at_k`` (one per group with 'by_group')."""
        ends = {
            name: np.cumsum([total[name] for total in self.totals]) for name in ("n", "n_treated")
        }
        control = ends["n"] - ends["n_treated"]
        groups = [ends["n"]] if strategy == "overall" else [ends["n_treated"], control]
        cuts = set()
        for cumulative in groups:
            size = cut_size(cumulative[-1], strategy, k, self._frequency)
            cuts.add(min(int(np.searchsorted(cumulative, size, side="left")), len(cumulative) - 1))
        return sorted(cuts)


def frame_run(part, outcome, score, treatment, sample_weight, partition_info=None):
    """The :class:`~actionable.distributed._runs.ScoreRun` of one checked pandas partition."""
    partition = None if partition_info is None else partition_info["number"]
    y, t, w = checked_rows(part, outcome, treatment, sample_weight, partition)
    s = column_values(part, score, "score", partition)
    return score_run(s, t, y, None if sample_weight is None else w)


def ranged_counts(frame, *, outcome, score, treatment, sample_weight=None, n_ranges=None):
    """Range-partition a Dask DataFrame by score, for exact curves with a small client.

    The rows are sorted into score ranges on the workers (a range-partitioned sort);
    each range builds its stretch of the curves from the counts of the ranges before
    it. The client holds a few numbers per range, whatever the distinct scores: use
    it where :func:`uplift_counts` would bring too many distinct scores to the client.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        One row per customer: the outcome, the score, the treatment and the weight.
    outcome : str
        Column of the outcome (0/1 with 1 = favourable, or continuous).
    score : str
        Column of the targeting score (higher: target first).
    treatment : str
        Column of the treatment, 1 = treated, 0 = control.
    sample_weight : str, default=None
        Column of non-negative weights.
    n_ranges : int, default=None
        Score ranges to partition into (default: one per partition of ``frame``).

    Returns
    -------
    RangedCounts

    Raises
    ------
    ValueError
        If a column is missing, holds NaN, a treatment other than 0/1 or a negative
        weight (the message names the column and the partition), or if no row is
        treated or none is control.

    See Also
    --------
    uplift_counts : The same measures, and the curves, from sums gathered on the client.

    Notes
    -----
    The workers hold 10 bytes per row of an unweighted 0/1 outcome (18 with a
    continuous outcome, 8 more with weights), twice while the ranges are built.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"y": [1, 0, 1, 0, 1, 0], "t": [1, 1, 1, 0, 0, 0],
    ...                      "u": [0.9, 0.1, 0.8, 0.7, 0.2, 0.3]})
    >>> counts = ranged_counts(dd.from_pandas(rows, npartitions=2), outcome="y",
    ...                        score="u", treatment="t")
    >>> round(counts.qini_auc_score(), 4), counts.n_distinct
    (0.8974, 6)
    """
    import dask

    check_columns(frame, outcome=outcome, score=score, treatment=treatment)
    check_columns(frame, sample_weight=sample_weight)
    task = dask.delayed(frame_run, pure=True)
    runs = [
        task(part, outcome, score, treatment, sample_weight, {"number": number})
        for number, part in enumerate(frame.to_delayed())
    ]
    return RangedCounts(runs, n_ranges=n_ranges, weighted=sample_weight is not None)


def auc_score_by_ranges(
    frame, *, outcome, score, treatment, sample_weight=None, kind="qini", negative_effect=True
):
    """Normalized area under the Qini or uplift curve, with the curve kept on the workers.

    Shorthand for :func:`ranged_counts` followed by :meth:`RangedCounts.auc_score`.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        One row per customer.
    outcome, score, treatment : str
        Columns of the outcome, the targeting score and the 0/1 treatment.
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
        As :func:`ranged_counts`.

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
    negative_effect = check_bool(negative_effect, "negative_effect")
    if kind not in ("qini", "uplift"):
        raise ValueError(f"kind must be 'qini' or 'uplift'; got {kind!r}.")
    counts = ranged_counts(
        frame, outcome=outcome, score=score, treatment=treatment, sample_weight=sample_weight
    )
    return counts.auc_score(kind, negative_effect)
