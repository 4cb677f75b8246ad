"""The realized uplift of a randomized batch with its interval, and the holdout it needs.

For a binary outcome, the difference of two proportions with Newcombe's hybrid score
interval (Newcombe 1998, method 10: built from the two Wilson intervals; it keeps close
to nominal coverage with small counts and rates near 0 or 1, where the Wald interval
does not). For a continuous outcome (spend, revenue), the difference of two means with
Welch's interval (a t interval with unequal variances and the Welch-Satterthwaite
degrees of freedom; Welch 1947), which needs no normality of the outcome itself, only of
the means: a zero-heavy outcome with a few large values needs more rows for it to hold.
The holdout size is the normal-approximation sample size of a two-sided test of the
difference, from the two groups' variances.

References
----------
.. [1] Newcombe, R. G. (1998). Interval estimation for the difference between
   independent proportions: comparison of eleven methods. Statistics in Medicine
   17(8), 873-890.
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and
   statistical inference. JASA 22(158), 209-212.
.. [3] Welch, B. L. (1947). The generalization of "Student's" problem when several
   different population variances are involved. Biometrika 34(1/2), 28-35.
"""

import math
from statistics import NormalDist

import numpy as np

from actionable._interval import Interval
from actionable._validation import check_number


def two_sided_z(confidence_level):
    """The normal quantile of a two-sided interval at ``confidence_level``."""
    check_number(confidence_level, "confidence_level", low=0, high=1, low_open=True, high_open=True)
    return NormalDist().inv_cdf(0.5 + confidence_level / 2)


def wilson_interval(successes, n, z):
    """Wilson's score interval of a success probability, ``z`` the normal quantile."""
    p = successes / n
    denominator = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, center - half), min(1.0, center + half)


def difference_of_proportions_interval(
    successes_treated, n_treated, successes_control, n_control, *, confidence_level=0.95
):
    """Compute Newcombe's hybrid score interval for ``p_treated - p_control``.

    Parameters
    ----------
    successes_treated, n_treated : float
        Favourable outcomes and rows in the treated group.
    successes_control, n_control : float
        Favourable outcomes and rows in the control group.
    confidence_level : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    Interval
        ``estimate`` is the observed difference of rates, ``low`` and ``high`` its
        bounds; method ``"Newcombe"``.

    References
    ----------
    .. [1] Newcombe (1998), Statistics in Medicine 17, 873-890, method 10.

    Examples
    --------
    Newcombe's worked example (56/70 against 48/80; his Table II gives 0.0524 to
    0.3339):

    >>> ci = difference_of_proportions_interval(56, 70, 48, 80)
    >>> round(ci.estimate, 4), round(ci.low, 4), round(ci.high, 4), ci.method
    (0.2, 0.0524, 0.3339, 'Newcombe')
    """
    for name, value in (("n_treated", n_treated), ("n_control", n_control)):
        if not value > 0:
            raise ValueError(f"{name}={value!r}: each group needs at least one row.")
    z = two_sided_z(confidence_level)
    p_treated = successes_treated / n_treated
    p_control = successes_control / n_control
    low_t, high_t = wilson_interval(successes_treated, n_treated, z)
    low_c, high_c = wilson_interval(successes_control, n_control, z)
    difference = p_treated - p_control
    low = difference - math.sqrt((p_treated - low_t) ** 2 + (high_c - p_control) ** 2)
    high = difference + math.sqrt((high_t - p_treated) ** 2 + (p_control - low_c) ** 2)
    return Interval(float(difference), float(low), float(high), confidence_level, "Newcombe")


def holdout_size(
    p_control, p_treated, *, detectable_uplift, n_treated=None, confidence_level=0.95, power=0.8
):
    """Control rows needed to tell an uplift from zero (two-sided test, normal approximation).

    With variances ``v_t = p_t (1 - p_t)`` and ``v_c = p_c (1 - p_c)``, the difference
    of rates is detected with the given power when ``v_t / n_t + v_c / n_c <=
    (delta / (z_alpha + z_beta))**2``. With ``n_treated`` fixed (a campaign contacts
    that many people) this gives the control rows needed; without it, the rows per
    group under equal allocation (the textbook formula, e.g. Fleiss, Levin & Paik
    2003, ch. 4, without continuity correction).

    Parameters
    ----------
    p_control, p_treated : float
        Expected favourable-outcome rates in each group.
    detectable_uplift : float
        Smallest uplift (absolute difference of rates) to detect; > 0.
    n_treated : int, default=None
        Treated rows in the campaign; ``None`` for equal allocation.
    confidence_level : float, default=0.95
        ``1 - alpha`` of the two-sided test.
    power : float, default=0.8
        Probability of detecting an uplift of ``detectable_uplift``.

    Returns
    -------
    int or None
        Control rows needed (rows per group with equal allocation); ``None`` when
        ``n_treated`` is so small that no number of control rows is enough.

    Examples
    --------
    >>> holdout_size(0.10, 0.15, detectable_uplift=0.05)
    683
    >>> holdout_size(0.10, 0.15, detectable_uplift=0.05, n_treated=10_000)
    295
    """
    return rows_needed(
        p_control * (1 - p_control), p_treated * (1 - p_treated),
        detectable_uplift=detectable_uplift, n_treated=n_treated,
        confidence_level=confidence_level, power=power,
    )  # fmt: skip


def rows_needed(
    variance_control, variance_treated, *, detectable_uplift, n_treated=None,
    confidence_level=0.95, power=0.8,
):  # fmt: skip
    """:func:`holdout_size` from the two groups' outcome variances (any outcome).

    Parameters
    ----------
    variance_control, variance_treated : float
        Variance of the outcome in each group (``p (1 - p)`` for a binary outcome).
    detectable_uplift, n_treated, confidence_level, power
        As in :func:`holdout_size`, the uplift in the outcome's units.

    Returns
    -------
    int or None
        As :func:`holdout_size` returns it.

    Examples
    --------
    Spend with a standard deviation of 40 in each group, to detect 2 more per customer:

    >>> rows_needed(1600.0, 1600.0, detectable_uplift=2.0)
    6280
    """
    if not detectable_uplift > 0:
        raise ValueError(f"detectable_uplift={detectable_uplift!r}: it must be > 0.")
    check_number(power, "power", low=0, high=1, low_open=True, high_open=True)
    z = two_sided_z(confidence_level) + NormalDist().inv_cdf(power)
    budget = (detectable_uplift / z) ** 2
    if n_treated is None:
        return math.ceil((variance_control + variance_treated) / budget)
    room = budget - variance_treated / n_treated
    if room <= 0:
        return None
    return math.ceil(variance_control / room)


def difference_of_means_interval(y_treated, y_control, *, confidence_level=0.95):
    """Compute Welch's interval for ``mean(y_treated) - mean(y_control)``.

    A t interval with each group's own variance and the Welch-Satterthwaite degrees of
    freedom: the interval of a realized uplift on a continuous outcome.

    Parameters
    ----------
    y_treated, y_control : array-like
        The outcome of each treated and each control row, in its units.
    confidence_level : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    Interval
        ``estimate`` is the difference of the means, ``low`` and ``high`` its bounds;
        method ``"Welch"``.

    Raises
    ------
    ValueError
        If a group has fewer than two rows.

    Examples
    --------
    The bounds of ``scipy.stats.ttest_ind(..., equal_var=False).confidence_interval()``:

    >>> ci = difference_of_means_interval([3.0, 5.0, 4.0, 6.0], [1.0, 2.0, 3.0, 2.0])
    >>> round(ci.estimate, 4), round(ci.low, 4), round(ci.high, 4), ci.method
    (2.5, 0.5447, 4.4553, 'Welch')
    """
    from scipy.stats import t

    two_sided_z(confidence_level)  # checks the level
    groups = []
    for name, values in (("y_treated", y_treated), ("y_control", y_control)):
        values = np.asarray(values, dtype=np.float64)
        if values.size < 2:
            raise ValueError(f"{name} has {values.size} row(s): each group needs at least two.")
        groups.append((values.mean(), values.var(ddof=1) / values.size, values.size))
    (mean_t, se2_t, n_t), (mean_c, se2_c, n_c) = groups
    difference = float(mean_t - mean_c)
    se2 = se2_t + se2_c
    if se2 == 0:
        return Interval(difference, difference, difference, confidence_level, "Welch")
    freedom = se2**2 / (se2_t**2 / (n_t - 1) + se2_c**2 / (n_c - 1))
    half = float(t.ppf(0.5 + confidence_level / 2, freedom) * math.sqrt(se2))
    return Interval(difference, difference - half, difference + half, confidence_level, "Welch")
