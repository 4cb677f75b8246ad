"""Statistics of a paired experiment: outcome AUC, and the customer types of a group."""

import numpy as np

from actionable.paired._result import CUSTOMER_TYPES, Interval


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


def auc_interval(y_true, score, *, confidence_level=0.95):
    """ROC AUC with DeLong's analytic confidence interval.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class, 0 otherwise.
    score : array-like of shape (n_samples,)
        Higher means more likely positive.
    confidence_level : float, default=0.95
        Coverage of the interval.

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
    """
    from scipy.stats import rankdata

    y_true = np.asarray(y_true) > 0.5
    score = np.asarray(score, dtype=np.float64)
    n_positive = int(y_true.sum())
    n_negative = y_true.size - n_positive
    if n_positive == 0 or n_negative == 0:
        nan = float("nan")
        return Interval(nan, nan, nan, confidence_level, "DeLong")
    rank_all = rankdata(score)
    rank_positive = rankdata(score[y_true])
    rank_negative = rankdata(score[~y_true])
    # structural components: share of negatives below each positive, and of positives
    # above each negative (ties count one half)
    v_positive = (rank_all[y_true] - rank_positive) / n_negative
    v_negative = 1.0 - (rank_all[~y_true] - rank_negative) / n_positive
    auc = float(v_positive.mean())
    variance = v_positive.var(ddof=1) / n_positive if n_positive > 1 else 0.0
    variance += v_negative.var(ddof=1) / n_negative if n_negative > 1 else 0.0
    half = _z(confidence_level) * float(np.sqrt(variance))
    return Interval(auc, max(0.0, auc - half), min(1.0, auc + half), confidence_level, "DeLong")


def _top_rows(score, n_contacted, random_state):
    """Indices of the ``n_contacted`` highest scores; ties broken at random."""
    rng = np.random.default_rng(random_state)
    tie_breaker = rng.random(score.size)
    order = np.lexsort((tie_breaker, -score))
    return order[:n_contacted]


def _exact_types(kinds, rows):
    return {kind: Interval.exact(np.count_nonzero(kinds[rows] == kind)) for kind in CUSTOMER_TYPES}


def estimate_customer_types(y_true, treatment, *, confidence_level=0.95):
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
    n1, n0 = int(treated.sum()), int((~treated).sum())
    if n1 == 0 or n0 == 0:
        nan = float("nan")
        return {
            kind: Interval(nan, nan, nan, confidence_level, "normal") for kind in CUSTOMER_TYPES
        }
    p1, p0 = float(y_true[treated].mean()), float(y_true[~treated].mean())
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
