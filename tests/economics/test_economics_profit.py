"""Profit curves: hand-computed cases, reduction to the uplift curve, unbiasedness, intervals."""

import re

import numpy as np
import pytest

from actionable._validation._values import _MSG_CONFIDENCE_LEVEL as _MSG_LEVEL
from actionable.economics import (
    CostModel,
    profit_curve,
    profit_curve_ci,
    profit_curve_from_truth,
)
from actionable.metrics import Interval


def _profit_curve_band(*args, **kwargs):
    """``profit_curve_ci`` read as four arrays: n_targeted, estimate, low, high."""
    n_targeted, band = profit_curve_ci(*args, **kwargs)
    assert isinstance(band, Interval)
    assert band.method == "bootstrap"
    return n_targeted, band.estimate, band.low, band.high


def _simulated_population(rng, n_samples):
    """Potential outcomes with all four customer types and a noisy uplift score."""
    x = rng.random(n_samples)
    p0 = 0.7 - 0.4 * x  # churn risk grows with x
    effect = np.where(x > 0.5, 0.3, -0.05)  # persuadables at high x, sleeping dogs at low x
    u = rng.random(n_samples)
    y0 = (u < p0).astype(float)
    y1 = (u < p0 + effect).astype(float)
    score = effect + 0.1 * rng.standard_normal(n_samples)
    return y0, y1, score


def _hand_uplift_curve(y, score, treatment):
    """(rate_treated - rate_control) * k at each distinct score, an empty arm counting 0."""
    y, score, treatment = map(np.asarray, (y, score, treatment))
    ks, values = [0], [0.0]
    for cut in sorted(set(score.tolist()), reverse=True):
        top = score >= cut
        treated, control = top & (treatment == 1), top & (treatment == 0)
        rate_t = y[treated].mean() if treated.any() else 0.0
        rate_c = y[control].mean() if control.any() else 0.0
        ks.append(int(top.sum()))
        values.append((rate_t - rate_c) * top.sum())
    return np.array(ks), np.array(values)


def test_hand_computed_with_ties_and_incentive_on_success():
    y = [1, 0, 0, 1, 1, 0]
    score = [3, 3, 2, 2, 1, 1]
    treatment = [1, 0, 1, 0, 1, 0]
    costs = CostModel(30, cost_per_contact=2, incentive_cost=5, incentive_paid="on_success")
    n, profit = profit_curve(y, score, treatment, cost_model=costs)
    # top 2: treated rate 1, control 0 -> 2 incremental, 2 successes if contacted
    # top 4: rates 1/2 and 1/2 -> 0 incremental, 2 successes
    # top 6: rates 2/3 and 1/3 -> 2 incremental, 4 successes
    np.testing.assert_array_equal(n, [0, 2, 4, 6])
    np.testing.assert_allclose(profit, [0, 60 - 4 - 10, 0 - 8 - 10, 60 - 12 - 20])
    costs_on_contact = costs.replace(incentive_paid="on_contact")
    _, profit = profit_curve(y, score, treatment, cost_model=costs_on_contact)
    np.testing.assert_allclose(profit, [0, 60 - 4 - 10, 0 - 8 - 20, 60 - 12 - 30])


def test_order_of_rows_and_input_types_do_not_matter(rng):
    pd = pytest.importorskip("pandas")
    y = rng.integers(0, 2, 300)
    score = rng.integers(0, 20, 300) / 10  # many ties
    treatment = rng.integers(0, 2, 300)
    costs = CostModel(10, 1, 2)
    n, profit = profit_curve(y, score, treatment, cost_model=costs)
    order = rng.permutation(300)
    n_perm, profit_perm = profit_curve(
        pd.Series(y[order]), list(score[order]), treatment[order].astype(bool), cost_model=costs
    )
    np.testing.assert_array_equal(n, n_perm)
    np.testing.assert_allclose(profit, profit_perm, rtol=1e-12, atol=1e-9)
    assert n.size == np.unique(score).size + 1


def test_zero_costs_and_unit_value_give_the_uplift_curve(rng):
    y = rng.integers(0, 2, 500)
    score = np.round(rng.random(500), 2)  # ties
    treatment = (rng.random(500) < 0.3).astype(int)
    n, profit = profit_curve(y, score, treatment, cost_model=CostModel(1.0))
    n_hand, uplift_hand = _hand_uplift_curve(y, score, treatment)
    np.testing.assert_array_equal(n, n_hand)
    np.testing.assert_allclose(profit, uplift_hand, rtol=1e-12, atol=1e-9)
    # and any value per success scales it
    _, profit_value = profit_curve(y, score, treatment, cost_model=CostModel(37.5))
    np.testing.assert_allclose(profit_value, 37.5 * uplift_hand, rtol=1e-12, atol=1e-8)


def test_zero_costs_match_scikit_uplift_uplift_curve(rng):
    sklift_metrics = pytest.importorskip("sklift.metrics")
    y = rng.integers(0, 2, 800)
    score = np.round(rng.standard_normal(800), 1)
    treatment = (rng.random(800) < 0.6).astype(int)
    n, profit = profit_curve(y, score, treatment, cost_model=CostModel(1.0))
    n_sklift, uplift_sklift = sklift_metrics.uplift_curve(y, score, treatment)
    np.testing.assert_array_equal(n, n_sklift)
    np.testing.assert_allclose(profit, uplift_sklift, rtol=1e-9, atol=1e-9)


def test_zero_costs_match_actionable_uplift_curve(rng):
    metrics = pytest.importorskip("actionable.metrics")
    if not hasattr(metrics, "uplift_curve"):
        pytest.skip("actionable.metrics.uplift_curve is not written yet")
    y = rng.integers(0, 2, 800)
    score = np.round(rng.standard_normal(800), 1)
    treatment = (rng.random(800) < 0.4).astype(int)
    n, profit = profit_curve(y, score, treatment, cost_model=CostModel(1.0))
    n_metric, uplift = metrics.uplift_curve(y, score, treatment)
    np.testing.assert_array_equal(n, n_metric)
    np.testing.assert_allclose(profit, uplift, rtol=1e-9, atol=1e-9)


def test_truth_hand_computed_with_ties():
    # persuadable, sure thing (tied with it), lost cause, sleeping dog
    y0 = [0, 1, 0, 1]
    y1 = [1, 1, 0, 0]
    score = [2, 2, 1, 0]
    costs = CostModel(100, 1, 5, incentive_paid="on_success")
    n, profit = profit_curve_from_truth(y0, y1, score, cost_model=costs)
    np.testing.assert_array_equal(n, [0, 2, 3, 4])
    np.testing.assert_allclose(profit, [0, 94 - 6, 94 - 6 - 1, 94 - 6 - 1 - 101])


def test_truth_equals_sum_of_individual_profits(rng):
    y0, y1, score = _simulated_population(rng, 1000)
    costs = CostModel(80, 3, 12, incentive_paid="on_success")
    n, profit = profit_curve_from_truth(y0, y1, score, cost_model=costs)
    order = np.argsort(-score, kind="stable")
    individual = 80 * (y1 - y0) - 3 - 12 * y1
    np.testing.assert_allclose(profit[1:], np.cumsum(individual[order])[n[1:] - 1], atol=1e-8)


def test_randomized_estimate_is_unbiased_for_the_truth():
    """Averaged over re-randomizations of the same people, the estimate is the exact curve."""
    rng = np.random.default_rng(12)
    n_samples, n_repeats = 400, 1500
    y0, y1, score = _simulated_population(rng, n_samples)
    costs = CostModel(50, cost_per_contact=2, incentive_cost=8, incentive_paid="on_success")
    n_truth, truth = profit_curve_from_truth(y0, y1, score, cost_model=costs)
    estimates = np.empty((n_repeats, n_truth.size))
    for repeat in range(n_repeats):
        treatment = (rng.random(n_samples) < 0.25).astype(float)  # unequal shares
        y = np.where(treatment == 1, y1, y0)
        n, estimates[repeat] = profit_curve(y, score, treatment, cost_model=costs)
        np.testing.assert_array_equal(n, n_truth)
    mean = estimates.mean(axis=0)
    standard_error = estimates.std(axis=0, ddof=1) / np.sqrt(n_repeats)
    # from 40 people on, both arms are (almost surely) present in the top k
    at = n_truth >= 40
    z = (mean[at] - truth[at]) / standard_error[at]
    assert np.max(np.abs(z)) < 4.5, np.max(np.abs(z))
    # and the estimate does vary: the test could fail
    assert standard_error[-1] > 1


def test_integer_weights_equal_row_repetition(rng):
    y = rng.integers(0, 2, 200)
    score = np.round(rng.random(200), 1)
    treatment = rng.integers(0, 2, 200)
    weight = rng.integers(0, 4, 200)
    costs = CostModel(20, 1, 3, incentive_paid="on_success")
    n_weighted, profit_weighted = profit_curve(
        y, score, treatment, cost_model=costs, sample_weight=weight
    )
    repeat = np.repeat(np.arange(200), weight)
    n_repeated, profit_repeated = profit_curve(
        y[repeat], score[repeat], treatment[repeat], cost_model=costs
    )
    # thresholds held only by zero-weight rows add flat points to the weighted curve
    kept = np.concatenate(([True], np.diff(n_weighted) > 0))
    np.testing.assert_allclose(n_weighted[kept], n_repeated)
    np.testing.assert_allclose(profit_weighted[kept], profit_repeated, atol=1e-9)
    assert n_weighted.dtype == np.float64
    assert n_repeated.dtype == np.int64


def test_truth_with_weights_equals_row_repetition(rng):
    y0, y1, score = _simulated_population(rng, 150)
    weight = rng.integers(1, 4, 150)
    costs = CostModel(20, 1, 3)
    _, weighted = profit_curve_from_truth(y0, y1, score, cost_model=costs, sample_weight=weight)
    repeat = np.repeat(np.arange(150), weight)
    _, repeated = profit_curve_from_truth(y0[repeat], y1[repeat], score[repeat], cost_model=costs)
    np.testing.assert_allclose(weighted, repeated, atol=1e-9)


def test_bootstrap_interval_covers_the_truth():
    costs = CostModel(40, 2, 5, incentive_paid="on_success")
    covered, widths = [], []
    # coverage is a frequency over independent experiments: one sample's pointwise
    # coverage along its own curve is too correlated to test on its own
    for seed in range(20):
        rng = np.random.default_rng(seed)
        y0, y1, score = _simulated_population(rng, 3000)
        treatment = (rng.random(3000) < 0.5).astype(float)
        y = np.where(treatment == 1, y1, y0)
        n, profit, low, high = _profit_curve_band(
            y, score, treatment, cost_model=costs, n_bootstraps=200, random_state=seed
        )
        n_plain, profit_plain = profit_curve(y, score, treatment, cost_model=costs)
        np.testing.assert_array_equal(n, n_plain)
        np.testing.assert_array_equal(profit, profit_plain)
        _, truth = profit_curve_from_truth(y0, y1, score, cost_model=costs)
        assert np.all(low <= high)
        assert low[0] == high[0] == 0
        points = np.searchsorted(n, [750, 1500, 2250])
        covered.append((low[points] <= truth[points]) & (truth[points] <= high[points]))
        widths.append(((high - low)[-1], abs(profit).max()))
    # nominal 95% pointwise intervals: the truth is inside in the large majority of cases
    assert np.mean(covered) > 0.85
    # the interval has a realistic width: not degenerate, not absurd
    for width, scale in widths:
        assert 0.02 * scale < width < 2 * scale


def test_bootstrap_is_reproducible_and_narrows_with_confidence(rng):
    y = rng.integers(0, 2, 300)
    score = rng.random(300)
    treatment = rng.integers(0, 2, 300)
    costs = CostModel(10, 1)
    first = _profit_curve_band(
        y, score, treatment, cost_model=costs, n_bootstraps=30, random_state=5
    )
    second = _profit_curve_band(
        y, score, treatment, cost_model=costs, n_bootstraps=30, random_state=5
    )
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    narrow = _profit_curve_band(
        y, score, treatment, cost_model=costs, n_bootstraps=30, random_state=5, confidence_level=0.5
    )
    assert np.all(narrow[2] >= first[2] - 1e-9)
    assert np.all(narrow[3] <= first[3] + 1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cost_model": {"value_per_success": 1}}, "cost_model must be a CostModel; got dict."),
        ({"score": [0.1, np.nan, 0.3, 0.2]}, "score contains NaN at position 1"),
        ({"score": [[0.1, 0.2, 0.3, 0.4]]}, "score must be 1-dimensional"),
        ({"score": [0.1, 0.2, 0.3]}, "Inconsistent numbers of samples: y_true=4, score=3"),
        ({"treatment": [1, 0, 2, 0]}, "treatment must contain only 0 (control) and 1 (treated)"),
        ({"treatment": [1, 1, 1, 1]}, "treatment has no control rows"),
        ({"y_true": [1, 0, None, 1]}, "y_true contains NaN at position 2"),
        ({"score": None}, "score is required; got None."),
        ({"sample_weight": [1, -1, 1, 1]}, "sample_weight must be non-negative"),
    ],
)
def test_bad_inputs_name_the_problem(kwargs, message):
    arguments = {
        "y_true": [1, 0, 1, 0],
        "score": [0.4, 0.3, 0.2, 0.1],
        "treatment": [1, 0, 1, 0],
        "cost_model": CostModel(1.0),
    }
    arguments.update(kwargs)
    y_true, score, treatment = (arguments.pop(k) for k in ("y_true", "score", "treatment"))
    with pytest.raises(ValueError, match=re.escape(message)):
        profit_curve(y_true, score, treatment, **arguments)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_bootstraps": 0}, "n_bootstraps must be a positive integer; got 0."),
        ({"n_bootstraps": 2.5}, "n_bootstraps must be a positive integer"),
        ({"confidence_level": 1.0}, _MSG_LEVEL.format(value=1.0)),
        ({"confidence_level": 95}, _MSG_LEVEL.format(value=95)),
        ({"random_state": "seed"}, "random_state must be None, an integer, a numpy Generator"),
    ],
)
def test_bad_bootstrap_parameters(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        _profit_curve_band(
            [1, 0, 1, 0], [4, 3, 2, 1], [1, 0, 1, 0], cost_model=CostModel(1.0), **kwargs
        )


def test_truth_bad_inputs():
    costs = CostModel(1.0)
    with pytest.raises(ValueError, match=re.escape("y1 contains NaN at position 0")):
        profit_curve_from_truth([0, 1], [np.nan, 1], [1, 2], cost_model=costs)
    with pytest.raises(ValueError, match=re.escape("Inconsistent numbers of samples: y0=2, y1=3")):
        profit_curve_from_truth([0, 1], [1, 1, 0], [1, 2], cost_model=costs)
    with pytest.raises(ValueError, match="cost_model must be a CostModel; got float"):
        profit_curve_from_truth([0, 1], [1, 1], [1, 2], cost_model=1.0)


def test_bootstrap_with_weights(rng):
    y = rng.integers(0, 2, 400)
    score = np.round(rng.random(400), 2)
    treatment = rng.integers(0, 2, 400)
    weight = rng.integers(0, 3, 400).astype(float)
    costs = CostModel(10, 1)
    n, profit, low, high = _profit_curve_band(
        y,
        score,
        treatment,
        cost_model=costs,
        sample_weight=weight,
        n_bootstraps=50,
        random_state=0,
    )
    n_plain, profit_plain = profit_curve(
        y, score, treatment, cost_model=costs, sample_weight=weight
    )
    np.testing.assert_array_equal(n, n_plain)
    np.testing.assert_allclose(profit, profit_plain)
    assert np.all(low <= high)
    assert np.all(np.isfinite(low))
    # doubling every weight doubles the people and the profit, interval included
    n2, profit2, low2, high2 = _profit_curve_band(
        y,
        score,
        treatment,
        cost_model=costs,
        sample_weight=2 * weight,
        n_bootstraps=50,
        random_state=0,
    )
    np.testing.assert_allclose(n2, 2 * n)
    np.testing.assert_allclose(profit2, 2 * profit, atol=1e-9)
    np.testing.assert_allclose(low2, 2 * low, atol=1e-9)
    np.testing.assert_allclose(high2, 2 * high, atol=1e-9)


def test_intervals_accept_a_random_state_like_the_metrics():
    rng = np.random.default_rng(3)
    treatment = rng.integers(0, 2, 500)
    score = rng.random(500)
    y = (rng.random(500) < 0.3 + 0.2 * treatment * (score > 0.5)).astype(int)
    costs = CostModel(10.0, 0.5)
    first = _profit_curve_band(
        y,
        score,
        treatment,
        cost_model=costs,
        n_bootstraps=30,
        random_state=np.random.RandomState(7),
    )
    second = _profit_curve_band(
        y,
        score,
        treatment,
        cost_model=costs,
        n_bootstraps=30,
        random_state=np.random.RandomState(7),
    )
    other = _profit_curve_band(
        y,
        score,
        treatment,
        cost_model=costs,
        n_bootstraps=30,
        random_state=np.random.RandomState(8),
    )
    np.testing.assert_array_equal(first[2], second[2])
    assert not np.array_equal(first[2], other[2])
