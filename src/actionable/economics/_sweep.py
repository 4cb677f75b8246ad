"""Sensitivity of each targeting policy to the value of the outcome and the costs.

The value swept is the cost model's own: ``value_per_success`` for a binary outcome,
``value_per_unit`` for a continuous one (the table's value column is named after it).
"""

import itertools
import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from actionable._validation import as_1d_float
from actionable.economics._profit import (
    TargetingStatistics,
    check_cost_model,
    randomized_statistics,
    truth_statistics,
)
from actionable.economics._targeting import (
    best_point,
    candidate_points,
    check_min_arm_size,
    eligible_points,
)

_MSG_SCORES = "scores must be a non-empty dict mapping policy names to score arrays; got {value}."
_MSG_RANDOM_NAME = "scores may not contain a policy named 'random' when include_random=True."
_MSG_OTHER_VALUE_GRID = (
    "cost_model values the outcome with {own} ({value!r}): give the grid of values as "
    "{own}, not {other}."
)

SWEEP_COLUMNS = [
    "policy",
    "value_per_success",  # "value_per_unit" for a cost model valued per unit
    "cost_per_contact",
    "incentive_cost",
    "best_profit",
    "best_n_targeted",
    "best_fraction",
    "best_threshold",
    "break_even_value",
    "pays",
]


def _random_statistics(statistics):
    """Contacting k people at random: a straight line from nobody to everyone."""
    return TargetingStatistics(
        threshold=np.array([np.inf, np.nan]),
        n_targeted=np.array([0.0, statistics.n_targeted[-1]]),
        incremental=np.array([0.0, statistics.incremental[-1]]),
        successes=np.array([0.0, statistics.successes[-1]]),
        n_treated=np.array([0.0, statistics.n_treated[-1]]),
        n_control=np.array([0.0, statistics.n_control[-1]]),
        n_total=statistics.n_total,
        integral=statistics.integral,
    )


def _break_even_value(statistics, cost_model, min_arm_size=None):
    """Smallest value per success (or per unit) at which some eligible choice pays.

    Profit is linear in the value of the outcome for every choice, so the policy
    breaks even at ``min(spend / incremental)`` over the eligible choices that
    cause incremental successes; ``inf`` when none does.
    """
    limit_n = cost_model.capacity_count(statistics.n_total)
    limit_spend = cost_model.budget
    candidates = candidate_points(statistics, cost_model, limit_n, limit_spend)
    eligible, spend = eligible_points(
        statistics, candidates, cost_model, limit_n, limit_spend, min_arm_size
    )
    usable = eligible & (candidates.incremental > 0)
    if not usable.any():
        return np.inf
    return float(np.min(spend[usable] / candidates.incremental[usable]))


def _grid(values, default, name):
    if values is None:
        return [default]
    if isinstance(values, numbers.Real):
        values = [values]
    return [float(v) for v in as_1d_float(values, name)]


def _check_scores(scores):
    if not isinstance(scores, Mapping) or len(scores) == 0:
        described = type(scores).__name__ if not isinstance(scores, Mapping) else "an empty dict"
        raise ValueError(_MSG_SCORES.format(value=described))
    return scores


def _value_grid(cost_model, value_per_success, value_per_unit):
    """The name of the value swept (the cost model's own) and its grid."""
    own, other = "value_per_success", "value_per_unit"
    grid, wrong = value_per_success, value_per_unit
    if cost_model.per_unit:
        own, other, grid, wrong = other, own, wrong, grid
    if wrong is not None:
        raise ValueError(
            _MSG_OTHER_VALUE_GRID.format(own=own, value=cost_model.outcome_value, other=other)
        )
    return own, _grid(grid, cost_model.outcome_value, own)


def _sweep(
    statistics_by_policy,
    cost_model,
    value_grids,
    cost_per_contact,
    incentive_cost,
    include_random,
    min_arm_size=None,
):
    value_name, values = _value_grid(cost_model, *value_grids)
    if include_random:
        if "random" in statistics_by_policy:
            raise ValueError(_MSG_RANDOM_NAME)
        first = next(iter(statistics_by_policy.values()))
        statistics_by_policy = {**statistics_by_policy, "random": _random_statistics(first)}
    contact_costs = _grid(cost_per_contact, cost_model.cost_per_contact, "cost_per_contact")
    incentives = _grid(incentive_cost, cost_model.incentive_cost, "incentive_cost")
    rows = []
    for policy, statistics in statistics_by_policy.items():
        for contact_cost, incentive in itertools.product(contact_costs, incentives):
            costs = cost_model.replace(cost_per_contact=contact_cost, incentive_cost=incentive)
            break_even = _break_even_value(statistics, costs, min_arm_size)
            limit_n = costs.capacity_count(statistics.n_total)
            for value in values:
                model = costs.replace(**{value_name: value})
                best = best_point(statistics, model, limit_n, model.budget, min_arm_size)
                rows.append(
                    (
                        policy,
                        value,
                        contact_cost,
                        incentive,
                        best.profit,
                        best.n_targeted,
                        best.fraction,
                        best.threshold,
                        break_even,
                        best.profit > 0,
                    )
                )
    columns = [value_name if name == "value_per_success" else name for name in SWEEP_COLUMNS]
    return pd.DataFrame(rows, columns=columns)


def break_even_sweep(
    y_true,
    scores,
    treatment,
    *,
    cost_model,
    value_per_success=None,
    cost_per_contact=None,
    incentive_cost=None,
    sample_weight=None,
    min_arm_size=30,
    include_random=True,
    value_per_unit=None,
):
    """Best estimated profit of each policy over a grid of values and costs, with break-even points.

    For every policy (a targeting score) and every combination of the grids,
    the profit curve is estimated from randomized data (as in ``profit_curve``)
    and maximized under the capacity and budget of ``cost_model`` (as in
    ``best_targeting``). Each row also gives the policy's break-even value per
    success (or per unit) for its costs: profit is linear in that value for any
    fixed choice of whom to contact, so the policy pays (some choice has positive
    profit) exactly when the value exceeds ``min(spend / incremental successes)``
    over the eligible choices that cause incremental successes. As in
    ``best_targeting``, a choice is eligible if it respects capacity and budget
    and contacts at least ``min_arm_size`` rows of each arm: without that
    guard, the noisy estimate of the first few people ranked would decide the
    break-even value.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: 1 = favourable, or amounts (spend) with a cost model
        valued per unit.
    scores : dict of str to array-like of shape (n_samples,)
        Targeting score of each policy (e.g. ``{"churn risk": risk, "uplift": uplift}``).
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    cost_model : CostModel
        Baseline economics; grid values replace its fields.
    value_per_success, cost_per_contact, incentive_cost : float or array-like, default=None
        Grid of each quantity; ``None`` keeps the value of ``cost_model``.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    min_arm_size : int, default=30
        Fewest treated and control rows a choice must contact (see ``best_targeting``).
    include_random : bool, default=True
        Add a ``"random"`` policy (contacting people at random: profit linear
        in the number contacted).
    value_per_unit : float or array-like, default=None
        Grid of values per unit of a continuous outcome, for a ``cost_model``
        valued per unit (which refuses a ``value_per_success`` grid, and the
        other way round).

    Returns
    -------
    pandas.DataFrame
        One row per policy and grid point, columns ``policy``,
        ``value_per_success`` (``value_per_unit`` for a cost model valued per
        unit), ``cost_per_contact``, ``incentive_cost``, ``best_profit``,
        ``best_n_targeted``, ``best_fraction``, ``best_threshold``,
        ``break_even_value`` (in the same value, ``inf`` if the policy never
        pays) and ``pays`` (``best_profit > 0``).

    See Also
    --------
    break_even_sweep_from_truth : The same sweep, exact from potential outcomes.
    best_targeting : The optimum for one cost model, with an interval.

    Examples
    --------
    >>> from actionable.economics import CostModel, break_even_sweep
    >>> y = [1, 0, 1, 0, 0, 1, 0, 1]
    >>> treatment = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> scores = {"uplift": [8, 7, 6, 5, 4, 3, 2, 1], "risk": [1, 2, 3, 4, 5, 6, 7, 8]}
    >>> table = break_even_sweep(y, scores, treatment, cost_model=CostModel(10.0, 1.0),
    ...                          value_per_success=[0.5, 10.0], min_arm_size=2)
    >>> table[["policy", "value_per_success", "best_profit", "break_even_value"]]
       policy  value_per_success  best_profit  break_even_value
    0  uplift                0.5          0.0               1.0
    1  uplift               10.0         36.0               1.0
    2    risk                0.5          0.0               inf
    3    risk               10.0          0.0               inf
    4  random                0.5          0.0               inf
    5  random               10.0          0.0               inf
    """
    cost_model = check_cost_model(cost_model)
    scores = _check_scores(scores)
    min_arm_size = check_min_arm_size(min_arm_size)
    statistics = {
        str(name): randomized_statistics(y_true, score, treatment, sample_weight, cost_model)
        for name, score in scores.items()
    }
    return _sweep(
        statistics,
        cost_model,
        (value_per_success, value_per_unit),
        cost_per_contact,
        incentive_cost,
        include_random,
        min_arm_size,
    )


def break_even_sweep_from_truth(
    y0,
    y1,
    scores,
    *,
    cost_model,
    value_per_success=None,
    cost_per_contact=None,
    incentive_cost=None,
    sample_weight=None,
    include_random=True,
    value_per_unit=None,
):
    """Exact best profit of each policy over a grid of values and costs, from potential outcomes.

    The same sweep as ``break_even_sweep``, on the exact profit curves of
    ``profit_curve_from_truth``.

    Parameters
    ----------
    y0 : array-like of shape (n_samples,)
        Outcome of each person without contact (1 = favourable).
    y1 : array-like of shape (n_samples,)
        Outcome of each person with contact.
    scores : dict of str to array-like of shape (n_samples,)
        Targeting score of each policy.
    cost_model : CostModel
        Baseline economics; grid values replace its fields.
    value_per_success, cost_per_contact, incentive_cost : float or array-like, default=None
        Grid of each quantity; ``None`` keeps the value of ``cost_model``.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    include_random : bool, default=True
        Add a ``"random"`` policy.
    value_per_unit : float or array-like, default=None
        Grid of values per unit, for a ``cost_model`` valued per unit.

    Returns
    -------
    pandas.DataFrame
        Same columns as ``break_even_sweep``.

    See Also
    --------
    break_even_sweep : The estimate from randomized data.

    Examples
    --------
    One persuadable and one sure thing; contacting costs 10:

    >>> from actionable.economics import CostModel, break_even_sweep_from_truth
    >>> table = break_even_sweep_from_truth(
    ...     [0, 1], [1, 1], {"model": [2, 1]}, cost_model=CostModel(50.0, 10.0),
    ...     include_random=False)
    >>> table.loc[0, ["best_profit", "best_n_targeted", "break_even_value"]].tolist()
    [40.0, 1.0, 10.0]
    """
    cost_model = check_cost_model(cost_model)
    scores = _check_scores(scores)
    statistics = {
        str(name): truth_statistics(y0, y1, score, sample_weight, cost_model)
        for name, score in scores.items()
    }
    return _sweep(
        statistics,
        cost_model,
        (value_per_success, value_per_unit),
        cost_per_contact,
        incentive_cost,
        include_random,
    )
