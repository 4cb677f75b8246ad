"""Monitoring statistics: Newcombe interval, holdout size, PSI, alerts."""

import json

import numpy as np
import pandas as pd
import pytest

from actionable.economics import CostModel
from actionable.production import (
    DriftReference,
    difference_of_proportions_interval,
    holdout_size,
    monitor_batch,
    population_stability_index,
)


def test_newcombe_interval_published_values():
    # Newcombe (1998), Table II, method 10: 56/70 - 48/80 and 9/10 - 3/10.
    ci = difference_of_proportions_interval(56, 70, 48, 80)
    assert (round(ci.low, 4), round(ci.high, 4)) == (0.0524, 0.3339)
    assert (ci.confidence_level, ci.method) == (0.95, "Newcombe")
    ci = difference_of_proportions_interval(9, 10, 3, 10)
    assert (round(ci.low, 4), round(ci.high, 4)) == (0.1705, 0.8090)


def test_newcombe_interval_coverage(rng):
    p_treated, p_control, n = 0.12, 0.08, 400
    covered = 0
    n_trials = 2000
    successes_treated = rng.binomial(n, p_treated, n_trials)
    successes_control = rng.binomial(n, p_control, n_trials)
    for x_t, x_c in zip(successes_treated, successes_control, strict=True):
        ci = difference_of_proportions_interval(x_t, n, x_c, n)
        covered += ci.low <= p_treated - p_control <= ci.high
    assert 0.93 <= covered / n_trials <= 0.97


def test_newcombe_interval_needs_both_groups():
    with pytest.raises(ValueError, match="n_control=0"):
        difference_of_proportions_interval(3, 10, 0, 0)


def test_holdout_size_gives_the_requested_power(rng):
    p_control, uplift = 0.2, 0.04
    n = holdout_size(p_control, p_control + uplift, detectable_uplift=uplift)
    rejections = 0
    n_trials = 2000
    successes_treated = rng.binomial(n, p_control + uplift, n_trials)
    successes_control = rng.binomial(n, p_control, n_trials)
    for x_t, x_c in zip(successes_treated, successes_control, strict=True):
        rejections += difference_of_proportions_interval(x_t, n, x_c, n).low > 0
    assert 0.76 <= rejections / n_trials <= 0.84


def test_holdout_size_with_fixed_treated_rows():
    equal = holdout_size(0.3, 0.35, detectable_uplift=0.05)
    # many treated rows: fewer controls than equal allocation, but never below the limit
    many = holdout_size(0.3, 0.35, detectable_uplift=0.05, n_treated=100_000)
    assert many < equal
    assert holdout_size(0.3, 0.35, detectable_uplift=0.05, n_treated=equal) == equal
    assert holdout_size(0.3, 0.35, detectable_uplift=0.05, n_treated=100) is None
    with pytest.raises(ValueError, match="detectable_uplift=0"):
        holdout_size(0.3, 0.35, detectable_uplift=0)


def test_psi_properties():
    assert population_stability_index([1, 2, 3], [2, 4, 6]) == 0.0
    expected, actual = np.array([0.2, 0.3, 0.5]), np.array([0.4, 0.4, 0.2])
    by_hand = float(np.sum((actual - expected) * np.log(actual / expected)))
    assert population_stability_index(expected, actual) == pytest.approx(by_hand)
    # symmetric, and finite with an empty bin
    assert population_stability_index(actual, expected) == pytest.approx(by_hand)
    assert np.isfinite(population_stability_index([0.5, 0.5, 0.0], [0.4, 0.4, 0.2]))
    with pytest.raises(ValueError, match="same bins"):
        population_stability_index([0.5, 0.5], [1.0])


def test_drift_reference_numeric_categorical_missing(rng):
    n = 20_000
    train = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "flag": rng.integers(0, 2, n),
            "plan": rng.choice(["basic", "pro"], n),
        }
    )
    score = rng.normal(size=n)
    reference = DriftReference.from_frame(train, score=score, uplift=score)
    assert len(reference.features["flag"]["edges"]) == 2  # binary: merged deciles
    reference = DriftReference.from_dict(json.loads(json.dumps(reference.to_dict())))
    same = pd.DataFrame(
        {
            "x": rng.normal(size=5000),
            "flag": rng.integers(0, 2, 5000),
            "plan": rng.choice(["basic", "pro"], 5000),
        }
    )
    drift = reference.psi(same)
    assert max(drift.values()) < 0.02
    assert reference.uplift_psi(rng.normal(size=5000)) < 0.02
    shifted = same.assign(
        x=same["x"] + 3.0,
        plan=np.where(rng.random(5000) < 0.5, "gold", same["plan"]),
        flag=np.where(rng.random(5000) < 0.5, np.nan, same["flag"]),
    )
    drift = reference.psi(shifted)
    assert drift["x"] > 0.25
    assert drift["plan"] > 0.25
    assert drift["flag"] > 0.25
    assert reference.uplift_psi(rng.normal(3.0, 1.0, 5000)) > 0.25


def _batch(rng, n, p_control, uplift):
    treatment = rng.integers(0, 2, n)
    y = rng.random(n) < p_control + uplift * treatment
    return y, treatment


def test_monitor_healthy_batch(rng):
    y, treatment = _batch(rng, 20_000, 0.6, 0.06)
    result = monitor_batch(y, treatment, np.full(20_000, 0.06))
    assert result.alerts == []
    assert result.ci_low < 0.06 < result.ci_high
    interval = result.realized_uplift_interval
    assert (interval.estimate, interval.low, interval.high) == (
        result.realized_uplift,
        result.ci_low,
        result.ci_high,
    )
    assert (interval.confidence_level, interval.method) == (0.95, "Newcombe")
    document = result.to_dict()
    assert list(document)[:7] == [
        "n",
        "realized_uplift",
        "ci_low",
        "ci_high",
        "expected_uplift",
        "drift",
        "alerts",
    ]
    assert document["n"] == 20_000
    json.dumps(document, allow_nan=False)


def test_monitor_harmful_and_underperforming_batches(rng):
    y, treatment = _batch(rng, 20_000, 0.6, -0.05)
    result = monitor_batch(y, treatment, np.full(20_000, 0.06))
    assert result.ci_high < 0
    assert any(alert.startswith("treatment harms") for alert in result.alerts)
    y, treatment = _batch(rng, 20_000, 0.6, 0.01)
    result = monitor_batch(y, treatment, np.full(20_000, 0.06))
    assert result.ci_low > 0
    assert [a for a in result.alerts if "significantly below the expected +0.0600" in a]


def test_monitor_too_few_controls_says_how_many(rng):
    n = 5000
    treatment = (rng.random(n) < 0.99).astype(int)
    y = rng.random(n) < 0.6 + 0.06 * treatment
    result = monitor_batch(y, treatment, np.full(n, 0.06))
    needed = result.holdout["control_rows_needed"]
    assert result.n_control < needed
    alert = [a for a in result.alerts if a.startswith("too few control rows")]
    assert alert
    assert f"{needed:,}" in alert[0]


def test_monitor_requires_a_control_group():
    with pytest.raises(ValueError, match="no control rows"):
        monitor_batch([1, 0, 1], [1, 1, 1], [0.1, 0.1, 0.1])
    message = "y_true must contain only 0 and 1 .*got value 2 at position 1"
    with pytest.raises(ValueError, match=message):
        monitor_batch([1, 2, 1], [1, 0, 1], [0.1, 0.1, 0.1], outcome_type="binary")
    with pytest.raises(ValueError, match="y_control has 1 row"):  # continuous: Welch needs two
        monitor_batch([1, 2, 1], [1, 0, 1], [0.1, 0.1, 0.1])


def test_expected_uplift_uncertainty_widens_the_comparison(rng):
    y, treatment = _batch(rng, 40_000, 0.6, 0.05)
    expected = np.full(40_000, 0.07)
    strict = monitor_batch(y, treatment, expected)
    assert [a for a in strict.alerts if "significantly below the expected" in a]
    # a model trained on a small experiment expects 0.07 +- 0.01: not significant any more
    lenient = monitor_batch(y, treatment, expected, expected_uplift_se=0.015)
    assert not [a for a in lenient.alerts if "significantly below the expected" in a]
    assert lenient.to_dict()["expected_uplift_se"] == 0.015
    with pytest.raises(ValueError, match="expected_uplift_se=-1"):
        monitor_batch(y, treatment, expected, expected_uplift_se=-1)


def test_expected_profit_does_not_depend_on_the_realized_outcomes():
    """With the incentive paid on success, the promise is priced on the successes it
    promises (control rate plus expected uplift), not on those the batch realized."""
    costs = CostModel(200.0, 10.0, 50.0, incentive_paid="on_success")
    treatment = np.r_[np.ones(1000), np.zeros(1000)]
    uplift = np.full(2000, 0.5)
    as_promised = np.r_[np.ones(600), np.zeros(400), np.ones(100), np.zeros(900)]
    broken = np.r_[np.ones(100), np.zeros(900), np.ones(100), np.zeros(900)]
    kept = monitor_batch(as_promised, treatment, uplift, cost_model=costs).money
    lost = monitor_batch(broken, treatment, uplift, cost_model=costs).money
    assert kept["expected_profit"] == lost["expected_profit"]
    # when the batch realizes exactly the promise, expected and realized profit agree:
    # 1,000 calls x (0.5 x $200 - $10) - 600 successes x $50
    assert kept["expected_profit"] == kept["profit"] == 60_000.0
    assert lost["profit"] < lost["expected_profit"]
