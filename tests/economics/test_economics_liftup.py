"""Liftup curve, maximum profit uplift (MPU) and LiftupCurveDisplay: hand-computed cases."""

import math
import re
from types import SimpleNamespace

import numpy as np
import pytest

from actionable._validation._values import _MSG_CONFIDENCE_LEVEL as _MSG_LEVEL
from actionable.economics import (
    CostModel,
    LiftupCurveDisplay,
    MaxProfit,
    liftup_curve,
    max_profit_uplift,
    max_profit_uplift_ci,
    max_profit_uplift_curve,
)
from actionable.metrics import Interval

# Six customers ranked by score; T = treated, C = control; y = 1 retained.
#   rank  score  arm  y
#   1     0.9    T    1
#   2     0.8    C    0
#   3     0.7    T    1
#   4     0.6    C    0
#   5     0.5    T    0
#   6     0.4    C    1
Y = np.array([1, 0, 1, 0, 0, 1])
SCORE = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
TREATMENT = np.array([1, 0, 1, 0, 1, 0])


def test_liftup_curve_by_hand():
    # Top 1: no control -> no point. Then (treated rate, control rate):
    # top 2: 1/1, 0/1 -> 1;  top 3: 2/2, 0/1 -> 1;  top 4: 2/2, 0/2 -> 1;
    # top 5: 2/3, 0/2 -> 2/3;  all: 2/3, 1/3 -> 1/3 (the overall uplift).
    fraction, liftup = liftup_curve(Y, SCORE, TREATMENT)
    np.testing.assert_allclose(fraction, [2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0])
    np.testing.assert_allclose(liftup, [3.0, 3.0, 3.0, 2.0, 1.0])


def test_liftup_of_random_targeting_is_one():
    # Equal scores: one threshold, the whole sample, liftup 1 by definition.
    fraction, liftup = liftup_curve(Y, np.zeros(6), TREATMENT)
    np.testing.assert_allclose(fraction, [1.0])
    np.testing.assert_allclose(liftup, [1.0])


def test_liftup_ties_collapse():
    # Ranks 2 and 3 tie: top 3 is one group (treated 2/2, control 0/1 -> uplift 1).
    score = np.array([0.9, 0.8, 0.8, 0.6, 0.5, 0.4])
    fraction, liftup = liftup_curve(Y, score, TREATMENT)
    np.testing.assert_allclose(fraction, [3 / 6, 4 / 6, 5 / 6, 1.0])
    np.testing.assert_allclose(liftup, [3.0, 3.0, 2.0, 1.0])


def test_liftup_integer_weights_equal_repeated_rows():
    weights = np.array([2, 1, 1, 3, 1, 2])
    fraction, liftup = liftup_curve(Y, SCORE, TREATMENT, sample_weight=weights)
    repeated = np.repeat(np.arange(6), weights)
    # Repeated rows share a score, so they stay in one threshold.
    fraction_r, liftup_r = liftup_curve(Y[repeated], SCORE[repeated], TREATMENT[repeated])
    np.testing.assert_allclose(fraction, fraction_r)
    np.testing.assert_allclose(liftup, liftup_r)


def test_liftup_zero_overall_uplift_warns_and_returns_nan():
    y = np.array([1, 1, 0, 0])
    treatment = np.array([1, 0, 1, 0])
    with pytest.warns(RuntimeWarning, match="overall uplift"):
        _, liftup = liftup_curve(y, [0.4, 0.3, 0.2, 0.1], treatment)
    assert np.isnan(liftup).all()


def test_max_profit_uplift_curve_by_hand():
    # profit_k = n_k * (200 * (rT - rC) - 1 - 10 * rT) / 6, rates as in the liftup test:
    # top 2: 2 * (200 - 1 - 10) = 378;  top 3: 3 * 189 = 567;  top 4: 4 * 189 = 756;
    # top 5: 5 * (400/3 - 1 - 20/3) = 628.33;  all: 6 * (200/3 - 1 - 20/3) = 354.
    fraction, profit = max_profit_uplift_curve(Y, SCORE, TREATMENT)
    np.testing.assert_allclose(fraction, [0, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0])
    np.testing.assert_allclose(profit, [0, 378 / 6, 567 / 6, 756 / 6, (1885 / 3) / 6, 354 / 6])


def test_max_profit_uplift_by_hand():
    result = max_profit_uplift(Y, SCORE, TREATMENT)
    assert isinstance(result, MaxProfit)
    assert result.profit == pytest.approx(756 / 6)
    assert result.fraction == pytest.approx(4 / 6)
    assert result.threshold == 0.6


def test_fixed_cost_and_incentive_on_contact():
    # Fixed cost 60 lowers every campaign by 60 / 6 = 10 per customer.
    # On contact the incentive is paid by all: per targeted 200 * (rT - rC) - 11.
    # top 2: 2 * 189 = 378;  top 4: 4 * 189 = 756;  all: 6 * (200/3 - 11) = 334.
    fraction, profit = max_profit_uplift_curve(
        Y, SCORE, TREATMENT, fixed_cost=60.0, incentive_paid="on_contact"
    )
    assert profit[0] == 0.0  # no campaign, no fixed cost
    np.testing.assert_allclose(profit[[1, 3, 5]], [(378 - 60) / 6, (756 - 60) / 6, (334 - 60) / 6])


def test_cost_model_drives_mpu():
    costs = CostModel(100.0, cost_per_contact=2.0, incentive_cost=5.0, incentive_paid="on_success")
    by_model = max_profit_uplift(Y, SCORE, TREATMENT, cost_model=costs)
    by_keywords = max_profit_uplift(Y, SCORE, TREATMENT, clv=100, incentive_cost=5, contact_cost=2)
    assert by_model == by_keywords
    duck = SimpleNamespace(value_per_success=100.0, cost_per_contact=2.0, incentive_cost=5.0)
    assert max_profit_uplift(Y, SCORE, TREATMENT, cost_model=duck) == by_keywords


MPU_FUNCTIONS = [max_profit_uplift, max_profit_uplift_curve, max_profit_uplift_ci]


def _mpu(function, *args, **kwargs):
    if function is max_profit_uplift_ci:
        kwargs = {"n_bootstraps": 20, "random_state": 0, **kwargs}
    result = function(*args, **kwargs)
    if function is max_profit_uplift_ci:
        return (result.estimate, result.low, result.high)
    return result if function is max_profit_uplift else tuple(np.ravel(r) for r in result)


@pytest.mark.parametrize("function", MPU_FUNCTIONS)
@pytest.mark.parametrize("paid", ["on_success", "on_contact"])
def test_mpu_aliases_build_the_same_cost_model(function, paid):
    rng = np.random.default_rng(3)
    y, score, treatment = rng.integers(0, 2, 200), rng.random(200), rng.integers(0, 2, 200)
    costs = CostModel(80.0, cost_per_contact=1.5, incentive_cost=4.0, incentive_paid=paid)
    by_model = _mpu(function, y, score, treatment, cost_model=costs, fixed_cost=3.0)
    by_alias = _mpu(
        function,
        y,
        score,
        treatment,
        clv=80.0,
        contact_cost=1.5,
        incentive_cost=4.0,
        incentive_paid=paid,
        fixed_cost=3.0,
    )
    if function is max_profit_uplift:
        assert by_model == by_alias
    else:
        for ours, theirs in zip(by_model, by_alias, strict=True):
            np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("function", MPU_FUNCTIONS)
def test_mpu_cost_model_and_an_alias_is_an_error_naming_both(function):
    with pytest.raises(ValueError, match="cost_model and clv, contact_cost"):
        function(Y, SCORE, TREATMENT, cost_model=CostModel(100.0), clv=100.0, contact_cost=1.0)


def test_no_campaign_when_nothing_pays():
    # Treatment hurts: the top groups have rT < rC, and costs make everything negative.
    y = np.array([0, 1, 0, 1])
    treatment = np.array([1, 0, 1, 0])
    result = max_profit_uplift(y, [0.9, 0.8, 0.7, 0.6], treatment)
    assert result == MaxProfit(profit=0.0, fraction=0.0, threshold=math.inf)


def test_smallest_fraction_wins_a_tie():
    # Zero costs, so profit = 200 * n_k * (rT - rC):
    # top 2 (T y=1, C y=0): 200 * 2 * (1 - 0) = 400;
    # top 3 (+ T y=0): 200 * 3 * (1/2 - 0) = 300;
    # top 4 (+ C y=0): 200 * 4 * (1/2 - 0) = 400 -> ties with top 2; the smaller wins.
    y = np.array([1, 0, 0, 0])
    treatment = np.array([1, 0, 1, 0])
    result = max_profit_uplift(y, [0.9, 0.8, 0.7, 0.6], treatment, incentive_cost=0, contact_cost=0)
    _, profit = max_profit_uplift_curve(
        y, [0.9, 0.8, 0.7, 0.6], treatment, incentive_cost=0, contact_cost=0
    )
    np.testing.assert_allclose(profit, [0, 100, 75, 100])
    assert result.fraction == 0.5
    assert result.threshold == 0.8
    assert result.profit == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y_true": [1, 0, 2, 1]}, "y_true must contain only 0 and 1 (1 = retained)"),
        ({"treatment": [1, 0, 2, 0]}, "treatment must contain only 0 (control) and 1"),
        ({"treatment": [1, 1, 1, 1]}, "treatment has no control rows"),
        ({"uplift": [0.1, 0.2]}, "Inconsistent numbers of samples"),
        ({"fixed_cost": -5}, "fixed_cost must be >= 0; got -5.0"),
        ({"clv": -1}, "clv must be > 0; got -1.0"),
        ({"incentive_paid": "never"}, "incentive_paid must be 'on_success' or 'on_contact'"),
        ({"sample_weight": [1, -1, 1, 1]}, "sample_weight must be non-negative"),
    ],
)
def test_mpu_bad_input_messages(kwargs, message):
    for function in (max_profit_uplift, max_profit_uplift_curve):
        arguments = {
            "y_true": [1, 0, 0, 1],
            "uplift": [0.4, 0.3, 0.2, 0.1],
            "treatment": [1, 0, 1, 0],
            **kwargs,
        }
        positional = [arguments.pop(name) for name in ("y_true", "uplift", "treatment")]
        with pytest.raises(ValueError, match=re.escape(message)):
            function(*positional, **arguments)


def _campaign(rng, n):
    # Persuadables are the customers with score > 0.7: contact lifts retention by 0.3.
    treatment = rng.integers(0, 2, n)
    score = rng.random(n)
    y = (rng.random(n) < 0.6 + 0.3 * treatment * (score > 0.7)).astype(int)
    return y, score, treatment


def test_mpu_interval_brackets_the_estimate_and_is_reproducible():
    # Large enough for the upward bias of a maximum to be small (see the docstring).
    y, score, treatment = _campaign(np.random.default_rng(1), 20000)
    mpu = max_profit_uplift_ci(y, score, treatment, random_state=0)
    assert isinstance(mpu, Interval)
    assert mpu.estimate == max_profit_uplift(y, score, treatment).profit
    assert mpu.low < mpu.estimate < mpu.high
    assert max_profit_uplift_ci(y, score, treatment, random_state=0) == mpu
    # The population optimum: contact the 30% persuadable-rich top, where the uplift is 0.3
    # and retention 0.9 when treated: 0.3 * (200 * 0.3 - 1 - 10 * 0.9) = 15 per customer.
    assert mpu.low < 15.0 < mpu.high


def test_mpu_interval_narrows_with_more_data():
    rng = np.random.default_rng(2)
    small = max_profit_uplift_ci(*_campaign(rng, 1000), random_state=0)
    large = max_profit_uplift_ci(*_campaign(rng, 16000), random_state=0)
    # Width scales like 1 / sqrt(n): 16 times the data, about a quarter of the width.
    assert large.width < 0.5 * small.width


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_bootstraps": 0}, "n_bootstraps must be a positive integer; got 0"),
        ({"n_bootstraps": 2.5}, "n_bootstraps must be a positive integer; got 2.5"),
        ({"confidence_level": 1.0}, _MSG_LEVEL.format(value=1.0)),
        ({"confidence_level": 95}, _MSG_LEVEL.format(value=95)),
        ({"random_state": "seed"}, "random_state must be None, an integer, a numpy Generator"),
    ],
)
def test_mpu_interval_bad_input_messages(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        max_profit_uplift_ci([1, 0, 0, 1], [0.4, 0.3, 0.2, 0.1], [1, 0, 1, 0], **kwargs)


def test_liftup_bad_input_message():
    with pytest.raises(ValueError, match="uplift contains NaN at position 1"):
        liftup_curve([1, 0], [0.1, np.nan], [1, 0])


def test_display_from_predictions(pyplot):
    display = LiftupCurveDisplay.from_predictions(Y, SCORE, TREATMENT, name="uplift model")
    fraction, liftup = liftup_curve(Y, SCORE, TREATMENT)
    np.testing.assert_allclose(display.line_.get_xdata(), fraction)
    np.testing.assert_allclose(display.line_.get_ydata(), liftup)
    assert display.line_.get_label() == "uplift model"
    np.testing.assert_allclose(display.random_line_.get_ydata(), [1.0, 1.0])
    assert display.ax_.get_xlabel() == "Fraction targeted"
    assert "Liftup" in display.ax_.get_ylabel()
    assert display.figure_ is display.ax_.figure

    # A second model on the same axes.
    churn = LiftupCurveDisplay.from_predictions(
        Y, -SCORE, TREATMENT, name="churn model", ax=display.ax_, plot_random=False
    )
    assert churn.ax_ is display.ax_
    assert churn.random_line_ is None
    labels = [line.get_label() for line in display.ax_.get_lines()]
    assert labels == ["uplift model", "random", "churn model"]


def test_display_from_estimator(pyplot):
    class FixedScore:
        def predict(self, X):
            return np.asarray(X)[:, 0]

    X = SCORE.reshape(-1, 1)
    display = LiftupCurveDisplay.from_estimator(FixedScore(), X, Y, TREATMENT)
    assert display.line_.get_label() == "FixedScore"
    np.testing.assert_allclose(display.liftup, [3.0, 3.0, 3.0, 2.0, 1.0])
