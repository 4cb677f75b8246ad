"""Profit curves of a targeting score: estimated from randomized data, or exact from ground truth.

Every curve is built from cost-free statistics taken at each distinct score
threshold by ``actionable.metrics._kernel.cumulative_counts``: the number of
people targeted, the incremental successes among them and their successes if
contacted. A ``CostModel`` then turns these into money.
"""

from typing import NamedTuple

import numpy as np

from actionable._resampling import (
    BLOCK_ENTRIES,
    CACHE_BLOCK_ENTRIES,
    DEFAULT_N_BOOTSTRAPS,
    draw_counts,
    percentile_interval,
    replicates_in_blocks,
    strata_of,
)
from actionable._validation import (
    as_1d_float,
    as_generator,
    check_binary_treatment,
    check_bootstrap_parameters,
    check_consistent_length,
    check_given,
    check_sample_weight,
)
from actionable.economics._cost_model import CostModel, check_valuation
from actionable.metrics._kernel import CumulativeCounts, TieGroups, cumulative_counts

_MSG_COST_MODEL = "cost_model must be a CostModel; got {type}."


class TargetingStatistics(NamedTuple):
    """Cost-free statistics of contacting the top of a ranking, one entry per threshold.

    Entry 0 is "contact nobody" (threshold ``+inf``, all zeros); entry ``j`` is
    "contact everyone whose score is at least ``threshold[j]``".
    """

    threshold: np.ndarray
    n_targeted: np.ndarray
    incremental: np.ndarray
    successes: np.ndarray
    n_treated: np.ndarray
    """Treated rows among the targeted (weights when weighted); ``n_targeted`` for truth."""
    n_control: np.ndarray
    """Control rows among the targeted; ``n_targeted`` for truth."""
    n_total: float
    integral: bool
    """Whether ``n_targeted`` counts whole people (unweighted data)."""


def check_cost_model(cost_model):
    if not isinstance(cost_model, CostModel):
        raise ValueError(_MSG_COST_MODEL.format(type=type(cost_model).__name__))
    return cost_model


def _arm_rate(total, count):
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def _prepend(values, first):
    return np.concatenate(([first], values))


def _statistics_from_counts(counts, integral):
    rate_treated = _arm_rate(counts.y_treated, counts.n_treated)
    rate_control = _arm_rate(counts.y_control, counts.n_control)
    return TargetingStatistics(
        threshold=_prepend(counts.threshold, np.inf),
        n_targeted=_prepend(counts.n, 0.0),
        incremental=_prepend((rate_treated - rate_control) * counts.n, 0.0),
        successes=_prepend(rate_treated * counts.n, 0.0),
        n_treated=_prepend(counts.n_treated, 0.0),
        n_control=_prepend(counts.n_control, 0.0),
        n_total=float(counts.n[-1]),
        integral=integral,
    )


def check_profit_inputs(y_true, score, treatment, sample_weight=None, cost_model=None):
    """Validate ``(y_true, score, treatment, sample_weight)``, naming the score ``score``.

    With ``cost_model``, also refuse a continuous ``y_true`` valued per success.
    """
    check_given(y_true=y_true, score=score, treatment=treatment)
    y_true = as_1d_float(y_true, "y_true")
    if cost_model is not None:
        check_valuation(cost_model, y_true=y_true)
    score = as_1d_float(score, "score")
    treatment = check_binary_treatment(treatment)
    check_consistent_length(y_true=y_true, score=score, treatment=treatment)
    sample_weight = check_sample_weight(sample_weight, y_true.size)
    return y_true, score, treatment, sample_weight


def randomized_statistics(y_true, score, treatment, sample_weight=None, cost_model=None):
    y_true, score, treatment, sample_weight = check_profit_inputs(
        y_true, score, treatment, sample_weight, cost_model
    )
    return _statistics_from_counts(
        cumulative_counts(y_true, score, treatment, sample_weight), sample_weight is None
    )


def check_truth_inputs(y0, y1, score, sample_weight=None, cost_model=None):
    check_given(y0=y0, y1=y1, score=score)
    y0 = as_1d_float(y0, "y0")
    y1 = as_1d_float(y1, "y1")
    if cost_model is not None:
        check_valuation(cost_model, y0=y0, y1=y1)
    score = as_1d_float(score, "score")
    check_consistent_length(y0=y0, y1=y1, score=score)
    sample_weight = check_sample_weight(sample_weight, score.size)
    return y0, y1, score, sample_weight


def truth_statistics(y0, y1, score, sample_weight=None, cost_model=None):
    y0, y1, score, sample_weight = check_truth_inputs(y0, y1, score, sample_weight, cost_model)
    # Both potential outcomes of every person are observed: stack them as one
    # "treated" copy (y1) and one "control" copy (y0) with the same score, so the
    # shared kernel sorts once and ties stay collapsed.
    n_samples = score.size
    counts = cumulative_counts(
        np.concatenate((y1, y0)),
        np.concatenate((score, score)),
        np.concatenate((np.ones(n_samples), np.zeros(n_samples))),
        None if sample_weight is None else np.concatenate((sample_weight, sample_weight)),
    )
    n_targeted = _prepend(counts.n_treated, 0.0)
    return TargetingStatistics(
        threshold=_prepend(counts.threshold, np.inf),
        n_targeted=n_targeted,
        incremental=_prepend(counts.y_treated - counts.y_control, 0.0),
        successes=_prepend(counts.y_treated, 0.0),
        n_treated=n_targeted,
        n_control=n_targeted,
        n_total=float(counts.n_treated[-1]),
        integral=sample_weight is None,
    )


def _profit(statistics, cost_model):
    return cost_model.profit(statistics.n_targeted, statistics.incremental, statistics.successes)


def spend_of(statistics, cost_model):
    return cost_model.contact_cost(statistics.n_targeted, statistics.successes)


def _as_counts(n_targeted, sample_weight):
    return n_targeted.astype(np.int64) if sample_weight is None else n_targeted


def profit_curve(y_true, score, treatment, *, cost_model, sample_weight=None):
    """Expected profit of contacting the top k of a score, estimated from randomized data.

    People are ranked by decreasing ``score``; tied scores form one threshold.
    For the group of the ``k`` people ranked first, the success rates of its
    treated rows and of its control rows estimate what contacting all ``k`` would
    give, so the estimate is unbiased under random assignment whatever the
    treated share (the rates are per arm, i.e. inverse-propensity weighted)::

        incremental(k) = (rate_treated(k) - rate_control(k)) * k
        profit(k) = outcome_value * incremental(k) - cost_per_contact * k
                    - incentive_cost * (k if paid on contact else rate_treated(k) * k)

    An arm with no rows among the top ``k`` (possible only for the first few
    thresholds) counts with a success rate of 0, the convention of
    ``actionable.metrics.uplift_curve``. With ``value_per_success=1`` and no
    costs, this curve equals the uplift curve.

    ``outcome_value`` is the cost model's ``value_per_success`` for a binary
    outcome or ``value_per_unit`` for a continuous one (spend, revenue): the
    rates are then mean amounts, ``incremental(k)`` the extra amount the top
    ``k`` bring when contacted. An outcome outside [0, 1] valued per success
    is refused (``ValueError``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: 1 = favourable, or amounts (spend, revenue) valued per unit.
    score : array-like of shape (n_samples,)
        Targeting score; higher means contact first (a predicted uplift, a
        churn risk, ...).
    treatment : array-like of shape (n_samples,)
        1 for treated (contacted), 0 for control.
    cost_model : CostModel
        Value of the outcome (per success or per unit) and costs. Capacity and
        budget are ignored here (see ``best_targeting``).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; ``n_targeted`` is then a total weight.

    Returns
    -------
    n_targeted : ndarray of shape (n_thresholds + 1,)
        Number of people contacted (int unless weighted); starts at 0.
    profit : ndarray of shape (n_thresholds + 1,)
        Estimated profit relative to contacting nobody; starts at 0.

    See Also
    --------
    profit_curve_from_truth : Exact profit curve from potential outcomes.
    profit_curve_ci : The same curve with a bootstrap interval (an ``Interval``).
    best_targeting : The k that maximizes profit.

    References
    ----------
    .. [1] Radcliffe, N. J. (2007). "Using control groups to target on predicted
       lift: building and assessing uplift models". Direct Marketing Analytics
       Journal, 14-21.

    Examples
    --------
    >>> from actionable.economics import CostModel, profit_curve
    >>> costs = CostModel(100.0, cost_per_contact=10.0)
    >>> n, profit = profit_curve([1, 0, 1, 1], [0.9, 0.8, 0.2, 0.1], [1, 0, 1, 0],
    ...                          cost_model=costs)
    >>> n
    array([0, 1, 2, 3, 4])
    >>> profit
    array([  0.,  90., 180., 270., 160.])

    Spend valued per unit (each $1 of spend is worth $0.30 of margin):

    >>> spend = CostModel(value_per_unit=0.3, cost_per_contact=1.0)
    >>> n, profit = profit_curve([40.0, 0.0, 25.0, 5.0], [0.9, 0.8, 0.2, 0.1], [1, 0, 1, 0],
    ...                          cost_model=spend)
    >>> profit
    array([ 0.  , 11.  , 22.  , 26.25, 32.  ])
    """
    cost_model = check_cost_model(cost_model)
    statistics = randomized_statistics(y_true, score, treatment, sample_weight, cost_model)
    return _as_counts(statistics.n_targeted, sample_weight), _profit(statistics, cost_model)


def profit_curve_from_counts(counts, cost_model, *, weighted):
    """:func:`profit_curve` from cumulative counts summed elsewhere (``actionable.distributed``)."""
    statistics = _statistics_from_counts(counts, not weighted)
    n_targeted = _as_counts(statistics.n_targeted, True if weighted else None)
    return n_targeted, _profit(statistics, check_cost_model(cost_model))


def profit_curve_from_truth(y0, y1, score, *, cost_model, sample_weight=None):
    """Exact profit of contacting the top k of a score, from potential outcomes.

    Where both potential outcomes are known (synthetic data such as
    ``make_churn``), the profit of contacting the ``k`` people ranked first is a
    plain sum::

        profit(k) = sum over the top k of outcome_value * (y1 - y0)
                    - cost_per_contact - incentive_cost * (1 or y1)

    Tied scores form one threshold, as in ``profit_curve``.

    Parameters
    ----------
    y0 : array-like of shape (n_samples,)
        Outcome of each person without contact (1 = favourable, or an amount).
    y1 : array-like of shape (n_samples,)
        Outcome of each person with contact.
    score : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    cost_model : CostModel
        Value of the outcome (per success or per unit) and costs (capacity and
        budget are ignored here).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.

    Returns
    -------
    n_targeted : ndarray of shape (n_thresholds + 1,)
        Number of people contacted (int unless weighted); starts at 0.
    profit : ndarray of shape (n_thresholds + 1,)
        Exact profit relative to contacting nobody; starts at 0.

    See Also
    --------
    profit_curve : The estimate from randomized data.

    Examples
    --------
    A persuadable, a sure thing, a lost cause and a sleeping dog, contacted in
    that order, with a 5 incentive paid on success:

    >>> from actionable.economics import CostModel, profit_curve_from_truth
    >>> costs = CostModel(100.0, cost_per_contact=1.0, incentive_cost=5.0,
    ...                   incentive_paid="on_success")
    >>> profit_curve_from_truth([0, 1, 0, 1], [1, 1, 0, 0], [4, 3, 2, 1], cost_model=costs)
    (array([0, 1, 2, 3, 4]), array([  0.,  94.,  88.,  87., -14.]))
    """
    cost_model = check_cost_model(cost_model)
    statistics = truth_statistics(y0, y1, score, sample_weight, cost_model)
    return _as_counts(statistics.n_targeted, sample_weight), _profit(statistics, cost_model)


def _replicate_profits(counts, cost_model, n_targeted):
    """Profits of a block of replicates at some thresholds, shape (n_replicates, n_columns).

    ``counts`` holds each replicate's cumulative counts at these thresholds (arrays
    of shape (n_replicates, n_columns)); a replicate's per-person profit at a
    threshold is rescaled to the number of people the original sample targets
    there (``n_targeted``, shape (n_columns,)).
    """
    rate_treated = _arm_rate(counts.y_treated, counts.n_treated)
    rate_control = _arm_rate(counts.y_control, counts.n_control)
    n = counts.n
    profit = cost_model.profit(n, (rate_treated - rate_control) * n, rate_treated * n)
    per_person = np.divide(profit, n, out=np.zeros_like(n), where=n > 0)
    return per_person * n_targeted


def _segments(x, xp):
    """Where ``np.interp(x, xp, ...)`` reads: left and right indices into ``xp``, and weights."""
    x = np.asarray(x, dtype=np.float64)
    right = np.clip(np.searchsorted(xp, x, side="right"), 1, xp.size - 1)
    left = right - 1
    span = xp[right] - xp[left]
    weight = np.clip(np.divide(x - xp[left], span, out=np.zeros_like(x), where=span > 0), 0, 1)
    return left, right, np.where(x >= xp[-1], 1.0, weight)


class _TopSums:
    """The cumulative counts of replicates at a few thresholds, as one matrix product.

    Column ``j`` of each block marks the rows ranked at or above threshold
    ``thresholds[j]`` (0 is "nobody"), so the counts of a block of replicates there
    are ``draws @ matrix``: no sorting and no cumulative sum over all thresholds.
    """

    def __init__(self, ranking, y_true, treatment, sample_weight, thresholds):
        rank = np.empty(y_true.size, dtype=np.int64)
        rank[ranking.order] = np.arange(y_true.size)
        last = np.concatenate(([-1], ranking.last))[thresholds]
        top = (rank[:, np.newaxis] <= last[np.newaxis, :]).astype(np.float64)
        if sample_weight is not None:
            top *= sample_weight[:, np.newaxis]
        treated = top * treatment[:, np.newaxis]
        self.matrix = np.hstack(
            [top, treated, treated * y_true[:, np.newaxis], top * y_true[:, np.newaxis]]
        )

    def counts(self, draws):
        n, n_treated, y_treated, y_all = np.split(draws @ self.matrix, 4, axis=1)
        return CumulativeCounts.from_totals(n, n_treated, y_treated, y_all)


def bootstrap_profits(
    y_true, score, treatment, sample_weight, cost_model, n_bootstraps, random_state, at=None
):
    """Bootstrap replicates of the profit curve, on the original sample's thresholds.

    Rows are resampled with replacement within each arm (the arm sizes stay
    fixed, as in the experiment) by the package's bootstrap engine; the number of
    times each row is drawn becomes its weight, so every replicate keeps the
    original thresholds and the scores are sorted once. A replicate's per-person
    profit at each threshold is rescaled to the number of people the original
    sample targets there.

    Returns the original statistics and an array of shape (n_bootstraps, m)
    where m is the number of thresholds plus one, or ``len(at)`` when ``at`` (a
    sequence of numbers of people) is given; then only the thresholds around
    ``at`` are computed, and the profit between two thresholds is interpolated.

    The resampling weights are drawn per row in the rows' original order, so two
    scores of the same rows bootstrapped with the same seed share their resamples
    (paired replicates, as ``profit_difference`` needs).
    """
    counts = cumulative_counts(y_true, score, treatment, sample_weight)
    statistics = _statistics_from_counts(counts, sample_weight is None)
    ranking = TieGroups(score, y_true, treatment)
    strata = strata_of(treatment)
    rng = as_generator(random_state)
    if at is not None:
        left, right, weight = _segments(at, statistics.n_targeted)
        needed, position = np.unique(np.concatenate((left, right)), return_inverse=True)
        position_left, position_right = np.split(position.ravel(), 2)
        top = _TopSums(ranking, y_true, treatment, sample_weight, needed)

        def replicates(size):
            draws = draw_counts(rng, strata, y_true.size, size)
            profits = _replicate_profits(
                top.counts(draws), cost_model, statistics.n_targeted[needed]
            )
            start, end = profits[:, position_left], profits[:, position_right]
            return start + weight * (end - start)

    else:
        base_weight = None if sample_weight is None else sample_weight[ranking.order]

        def replicates(size):
            weights = draw_counts(rng, strata, y_true.size, size)[:, ranking.order]
            if base_weight is not None:
                weights = weights * base_weight
            profits = _replicate_profits(
                ranking.counts(weights), cost_model, statistics.n_targeted[1:]
            )
            return np.concatenate((np.zeros((size, 1)), profits), axis=1)

    block = BLOCK_ENTRIES if at is not None else CACHE_BLOCK_ENTRIES
    values = replicates_in_blocks(replicates, n_bootstraps, y_true.size, block_entries=block)
    return statistics, values


def profit_curve_ci(
    y_true,
    score,
    treatment,
    *,
    cost_model,
    sample_weight=None,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
):
    """Profit curve from randomized data with a pointwise bootstrap interval.

    Rows are resampled with replacement within each arm (treated and control
    counts stay as in the experiment); each replicate's profit at every
    threshold of the original sample is its per-person profit times the number
    of people the original sample targets there. The interval is the
    percentile interval of the replicates at each threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: 1 = favourable, or amounts (spend, revenue) valued per unit.
    score : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    cost_model : CostModel
        Value of the outcome (per success or per unit) and costs.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    confidence_level : float, default=0.95
        Coverage of the interval, in (0, 1).
    n_bootstraps : int, default=1000
        Number of bootstrap replicates.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator of the resampling.

    Returns
    -------
    n_targeted : ndarray of shape (n_thresholds + 1,)
        Number of people contacted; starts at 0.
    profit : Interval
        The pointwise band: ``profit.estimate`` is the curve of ``profit_curve``,
        ``profit.low`` and ``profit.high`` the bounds at each point, all arrays of
        shape (n_thresholds + 1,).

    See Also
    --------
    profit_curve : The point estimate alone.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.economics import CostModel, profit_curve_ci
    >>> rng = np.random.default_rng(0)
    >>> treatment = rng.integers(0, 2, 400)
    >>> score = rng.random(400)
    >>> y = rng.random(400) < 0.3 + 0.2 * treatment * (score > 0.5)
    >>> n, profit = profit_curve_ci(y, score, treatment, cost_model=CostModel(10.0, 0.5),
    ...                             n_bootstraps=50, random_state=0)
    >>> n.shape == profit.estimate.shape == profit.low.shape == profit.high.shape
    True
    >>> bool(np.all(profit.low <= profit.high)), profit.method
    (True, 'bootstrap')
    """
    cost_model = check_cost_model(cost_model)
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    y_true, score, treatment, sample_weight = check_profit_inputs(
        y_true, score, treatment, sample_weight, cost_model
    )
    statistics, replicates = bootstrap_profits(
        y_true, score, treatment, sample_weight, cost_model, n_bootstraps, rng
    )
    profit = percentile_interval(_profit(statistics, cost_model), replicates, confidence_level)
    return _as_counts(statistics.n_targeted, sample_weight), profit
