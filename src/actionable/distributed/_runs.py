"""Rows sorted by score, cut into score ranges: the numpy side of the range-partitioned curves.

A :class:`ScoreRun` holds rows by decreasing score, tied scores in input order: the
score, the 0/1 treatment, the outcome (one byte when it is 0/1) and the weight, if
any: 10 bytes per row for an unweighted 0/1 outcome. Each partition's rows become a
run on their worker; the runs are cut at common score bounds (:func:`split_run`) and
the pieces of one range joined (:func:`join_runs`) into the range's run, so that
range ``j`` holds every row whose score lies between bounds ``j`` and ``j + 1``:
a range-partitioned sort. Each range's totals (:func:`run_totals`) come to the client,
whose exclusive prefix sums give each range the counts of the rows ranked before it;
from them the range builds its stretch of the curves (:func:`range_measures`).

Ties never straddle two ranges (bounds are scores), and within a range the rows keep
the order partition by partition, row by row: the input order, which ``uplift_at_k``
needs for a cut inside a run of tied scores.
"""

from typing import NamedTuple

import numpy as np

from actionable.distributed._tables import SUM_NAMES
from actionable.economics._profit import profit_curve_from_counts
from actionable.metrics._common import area, gain_from_counts
from actionable.metrics._kernel import CumulativeCounts

LANDMARKS = 256
"""Scores each run reports, evenly spaced along it, for the client to choose bounds."""


class ScoreRun(NamedTuple):
    """Rows by decreasing score, tied scores in input order."""

    score: np.ndarray
    """float64 scores, decreasing."""
    treated: np.ndarray
    """bool: the row was treated."""
    outcome: np.ndarray
    """uint8 when every outcome is 0 or 1, float64 otherwise."""
    weight: np.ndarray | None
    """float64 positive weights, or None (every row weighs 1)."""


def score_run(score, treatment, outcome, weight=None):
    """The :class:`ScoreRun` of one partition's rows (rows of weight 0 left out).

    Parameters
    ----------
    score, treatment, outcome : ndarray of shape (n_rows,)
        float64 arrays, checked (no NaN; treatment 0 or 1).
    weight : ndarray of shape (n_rows,), default=None
        Non-negative weights.

    Returns
    -------
    ScoreRun

    Examples
    --------
    >>> run = score_run(np.array([0.2, 0.9, 0.2]), np.array([1.0, 0.0, 0.0]),
    ...                 np.array([1.0, 0.0, 1.0]))
    >>> run.score.tolist(), run.treated.tolist(), run.outcome.tolist()
    ([0.9, 0.2, 0.2], [False, True, False], [0, 1, 1])
    """
    if weight is not None:
        keep = weight > 0  # rows of weight 0 carry nothing, as in the in-memory metrics
        score, treatment, outcome = score[keep], treatment[keep], outcome[keep]
        weight = weight[keep]
    score = score + 0.0  # -0.0 and 0.0 are one score
    order = np.argsort(-score, kind="stable")
    binary = bool(np.all((outcome == 0.0) | (outcome == 1.0)))
    outcome = outcome[order]
    return ScoreRun(
        score=score[order],
        treated=treatment[order] == 1.0,
        outcome=outcome.astype(np.uint8) if binary else outcome.astype(np.float64),
        weight=None if weight is None else weight[order].astype(np.float64),
    )


def landmarks(run, count=LANDMARKS):
    """Scores at ``count`` evenly spaced positions of ``run`` and its number of rows."""
    if run.score.size == 0:
        return np.empty(0), 0
    positions = np.linspace(0, run.score.size - 1, min(count, run.score.size))
    return run.score[np.round(positions).astype(np.intp)], run.score.size


def choose_bounds(marks, n_ranges):
    """Decreasing score bounds that cut the runs' rows into about ``n_ranges`` equal ranges.

    Parameters
    ----------
    marks : list of (ndarray, int)
        Each run's :func:`landmarks`.
    n_ranges : int

    Returns
    -------
    ndarray
        Distinct bounds, decreasing: range 0 holds the scores above ``bounds[0]``,
        range ``j`` those in ``(bounds[j], bounds[j - 1]]``, the last those at or
        below the last bound (fewer ranges than asked when scores are tied).

    Examples
    --------
    >>> choose_bounds([(np.array([4.0, 3.0, 2.0, 1.0]), 4)], 2)
    array([2.])
    """
    scores = np.concatenate([scores for scores, _ in marks])
    stands_for = np.concatenate(
        [np.full(scores.size, rows / scores.size) for scores, rows in marks if scores.size]
    )
    if scores.size == 0 or n_ranges <= 1:
        return np.empty(0)
    order = np.argsort(-scores, kind="stable")
    scores, covered = scores[order], np.cumsum(stands_for[order])
    targets = covered[-1] * np.arange(1, n_ranges) / n_ranges
    at = np.minimum(np.searchsorted(covered, targets, side="right"), scores.size - 1)
    bounds = np.unique(scores[at])[::-1]
    return bounds[bounds < scores[0]]  # the top score as a bound would leave range 0 empty


def split_run(run, bounds):
    """``run`` cut at ``bounds`` (see :func:`choose_bounds`): one piece per range.

    ``run`` is any named tuple of equal-length arrays (or None) sorted by its
    decreasing ``score``: a :class:`ScoreRun`, or the rows of a ranking.
    """
    cuts = np.searchsorted(-run.score, -np.asarray(bounds), side="left")
    edges = [0, *cuts.tolist(), run.score.size]
    return tuple(
        run._make(None if values is None else values[start:stop] for values in run)
        for start, stop in zip(edges[:-1], edges[1:], strict=True)
    )


def join_runs(pieces):
    """One range's run from its pieces, in partition order (ties keep that order)."""
    pieces = list(pieces)
    order = np.argsort(-np.concatenate([piece.score for piece in pieces]), kind="stable")

    def joined(values):
        if any(value is None for value in values):
            return None
        return np.concatenate(values)[order]

    return pieces[0]._make(joined(values) for values in zip(*pieces, strict=True))


def _weights(run):
    """The weight of each row of ``run`` (1 when it has none)."""
    return np.ones(run.score.size) if run.weight is None else run.weight


def score_sums(run):
    """The sums of each distinct score of a non-empty ``run`` (best first), and the scores."""
    starts = np.flatnonzero(np.concatenate(([True], run.score[1:] != run.score[:-1])))
    w = _weights(run)
    wy = w * run.outcome
    sums = {
        "rows": np.diff(np.append(starts, run.score.size)).astype(np.float64),
        "n": np.add.reduceat(w, starts),
        "n_treated": np.add.reduceat(np.where(run.treated, w, 0.0), starts),
        "y_treated": np.add.reduceat(np.where(run.treated, wy, 0.0), starts),
        "y_all": np.add.reduceat(wy, starts),
    }
    return run.score[starts], sums


def run_totals(run):
    """A range's totals: its :data:`SUM_NAMES`, distinct scores, top score and outcome flags."""
    w = _weights(run)
    wy = w * run.outcome
    return {
        "rows": float(run.score.size),
        "n": float(w.sum()),
        "n_treated": float(w[run.treated].sum()),
        "y_treated": float(wy[run.treated].sum()),
        "y_all": float(wy.sum()),
        "distinct": int(np.count_nonzero(run.score[1:] != run.score[:-1]) + (run.score.size > 0)),
        "top": float(run.score[0]) if run.score.size else np.nan,
        "non_binary": bool(np.any((run.outcome != 0) & (run.outcome != 1))),
        "fractional_weight": run.weight is not None and bool(np.any(w != np.floor(w))),
    }


def counts_after(sums, before, threshold=None):
    """Cumulative counts of a range's distinct scores, starting from the sums ``before`` it."""
    cumulative = {
        name: before[name] + np.cumsum(sums[name], dtype=np.float64)
        for name in ("n", "n_treated", "y_treated", "y_all")
    }
    return CumulativeCounts.from_totals(
        cumulative["n"], cumulative["n_treated"], cumulative["y_treated"], cumulative["y_all"],
        threshold=threshold,
    )  # fmt: skip


def point(before):
    """The :class:`CumulativeCounts` of one point: the sums ``before`` a range."""
    return counts_after({name: np.zeros(1) for name in SUM_NAMES}, before)


def _counts_from(run, before):
    """Cumulative counts at each distinct score of a non-empty range, from the sums before it."""
    distinct, sums = score_sums(run)
    return counts_after(sums, before, distinct)


def _profit_points(counts, cost_model, weighted):
    """``(n_targeted, profit)`` at each of the counts' scores (the origin left out)."""
    n_targeted, profit = profit_curve_from_counts(counts, cost_model, weighted=weighted)
    return n_targeted[1:].astype(np.float64), profit[1:]


def range_measures(run, before, *, cost_model=None, weighted=False, capacity=None):
    """What one range adds to the curves, from the sums ``before`` it.

    Returns, for ``"qini"`` and ``"uplift"``, the area of the range's stretch of the
    curve (from the last point before it) and the largest absolute gain on it; with
    a ``cost_model``, the range's best profit and the rows it contacts, and the best
    profit contacting at most ``capacity``.
    """
    measures = {}
    if run.score.size == 0:
        return measures
    counts, start = _counts_from(run, before), point(before)
    for kind in ("qini", "uplift"):
        x, gain = gain_from_counts(counts, kind, origin=False)
        x_start, gain_start = gain_from_counts(start, kind, origin=False)
        measures[kind] = {
            "area": float(area(np.concatenate([x_start, x]), np.concatenate([gain_start, gain]))),
            "peak": float(np.max(np.abs(gain))),
        }
    if cost_model is not None:
        n_targeted, profit = _profit_points(counts, cost_model, weighted)
        best = int(np.argmax(profit))
        within = n_targeted <= (np.inf if capacity is None else capacity)
        measures["profit"] = {
            "best": float(profit[best]),
            "n_at_best": float(n_targeted[best]),
            "best_within_capacity": float(profit[within].max()) if within.any() else None,
        }
    return measures


def range_points(run, before, targets, kind, *, cost_model=None, weighted=False):
    """Exact points of a curve in one range: at the first threshold reaching each target.

    ``targets`` are weights targeted (increasing); for each, the range's first
    distinct score at which the cumulative weight reaches it gives one point of the
    curve (``kind``: ``"qini"``, ``"uplift"`` or ``"profit"`` with ``cost_model``).
    Returns ``(n_targeted, value)`` arrays, one point per threshold reached.
    """
    if run.score.size == 0:
        return np.empty(0), np.empty(0)
    counts = _counts_from(run, before)
    if kind == "profit":
        x, values = _profit_points(counts, cost_model, weighted)
    else:
        x, values = gain_from_counts(counts, kind, origin=False)
    targets = targets[(targets > before["n"]) & (targets <= x[-1])]  # reached in this range
    at = np.union1d(np.searchsorted(x, targets, side="left"), [x.size - 1])  # and its end
    return x[at], values[at]


def segment_rows(total, top):
    """One pseudo-row per arm carrying the sums ``total`` of ranges outside the cuts.

    Rows of ranges wholly above or below the cuts of ``uplift_at_k`` enter it only
    through their sums. ``top`` is a score of the segment, so that the pseudo-rows
    rank where its rows do.
    """
    weights = np.array([total["n_treated"], total["n"] - total["n_treated"]])
    sums = np.array([total["y_treated"], total["y_all"] - total["y_treated"]])
    nonzero = weights > 0
    y = np.divide(sums, weights, out=np.zeros(2), where=nonzero)
    score = np.full(2, top)
    return y[nonzero], score[nonzero], np.array([1.0, 0.0])[nonzero], weights[nonzero]


def run_rows(run):
    """``(y, score, treatment, weight)`` float64 arrays of a run's rows, in its order."""
    return run.outcome.astype(np.float64), run.score, run.treated.astype(np.float64), _weights(run)
