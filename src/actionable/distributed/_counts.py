"""Exact uplift curves of a Dask DataFrame, from sums per distinct score.

Every in-memory curve rests on one kernel (``actionable.metrics._kernel``): sort the
scores, and at each distinct score accumulate the weights of the treated and control
rows and their outcomes. These sums add up across partitions, so the kernel splits
into a map and a reduce:

* **map** (each partition, on its worker): the partition's distinct scores and, for
  each, the rows, weight, treated weight and outcome sums (numpy, no shuffle:
  ``actionable.distributed._tables``), fetched by the client as each task ends;
* **reduce** (the client): the tables merged, the distinct scores sorted in decreasing
  order and their sums accumulated: the
  :class:`~actionable.metrics._kernel.CumulativeCounts` that the in-memory functions
  build, handed to the same code that turns counts into curves, areas and profit.

A worker holds one partition and its tables at a time, whatever the number of rows.
The client holds six float64 numbers per distinct score (48 bytes, about 3 times that
while merging and accumulating), never the rows themselves: LightGBM scores take
nearly one distinct value per row, so 10^7 rows need about 1.5 GB on the client and
10^8 rows about 15 GB (:func:`ranged_counts` keeps the rows on the workers, sorted into
score ranges, and gives the areas, ``uplift_at_k`` and the best profit).
Perfect curves of a 0/1 outcome need only the four group totals; those of a
continuous outcome need a second pass ranked by the oracle score.
"""

import numbers

import numpy as np

from actionable._validation import MSG_NO_CONTROL, MSG_NO_TREATED, check_fraction_or_count
from actionable.distributed._tables import gather_sums
from actionable.economics._profit import profit_curve_from_counts
from actionable.metrics._common import (
    MSG_UNDEFINED_AUC,
    check_bool,
    check_strategy,
    gain_from_counts,
    normalized_area,
    warn_undefined,
)
from actionable.metrics._curves import MSG_NO_NEGATIVE_EFFECT_CONTINUOUS, perfect_gain_from_counts
from actionable.metrics._kernel import CumulativeCounts
from actionable.metrics._ranked import RankedSamples

_MSG_COLUMN = "column {name!r} ({role}) is not in the data; its columns are {columns}."
_MSG_UNDEFINED_AT_K = (
    "The top {k!r} targeted samples contain no {group} sample, so uplift_at_k is undefined; "
    "returning NaN."
)


def check_columns(frame, **roles):
    """Raise ``ValueError`` naming the first role whose column is not in ``frame``."""
    for role, name in roles.items():
        if name is not None and name not in frame.columns:
            columns = ", ".join(map(repr, frame.columns))
            raise ValueError(_MSG_COLUMN.format(name=name, role=role, columns=columns))


def counts_from_sums(sums):
    """The reduce step: the distinct scores of a :class:`ScoreSums` (decreasing), accumulated."""
    cumulative = {
        name: np.cumsum(getattr(sums, name)[::-1], dtype=np.float64)
        for name in ("rows", "n", "n_treated", "y_treated", "y_all")
    }
    return CumulativeCounts.from_totals(
        cumulative["n"],
        cumulative["n_treated"],
        cumulative["y_treated"],
        cumulative["y_all"],
        threshold=sums.score[::-1],
        index=(cumulative["rows"] - 1.0).astype(np.intp),
    )


class CountMeasures:
    """The measures :class:`UpliftCounts` and ``RangedCounts`` share, named as in memory.

    A subclass gives ``auc_score(kind, negative_effect)``, ``n_rows`` and
    ``_ranked_at_cuts(strategy, k)``: the rows ``uplift_at_k`` needs, as
    :class:`~actionable.metrics._ranked.RankedSamples`.
    """

    def qini_auc_score(self, negative_effect=True):
        """The Qini coefficient (:func:`actionable.metrics.qini_auc_score`).

        Parameters
        ----------
        negative_effect : bool, default=True

        Returns
        -------
        float
        """
        return self.auc_score("qini", negative_effect)

    def uplift_auc_score(self):
        """The normalized area under the uplift curve (``uplift_auc_score``).

        Returns
        -------
        float
        """
        return self.auc_score("uplift")

    def uplift_at_k(self, strategy="overall", k=0.3):
        """Uplift among the top ``k``, as :func:`actionable.metrics.uplift_at_k`.

        A cut inside a run of tied scores takes the tied rows by decreasing row
        position (partition by partition), as the in-memory function does.

        Parameters
        ----------
        strategy : {"overall", "by_group"}, default="overall"
        k : float or int, default=0.3
            A fraction in (0, 1] or a number of samples.

        Returns
        -------
        float
        """
        check_strategy(strategy)
        check_fraction_or_count(k, self.n_rows, "k")
        ranked = self._ranked_at_cuts(strategy, k)
        treated_mean, control_mean = ranked.means_at_k(ranked.weight[np.newaxis], strategy, k)
        for group, mean in (("treated", treated_mean[0]), ("control", control_mean[0])):
            if np.isnan(mean):
                warn_undefined(_MSG_UNDEFINED_AT_K.format(k=k, group=group))
                return float("nan")
        return float(treated_mean[0] - control_mean[0])


def area_score(ratio, undefined, kind):
    """A normalized area as a float, warning when it is undefined (NaN)."""
    if undefined:
        name = "Qini" if kind == "qini" else kind
        warn_undefined(MSG_UNDEFINED_AUC.format(kind=name), stacklevel=4)
    return float(ratio)


def cut_size(total, strategy, k, frequency):
    """Weight units in the top ``k`` of a group of weight ``total`` (``uplift_at_k``'s cut)."""
    if isinstance(k, numbers.Integral):
        if strategy == "by_group" and k > total:
            raise ValueError(
                f"k={k!r} asks for more samples than a group has ({total:g}) with "
                "strategy='by_group'."
            )
        return float(k)
    return np.floor(total * k) if frequency else total * k


class UpliftCounts(CountMeasures):
    """Cumulative counts of a Dask DataFrame at each distinct score, and the metrics they give.

    Built by :func:`uplift_counts`; every method returns what the in-memory function
    of the same name returns on the same rows (to rounding in the last digits of
    weighted sums).

    Attributes
    ----------
    counts : CumulativeCounts
        Weights of the rows targeted, treated and control, and their outcome sums, at
        each distinct score (best first).
    n_rows : int
        Rows of positive weight.
    n_distinct : int
        Distinct scores.
    binary : bool
        Whether every outcome is 0 or 1.
    weighted : bool
        Whether the rows carry a ``sample_weight``.
    """

    def __init__(self, sums, *, frame, columns, weighted):
        self.counts = counts = counts_from_sums(sums)
        self.n_rows = int(round(counts.index[-1])) + 1 if counts.n.size else 0
        self.n_distinct = int(counts.n.size)
        self.binary = not sums.non_binary
        self.weighted = bool(weighted)
        self._frequency = not sums.fractional_weight
        self._frame = frame
        self._columns = columns
        self._perfect = None

    def qini_curve(self):
        """The Qini curve, as :func:`actionable.metrics.qini_curve` returns it.

        Returns
        -------
        n_targeted, gain : ndarray of shape (n_distinct + 1,)
        """
        return gain_from_counts(self.counts, "qini")

    def uplift_curve(self):
        """The uplift curve, as :func:`actionable.metrics.uplift_curve` returns it.

        Returns
        -------
        n_targeted, gain : ndarray of shape (n_distinct + 1,)
        """
        return gain_from_counts(self.counts, "uplift")

    def perfect_curve(self, kind="qini", negative_effect=True):
        """The perfect Qini (``kind="qini"``) or uplift curve of the same rows.

        Parameters
        ----------
        kind : {"qini", "uplift"}, default="qini"
        negative_effect : bool, default=True
            As in :func:`actionable.metrics.perfect_qini_curve` (Qini only).

        Returns
        -------
        n_targeted, gain : ndarray
        """
        negative_effect = check_bool(negative_effect, "negative_effect")
        if kind not in ("qini", "uplift"):
            raise ValueError(f"kind must be 'qini' or 'uplift'; got {kind!r}.")
        if self.binary and kind == "qini" and not negative_effect:
            return perfect_gain_from_counts(self.counts, kind, negative_effect)
        if self.binary:  # the four group totals suffice; empty groups add no point
            x, gain = perfect_gain_from_counts(self.counts, kind, True)
            keep = np.concatenate(([True], np.diff(x) > 0))
            return x[keep], gain[keep]
        if not negative_effect:
            raise ValueError(MSG_NO_NEGATIVE_EFFECT_CONTINUOUS)
        return gain_from_counts(self._oracle_counts(), kind)

    def _oracle_counts(self):
        """Counts ranked by the oracle score of a continuous outcome (treated y, control -y)."""
        if self._perfect is None:
            outcome, _, treatment, weight = self._columns
            oracle = "oracle_score_"
            y = self._frame[outcome]
            frame = self._frame.assign(**{oracle: y.where(self._frame[treatment] == 1, -y)})
            (sums,) = gather_sums(
                frame, [oracle], outcome=outcome, treatment=treatment, sample_weight=weight
            )
            self._perfect = counts_from_sums(sums)
        return self._perfect

    def auc_score(self, kind="qini", negative_effect=True):
        """Normalized area under the curve, as ``qini_auc_score`` / ``uplift_auc_score``.

        Parameters
        ----------
        kind : {"qini", "uplift"}, default="qini"
        negative_effect : bool, default=True
            Of the perfect Qini curve (see :meth:`perfect_curve`).

        Returns
        -------
        float
            NaN, with an ``UndefinedUpliftMetricWarning``, when the perfect curve
            encloses no area above the random line.
        """
        perfect = self.perfect_curve(kind, negative_effect)
        actual = gain_from_counts(self.counts, kind)
        return area_score(*normalized_area(actual, perfect), kind)

    def profit_curve(self, cost_model):
        """Profit of contacting the top k, as :func:`actionable.economics.profit_curve`.

        Parameters
        ----------
        cost_model : CostModel

        Returns
        -------
        n_targeted, profit : ndarray of shape (n_distinct + 1,)
        """
        return profit_curve_from_counts(self.counts, cost_model, weighted=self.weighted)

    def _cut_positions(self, strategy, k):
        """Index of the distinct score whose run holds each cut of ``uplift_at_k``."""
        c = self.counts
        cumulative_groups = [c.n] if strategy == "overall" else [c.n_treated, c.n_control]
        positions = []
        for cumulative in cumulative_groups:
            size = cut_size(cumulative[-1], strategy, k, self._frequency)
            positions.append(min(int(np.searchsorted(cumulative, size, side="left")), c.n.size - 1))
        return sorted(set(positions))

    def _ranked_at_cuts(self, strategy, k):
        """The rows of the scores at the cuts, and one row per arm for each run of scores between.

        Rows above, between and below the cut scores only enter ``uplift_at_k`` through
        their sums, so each such segment becomes one pseudo-row per arm carrying them.
        So does a cut score held by one row: the data is read again (a second pass)
        only for a cut score that several rows share.
        """
        cuts = self._cut_positions(strategy, k)
        c = self.counts
        parts = [self._tied_rows([p for p in cuts if self._rows_at(p) > 1])]
        parts += [self._segment_rows(p, p) for p in cuts if self._rows_at(p) == 1]
        edges = [-1, *cuts, c.n.size]
        for start, stop in zip(edges[:-1], edges[1:], strict=True):
            first, last = start + 1, stop - 1  # the distinct scores strictly between two cuts
            if first > last:
                continue
            parts.append(self._segment_rows(first, last))
        y, s, t, w = (np.concatenate(values) for values in zip(*parts, strict=True))
        if not (t == 1).any():
            raise ValueError(MSG_NO_TREATED)
        if not (t == 0).any():
            raise ValueError(MSG_NO_CONTROL)
        ranked = RankedSamples(y, s, t, w)
        ranked.frequency = self._frequency
        return ranked

    def _rows_at(self, position):
        """Rows (of positive weight) holding the distinct score at ``position``."""
        index = self.counts.index
        return int(index[position] - (index[position - 1] if position > 0 else -1))

    def _tied_rows(self, positions):
        """The rows holding the distinct scores at ``positions``, read from the data, in order."""
        if not positions:
            return (np.empty(0),) * 4
        outcome, score, treatment, weight = self._columns
        frame = self._frame
        rows = frame[frame[score].isin(list(self.counts.threshold[positions]))]
        rows = rows[[outcome, score, treatment] + ([weight] if weight else [])].compute()
        y, s, t = (rows[name].to_numpy(dtype=np.float64) for name in (outcome, score, treatment))
        w = np.ones_like(y) if weight is None else rows[weight].to_numpy(dtype=np.float64)
        keep = w > 0
        return y[keep], s[keep] + 0.0, t[keep], w[keep]

    def _segment_rows(self, first, last):
        """One pseudo-row per arm with the sums of distinct scores ``first..last`` (positions)."""
        c = self.counts

        def segment(cumulative):
            return cumulative[last] - (cumulative[first - 1] if first > 0 else 0.0)

        weights = np.array([segment(c.n_treated), segment(c.n_control)])
        sums = np.array([segment(c.y_treated), segment(c.y_control)])
        nonzero = weights > 0
        y = np.divide(sums, weights, out=np.zeros(2), where=nonzero)
        score = np.full(2, c.threshold[first])
        return y[nonzero], score[nonzero], np.array([1.0, 0.0])[nonzero], weights[nonzero]


def uplift_counts(frame, *, outcome, score, treatment, sample_weight=None):
    """Aggregate a Dask DataFrame into cumulative counts per distinct score.

    One pass over ``frame``: each partition's rows are summed by score on the
    workers (map), then the partitions' sums are merged, sorted and accumulated on
    the client (reduce). The result gives the uplift and Qini curves,
    their normalized areas, ``uplift_at_k`` and profit curves exactly as the
    in-memory functions compute them on the same rows: tied scores form one
    threshold, rows of weight 0 are left out.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        One row per customer: the outcome, the score, the treatment and the weight.
    outcome : str
        Column of the outcome (0/1 with 1 = favourable, or continuous).
    score : str
        Column of the targeting score (higher: target first), e.g. predicted uplift.
    treatment : str
        Column of the treatment, 1 = treated, 0 = control.
    sample_weight : str, default=None
        Column of non-negative weights.

    Returns
    -------
    UpliftCounts

    Raises
    ------
    ValueError
        If a column is missing, holds NaN, a treatment other than 0/1 or a negative
        weight (the message names the column and the partition), or if no row is
        treated or none is control.

    See Also
    --------
    actionable.metrics.qini_auc_score : The in-memory score these counts reproduce.

    Notes
    -----
    The client receives one row of sums per distinct score of each partition (48
    bytes each) and builds the curves from them: memory on the client grows with
    the distinct scores, about 150 bytes per distinct score at its peak; a worker
    holds one partition at a time. A LightGBM model's scores take nearly one
    distinct value per row: past what the client can hold, use
    :func:`ranged_counts` (the same measures, and exact points of the curves to
    draw them).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"y": [1, 0, 1, 0, 1, 0], "t": [1, 1, 1, 0, 0, 0],
    ...                      "u": [0.9, 0.1, 0.8, 0.7, 0.2, 0.3]})
    >>> counts = uplift_counts(dd.from_pandas(rows, npartitions=2), outcome="y",
    ...                        score="u", treatment="t")
    >>> round(counts.qini_auc_score(), 4)
    0.8974
    """
    (counts,) = uplift_counts_of(
        frame, [score], outcome=outcome, treatment=treatment, sample_weight=sample_weight
    )
    return counts


def uplift_counts_of(frame, scores, *, outcome, treatment, sample_weight=None):
    """:func:`uplift_counts` of several score columns, in one pass over ``frame``."""
    check_columns(frame, outcome=outcome, treatment=treatment, sample_weight=sample_weight)
    for score in scores:
        check_columns(frame, score=score)
    all_sums = gather_sums(
        frame, scores, outcome=outcome, treatment=treatment, sample_weight=sample_weight
    )
    results = []
    for score, sums in zip(scores, all_sums, strict=True):
        if sums.n_treated.sum() <= 0:
            raise ValueError(MSG_NO_TREATED)
        if (sums.n - sums.n_treated).sum() <= 0:
            raise ValueError(MSG_NO_CONTROL)
        columns = (outcome, score, treatment, sample_weight)
        weighted = sample_weight is not None
        results.append(UpliftCounts(sums, frame=frame, columns=columns, weighted=weighted))
    return results
