"""The churn literature's profit measures: maximum profit (MP) and expected maximum profit (EMPC).

Verbraken, Verbeke and Baesens (2013) score a churn model by the profit of the
retention campaign it supports: rank customers by churn risk, contact the top
fraction with an incentive, and keep the fraction that pays most. A contacted
would-be churner accepts the incentive and stays with probability ``accept_rate``
(gamma); a contacted customer who would have stayed anyway takes the incentive.
Per customer of the base, targeting the riskiest fraction ``eta`` yields::

    profit(eta) = pi_churn * TPR * (gamma * (clv - d - f) - (1 - gamma) * f)
                  - pi_stay * FPR * (d + f)

with ``clv`` the customer lifetime value, ``d`` the incentive cost, ``f`` the
contact cost, ``TPR`` the share of churners and ``FPR`` the share of non-churners
among the targeted, and ``eta = pi_churn * TPR + pi_stay * FPR``. MP is the maximum
over thresholds; EMPC averages the maximum over ``gamma ~ Beta(alpha, beta)``.
The costs are a ``CostModel`` (``cost_model=``: ``clv`` is its ``value_per_success``,
``d`` its ``incentive_cost``, ``f`` its ``cost_per_contact``); the paper's names are
accepted as aliases that build one.

Conventions (actionable's, made explicit here): ``y_true`` is coded 1 = retained,
0 = churned, and ``y_score`` is a churn risk (higher = more likely to churn, e.g.
``P(y=0)`` from an outcome model). Data coded the churn literature's way
(1 = churner) is passed with ``churn_label=1``.
"""

import math
from typing import NamedTuple

import numpy as np
from scipy.special import betainc

from actionable._validation import (
    as_1d_float,
    check_consistent_length,
    check_given,
    first_non_binary,
)
from actionable.economics._campaign_costs import (
    campaign_amounts,
    campaign_costs,
    check_measure_number,
)
from actionable.metrics._kernel import cumulative_counts

__all__ = [
    "ExpectedMaxProfit",
    "MaxProfit",
    "expected_max_profit_churn",
    "max_profit_churn",
]

_MSG_LABELS = (
    "y_true must contain only 0 and 1 (1 = retained, 0 = churned unless churn_label=1); "
    "got value {value!r} at position {index}. The maximum profit measures are defined for "
    "binary churn only; for a continuous outcome (revenue, spend) use profit_curve or "
    "best_targeting with CostModel(value_per_unit=...)."
)
_MSG_CHURN_LABEL = (
    "churn_label must be 0 or 1 (the value of y_true that marks a churner); got {value!r}."
)


class MaxProfit(NamedTuple):
    """The maximum profit of a targeting score and where it is reached.

    Returned by :func:`max_profit_churn` and :func:`max_profit_uplift`; unpacks
    as ``profit, fraction, threshold``.

    Parameters
    ----------
    profit : float
        Highest profit per customer of the base (the whole sample, not only the
        targeted).
    fraction : float
        Fraction of customers targeted at the maximum (the smallest one, on ties).
    threshold : float
        Lowest score targeted at the maximum: contact every score >= threshold
        (``inf`` when contacting no one pays best).

    See Also
    --------
    ExpectedMaxProfit : The same for a random accept rate.

    Examples
    --------
    >>> profit, fraction, threshold = MaxProfit(12.5, 0.25, 0.8)
    >>> fraction
    0.25
    """

    profit: float
    fraction: float
    threshold: float


class ExpectedMaxProfit(NamedTuple):
    """The expected maximum profit over a random accept rate, and the expected fraction.

    Returned by :func:`expected_max_profit_churn`; unpacks as ``profit, fraction``.

    Parameters
    ----------
    profit : float
        Expected maximum profit per customer of the base.
    fraction : float
        Expected fraction targeted: the optimal fraction of each accept rate,
        averaged over the accept rate's distribution.

    See Also
    --------
    MaxProfit : The same for a known accept rate.

    Examples
    --------
    >>> ExpectedMaxProfit(12.5, 0.3).profit
    12.5
    """

    profit: float
    fraction: float


def _churn_inputs(y_true, y_score, churn_label):
    """Validate inputs; return ``(is_churner, score)`` as float64 arrays."""
    if isinstance(churn_label, bool) or churn_label not in (0, 1):
        raise ValueError(_MSG_CHURN_LABEL.format(value=churn_label))
    check_given(y_true=y_true, y_score=y_score)
    check_consistent_length(y_true=y_true, y_score=y_score)
    labels = as_1d_float(y_true, "y_true")
    score = as_1d_float(y_score, "y_score")
    not_binary = first_non_binary(labels)
    if not_binary is not None:
        index, value = not_binary
        raise ValueError(_MSG_LABELS.format(value=value, index=index))
    is_churner = (labels == float(churn_label)).astype(np.float64)
    return is_churner, score


def _targeted_counts(is_churner, score):
    """Churners and non-churners targeted at each distinct threshold, best first.

    Built on the shared sort kernel: with every row "treated", the kernel's
    treated outcome sums count the churners among the top-scored rows.
    """
    counts = cumulative_counts(is_churner, score, np.ones_like(score))
    churners = counts.y_treated
    return counts.threshold, churners, counts.n - churners


def _upper_hull(false_positives, true_positives):
    """Indices of the ROC convex hull vertices, from (0, 0) to the last point.

    Monotone chain on exact integer counts (the ROC points are already sorted by
    both coordinates); collinear points are dropped, so the hull's slopes fall strictly.
    """
    xs = [0, *(int(v) for v in false_positives)]
    ys = [0, *(int(v) for v in true_positives)]
    hull = []
    for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
        while len(hull) >= 2:
            x1, y1 = xs[hull[-2]], ys[hull[-2]]
            x2, y2 = xs[hull[-1]], ys[hull[-1]]
            if (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) >= 0:
                hull.pop()
            else:
                break
        hull.append(index)
    return np.asarray(hull, dtype=np.intp)


def max_profit_churn(
    y_true,
    y_score,
    *,
    cost_model=None,
    churn_label=0,
    accept_rate=0.3,
    clv=None,
    incentive_cost=None,
    contact_cost=None,
    incentive_paid=None,
):
    """Maximum profit (MP) of a churn model's retention campaign, per customer.

    Customers are contacted in decreasing order of ``y_score``; tied scores are
    contacted together. Among the would-be churners contacted, a share
    ``accept_rate`` takes the incentive and stays (worth ``clv - incentive_cost
    - contact_cost`` each), the others leave anyway (``-contact_cost``); every
    contacted customer who would have stayed takes the incentive
    (``-(incentive_cost + contact_cost)``). MP is the highest total over all
    thresholds, including contacting no one (profit 0), divided by the number of
    customers. This is the MP measure of Verbraken, Verbeke and Baesens [1]_
    (with the paper's fixed campaign cost dropped, as it does not move the
    optimum); the maximum over thresholds equals the maximum over the vertices of
    the ROC convex hull because the profit is linear in (FPR, TPR).

    It agrees with ``empulse.metrics.mpc_score`` (on ``1 - y_true``) to 1e-9
    (tested on hundreds of random cases with ties), including the fraction.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcome, 1 = retained and 0 = churned (actionable's convention);
        see ``churn_label`` for data coded the other way.
    y_score : array-like of shape (n_samples,)
        Churn risk: higher means more likely to churn, such as ``P(y=0)`` of an
        outcome model. Customers are targeted from the highest score down.
    cost_model : CostModel or None, default=None
        The campaign's costs: ``value_per_success`` is the customer lifetime value
        (the value of retaining a would-be churner), ``incentive_cost`` the
        incentive, ``cost_per_contact`` the cost of one contact and
        ``incentive_paid`` who pays the incentive: "on_success" is the paper's
        campaign (paid by contacted customers who stay), "on_contact" also charges
        it for contacted churners who leave anyway. Any object with the three
        amounts is accepted (its incentive then paid on success). Capacity and
        budget are not part of this measure. ``None`` means the paper's
        ``CostModel(200, cost_per_contact=1, incentive_cost=10,
        incentive_paid="on_success")``, or the aliases below.
    churn_label : {0, 1}, default=0
        The value of ``y_true`` that marks a churner. Pass 1 for data coded the
        churn literature's way (1 = churner, as ``empulse`` expects).
    accept_rate : float, default=0.3
        Probability that a contacted would-be churner accepts and stays (gamma).
    clv : float, default=None
        The paper's name for ``cost_model.value_per_success`` (customer lifetime
        value; 200 when not given). Not allowed together with ``cost_model``.
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
        customer, the fraction targeted to reach it (the smallest such fraction)
        and the lowest score targeted (``inf`` when contacting no one is best).

    See Also
    --------
    expected_max_profit_churn : The same campaign with a Beta-distributed accept rate.
    max_profit_uplift : The maximum profit of an uplift model on randomized data.

    References
    ----------
    .. [1] Verbraken, T., Verbeke, W. and Baesens, B. (2013). "A Novel Profit
       Maximizing Metric for Measuring Classification Performance of Customer Churn
       Prediction Models". IEEE Transactions on Knowledge and Data Engineering,
       25(5), 961-973. doi:10.1109/TKDE.2012.50

    Examples
    --------
    >>> y_retained = [1, 0, 1, 0, 1, 0, 1, 0]          # 0 = churned
    >>> risk = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9]  # P(churn)
    >>> result = max_profit_churn(y_retained, risk)
    >>> round(result.profit, 6), result.fraction, result.threshold
    (23.875, 0.875, 0.2)

    The same campaign as a ``CostModel``, or in the paper's names:

    >>> from actionable.economics import CostModel
    >>> costs = CostModel(200.0, cost_per_contact=1.0, incentive_cost=10.0,
    ...                   incentive_paid="on_success")
    >>> max_profit_churn(y_retained, risk, cost_model=costs) == result
    True
    >>> max_profit_churn(y_retained, risk, clv=200.0, contact_cost=1.0) == result
    True
    """
    costs = campaign_costs(cost_model, clv, incentive_cost, contact_cost, incentive_paid)
    clv, incentive_cost, contact_cost, incentive_on_contact = campaign_amounts(costs)
    accept_rate = check_measure_number(accept_rate, "accept_rate", low=0.0, high=1.0)
    is_churner, score = _churn_inputs(y_true, y_score, churn_label)

    thresholds, churners, stayers = _targeted_counts(is_churner, score)
    # Written as the paper's two outcomes for a contacted churner (accept / decline).
    declined_cost = contact_cost + (incentive_cost if incentive_on_contact else 0.0)
    churner_value = (
        accept_rate * (clv - incentive_cost - contact_cost) - (1.0 - accept_rate) * declined_cost
    )
    stayer_cost = incentive_cost + contact_cost
    # Totals (not averages) so that equal profits compare equal with whole-number costs;
    # the leading 0 is contacting no one. argmax keeps the first, i.e. smallest, fraction.
    totals = np.concatenate(([0.0], churners * churner_value - stayers * stayer_cost))
    best = int(np.argmax(totals))
    n_samples = score.size
    if best == 0:
        return MaxProfit(profit=0.0, fraction=0.0, threshold=math.inf)
    targeted = churners[best - 1] + stayers[best - 1]
    return MaxProfit(
        profit=float(totals[best] / n_samples),
        fraction=float(targeted / n_samples),
        threshold=float(thresholds[best - 1]),
    )


def expected_max_profit_churn(
    y_true,
    y_score,
    *,
    cost_model=None,
    churn_label=0,
    alpha=6.0,
    beta=14.0,
    clv=None,
    incentive_cost=None,
    contact_cost=None,
    incentive_paid=None,
):
    """Expected maximum profit (EMPC) of a churn model's retention campaign, per customer.

    The campaign of :func:`max_profit_churn`, with the accept rate ``gamma``
    unknown and distributed as ``Beta(alpha, beta)`` (mean 0.3 with the customary
    6 and 14). For each ``gamma`` the best threshold is taken, and the maximum
    profit is averaged over ``gamma`` [1]_. The optimum moves along the vertices
    of the ROC convex hull: vertex ``i`` is optimal for ``gamma`` between the two
    break-even rates of its adjacent hull segments, and on that interval the
    profit is linear in ``gamma``. The integral is therefore computed exactly,
    segment by segment, with the regularized incomplete beta function
    (``E[gamma; a < gamma < b] = alpha / (alpha + beta) * (I_b(alpha + 1, beta)
    - I_a(alpha + 1, beta))``), with no numerical quadrature.

    It agrees with ``empulse.metrics.empc_score`` (on ``1 - y_true``) to an
    absolute 1e-9 per customer, and so does the expected fraction with
    ``empc_score.optimal_rate`` (tested on hundreds of random cases with ties).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcome, 1 = retained and 0 = churned (actionable's convention);
        see ``churn_label`` for data coded the other way.
    y_score : array-like of shape (n_samples,)
        Churn risk: higher means more likely to churn, such as ``P(y=0)``.
    cost_model : CostModel or None, default=None
        The campaign's costs, as in :func:`max_profit_churn` (``value_per_success``
        is the customer lifetime value). ``None`` means the paper's
        ``CostModel(200, cost_per_contact=1, incentive_cost=10,
        incentive_paid="on_success")``, or the aliases below.
    churn_label : {0, 1}, default=0
        The value of ``y_true`` that marks a churner (1 for the churn literature's coding).
    alpha, beta : float, default=6, 14
        Parameters of the Beta distribution of the accept rate.
    clv : float, default=None
        The paper's name for ``cost_model.value_per_success`` (customer lifetime
        value; 200 when not given). Not allowed together with ``cost_model``.
    incentive_cost : float, default=None
        Alias of ``cost_model.incentive_cost`` (10 when not given).
    contact_cost : float, default=None
        Alias of ``cost_model.cost_per_contact`` (1 when not given).
    incentive_paid : {"on_success", "on_contact"}, default=None
        Alias of ``cost_model.incentive_paid`` ("on_success" when not given).

    Returns
    -------
    ExpectedMaxProfit
        Named tuple ``(profit, fraction)``: the expected maximum profit per
        customer and the expected optimal fraction targeted.

    See Also
    --------
    max_profit_churn : The same campaign with a known accept rate.

    References
    ----------
    .. [1] Verbraken, T., Verbeke, W. and Baesens, B. (2013). "A Novel Profit
       Maximizing Metric for Measuring Classification Performance of Customer Churn
       Prediction Models". IEEE Transactions on Knowledge and Data Engineering,
       25(5), 961-973. doi:10.1109/TKDE.2012.50

    Examples
    --------
    >>> y_retained = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> risk = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9]
    >>> result = expected_max_profit_churn(y_retained, risk)
    >>> round(result.profit, 4), round(result.fraction, 4)
    (23.8756, 0.8744)
    """
    costs = campaign_costs(cost_model, clv, incentive_cost, contact_cost, incentive_paid)
    clv, incentive_cost, contact_cost, incentive_on_contact = campaign_amounts(costs)
    alpha = check_measure_number(alpha, "alpha", low=0.0, strict=True)
    beta = check_measure_number(beta, "beta", low=0.0, strict=True)
    is_churner, score = _churn_inputs(y_true, y_score, churn_label)

    n_samples = score.size
    n_churners = float(is_churner.sum())
    n_stayers = n_samples - n_churners
    if n_churners == 0 or n_stayers == 0:
        # One rate is undefined but weighted by a zero prior: the profit is linear in
        # the fraction targeted, so the hull is the diagonal from (0, 0) to (1, 1).
        tpr = np.array([0.0, 1.0])
        fpr = np.array([0.0, 1.0])
    else:
        _, churners, stayers = _targeted_counts(is_churner, score)
        vertices = _upper_hull(stayers, churners)
        tpr = np.concatenate(([0.0], churners))[vertices] / n_churners
        fpr = np.concatenate(([0.0], stayers))[vertices] / n_stayers
    pi_churn = n_churners / n_samples
    pi_stay = n_stayers / n_samples

    # Profit at vertex i is slope[i] * gamma + intercept[i]: a contacted churner is worth
    # gamma * (clv - d - f) - (1 - gamma) * declined_cost, with declined_cost = f (+ d).
    declined_cost = contact_cost + (incentive_cost if incentive_on_contact else 0.0)
    slope = pi_churn * tpr * (clv - incentive_cost - contact_cost + declined_cost)
    intercept = -(pi_churn * tpr * declined_cost + pi_stay * fpr * (incentive_cost + contact_cost))
    # Moving from vertex i to i + 1 pays once gamma exceeds the break-even rate of the segment.
    gain_per_gamma = np.diff(slope)
    loss = -np.diff(intercept)
    with np.errstate(divide="ignore", invalid="ignore"):
        break_even = np.where(gain_per_gamma > 0, loss / gain_per_gamma, np.inf)
    # The hull's slopes fall, so the break-even rates rise; accumulate to guard rounding.
    break_even = np.maximum.accumulate(break_even)
    bounds = np.clip(np.concatenate(([0.0], break_even, [1.0])), 0.0, 1.0)
    probability = np.diff(betainc(alpha, beta, bounds))
    first_moment = alpha / (alpha + beta) * np.diff(betainc(alpha + 1.0, beta, bounds))
    profit = float(np.sum(slope * first_moment + intercept * probability))
    fraction = float(np.sum((pi_churn * tpr + pi_stay * fpr) * probability))
    return ExpectedMaxProfit(profit=profit, fraction=fraction)
