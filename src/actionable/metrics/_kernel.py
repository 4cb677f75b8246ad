"""The one sort-and-cumulative-sum kernel that feeds every uplift and profit curve.

Two exact strategies share one contract (:class:`CumulativeCounts`):

* **Counting** (binary outcome, no weights): nothing but ``np.sort`` (a SIMD
  sort, several times faster than ``np.argsort``) and counting. Distinct scores
  are sorted as integer keys that carry the (treatment, outcome) label in their
  two lowest bits; tied scores are split into the four (treatment, outcome)
  groups, each group's scores are sorted, and for every distinct score the
  scores of each group at least that large are counted. No permutation is
  ever gathered.
* **Summing** (weights or continuous outcomes): per distinct score, add up the
  weights and outcomes with ``np.bincount`` when scores are heavily tied, or
  with one unstable ``np.argsort`` followed by cumulative sums otherwise.

In both, tied scores form a single threshold, so the order within ties never
matters, and every sum runs in float64.
"""

import sys
from typing import NamedTuple

import numpy as np

# Below this ratio of distinct scores to samples, per-threshold sums are cheaper
# through a bincount over threshold positions than through an argsort.
_HEAVY_TIES = 1 / 16


class CumulativeCounts(NamedTuple):
    """Cumulative (weighted) counts at each distinct score threshold, best first.

    Entry ``i`` describes the group formed by all samples whose score is at least
    the ``i``-th largest distinct score. Tied scores always fall into the same
    group: a threshold cannot split them.
    """

    threshold: np.ndarray
    """Distinct scores in decreasing order."""
    index: np.ndarray
    """Position (in the sorted order) of the last sample of each group; ``n = index + 1``."""
    n: np.ndarray
    """Total weight targeted (the sample count when unweighted)."""
    n_treated: np.ndarray
    """Weight of treated samples targeted."""
    n_control: np.ndarray
    """Weight of control samples targeted."""
    y_treated: np.ndarray
    """Sum of the (weighted) outcomes of the treated samples targeted."""
    y_control: np.ndarray
    """Sum of the (weighted) outcomes of the control samples targeted."""

    @classmethod
    def from_totals(cls, n, n_treated, y_treated, y_all, *, threshold=None, index=None):
        """The counts from the totals of all and of treated samples (control = all - treated)."""
        return cls(
            threshold=threshold,
            index=index,
            n=n,
            n_treated=n_treated,
            n_control=n - n_treated,
            y_treated=y_treated,
            y_control=y_all - y_treated,
        )


def cumulative_counts(y_true, score, treatment, sample_weight=None):
    """Sort once by decreasing ``score`` and accumulate counts at each distinct score.

    Inputs must already be validated float64 arrays (see
    ``actionable._validation.check_uplift_inputs``). Tied scores are collapsed
    into a single threshold, so their order never matters. Sums run in float64.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples,)
        Outcomes (binary or continuous).
    score : ndarray of shape (n_samples,)
        Targeting score; higher means target first.
    treatment : ndarray of shape (n_samples,)
        1.0 for treated, 0.0 for control.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative weights.

    Returns
    -------
    CumulativeCounts
        Arrays of shape (n_thresholds,).

    See Also
    --------
    actionable.metrics.qini_curve : A curve built on these counts.

    Examples
    --------
    >>> import numpy as np
    >>> c = cumulative_counts(np.array([1., 0., 1., 0.]), np.array([.9, .5, .5, .1]),
    ...                       np.array([1., 1., 0., 0.]))
    >>> c.n, c.y_treated, c.y_control
    (array([1., 3., 4.]), array([1., 1., 1.]), array([0., 1., 1.]))
    """
    return counts_with_outcome_type(y_true, score, treatment, sample_weight, is_binary(y_true))


def counts_with_outcome_type(y_true, score, treatment, sample_weight, binary, *, thresholds=True):
    """:func:`cumulative_counts` for callers that already know whether ``y_true`` is 0/1.

    With ``thresholds=False`` the ``threshold`` and ``index`` fields may be None:
    callers that need only the counts (areas) then skip a sort when no score is tied.
    """
    if sample_weight is None and binary:
        return _count_binary_outcome(y_true, score, treatment, thresholds)
    return _sum_by_threshold(y_true, score, treatment, sample_weight)


def is_binary(values):
    """Return True when every value is 0 or 1 (vectorized, no ``np.unique``).

    Parameters
    ----------
    values : ndarray
        Float array.

    Returns
    -------
    bool
    """
    return bool(np.all((values == 0.0) | (values == 1.0)))


def _distinct_ascending(score, ascending=None):
    """Sort ``score``; return its distinct values ascending and, for each, the rows at or above.

    When no score is tied (common for continuous scores) the sorted array itself
    is the answer, and the gather of run ends is skipped.
    """
    if ascending is None:
        ascending = np.sort(score)
    new_value = ascending[1:] != ascending[:-1]
    if new_value.all():
        return ascending, np.arange(score.size, 0, -1)
    run_end = np.flatnonzero(new_value)
    distinct = np.append(ascending[run_end], ascending[-1])
    rows_at_or_above = score.size - np.append(0, run_end + 1)
    return distinct, rows_at_or_above


def _count_at_or_above_descending(values, thresholds):
    """For each threshold, from the largest down, count the ``values`` that are >= it.

    ``thresholds`` is ascending and holds every value. Uses whichever is cheaper:
    one binary search per threshold, or one per value followed by a bincount.
    """
    values = np.sort(values)
    n_thresholds = thresholds.size
    if n_thresholds * 4 < values.size:
        below = np.searchsorted(values, thresholds[::-1], side="left")
        return values.size - below
    rank_descending = (n_thresholds - 1) - np.searchsorted(thresholds, values, side="left")
    return np.cumsum(np.bincount(rank_descending, minlength=n_thresholds))


def _count_binary_outcome(y_true, score, treatment, thresholds=True):
    if thresholds:
        ascending = np.sort(score)
        if np.all(ascending[1:] != ascending[:-1]):
            counts = _count_distinct_scores(y_true, score, treatment, ascending)
            if counts is not None:
                return counts
    else:
        if not probably_tied(score):
            counts = _count_distinct_scores(y_true, score, treatment, None)
            if counts is not None:
                return counts
        ascending = np.sort(score)

    treated = treatment == 1.0
    positive = y_true == 1.0
    groups = {
        "treated_positive": treated & positive,
        "treated_negative": treated & ~positive,
        "control_positive": ~treated & positive,
        "control_negative": ~treated & ~positive,
    }
    sizes = {name: int(np.count_nonzero(mask)) for name, mask in groups.items()}
    largest = max(sizes, key=sizes.get)

    thresholds, rows_at_or_above = _distinct_ascending(score, ascending)
    rows = np.ascontiguousarray(rows_at_or_above[::-1])
    counts = {
        name: _count_at_or_above_descending(score[mask], thresholds)
        for name, mask in groups.items()
        if name != largest
    }
    counts[largest] = rows - sum(counts.values())

    n = rows.astype(np.float64)
    n_treated = (counts["treated_positive"] + counts["treated_negative"]).astype(np.float64)
    return CumulativeCounts(
        threshold=np.ascontiguousarray(thresholds[::-1]),
        index=(rows - 1).astype(np.intp, copy=False),
        n=n,
        n_treated=n_treated,
        n_control=n - n_treated,
        y_treated=counts["treated_positive"].astype(np.float64),
        y_control=counts["control_positive"].astype(np.float64),
    )


def probably_tied(score, sample_size=4096):
    """Whether an evenly spaced sample of ``score`` already holds a tie (a cheap guess)."""
    sample = np.sort(score[:: max(1, score.size // sample_size)])
    return bool(np.any(sample[1:] == sample[:-1]))


_LABEL_BITS = np.uint64(3)
_KEEP_HIGH_BITS = ~_LABEL_BITS
# The lowest byte of each 64-bit word, the one that holds the label bits.
_LOW_BYTE = 0 if sys.byteorder == "little" else 7


def _count_distinct_scores(y_true, score, treatment, ascending):
    """Counts for distinct scores (binary outcome) from :func:`labels_by_distinct_score`.

    Returns None when two scores are tied or too close (the caller then falls back
    to the group-wise count). The counts are accumulated in 32-bit integers where
    they fit (exact, and half the memory traffic). ``ascending`` (the sorted
    scores) becomes ``threshold`` when given.
    """
    labels = labels_by_distinct_score(score, pair_labels(y_true, treatment))
    if labels is None:
        return None
    dtype = np.int32 if score.size < np.iinfo(np.int32).max else np.int64

    def cumulative(indicator):
        return np.cumsum(indicator, dtype=dtype).astype(np.float64)

    n = np.arange(1, score.size + 1, dtype=np.float64)
    n_treated = cumulative(labels >= 2)
    return CumulativeCounts(
        threshold=None if ascending is None else ascending[::-1].copy(),
        index=None if ascending is None else np.arange(score.size, dtype=np.intp),
        n=n,
        n_treated=n_treated,
        n_control=n - n_treated,
        y_treated=cumulative(labels == 3),
        y_control=cumulative(labels == 1),
    )


def pair_labels(y_true, treatment):
    """The (treatment, outcome) label of each row as uint8: ``2 * treatment + y_true``.

    3 treated success, 2 treated failure, 1 control success, 0 control failure;
    both inputs hold only 0 and 1 (any numeric or bool dtype).
    """
    labels = treatment.astype(np.uint8)
    np.left_shift(labels, 1, out=labels)
    np.bitwise_or(labels, y_true.astype(np.uint8), out=labels)
    return labels


def labels_by_distinct_score(score, labels):
    """The rows' (treatment, outcome) labels ranked by decreasing score, with one float sort.

    ``labels`` (uint8: 3 treated success, 2 treated failure, 1 control success,
    0 control failure) replace the 2 lowest mantissa bits of each score, which moves
    it by less than 4 ulps, and the scores are sorted with numpy's SIMD float sort;
    the labels are read back from the sorted words' lowest byte. No permutation is
    gathered. The order is exact unless two scores differ only in those 2 bits
    (within 4 ulps) or are tied; that is detected, and None is returned.
    """
    keys = np.add(score, 0.0)  # + 0.0 turns -0.0 into 0.0; a new array
    bits = keys.view(np.uint64)
    np.bitwise_and(bits, _KEEP_HIGH_BITS, out=bits)
    np.bitwise_or(bits, labels, out=bits)
    keys.sort()
    if np.isnan(keys[-1]) or (np.bitwise_xor(bits[1:], bits[:-1]) <= _LABEL_BITS).any():
        return None  # a tie, two scores within 4 ulps, or an infinite score (now NaN)
    return np.bitwise_and(bits.view(np.uint8)[_LOW_BYTE::8], 3)[::-1]


def _sum_by_threshold(y_true, score, treatment, sample_weight):
    thresholds, rows_at_or_above = _distinct_ascending(score)
    if thresholds.size > _HEAVY_TIES * score.size:
        return _sum_after_argsort(y_true, score, treatment, sample_weight)

    weight = np.ones_like(score) if sample_weight is None else sample_weight
    weight_treated = weight * treatment
    position = np.searchsorted(thresholds, score, side="left")

    def at_or_above(values):
        per_threshold = np.bincount(position, weights=values, minlength=thresholds.size)
        return np.cumsum(per_threshold[::-1], dtype=np.float64)

    n = at_or_above(weight)
    n_treated = at_or_above(weight_treated)
    y_treated = at_or_above(y_true * weight_treated)
    y_all = at_or_above(y_true * weight)
    return CumulativeCounts(
        threshold=np.ascontiguousarray(thresholds[::-1]),
        index=np.ascontiguousarray(rows_at_or_above[::-1] - 1, dtype=np.intp),
        n=n,
        n_treated=n_treated,
        n_control=n - n_treated,
        y_treated=y_treated,
        y_control=y_all - y_treated,
    )


def _sum_after_argsort(y_true, score, treatment, sample_weight):
    order = np.argsort(score)[::-1]
    score_sorted = score[order]
    y_sorted = y_true[order]
    t_sorted = treatment[order]
    last = np.flatnonzero(np.diff(score_sorted))
    last = np.append(last, score_sorted.size - 1)

    if sample_weight is None:
        n = (last + 1).astype(np.float64)
        n_treated = np.cumsum(t_sorted, dtype=np.float64)[last]
        y_treated = np.cumsum(y_sorted * t_sorted, dtype=np.float64)[last]
        y_all = np.cumsum(y_sorted, dtype=np.float64)[last]
    else:
        w_sorted = sample_weight[order]
        n = np.cumsum(w_sorted, dtype=np.float64)[last]
        wt = w_sorted * t_sorted
        n_treated = np.cumsum(wt, dtype=np.float64)[last]
        y_treated = np.cumsum(y_sorted * wt, dtype=np.float64)[last]
        y_all = np.cumsum(y_sorted * w_sorted, dtype=np.float64)[last]
    return CumulativeCounts.from_totals(
        n, n_treated, y_treated, y_all, threshold=score_sorted[last], index=last
    )


class TieGroups:
    """Samples ranked by decreasing score, with the runs of tied scores marked.

    The ranking of many weightings of the same rows (bootstrap replicates): sorted
    once, then ``counts`` accumulates any number of weight vectors at once.

    ``counts`` takes weights in this ranked order, shape (n_replicates, n_samples).
    Integer weights (unweighted bootstrap counts) keep integer cumulative sums,
    which numpy computes several times faster than float ones; they are exact.
    """

    def __init__(self, score, y_true, treatment):
        self.order = np.argsort(score)[::-1]
        sorted_score = score[self.order]
        self.last = np.append(np.flatnonzero(np.diff(sorted_score)), score.size - 1)
        self.n_thresholds = self.last.size
        self.y = y_true[self.order]
        self.treatment = treatment[self.order]
        self.binary = is_binary(self.y)
        self._treatment_int = self.treatment.astype(np.int64)
        self._y_int = self.y.astype(np.int64) if self.binary else None

    def counts(self, weights):
        integral = weights.dtype.kind in "iu"
        treatment = self._treatment_int if integral else self.treatment
        y = self._y_int if integral and self.binary else self.y
        weighted_treated = weights * treatment

        def at_or_above(values):
            cumulative = np.cumsum(values, axis=-1)
            if self.n_thresholds < values.shape[-1]:
                cumulative = cumulative[..., self.last]
            return cumulative.astype(np.float64, copy=False)

        n = at_or_above(weights)
        n_treated = at_or_above(weighted_treated)
        y_treated = at_or_above(weighted_treated * y)
        y_all = at_or_above(weights * y)
        return CumulativeCounts.from_totals(n, n_treated, y_treated, y_all)
