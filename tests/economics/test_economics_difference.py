"""profit_difference and profit_difference_from_truth: two targetings, one paired interval."""

import numpy as np
import pytest

from actionable.datasets import make_churn
from actionable.economics import (
    CostModel,
    best_targeting,
    best_targeting_from_truth,
    profit_difference,
    profit_difference_from_truth,
)


@pytest.fixture(scope="module")
def churn():
    data = make_churn(20_000, random_state=0)
    probabilities = data.extra["type_probabilities"]
    risk = probabilities[:, 0] + probabilities[:, 2]  # the ideal churn model's score
    return data, CostModel.from_dict(data.costs), data.true_effect, risk


def test_the_estimate_is_the_difference_of_the_best_targetings(churn):
    data, costs, effect, risk = churn
    first = best_targeting(data.y, effect, data.treatment, cost_model=costs, n_bootstraps=None)
    second = best_targeting(data.y, risk, data.treatment, cost_model=costs, n_bootstraps=None)
    diff = profit_difference(
        data.y, effect, risk, data.treatment, n_targeted=first.n_targeted,
        other_n_targeted=second.n_targeted, cost_model=costs, n_bootstraps=200, random_state=0,
    )  # fmt: skip
    assert diff.estimate == pytest.approx(first.profit - second.profit)
    assert diff.low < diff.estimate < diff.high
    assert diff.confidence_level == 0.95


def test_the_exact_difference_is_the_difference_of_the_exact_profits(churn):
    data, costs, effect, risk = churn
    first = best_targeting_from_truth(data.y0, data.y1, effect, cost_model=costs)
    second = best_targeting_from_truth(data.y0, data.y1, risk, cost_model=costs)
    diff = profit_difference_from_truth(
        data.y0, data.y1, effect, risk, n_targeted=first.n_targeted,
        other_n_targeted=second.n_targeted, cost_model=costs, n_bootstraps=300, random_state=0,
    )  # fmt: skip
    assert diff.estimate == pytest.approx(first.profit - second.profit)
    assert diff.low < diff.estimate < diff.high


def test_the_interval_is_paired(churn):
    """Comparing a targeting with itself gives exactly zero; a near copy, a narrow interval."""
    data, costs, effect, risk = churn
    same = profit_difference(
        data.y, effect, effect, data.treatment, n_targeted=5000, other_n_targeted=5000,
        cost_model=costs, n_bootstraps=100, random_state=0,
    )  # fmt: skip
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)
    nudged = effect + np.random.default_rng(0).normal(scale=0.01, size=effect.size)
    near = profit_difference(
        data.y, effect, nudged, data.treatment, n_targeted=5000, other_n_targeted=5000,
        cost_model=costs, n_bootstraps=200, random_state=0,
    )  # fmt: skip
    apart = best_targeting(
        data.y, effect, data.treatment, cost_model=costs.replace(capacity=5000),
        n_bootstraps=200, random_state=0,
    ).profit_at_capacity_interval  # fmt: skip
    assert near.width < 0.5 * apart.width


def test_the_exact_difference_varies_like_the_difference_across_samples():
    """Its interval covers what the difference is on other samples of the same world."""
    costs = None
    differences, intervals = [], []
    for seed in range(12):
        data = make_churn(4000, random_state=seed)
        costs = CostModel.from_dict(data.costs)
        probabilities = data.extra["type_probabilities"]
        risk = probabilities[:, 0] + probabilities[:, 2]
        diff = profit_difference_from_truth(
            data.y0, data.y1, data.true_effect, risk, n_targeted=1000, other_n_targeted=1600,
            cost_model=costs, n_bootstraps=300, random_state=seed,
        )  # fmt: skip
        differences.append(diff.estimate)
        intervals.append(diff.high - diff.low)
    # the spread of the difference across samples matches the intervals' width
    assert np.mean(intervals) == pytest.approx(2 * 1.96 * np.std(differences), rel=0.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_targeted": -1}, "n_targeted must be a number of people between 0 and"),
        ({"other_n_targeted": 10**9}, "other_n_targeted must be a number of people between"),
        ({"n_targeted": "all"}, "n_targeted must be a number of people"),
        ({"cost_model": {"value_per_success": 1}}, "cost_model must be a CostModel"),
        ({"n_bootstraps": 0}, "n_bootstraps"),
    ],
)
def test_bad_parameters_are_named(churn, kwargs, message):
    data, costs, effect, risk = churn
    arguments = {
        "n_targeted": 100, "other_n_targeted": 100, "cost_model": costs, "n_bootstraps": 10,
        **kwargs,
    }  # fmt: skip
    with pytest.raises(ValueError, match=message):
        profit_difference(data.y, effect, risk, data.treatment, **arguments)
    with pytest.raises(ValueError, match=message):
        profit_difference_from_truth(data.y0, data.y1, effect, risk, **arguments)


def test_scores_of_different_lengths_are_refused(churn):
    data, costs, effect, _ = churn
    with pytest.raises(ValueError, match="Inconsistent"):
        profit_difference_from_truth(
            data.y0, data.y1, effect, effect[:-1], n_targeted=10, other_n_targeted=10,
            cost_model=costs, n_bootstraps=10,
        )  # fmt: skip
