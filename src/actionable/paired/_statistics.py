"""Statistics of a paired experiment: outcome AUC, and the customer types of a group."""

import numpy as np

from actionable._interval import Interval
from actionable.paired._result import CUSTOMER_TYPES


def customer_types_of(y0, y1):
    """Name each person's type from their two potential outcomes.

    Parameters
    ----------
    y0, y1 : array-like of shape (n_samples,)
        Outcome without and with the intervention (1 = favourable).

    Returns
    -------
    ndarray of str, shape (n_samples,)
        ``"persuadable"`` (0, 1), ``"sure thing"`` (1, 1), ``"lost cause"`` (0, 0) or
        ``"sleeping dog"`` (1, 0).

    Examples
    --------
    >>> customer_types_of([0, 1, 0, 1], [1, 1, 0, 0]).tolist()
    ['persuadable', 'sure thing', 'lost cause', 'sleeping dog']
    """
    y0 = np.asarray(y0) > 0.5
    y1 = np.asarray(y1) > 0.5
    kinds = np.empty(y0.shape, dtype=object)
    kinds[~y0 & y1] = "persuadable"
    kinds[y0 & y1] = "sure thing"
    kinds[~y0 & ~y1] = "lost cause"
    kinds[y0 & ~y1] = "sleeping dog"
    return kinds


def _z(confidence_level):
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence_level / 2))


def auc_interval(y_true, score, *, confidence_level=0.95, sample_weight=None):
    """ROC AUC with DeLong's analytic confidence interval.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class, 0 otherwise.
    score : array-like of shape (n_samples,)
        Higher means more likely positive.
    confidence_level : float, default=0.95
        Coverage of the interval.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights (e.g. inverse propensity weights). The AUC is then
        the weighted share of (positive, negative) pairs in the right order, and the
        variance DeLong's with each row's structural component weighted (a sandwich
        estimate; with equal weights it is DeLong's exactly).

    Returns
    -------
    Interval
        The AUC (ties count one half) with a normal interval from DeLong's variance,
        clipped to [0, 1]; NaN when one class is absent.

    References
    ----------
    .. [1] DeLong, DeLong and Clarke-Pearson (1988), "Comparing the areas under two or
       more correlated receiver operating characteristic curves: a nonparametric
       approach", Biometrics 44(3), 837-845.

    Examples
    --------
    >>> auc_interval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).estimate
    0.75
    >>> auc_interval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], sample_weight=[1, 1, 3, 1]).estimate
    0.625
    """
    y_true = np.asarray(y_true) > 0.5
    score = np.asarray(score, dtype=np.float64)
    weight = (
        np.ones(score.size)
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float64)
    )
    positive, negative = weight * y_true, weight * ~y_true
    n_positive = int(np.count_nonzero(positive))
    n_negative = int(np.count_nonzero(negative))
    if n_positive == 0 or n_negative == 0:
        nan = float("nan")
        return Interval(nan, nan, nan, confidence_level, "DeLong")
    # structural components: weighted share of negatives below each positive, and of
    # positives above each negative (ties count one half)
    values, where = np.unique(score, return_inverse=True)
    below_or_tied = [
        np.bincount(where, weights=w, minlength=values.size) for w in (positive, negative)
    ]
    total_positive, total_negative = (float(counts.sum()) for counts in below_or_tied)
    v = np.empty(score.size)
    for rows, counts, total, above in (
        (y_true, below_or_tied[1], total_negative, False),
        (~y_true, below_or_tied[0], total_positive, True),
    ):
        cumulative = np.cumsum(counts)
        share_below = (cumulative - counts / 2.0) / total  # strictly below + half the ties
        v[rows] = (1.0 - share_below if above else share_below)[where[rows]]
    auc = float(np.sum(positive * v) / total_positive)
    variance = 0.0
    for rows, w, total, count in (
        (y_true, positive, total_positive, n_positive),
        (~y_true, negative, total_negative, n_negative),
    ):
        if count > 1:
            spread = np.sum((w[rows] * (v[rows] - auc)) ** 2) / total**2
            variance += spread * count / (count - 1)
    half = _z(confidence_level) * float(np.sqrt(variance))
    return Interval(auc, max(0.0, auc - half), min(1.0, auc + half), confidence_level, "DeLong")


def top_rows(score, n_contacted, random_state):
    """Indices of the ``n_contacted`` highest scores; ties broken at random."""
    rng = np.random.default_rng(random_state)
    tie_breaker = rng.random(score.size)
    order = np.lexsort((tie_breaker, -score))
    return order[:n_contacted]


def exact_types(kinds, rows):
    """Exact counts of each customer type among ``rows`` (the truth is known)."""
    return {kind: Interval.exact(np.count_nonzero(kinds[rows] == kind)) for kind in CUSTOMER_TYPES}


def estimate_customer_types(y_true, treatment, *, confidence_level=0.95, sample_weight=None):
    """Estimate how many of a group are each customer type, from a randomized test.

    Nobody's type can be observed: each person is either treated or not. Within the
    group, the favourable rate of its treated rows, ``p1``, estimates the share of
    persuadables plus sure things, and that of its control rows, ``p0``, the share of
    sure things plus sleeping dogs. Their difference identifies persuadables minus
    sleeping dogs only, so one more assumption is needed; the estimate takes the
    smallest mix consistent with the data: no sleeping dogs when ``p1 >= p0``
    (monotonicity), no persuadables otherwise. Then::

        persuadable = max(p1 - p0, 0)      sleeping dog = max(p0 - p1, 0)
        sure thing = min(p0, p1)           lost cause = 1 - max(p0, p1)

    The intervals are normal intervals of these shares under that assumption
    (variances ``p(1-p)/n`` of each arm's rate), scaled to the group's size.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes of the group (1 = favourable).
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control.
    confidence_level : float, default=0.95
        Coverage of the intervals.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights (inverse propensity weights of a targeted campaign): the arm rates
        are weighted means and their variances use Kish's effective number of rows.

    Returns
    -------
    dict of str to Interval
        Estimated number of each type in the group, in ``CUSTOMER_TYPES`` order.

    Examples
    --------
    >>> types = estimate_customer_types([1, 1, 1, 0, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0])
    >>> {kind: value.estimate for kind, value in types.items()}
    {'persuadable': 4.0, 'sure thing': 2.0, 'lost cause': 2.0, 'sleeping dog': 0.0}
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    treated = np.asarray(treatment, dtype=np.float64) == 1.0
    n = y_true.size
    weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    n1, n0 = (float(w.sum() ** 2 / np.sum(w**2)) if w.sum() > 0 else 0.0
              for w in (weight[treated], weight[~treated]))  # fmt: skip
    if n1 == 0 or n0 == 0:
        nan = float("nan")
        return {
            kind: Interval(nan, nan, nan, confidence_level, "normal") for kind in CUSTOMER_TYPES
        }
    p1 = float(np.average(y_true[treated], weights=weight[treated]))
    p0 = float(np.average(y_true[~treated], weights=weight[~treated]))
    var1, var0 = p1 * (1 - p1) / n1, p0 * (1 - p0) / n0
    shares = {
        "persuadable": (max(p1 - p0, 0.0), var1 + var0),
        "sure thing": (min(p0, p1), var0 if p0 <= p1 else var1),
        "lost cause": (1.0 - max(p0, p1), var1 if p1 >= p0 else var0),
        "sleeping dog": (max(p0 - p1, 0.0), var1 + var0),
    }
    z = _z(confidence_level)
    result = {}
    for kind, (share, variance) in shares.items():
        half = z * np.sqrt(variance)
        low, high = max(share - half, 0.0), min(share + half, 1.0)
        result[kind] = Interval(n * share, n * low, n * high, confidence_level, "normal")
    return result
