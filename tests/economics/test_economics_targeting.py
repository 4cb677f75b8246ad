"""best_targeting: optimum under capacity and budget, profit at capacity, intervals."""

import json
import math
import re

import numpy as np
import pytest

from actionable.economics import (
    CostModel,
    TargetingResult,
    best_targeting,
    best_targeting_from_truth,
    profit_curve_from_truth,
)


def _population(rng, n_samples):
    x = rng.random(n_samples)
    p0 = 0.6 - 0.3 * x
    effect = np.where(x > 0.6, 0.35, -0.05)
    u = rng.random(n_samples)
    y0 = (u < p0).astype(float)
    y1 = (u < p0 + effect).astype(float)
    score = effect + 0.15 * rng.standard_normal(n_samples)  # distinct scores
    return y0, y1, score


def _brute_force(y0, y1, score, costs, capacity=None, budget=None):
    """Best k by enumerating every k of the ranking (distinct scores, unweighted)."""
    order = np.argsort(-score)
    paid = y1 if costs.incentive_on_success else np.ones_like(y1)
    spend = np.concatenate(
        ([0.0], np.cumsum(costs.cost_per_contact + costs.incentive_cost * paid[order]))
    )
    profit = np.concatenate(([0.0], np.cumsum(costs.value_per_success * (y1 - y0)[order])))
    profit = profit - spend
    k = np.arange(score.size + 1)
    feasible = np.ones(k.size, dtype=bool)
    if capacity is not None:
        feasible &= k <= capacity
    if budget is not None:
        feasible &= spend <= budget
    best = np.flatnonzero(feasible)[np.argmax(profit[feasible])]
    return k[best], profit[best], spend[best]


@pytest.mark.parametrize("incentive_paid", ["on_contact", "on_success"])
def test_truth_optimum_matches_brute_force(rng, incentive_paid):
    y0, y1, score = _population(rng, 2000)
    costs = CostModel(60, 2, 6, incentive_paid=incentive_paid, capacity=250, budget=1500)
    result = best_targeting_from_truth(y0, y1, score, cost_model=costs)
    assert result.exact
    assert result.profit_interval is None
    k, profit, spend = _brute_force(y0, y1, score, costs, capacity=250, budget=1500)
    assert result.n_targeted == k
    assert result.profit == pytest.approx(profit)
    assert result.best.spend == pytest.approx(spend)
    k_capacity, profit_capacity, _ = _brute_force(y0, y1, score, costs, capacity=250)
    assert result.capacity_best.n_targeted == k_capacity
    assert result.capacity_best.profit == pytest.approx(profit_capacity)
    k_budget, profit_budget, _ = _brute_force(y0, y1, score, costs, budget=1500)
    assert result.budget_best.n_targeted == k_budget
    assert result.budget_best.profit == pytest.approx(profit_budget)
    k_free, profit_free, _ = _brute_force(y0, y1, score, costs)
    assert result.unconstrained.n_targeted == k_free
    assert result.unconstrained.profit == pytest.approx(profit_free)
    # constraints bind in this set-up, so the test really exercises them
    assert result.n_targeted < k_free
    assert result.n_targeted <= 250
    assert result.best.spend <= 1500


def test_profit_at_capacity_and_threshold(rng):
    y0, y1, score = _population(rng, 500)
    costs = CostModel(30, 1, capacity=0.1)
    result = best_targeting_from_truth(y0, y1, score, cost_model=costs)
    n, profit = profit_curve_from_truth(y0, y1, score, cost_model=costs)
    assert result.at_capacity.n_targeted == 50
    assert result.profit_at_capacity == pytest.approx(profit[50])
    assert result.at_capacity.threshold == np.sort(score)[::-1][49]
    assert result.at_capacity.fraction == pytest.approx(0.1)
    # the threshold contacts exactly the chosen people
    assert np.sum(score >= result.threshold) == result.n_targeted


def test_capacity_inside_a_group_of_ties_contacts_part_of_it():
    # four tied persuadables, then two lost causes
    y0 = [0, 0, 0, 0, 0, 0]
    y1 = [1, 1, 1, 1, 0, 0]
    score = [2, 2, 2, 2, 1, 1]
    result = best_targeting_from_truth(y0, y1, score, cost_model=CostModel(10, 1, capacity=3))
    assert result.n_targeted == 3
    assert result.best.partial
    assert result.threshold == 2
    assert result.profit == pytest.approx(27.0)
    assert result.unconstrained.n_targeted == 4
    assert not result.unconstrained.partial
    assert result.at_capacity.profit == pytest.approx(27.0)


def test_budget_inside_a_group_of_ties_rounds_down_to_whole_people():
    y0 = [0, 0, 0, 0]
    y1 = [1, 1, 1, 1]
    score = [1, 1, 1, 1]
    # each contact costs 4 (3 + 1 incentive): a budget of 10 pays for 2 people
    costs = CostModel(10, 3, 1, budget=10)
    result = best_targeting_from_truth(y0, y1, score, cost_model=costs)
    assert result.n_targeted == 2
    assert result.best.spend == 8
    assert result.profit == pytest.approx(12.0)
    # with weights, people are divisible: the whole budget is spent
    weighted = best_targeting_from_truth(
        y0, y1, score, cost_model=costs, sample_weight=[1.0, 1.0, 1.0, 1.0]
    )
    assert weighted.n_targeted == pytest.approx(2.5)
    assert weighted.best.spend == pytest.approx(10.0)


def test_contact_nobody_when_nothing_pays():
    result = best_targeting_from_truth([1, 1, 0], [1, 1, 0], [3, 2, 1], cost_model=CostModel(10, 1))
    assert result.n_targeted == 0
    assert result.profit == 0
    assert math.isinf(result.threshold)
    assert result.to_dict()["threshold"] is None


def test_ties_in_profit_prefer_fewer_contacts():
    # the second person is a sure thing with no cost: contacting them adds 0
    result = best_targeting_from_truth([0, 1], [1, 1], [2, 1], cost_model=CostModel(5.0))
    assert result.n_targeted == 1
    assert result.profit == 5.0


def test_capacity_larger_than_population():
    result = best_targeting_from_truth([0, 0], [1, 1], [2, 1], cost_model=CostModel(5, capacity=10))
    assert result.at_capacity.n_targeted == 2
    assert result.n_targeted == 2


def test_randomized_optimum_with_interval(rng):
    y0, y1, score = _population(rng, 4000)
    treatment = (rng.random(4000) < 0.5).astype(float)
    y = np.where(treatment == 1, y1, y0)
    costs = CostModel(50, 2, 5, incentive_paid="on_success", capacity=800)
    result = best_targeting(y, score, treatment, cost_model=costs, random_state=0)
    assert isinstance(result, TargetingResult)
    assert not result.exact
    assert result.n_targeted <= 800
    low, high = result.profit_interval.low, result.profit_interval.high
    assert low < result.profit < high
    assert result.profit_interval.estimate == result.profit
    capacity = result.profit_at_capacity_interval
    assert capacity.low < result.profit_at_capacity < capacity.high
    assert capacity.estimate == result.profit_at_capacity
    assert result.confidence_level == 0.95
    # the true profit of the chosen people lies in the interval
    n, truth = profit_curve_from_truth(y0, y1, score, cost_model=costs)
    true_profit = truth[np.searchsorted(n, result.n_targeted)]
    assert low <= true_profit <= high
    # reproducible
    again = best_targeting(y, score, treatment, cost_model=costs, random_state=0)
    assert again.profit_interval == result.profit_interval


def test_no_bootstrap():
    result = best_targeting(
        [1, 0, 1, 0], [4, 3, 2, 1], [1, 0, 1, 0], cost_model=CostModel(1.0), n_bootstraps=None
    )
    assert result.profit_interval is None
    assert result.confidence_level is None


def test_to_dict_is_strict_json(rng):
    y0, y1, score = _population(rng, 300)
    treatment = rng.integers(0, 2, 300)
    y = np.where(treatment == 1, y1, y0)
    costs = CostModel(50, 2, capacity=40, budget=100)
    data = best_targeting(
        y, score, treatment, cost_model=costs, n_bootstraps=20, random_state=1
    ).to_dict()
    text = json.dumps(data, allow_nan=False)
    loaded = json.loads(text)
    assert loaded["profit"] == data["best"]["profit"]
    assert loaded["profit_low"] <= loaded["profit_high"]
    assert loaded["cost_model"] == costs.to_dict()
    assert CostModel.from_dict(loaded["cost_model"]) == costs
    for key in ("unconstrained", "capacity_best", "budget_best", "at_capacity"):
        assert set(loaded[key]) == {
            "n_targeted",
            "fraction",
            "threshold",
            "profit",
            "spend",
            "partial",
        }


def test_bad_inputs():
    with pytest.raises(ValueError, match="cost_model must be a CostModel; got NoneType"):
        best_targeting([1, 0], [1, 2], [1, 0], cost_model=None)
    with pytest.raises(ValueError, match=re.escape("n_bootstraps must be a positive integer")):
        best_targeting([1, 0], [1, 2], [1, 0], cost_model=CostModel(1), n_bootstraps=-3)
    with pytest.raises(ValueError, match="treatment has no treated rows"):
        best_targeting([1, 0], [1, 2], [0, 0], cost_model=CostModel(1))
    with pytest.raises(ValueError, match="score contains infinity at position 1"):
        best_targeting_from_truth([1, 0], [1, 1], [1, np.inf], cost_model=CostModel(1))


def test_min_arm_size_ignores_choices_resting_on_a_few_rows():
    # the first two people ranked: a treated success and a control failure (an
    # apparent +2 incremental successes); then blocks of four showing no effect
    block_treatment, block_y = [1, 0, 1, 0], [0, 1, 1, 0]
    treatment = np.array([1, 0] + block_treatment * 50)
    y = np.array([1, 0] + block_y * 50)
    score = np.arange(202, 0, -1)
    costs = CostModel(10.0, 1.0)
    noisy = best_targeting(y, score, treatment, cost_model=costs, min_arm_size=1, n_bootstraps=None)
    assert noisy.n_targeted == 2
    assert noisy.profit == pytest.approx(18.0)
    # with 30 rows of each arm required, no choice pays: contact nobody
    guarded = best_targeting(y, score, treatment, cost_model=costs, n_bootstraps=None)
    assert guarded.n_targeted == 0
    assert guarded.profit == 0
    with pytest.raises(ValueError, match=re.escape("min_arm_size must be a non-negative integer")):
        best_targeting(y, score, treatment, cost_model=costs, min_arm_size=-1)


def test_small_arms_still_allow_contacting_everyone():
    # 3 treated and 3 control rows only: with min_arm_size=30, contacting all 6 is allowed
    result = best_targeting(
        [1, 1, 1, 0, 0, 0],
        [6, 5, 4, 3, 2, 1],
        [1, 0, 1, 0, 1, 0],
        cost_model=CostModel(10.0),
        n_bootstraps=None,
    )
    assert result.n_targeted in (0.0, 6.0)
