"""On make_churn, the randomized profit estimate agrees with the exact profit from the truth."""

import numpy as np
import pytest

from actionable.economics import (
    CostModel,
    best_targeting,
    best_targeting_from_truth,
    profit_curve,
    profit_curve_ci,
    profit_curve_from_truth,
)

datasets = pytest.importorskip("actionable.datasets")
if not hasattr(datasets, "make_churn"):
    pytest.skip("actionable.datasets.make_churn is not available", allow_module_level=True)


@pytest.fixture(scope="module")
def churn():
    data = datasets.make_churn(20_000, random_state=7)
    probabilities = data.extra["type_probabilities"]
    # P(churn without contact) = P(persuadable) + P(lost cause): what a churn model targets
    risk = probabilities[:, 0] + probabilities[:, 2]
    return data, {"true effect": np.asarray(data.true_effect), "churn risk": risk}


@pytest.mark.parametrize("policy", ["true effect", "churn risk"])
def test_estimators_agree_within_the_bootstrap_interval(churn, policy):
    data, scores = churn
    costs = CostModel.from_dict(data.costs)
    y, treatment = data.y.to_numpy(), data.treatment.to_numpy()
    n, band = profit_curve_ci(
        y, scores[policy], treatment, cost_model=costs, n_bootstraps=150, random_state=0
    )
    low, high = band.low, band.high
    n_truth, truth = profit_curve_from_truth(data.y0, data.y1, scores[policy], cost_model=costs)
    np.testing.assert_array_equal(n, n_truth)
    # the exact curve runs inside the band for most of its length
    assert np.mean((low <= truth) & (truth <= high)) > 0.5
    # the estimated optimum is close to the exact profit at the same k
    result = best_targeting(
        y, scores[policy], treatment, cost_model=costs, n_bootstraps=150, random_state=0
    )
    exact = truth[np.searchsorted(n, result.n_targeted)]
    half_width = result.profit_interval.width / 2
    assert abs(result.profit - exact) < 3 * half_width
    # the intervals are informative: narrower than the profits they describe
    assert result.profit_interval.width < 0.5 * abs(result.profit)


@pytest.mark.parametrize("policy", ["true effect", "churn risk"])
def test_bootstrap_interval_covers_the_exact_profit_across_samples(policy):
    """Pointwise 95% intervals hold the exact profit in most independent samples.

    The points of one curve share the same randomization, so a single sample says little
    about coverage: draw independent samples of the same world and count, at one point
    each (30% and 60% contacted), how often the interval holds the exact profit.
    """
    covered, n_checks = 0, 0
    for seed in range(12):
        data = datasets.make_churn(4_000, random_state=100 + seed)
        probabilities = data.extra["type_probabilities"]
        score = (
            np.asarray(data.true_effect)
            if policy == "true effect"
            else probabilities[:, 0] + probabilities[:, 2]
        )
        costs = CostModel.from_dict(data.costs)
        n, band = profit_curve_ci(
            data.y.to_numpy(),
            score,
            data.treatment.to_numpy(),
            cost_model=costs,
            n_bootstraps=200,
            random_state=seed,
        )
        low, high = band.low, band.high
        _, truth = profit_curve_from_truth(data.y0, data.y1, score, cost_model=costs)
        at = np.searchsorted(n, (0.3 if seed % 2 else 0.6) * data.n_samples)
        covered += low[at] <= truth[at] <= high[at]
        # and the interval of the estimated optimum holds the exact profit of that choice
        result = best_targeting(
            data.y.to_numpy(),
            score,
            data.treatment.to_numpy(),
            cost_model=costs,
            n_bootstraps=200,
            random_state=seed,
        )
        exact = truth[np.searchsorted(n, result.n_targeted)]
        covered += result.profit_interval.low <= exact <= result.profit_interval.high
        n_checks += 2
    # with 95% coverage, 20 or more of 24 hold with probability 0.997
    assert covered >= 20, f"{covered} of {n_checks} intervals hold the exact profit"


def test_estimators_agree_in_expectation(churn):
    """Re-randomizing the offer over the same customers, the mean estimate is the exact curve."""
    data, scores = churn
    costs = CostModel.from_dict(data.costs)
    rng = np.random.default_rng(1)
    subset = rng.choice(data.n_samples, 4000, replace=False)
    y0, y1 = data.y0[subset], data.y1[subset]
    score = scores["churn risk"][subset]
    n_truth, truth = profit_curve_from_truth(y0, y1, score, cost_model=costs)
    n_repeats = 300
    estimates = np.empty((n_repeats, n_truth.size))
    for repeat in range(n_repeats):
        treatment = np.zeros(4000)
        treatment[rng.permutation(4000)[:2000]] = 1  # complete randomization, as make_churn
        y = np.where(treatment == 1, y1, y0)
        _, estimates[repeat] = profit_curve(y, score, treatment, cost_model=costs)
    at = n_truth >= 100
    standard_error = estimates.std(axis=0, ddof=1)[at] / np.sqrt(n_repeats)
    z = (estimates.mean(axis=0)[at] - truth[at]) / standard_error
    assert np.max(np.abs(z)) < 4.5


def test_uplift_targeting_beats_churn_risk_targeting(churn):
    data, scores = churn
    costs = CostModel.from_dict({**data.costs, "capacity": 0.2})
    by_effect = best_targeting_from_truth(data.y0, data.y1, scores["true effect"], cost_model=costs)
    by_risk = best_targeting_from_truth(data.y0, data.y1, scores["churn risk"], cost_model=costs)
    assert by_effect.profit > by_risk.profit > 0
    assert by_effect.profit_at_capacity > by_risk.profit_at_capacity
