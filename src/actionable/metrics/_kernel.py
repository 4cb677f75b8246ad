"""The one sort-and-cumulative-sum kernel that feeds every uplift and profit curve."""

from typing import NamedTuple

import numpy as np


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


def cumulative_counts(y_true, score, treatment, sample_weight=None):
    """Sort once by decreasing ``score`` and accumulate counts at each distinct score.

    Inputs must already be validated float64 arrays (see
    ``actionable._validation.check_uplift_inputs``). One unstable sort is enough
    because tied scores are collapsed into a single threshold, so their order
    never matters. Sums run in float64.

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

    Examples
    --------
    >>> import numpy as np
    >>> c = cumulative_counts(np.array([1., 0., 1., 0.]), np.array([.9, .5, .5, .1]),
    ...                       np.array([1., 1., 0., 0.]))
    >>> c.n, c.y_treated, c.y_control
    (array([1., 3., 4.]), array([1., 1., 1.]), array([0., 1., 1.]))
    """
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
    return CumulativeCounts(
        threshold=score_sorted[last],
        index=last,
        n=n,
        n_treated=n_treated,
        n_control=n - n_treated,
        y_treated=y_treated,
        y_control=y_all - y_treated,
    )
