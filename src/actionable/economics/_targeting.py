"""Optimal targeting: how many people to contact, under capacity and budget."""

import dataclasses
import math
from typing import NamedTuple

import numpy as np

from actionable._interval import Interval
from actionable._resampling import DEFAULT_N_BOOTSTRAPS, percentile_interval
from actionable._validation import check_bootstrap_parameters, check_integer
from actionable.economics._profit import (
    bootstrap_profits,
    check_cost_model,
    check_profit_inputs,
    randomized_statistics,
    spend_of,
    truth_statistics,
)
from actionable.economics._targeting_result import TargetingPoint, TargetingResult

__all__ = ["TargetingPoint", "TargetingResult", "best_targeting", "best_targeting_from_truth"]

_RELATIVE_TOLERANCE = 1e-12
_MSG_MIN_ARM_SIZE = "min_arm_size must be a non-negative integer; got {value!r}."


def check_min_arm_size(min_arm_size):
    return check_integer(min_arm_size, "min_arm_size", minimum=0, message=_MSG_MIN_ARM_SIZE)


_NUMERIC_FIELDS = ("n_targeted", "incremental", "successes", "n_treated", "n_control")


class _Candidates(NamedTuple):
    """Choices worth comparing: the curve's vertices plus its crossings of the limits."""

    n_targeted: np.ndarray
    incremental: np.ndarray
    successes: np.ndarray
    n_treated: np.ndarray
    n_control: np.ndarray
    threshold: np.ndarray
    partial: np.ndarray


def _interpolate(statistics, segment_end, weight):
    """Numeric statistics ``weight`` of the way along the segment ending at ``segment_end``."""
    start = segment_end - 1
    return tuple(
        getattr(statistics, name)[start]
        + weight * (getattr(statistics, name)[segment_end] - getattr(statistics, name)[start])
        for name in _NUMERIC_FIELDS
    )


def _whole_people(statistics, segment_end, weight):
    """Round a position along a segment down to a whole number of people (unweighted data)."""
    if not statistics.integral:
        return weight
    start_n = statistics.n_targeted[segment_end - 1]
    size = statistics.n_targeted[segment_end] - start_n
    n_people = math.floor(weight * size + 1e-9)
    return n_people / size


def candidate_points(statistics, cost_model, limit_n=None, limit_spend=None):
    """Vertices of the curve plus the points where it meets the given limits.

    The curve is linear between thresholds (contacting part of a group of tied
    scores at random), so the optimum under the limits is among these points.
    """
    columns = {name: [getattr(statistics, name)] for name in _NUMERIC_FIELDS}
    threshold = [statistics.threshold]
    partial = [np.zeros(statistics.n_targeted.size, dtype=bool)]

    def add_crossings(values, limit):
        below = values[:-1] <= limit
        above = values[1:] > limit
        for start in np.flatnonzero(below & above):
            end = start + 1
            weight = (limit - values[start]) / (values[end] - values[start])
            weight = _whole_people(statistics, end, weight)
            if weight <= 0:
                continue
            point = _interpolate(statistics, end, weight)
            for name, value in zip(_NUMERIC_FIELDS, point, strict=True):
                columns[name].append(np.array([value]))
            threshold.append(np.array([statistics.threshold[end]]))
            partial.append(np.array([True]))

    if limit_n is not None:
        add_crossings(statistics.n_targeted, limit_n)
    if limit_spend is not None:
        add_crossings(spend_of(statistics, cost_model), limit_spend)
    return _Candidates(
        **{name: np.concatenate(parts) for name, parts in columns.items()},
        threshold=np.concatenate(threshold),
        partial=np.concatenate(partial),
    )


def eligible_points(statistics, candidates, cost_model, limit_n, limit_spend, min_arm_size):
    """Choices within the limits whose estimate rests on enough rows of each arm.

    A choice needs ``min_arm_size`` treated and control rows among the people
    it contacts (or all of an arm's rows, if the arm is smaller), so
    contacting nobody or everyone is always eligible.
    """
    spend = cost_model.contact_cost(candidates.n_targeted, candidates.successes)
    eligible = np.ones(candidates.n_targeted.size, dtype=bool)
    if limit_n is not None:
        eligible &= candidates.n_targeted <= limit_n * (1 + _RELATIVE_TOLERANCE)
    if limit_spend is not None:
        eligible &= spend <= limit_spend * (1 + _RELATIVE_TOLERANCE)
    if min_arm_size:
        need_treated = min(float(min_arm_size), statistics.n_treated[-1]) * (1 - 1e-9)
        need_control = min(float(min_arm_size), statistics.n_control[-1]) * (1 - 1e-9)
        supported = (candidates.n_treated >= need_treated) & (candidates.n_control >= need_control)
        eligible &= supported | (candidates.n_targeted == 0)
    return eligible, spend


def best_point(statistics, cost_model, limit_n=None, limit_spend=None, min_arm_size=None):
    candidates = candidate_points(statistics, cost_model, limit_n, limit_spend)
    eligible, spend = eligible_points(
        statistics, candidates, cost_model, limit_n, limit_spend, min_arm_size
    )
    profit = cost_model.profit(candidates.n_targeted, candidates.incremental, candidates.successes)
    # the most profitable eligible point; among equals, the fewest contacts
    order = np.lexsort((candidates.n_targeted, -np.where(eligible, profit, -np.inf)))
    chosen = order[0]
    return _make_point(
        statistics,
        candidates.n_targeted[chosen],
        candidates.threshold[chosen],
        profit[chosen],
        spend[chosen],
        candidates.partial[chosen],
    )


def _make_point(statistics, n, threshold, profit, spend, partial):
    fraction = float(n) / statistics.n_total if statistics.n_total > 0 else 0.0
    return TargetingPoint(
        n_targeted=float(n),
        fraction=fraction,
        threshold=float(threshold),
        profit=float(profit),
        spend=float(spend),
        partial=bool(partial),
    )


def point_at(statistics, cost_model, n_wanted):
    """The choice of contacting exactly ``n_wanted`` people (capped at everyone)."""
    n_wanted = min(float(n_wanted), statistics.n_total)
    ends = np.flatnonzero(statistics.n_targeted >= n_wanted * (1 - _RELATIVE_TOLERANCE))
    end = int(ends[0])
    if end == 0 or np.isclose(statistics.n_targeted[end], n_wanted, rtol=_RELATIVE_TOLERANCE):
        n, incremental, successes = (
            statistics.n_targeted[end],
            statistics.incremental[end],
            statistics.successes[end],
        )
        partial = False
    else:
        start = end - 1
        weight = (n_wanted - statistics.n_targeted[start]) / (
            statistics.n_targeted[end] - statistics.n_targeted[start]
        )
        weight = _whole_people(statistics, end, weight)
        n, incremental, successes, _, _ = _interpolate(statistics, end, weight)
        partial = weight > 0
        if not partial:
            end = start
    return _make_point(
        statistics,
        n,
        statistics.threshold[end],
        cost_model.profit(n, incremental, successes),
        cost_model.contact_cost(n, successes),
        partial,
    )


def _targeting_from_statistics(statistics, cost_model, *, exact, min_arm_size=None):
    capacity = cost_model.capacity_count(statistics.n_total)
    budget = cost_model.budget

    def best(limit_n, limit_spend):
        return best_point(statistics, cost_model, limit_n, limit_spend, min_arm_size)

    return TargetingResult(
        best=best(capacity, budget),
        unconstrained=best(None, None),
        capacity_best=None if capacity is None else best(capacity, None),
        budget_best=None if budget is None else best(None, budget),
        at_capacity=None if capacity is None else point_at(statistics, cost_model, capacity),
        n_total=statistics.n_total,
        cost_model=cost_model,
        exact=exact,
    )


def best_targeting(
    y_true,
    score,
    treatment,
    *,
    cost_model,
    sample_weight=None,
    min_arm_size=30,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
):
    """Number of people to contact, by decreasing score, that maximizes estimated profit.

    The profit curve is estimated from randomized data as in ``profit_curve``
    and maximized over every threshold, and over the points where the curve
    meets the capacity (``cost_model.capacity``) or the budget
    (``cost_model.budget``): between two thresholds, part of a group of tied
    scores can be contacted, so the curve is linear there. Among equally
    profitable choices the one with the fewest contacts wins; contacting nobody
    (profit 0) is always allowed. A choice is only considered if the people it
    contacts include at least ``min_arm_size`` treated and ``min_arm_size``
    control rows (or a whole arm, if smaller): the profit of the first few
    people ranked rests on too few rows to act on.

    The profit of the chosen point, and of contacting exactly the capacity,
    carries a stratified bootstrap interval (see ``profit_curve_ci``). The
    interval is for the chosen point, not for the maximum itself: choosing the
    best point on the same data that measures it makes ``profit`` optimistic.
    Evaluate the choice on held-out data when it matters.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: 1 = favourable, or amounts (spend, revenue) valued per unit.
    score : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    cost_model : CostModel
        Value of the outcome (per success or per unit), costs, capacity and
        budget. A fractional capacity is a fraction of the people scored here.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.
    min_arm_size : int, default=30
        Fewest treated and control rows (total weights when weighted) a choice
        must contact; 1 only requires both arms to be present, 0 allows any
        choice.
    confidence_level : float, default=0.95
        Coverage of the bootstrap intervals, in (0, 1).
    n_bootstraps : int or None, default=1000
        Number of bootstrap replicates; ``None`` or 0 skips the intervals.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator of the resampling.

    Returns
    -------
    TargetingResult
        The best choice (``n_targeted``, ``fraction``, ``threshold``, ``profit``,
        ``profit_interval``, an ``Interval``), the unconstrained, capacity-only and budget-only
        optima, and the profit at capacity.

    See Also
    --------
    best_targeting_from_truth : The exact optimum from potential outcomes.
    profit_curve : The whole estimated curve.

    Examples
    --------
    >>> from actionable.economics import CostModel, best_targeting
    >>> y = [1, 0, 1, 0, 0, 1, 0, 1]
    >>> score = [8, 7, 6, 5, 4, 3, 2, 1]
    >>> treatment = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> result = best_targeting(y, score, treatment, cost_model=CostModel(10.0, 1.0),
    ...                         min_arm_size=2, n_bootstraps=None)
    >>> result.n_targeted, result.threshold, result.profit
    (4.0, 5.0, 36.0)
    """
    cost_model = check_cost_model(cost_model)
    if n_bootstraps:
        n_bootstraps, confidence_level, random_state = check_bootstrap_parameters(
            n_bootstraps, confidence_level, random_state
        )
    y_true, score, treatment, sample_weight = check_profit_inputs(
        y_true, score, treatment, sample_weight, cost_model
    )
    min_arm_size = check_min_arm_size(min_arm_size)
    statistics = randomized_statistics(y_true, score, treatment, sample_weight)
    result = _targeting_from_statistics(
        statistics, cost_model, exact=False, min_arm_size=min_arm_size
    )
    if not n_bootstraps:
        return result
    at = [result.best.n_targeted]
    if result.at_capacity is not None:
        at.append(result.at_capacity.n_targeted)
    _, replicates = bootstrap_profits(
        y_true, score, treatment, sample_weight, cost_model, n_bootstraps, random_state, at=at
    )
    profits = [result.best.profit]
    if result.at_capacity is not None:
        profits.append(result.at_capacity.profit)
    band = percentile_interval(np.array(profits), replicates, confidence_level)
    intervals = [
        Interval(profit, float(band.low[i]), float(band.high[i]), confidence_level, "bootstrap")
        for i, profit in enumerate(profits)
    ]
    return dataclasses.replace(
        result,
        profit_interval=intervals[0],
        profit_at_capacity_interval=None if result.at_capacity is None else intervals[1],
        confidence_level=confidence_level,
    )


def best_targeting_from_truth(y0, y1, score, *, cost_model, sample_weight=None):
    """Number of people to contact, by decreasing score, that maximizes exact profit.

    Same choice as ``best_targeting``, on the exact profit curve of
    ``profit_curve_from_truth``. No interval: the profit of this sample is known.

    Parameters
    ----------
    y0 : array-like of shape (n_samples,)
        Outcome of each person without contact (1 = favourable, or an amount).
    y1 : array-like of shape (n_samples,)
        Outcome of each person with contact.
    score : array-like of shape (n_samples,)
        Targeting score; higher means contact first.
    cost_model : CostModel
        Value of the outcome (per success or per unit), costs, capacity and budget.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights.

    Returns
    -------
    TargetingResult
        With ``exact=True`` and no intervals.

    See Also
    --------
    best_targeting : The estimate from randomized data.

    Examples
    --------
    >>> from actionable.economics import CostModel, best_targeting_from_truth
    >>> costs = CostModel(100.0, cost_per_contact=10.0, budget=15.0)
    >>> result = best_targeting_from_truth([0, 0, 1], [1, 1, 1], [3, 2, 1], cost_model=costs)
    >>> result.unconstrained.n_targeted, result.n_targeted, result.profit
    (2.0, 1.0, 90.0)
    """
    cost_model = check_cost_model(cost_model)
    statistics = truth_statistics(y0, y1, score, sample_weight, cost_model)
    return _targeting_from_statistics(statistics, cost_model, exact=True)
