"""The economics on a continuous outcome (spend, revenue) valued per unit.

Money = value_per_unit x incremental outcome - costs. Checked against sums written
out by hand on small examples, on a zero-heavy outcome and on a negative one; the
measures defined only for binary churn refuse a continuous outcome clearly.
"""

import re

import numpy as np
import pytest

from actionable.economics import (
    CostModel,
    ProfitCurveDisplay,
    best_targeting,
    best_targeting_from_truth,
    break_even_sweep,
    break_even_sweep_from_truth,
    expected_max_profit_churn,
    max_profit_churn,
    max_profit_uplift,
    max_profit_uplift_ci,
    max_profit_uplift_curve,
    policy_profit,
    profit_curve,
    profit_curve_ci,
    profit_curve_from_truth,
    profit_difference,
    profit_difference_from_truth,
)

SPEND = CostModel(value_per_unit=0.3, cost_per_contact=1.0, incentive_cost=0.5)


def _hand_profit(y, score, treatment, value, cost):
    """Profit of contacting the top k, for every k, written out with plain means."""
    order = np.argsort(-score, kind="stable")
    profits = [0.0]
    for k in range(1, y.size + 1):
        top = order[:k]
        treated = y[top][treatment[top] == 1]
        control = y[top][treatment[top] == 0]
        mean_treated = treated.mean() if treated.size else 0.0
        mean_control = control.mean() if control.size else 0.0
        profits.append(value * (mean_treated - mean_control) * k - cost * k)
    return np.array(profits)


def _world(rng, n, kind):
    """Randomized data with a continuous outcome whose effect grows with x."""
    x = rng.uniform(-1, 1, n)
    treatment = rng.integers(0, 2, n)
    effect = 20.0 * np.clip(x, 0, None)
    if kind == "zero-heavy":
        buys = rng.random(n) < 0.1 + 0.1 * treatment * (x > 0)
        y = np.where(buys, rng.lognormal(4.0, 0.8, n), 0.0)
    elif kind == "negative":
        y = rng.normal(-30.0, 15.0, n) + treatment * effect
    else:
        y = rng.gamma(2.0, 25.0, n) + treatment * effect
    return x, treatment, y


def test_profit_with_value_per_unit_equals_the_hand_computation():
    y = np.array([40.0, 0.0, 25.0, 5.0, 12.5, 0.0, 60.0, 3.0])
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    treatment = np.array([1, 0, 1, 0, 1, 0, 0, 1])
    n, profit = profit_curve(y, score, treatment, cost_model=SPEND)
    np.testing.assert_array_equal(n, np.arange(9))
    np.testing.assert_allclose(profit, _hand_profit(y, score, treatment, 0.3, 1.5))
    # contacting the top 4: treated mean (40 + 25) / 2, control mean (0 + 5) / 2
    assert profit[4] == pytest.approx(0.3 * (32.5 - 2.5) * 4 - 1.5 * 4)


@pytest.mark.parametrize("kind", ["gamma", "zero-heavy", "negative"])
def test_profit_curve_and_its_interval_on_continuous_outcomes(rng, kind):
    x, treatment, y = _world(rng, 600, kind)
    n, profit = profit_curve(y, x, treatment, cost_model=SPEND)
    np.testing.assert_allclose(profit, _hand_profit(y, x, treatment, 0.3, 1.5))
    n_ci, band = profit_curve_ci(
        y, x, treatment, cost_model=SPEND, n_bootstraps=200, random_state=0
    )
    np.testing.assert_array_equal(n_ci, n)
    np.testing.assert_allclose(band.estimate, profit)
    assert np.all(band.low <= band.estimate + 1e-9)
    assert np.all(band.estimate <= band.high + 1e-9)
    assert band.high[-1] > band.low[-1]  # the full campaign's profit is uncertain


@pytest.mark.parametrize("kind", ["gamma", "zero-heavy", "negative"])
def test_best_targeting_on_continuous_outcomes(rng, kind):
    x, treatment, y = _world(rng, 4000, kind)
    costs = SPEND.replace(capacity=0.4)
    result = best_targeting(
        y, x, treatment, cost_model=costs, n_bootstraps=200, random_state=1, min_arm_size=30
    )
    n, profit = profit_curve(y, x, treatment, cost_model=costs)
    # the best choice is a point of the curve, within capacity, at least as good as its rivals
    at = np.flatnonzero(n == result.n_targeted)
    assert at.size == 1
    assert result.profit == pytest.approx(profit[at[0]])
    assert result.n_targeted <= 0.4 * y.size
    interval = result.profit_interval
    assert interval.low <= result.profit <= interval.high
    at_capacity = result.profit_at_capacity_interval
    assert at_capacity.low <= result.profit_at_capacity <= at_capacity.high


def test_best_targeting_from_truth_and_the_curve_on_a_continuous_truth():
    y0 = np.array([10.0, 50.0, 0.0, 30.0, -5.0])
    y1 = np.array([40.0, 50.0, 2.0, 10.0, 20.0])
    score = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    n, profit = profit_curve_from_truth(y0, y1, score, cost_model=SPEND)
    per_person = 0.3 * (y1 - y0) - 1.5
    np.testing.assert_allclose(profit, np.concatenate(([0.0], np.cumsum(per_person))))
    result = best_targeting_from_truth(y0, y1, score, cost_model=SPEND)
    assert result.profit == pytest.approx(profit.max())
    assert result.n_targeted == float(np.argmax(profit))


def test_policy_profit_on_a_continuous_outcome_is_the_difference_in_money():
    y = np.array([30.0, 0.0, 12.0, 4.0, 50.0, 0.0])
    treatment = np.array([1, 0, 1, 0, 1, 0])
    result = policy_profit(
        y, treatment, {"everyone": np.ones(6, int)}, cost_model=SPEND, n_bootstraps=100,
        random_state=0,
    )  # fmt: skip
    expected = 0.3 * (y[treatment == 1].mean() - y[treatment == 0].mean()) - 1.5
    assert result.profit[0] == pytest.approx(expected)
    assert result.low[0] <= result.profit[0] <= result.high[0]


def test_profit_difference_on_a_continuous_outcome(rng):
    x, treatment, y = _world(rng, 2000, "gamma")
    diff = profit_difference(
        y, x, -x, treatment, n_targeted=500, other_n_targeted=500, cost_model=SPEND,
        n_bootstraps=200, random_state=0,
    )  # fmt: skip
    n, by_x = profit_curve(y, x, treatment, cost_model=SPEND)
    _, by_minus_x = profit_curve(y, -x, treatment, cost_model=SPEND)
    assert diff.estimate == pytest.approx(by_x[n == 500][0] - by_minus_x[n == 500][0])
    assert diff.low <= diff.estimate <= diff.high
    exact = profit_difference_from_truth(
        np.zeros(4), np.array([10.0, 0.0, 0.0, -10.0]), [4, 3, 2, 1], [1, 2, 3, 4],
        n_targeted=1, other_n_targeted=1, cost_model=SPEND, n_bootstraps=50, random_state=0,
    )  # fmt: skip
    assert exact.estimate == pytest.approx(0.3 * 10 - 0.3 * -10)


def test_the_sweep_varies_the_value_per_unit(rng):
    x, treatment, y = _world(rng, 3000, "gamma")
    table = break_even_sweep(
        y, {"x": x}, treatment, cost_model=SPEND, value_per_unit=[0.01, 0.3, 5.0]
    )
    assert "value_per_unit" in table.columns
    assert "value_per_success" not in table.columns
    mine = table[table.policy == "x"]
    assert mine.value_per_unit.tolist() == [0.01, 0.3, 5.0]
    break_even = mine.break_even_value.iloc[0]
    # the policy pays exactly above its break-even value per unit
    assert ((mine.value_per_unit > break_even) == mine.pays).all()
    # the best profit at the cost model's own value is best_targeting's
    best = best_targeting(y, x, treatment, cost_model=SPEND, n_bootstraps=None)
    assert mine.best_profit.iloc[1] == pytest.approx(best.profit)
    truth = break_even_sweep_from_truth(
        [0.0, 0.0], [10.0, 1.0], {"s": [2, 1]}, cost_model=SPEND, include_random=False
    )
    assert truth.loc[0, "break_even_value"] == pytest.approx(1.5 / 10)


def test_the_display_on_a_continuous_outcome(rng):
    x, treatment, y = _world(rng, 800, "zero-heavy")
    display = ProfitCurveDisplay.from_predictions(
        y, x, treatment, cost_model=SPEND, n_bootstraps=50, random_state=0, plot=False
    )
    _, profit = profit_curve(y, x, treatment, cost_model=SPEND)
    np.testing.assert_allclose(display.profit, profit)
    truth = ProfitCurveDisplay.from_predictions(
        None, x, None, cost_model=SPEND, truth=(y, y + 5.0 * (x > 0)), plot=False
    )
    assert truth.oracle_profit.max() >= truth.profit.max()


# ------------------------------------------------------------------- errors
def test_a_continuous_outcome_valued_per_success_is_refused(rng):
    x, treatment, y = _world(rng, 200, "gamma")
    per_success = CostModel(100.0, 1.0)
    message = "y_true is not binary (value"
    hint = "give CostModel(value_per_unit=...)"
    calls = [
        lambda: profit_curve(y, x, treatment, cost_model=per_success),
        lambda: profit_curve_ci(y, x, treatment, cost_model=per_success, n_bootstraps=10),
        lambda: best_targeting(y, x, treatment, cost_model=per_success),
        lambda: break_even_sweep(y, {"x": x}, treatment, cost_model=per_success),
        lambda: profit_difference(
            y, x, -x, treatment, n_targeted=10, other_n_targeted=10, cost_model=per_success
        ),
        lambda: policy_profit(y, treatment, {"all": np.ones(y.size, int)}, cost_model=per_success),
        lambda: ProfitCurveDisplay.from_predictions(
            y, x, treatment, cost_model=per_success, plot=False
        ),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=re.escape(message)) as error:
            call()
        assert hint in str(error.value)
    with pytest.raises(ValueError, match=re.escape("y1 is not binary (value 2.5 at position 0,")):
        profit_curve_from_truth([0, 1], [2.5, 1], [1, 2], cost_model=per_success)


def test_probabilities_are_valued_like_successes():
    """A truth in expectation (probabilities of success) passes with a value per success."""
    y0, y1 = np.array([0.2, 0.9, 0.5]), np.array([0.7, 0.9, 0.1])
    _, profit = profit_curve_from_truth(y0, y1, [3, 2, 1], cost_model=CostModel(100.0, 1.0))
    np.testing.assert_allclose(profit, np.cumsum([0.0, 49.0, -1.0, -41.0]))
    with pytest.raises(ValueError, match=re.escape("y0 is not binary (value -0.5 at position 2")):
        profit_curve_from_truth([0.2, 0.9, -0.5], y1, [3, 2, 1], cost_model=CostModel(100.0))


def test_a_binary_outcome_may_be_valued_per_unit():
    y = np.array([1, 0, 1, 1, 0, 0])
    score = np.array([6, 5, 4, 3, 2, 1])
    treatment = np.array([1, 0, 1, 0, 1, 0])
    _, per_unit = profit_curve(y, score, treatment, cost_model=CostModel(value_per_unit=50.0))
    _, per_success = profit_curve(y, score, treatment, cost_model=CostModel(50.0))
    np.testing.assert_allclose(per_unit, per_success)


def test_the_sweep_refuses_the_other_value_grid():
    with pytest.raises(ValueError, match="give the grid of values as value_per_unit, not"):
        break_even_sweep([1.0, 2.0], {"s": [1, 2]}, [1, 0], cost_model=SPEND, value_per_success=1)
    with pytest.raises(ValueError, match="as value_per_success, not value_per_unit"):
        break_even_sweep(
            [1, 0], {"s": [1, 2]}, [1, 0], cost_model=CostModel(1.0), value_per_unit=[0.3]
        )


def test_the_churn_literature_measures_refuse_a_continuous_outcome():
    spend = np.array([0.0, 12.5, 3.0, 0.0])
    treatment = np.array([1, 0, 1, 0])
    score = np.array([0.4, 0.3, 0.2, 0.1])
    only_churn = "defined for binary churn only"
    with pytest.raises(ValueError, match=only_churn):
        max_profit_churn(spend, score)
    with pytest.raises(ValueError, match=only_churn):
        expected_max_profit_churn(spend, score)
    for measure in (max_profit_uplift, max_profit_uplift_curve):
        with pytest.raises(ValueError, match="got value 12.5 at position 1. The measure is"):
            measure(spend, score, treatment)
    with pytest.raises(ValueError, match=only_churn):
        max_profit_uplift_ci(spend, score, treatment, n_bootstraps=10)


@pytest.mark.parametrize(
    "measure",
    [
        lambda costs: max_profit_churn([0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8], cost_model=costs),
        lambda costs: expected_max_profit_churn([0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8],
                                                cost_model=costs),
        lambda costs: max_profit_uplift([0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8], [1, 0, 1, 0],
                                        cost_model=costs),
    ],
)  # fmt: skip
def test_the_churn_literature_measures_refuse_a_cost_model_valued_per_unit(measure):
    with pytest.raises(ValueError, match=r"defined for a binary outcome .* value_per_unit=0.3"):
        measure(SPEND)
