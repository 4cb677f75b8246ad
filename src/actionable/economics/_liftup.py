"""The liftup curve and the maximum profit uplift (MPU) of Devriendt, Berrevoets and Verbeke.

Both are read from a randomized test set: customers are ranked by a targeting
score (predicted uplift, or a churn risk for a churn model), and at each
threshold the treated and control customers above it give the outcome rates
``r_treated`` and ``r_control`` of the targeted group with and without contact.

- Liftup: the uplift ``r_treated - r_control`` of the targeted group divided by
  the uplift of the whole population, the counterpart of the lift of a
  classifier (1 for random targeting, 1 again when everyone is targeted).
- MPU: the profit per customer of contacting the targeted group, where
  ``n_targeted`` customers bring ``value_per_success * (r_treated - r_control)``
  each (the paper's ``clv``), cost ``cost_per_contact`` each, and the incentive is
  paid by those who stay when contacted (``incentive_cost * r_treated``),
  maximized over thresholds. The costs are a ``CostModel`` (``cost_model=``); the
  paper's names ``clv``, ``contact_cost``, ``incentive_cost`` are aliases.

actionable's convention applies: ``y_true`` is 1 for the favourable outcome
(retained) and uplift is the increase of its probability under contact.
"""

import math
import warnings

import numpy as np

from actionable._resampling import (
    CACHE_BLOCK_ENTRIES,
    DEFAULT_N_BOOTSTRAPS,
    draw_counts,
    percentile_interval,
    replicates_in_blocks,
    strata_of,
)
from actionable._validation import (
    check_bootstrap_parameters,
    check_uplift_inputs,
    first_non_binary,
)
from actionable.economics._campaign_costs import (
    campaign_amounts,
    campaign_costs,
    check_measure_number,
)
from actionable.economics._maximum_profit import MaxProfit
from actionable.metrics._kernel import TieGroups, cumulative_counts

__all__ = ["liftup_curve", "max_profit_uplift", "max_profit_uplift_ci", "max_profit_uplift_curve"]

_MSG_BINARY_OUTCOME = (
    "y_true must contain only 0 and 1 (1 = retained) for the maximum profit uplift; "
    "got value {value!r} at position {index}. The measure is defined for binary churn "
    "only (it counts customers kept); for a continuous outcome (revenue, spend) use "
    "profit_curve or best_targeting with CostModel(value_per_unit=...)."
)
_MSG_NO_OVERALL_UPLIFT = (
    "The liftup curve is undefined: the overall uplift (treated rate minus control rate "
    "over all samples) is 0. Returning NaN."
)


def _defined_points(counts):
    """Mask of thresholds whose targeted group holds both treated and control weight."""
    return (counts.n_treated > 0) & (counts.n_control > 0)


def _rates(counts, mask):
    treated = counts.y_treated[mask] / counts.n_treated[mask]
    control = counts.y_control[mask] / counts.n_control[mask]
    return treated, control


def liftup_curve(y_true, uplift, treatment, *, sample_weight=None):
    """Compute the liftup curve of a targeting score on randomized data.

    Samples are ranked by decreasing ``uplift``; tied scores form one threshold.
    At each threshold, the uplift of the targeted group (mean outcome of its
    treated samples minus that of its control samples) is divided by the uplift
    of the whole sample. A value of 2 at fraction 0.1 means the top 10% respond
    to the treatment twice as much as the population; random targeting gives 1
    everywhere, and the curve ends at 1 [1]_. Thresholds whose targeted group has
    no treated or no control sample have no uplift and are left out.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes, 1 = favourable (retained). Continuous outcomes are accepted.
    uplift : array-like of shape (n_samples,)
        Targeting score; higher means target first (a predicted uplift, or the
        churn risk of a churn model to evaluate it as a targeting rule).
    treatment : array-like of shape (n_samples,)
        1 for treated (contacted), 0 for control.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.

    Returns
    -------
    fraction : ndarray of shape (n_points,)
        Fraction of the samples (of the total weight) targeted.
    liftup : ndarray of shape (n_points,)
        Uplift of the targeted group divided by the overall uplift. NaN everywhere,
        with a ``RuntimeWarning``, when the overall uplift is 0. When the overall
        uplift is negative, values above 1 mean a *more negative* effect.

    See Also
    --------
    max_profit_uplift : The profit of the best threshold of the same ranking.
    LiftupCurveDisplay : Plot of this curve.

    References
    ----------
    .. [1] Devriendt, F., Berrevoets, J. and Verbeke, W. (2021). "Why you should
       stop predicting customer churn and start using uplift models". Information
       Sciences, 548, 497-515. doi:10.1016/j.ins.2019.12.075. The liftup is computed
       as in the authors' public replication code (VerbekeLab,
       predicting-customer-churn-vs-uplift-modeling, ``GetLiftStats.R``), here at
       every distinct score instead of 100 percentile groups.

    Examples
    --------
    >>> fraction, liftup = liftup_curve(
    ...     [1, 0, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0])
    >>> fraction
    array([0.33333333, 0.5       , 0.66666667, 0.83333333, 1.        ])
    >>> liftup
    array([3., 3., 3., 2., 1.])
    """
    y_true, uplift, treatment, sample_weight = check_uplift_inputs(
        y_true, uplift, treatment, sample_weight
    )
    counts = cumulative_counts(y_true, uplift, treatment, sample_weight)
    mask = _defined_points(counts)
    treated, control = _rates(counts, mask)
    fraction = counts.n[mask] / counts.n[-1]
    overall = treated[-1] - control[-1]
    if overall == 0:
        warnings.warn(_MSG_NO_OVERALL_UPLIFT, RuntimeWarning, stacklevel=2)
        return fraction, np.full_like(fraction, np.nan)
    return fraction, (treated - control) / overall


def _profit_inputs(y_true, uplift, treatment, sample_weight):
    y_true, uplift, treatment, sample_weight = check_uplift_inputs(
        y_true, uplift, treatment, sample_weight
    )
    not_binary = first_non_binary(y_true)
    if not_binary is not None:
        index, value = not_binary
        raise ValueError(_MSG_BINARY_OUTCOME.format(value=value, index=index))
    return y_true, uplift, treatment, sample_weight


def _profit_points(y_true, uplift, treatment, sample_weight, costs, fixed_cost):
    """Thresholds, fractions and profits per customer, starting with "contact no one"."""
    clv, incentive_cost, contact_cost, incentive_on_contact = campaign_amounts(costs)
    counts = cumulative_counts(y_true, uplift, treatment, sample_weight)
    mask = _defined_points(counts)
    treated, control = _rates(counts, mask)
    targeted = counts.n[mask]
    total = counts.n[-1]
    paid = 1.0 if incentive_on_contact else treated
    per_targeted = clv * (treated - control) - contact_cost - incentive_cost * paid
    profit = (targeted * per_targeted - fixed_cost) / total
    threshold = np.concatenate(([math.inf], counts.threshold[mask]))
    fraction = np.concatenate(([0.0], targeted / total))
    return threshold, fraction, np.concatenate(([0.0], profit))


def max_profit_uplift_curve(
    y_true,
    uplift,
    treatment,
    *,
    cost_model=None,
    fixed_cost=0.0,
    sample_weight=None,
    clv=None,
    incentive_cost=None,
    contact_cost=None,
    incentive_paid=None,
):
    """Profit per customer of contacting the top of a ranking, as in the MPU measure.

    Samples are ranked by decreasing ``uplift``; tied scores form one threshold.
    Targeting the ``n_k`` customers above threshold ``k`` is worth, per customer
    of the base of ``n`` customers::

        (n_k * (clv * (r_treated - r_control) - contact_cost - incentive_cost * r_treated)
         - fixed_cost) / n

    where ``r_treated`` and ``r_control`` are the retention rates (mean
    ``y_true``) of the treated and control samples above the threshold: the
    randomized test set estimates what contacting the whole group would bring
    and how many of them would stay and take the incentive [1]_. The first point,
    fraction 0 and profit 0, is running no campaign.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcome, 1 = retained, 0 = churned.
    uplift : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    treatment : array-like of shape (n_samples,)
        1 for treated (contacted), 0 for control.
    cost_model : CostModel or None, default=None
        The campaign's costs: ``value_per_success`` is the value of a retained
        customer, ``cost_per_contact`` the cost of one contact, ``incentive_cost``
        the incentive and ``incentive_paid`` who pays it: "on_success" (the
        paper's campaign) charges contacted customers who stay, "on_contact" every
        contacted customer. Any object with the three amounts is accepted (its
        incentive then paid on success). ``None`` means the paper's
        ``CostModel(200, cost_per_contact=1, incentive_cost=10,
        incentive_paid="on_success")``, or the aliases below.
    fixed_cost : float, default=0
        Fixed cost of running the campaign at all (the paper's administrative
        cost; its replication code uses 50). It lowers every point but the first
        by ``fixed_cost / n``.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; ``n`` and ``n_k`` are then total weights.
    clv : float, default=None
        The paper's name for ``cost_model.value_per_success`` (the value of a
        retained customer; 200 when not given). Not allowed together with ``cost_model``.
    incentive_cost : float, default=None
        Alias of ``cost_model.incentive_cost`` (10 when not given).
    contact_cost : float, default=None
        Alias of ``cost_model.cost_per_contact`` (1 when not given).
    incentive_paid : {"on_success", "on_contact"}, default=None
        Alias of ``cost_model.incentive_paid`` ("on_success" when not given).

    Returns
    -------
    fraction : ndarray of shape (n_points + 1,)
        Fraction of customers targeted; starts at 0. Thresholds whose group has no
        treated or no control sample are left out.
    profit : ndarray of shape (n_points + 1,)
        Profit per customer; starts at 0.

    See Also
    --------
    max_profit_uplift : The maximum of this curve.

    References
    ----------
    .. [1] Devriendt, F., Berrevoets, J. and Verbeke, W. (2021). "Why you should
       stop predicting customer churn and start using uplift models". Information
       Sciences, 548, 497-515. doi:10.1016/j.ins.2019.12.075. The profit follows
       the authors' public replication code (VerbekeLab,
       predicting-customer-churn-vs-uplift-modeling, ``MaximumProfitUplift2b.R``),
       with ties collapsed into one threshold instead of broken at random.

    Examples
    --------
    >>> fraction, profit = max_profit_uplift_curve(
    ...     [1, 0, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0])
    >>> fraction
    array([0.        , 0.33333333, 0.5       , 0.66666667, 0.83333333, 1.        ])
    >>> profit
    array([  0.        ,  63.        ,  94.5       , 126.        , 104.72222222,  59.        ])
    """
    costs = campaign_costs(cost_model, clv, incentive_cost, contact_cost, incentive_paid)
    fixed_cost = check_measure_number(fixed_cost, "fixed_cost", low=0.0)
    _, fraction, profit = _profit_points(
        *_profit_inputs(y_true, uplift, treatment, sample_weight), costs, fixed_cost
    )
    return fraction, profit


def max_profit_uplift(
    y_true,
    uplift,
    treatment,
    *,
    cost_model=None,
    fixed_cost=0.0,
    sample_weight=None,
    clv=None,
    incentive_cost=None,
    contact_cost=None,
    incentive_paid=None,
):
    """Maximum profit uplift (MPU): the best profit per customer over thresholds of a ranking.

    The maximum of :func:`max_profit_uplift_curve`, including running no campaign
    (profit 0). Devriendt, Berrevoets and Verbeke [1]_ introduced it to put churn
    models and uplift models on one scale: both are judged by the profit their
    ranking *realizes* in a randomized test, rather than by the profit a churn
    model promises under an assumed accept rate (compare
    :func:`max_profit_churn`). A churn model is evaluated by passing its churn
    risk as ``uplift``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcome, 1 = retained, 0 = churned.
    uplift : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    treatment : array-like of shape (n_samples,)
        1 for treated (contacted), 0 for control.
    cost_model : CostModel or None, default=None
        The campaign's costs, as in :func:`max_profit_uplift_curve`.
    fixed_cost : float, default=0
        Fixed cost of running the campaign at all (the paper's administrative cost).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    clv : float, default=None
        The paper's name for ``cost_model.value_per_success`` (the value of a
        retained customer; 200 when not given). Not allowed together with ``cost_model``.
    incentive_cost : float, default=None
        Alias of ``cost_model.incentive_cost`` (10 when not given).
    contact_cost : float, default=None
        Alias of ``cost_model.cost_per_contact`` (1 when not given).
    incentive_paid : {"on_success", "on_contact"}, default=None
        Alias of ``cost_model.incentive_paid`` ("on_success" when not given).

    Returns
    -------
    MaxProfit
        Named tuple ``(profit, fraction, threshold)``: the maximum profit per
        customer, the (smallest) fraction targeted to reach it, and the lowest
        score targeted (``inf`` when running no campaign is best).

    See Also
    --------
    max_profit_uplift_curve : The profit at every threshold.
    liftup_curve : The uplift of the top of the same ranking, relative to the population.

    References
    ----------
    .. [1] Devriendt, F., Berrevoets, J. and Verbeke, W. (2021). "Why you should
       stop predicting customer churn and start using uplift models". Information
       Sciences, 548, 497-515. doi:10.1016/j.ins.2019.12.075

    Examples
    --------
    >>> result = max_profit_uplift(
    ...     [1, 0, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0])
    >>> result.profit, round(result.fraction, 4), result.threshold
    (126.0, 0.6667, 0.6)

    The paper's names for the costs build the same ``CostModel``:

    >>> from actionable.economics import CostModel
    >>> costs = CostModel(150.0, cost_per_contact=2.0, incentive_cost=10.0,
    ...                   incentive_paid="on_success")
    >>> max_profit_uplift(
    ...     [1, 0, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0],
    ...     cost_model=costs) == max_profit_uplift(
    ...     [1, 0, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0],
    ...     clv=150.0, contact_cost=2.0)
    True
    """
    costs = campaign_costs(cost_model, clv, incentive_cost, contact_cost, incentive_paid)
    fixed_cost = check_measure_number(fixed_cost, "fixed_cost", low=0.0)
    threshold, fraction, profit = _profit_points(
        *_profit_inputs(y_true, uplift, treatment, sample_weight), costs, fixed_cost
    )
    best = int(np.argmax(profit))
    return MaxProfit(
        profit=float(profit[best]), fraction=float(fraction[best]), threshold=float(threshold[best])
    )


def max_profit_uplift_ci(
    y_true,
    uplift,
    treatment,
    *,
    cost_model=None,
    fixed_cost=0.0,
    sample_weight=None,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
    clv=None,
    incentive_cost=None,
    contact_cost=None,
    incentive_paid=None,
):
    """Maximum profit uplift with a bootstrap percentile interval.

    Rows are resampled with replacement within each arm, so every replicate has
    the experiment's numbers of treated and control rows; the MPU of each
    replicate is computed afresh (its best threshold may move), and the interval
    is the percentile interval of the replicates. Being a maximum over noisy
    thresholds, the point estimate is biased upward on small samples, and the
    interval inherits the bias: in a simulation of 40 campaigns whose true MPU is
    15 per customer (30% persuadables, uplift 0.3), the 95% interval covered the
    truth 80% of the time with 3,000 customers and 95% with 20,000.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcome, 1 = retained, 0 = churned.
    uplift : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    treatment : array-like of shape (n_samples,)
        1 for treated (contacted), 0 for control.
    cost_model : CostModel or None, default=None
        The campaign's costs, as in :func:`max_profit_uplift_curve`.
    fixed_cost : float, default=0
        Fixed cost of running the campaign at all.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights, resampled with their rows.
    confidence_level : float, default=0.95
        Coverage of the interval, in (0, 1).
    n_bootstraps : int, default=1000
        Number of bootstrap replicates.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator of the resampling.
    clv : float, default=None
        The paper's name for ``cost_model.value_per_success`` (the value of a
        retained customer; 200 when not given). Not allowed together with ``cost_model``.
    incentive_cost : float, default=None
        Alias of ``cost_model.incentive_cost`` (10 when not given).
    contact_cost : float, default=None
        Alias of ``cost_model.cost_per_contact`` (1 when not given).
    incentive_paid : {"on_success", "on_contact"}, default=None
        Alias of ``cost_model.incentive_paid`` ("on_success" when not given).

    Returns
    -------
    Interval
        ``estimate`` is the maximum profit per customer of :func:`max_profit_uplift`
        (which also tells the fraction and threshold reaching it); ``low`` and
        ``high`` bound it.

    See Also
    --------
    max_profit_uplift : The point estimate alone.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> treatment = rng.integers(0, 2, 2000)
    >>> score = rng.random(2000)
    >>> y = (rng.random(2000) < 0.6 + 0.3 * treatment * (score > 0.7)).astype(int)
    >>> mpu = max_profit_uplift_ci(y, score, treatment, random_state=0)
    >>> bool(mpu.low <= mpu.estimate <= mpu.high), mpu.method
    (True, 'bootstrap')
    """
    costs = campaign_costs(cost_model, clv, incentive_cost, contact_cost, incentive_paid)
    fixed_cost = check_measure_number(fixed_cost, "fixed_cost", low=0.0)
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    y_true, uplift, treatment, sample_weight = _profit_inputs(
        y_true, uplift, treatment, sample_weight
    )
    _, _, profit = _profit_points(y_true, uplift, treatment, sample_weight, costs, fixed_cost)
    # each replicate's MPU is a fresh maximum over the same ranking, the rows weighted
    # by how often the replicate draws them (drawing no row of a threshold repeats
    # the previous point, which leaves the maximum as it is)
    ranking = TieGroups(uplift, y_true, treatment)
    base_weight = None if sample_weight is None else sample_weight[ranking.order]
    strata = strata_of(treatment)

    def replicates(size):
        weights = draw_counts(rng, strata, y_true.size, size)[:, ranking.order]
        if base_weight is not None:
            weights = weights * base_weight
        return _maximum_profits(ranking.counts(weights), costs, fixed_cost)

    values = replicates_in_blocks(
        replicates, n_bootstraps, y_true.size, block_entries=CACHE_BLOCK_ENTRIES
    )
    return percentile_interval(float(profit.max()), values, confidence_level)


def _maximum_profits(counts, costs, fixed_cost):
    """The MPU of each replicate from its cumulative counts, shape (n_replicates,)."""
    clv, incentive_cost, contact_cost, incentive_on_contact = campaign_amounts(costs)
    defined = _defined_points(counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        treated = counts.y_treated / counts.n_treated
        control = counts.y_control / counts.n_control
    paid = 1.0 if incentive_on_contact else treated
    per_targeted = clv * (treated - control) - contact_cost - incentive_cost * paid
    profit = (counts.n * per_targeted - fixed_cost) / counts.n[:, -1:]
    best = np.where(defined, profit, -np.inf).max(axis=1)
    return np.maximum(best, 0.0)  # running no campaign is worth 0
