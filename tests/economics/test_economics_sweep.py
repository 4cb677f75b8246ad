"""break_even_sweep: best profit over a grid of values and costs, and break-even values."""

import re

import numpy as np
import pandas as pd
import pytest

from actionable.economics import (
    CostModel,
    best_targeting,
    best_targeting_from_truth,
    break_even_sweep,
    break_even_sweep_from_truth,
)


def _experiment(rng, n_samples=3000):
    x = rng.random(n_samples)
    p0 = 0.7 - 0.5 * x
    effect = np.where(x < 0.3, 0.3, 0.0) - 0.02
    u = rng.random(n_samples)
    y0 = (u < p0).astype(float)
    y1 = (u < p0 + effect).astype(float)
    treatment = (rng.random(n_samples) < 0.5).astype(float)
    y = np.where(treatment == 1, y1, y0)
    scores = {
        "uplift": effect + 0.1 * rng.standard_normal(n_samples),
        "churn risk": 1 - p0 + 0.1 * rng.standard_normal(n_samples),
    }
    return y0, y1, y, treatment, scores


def test_shape_and_columns(rng):
    _, _, y, treatment, scores = _experiment(rng, 500)
    table = break_even_sweep(
        y,
        scores,
        treatment,
        cost_model=CostModel(10, 1),
        value_per_success=[5, 10, 20],
        cost_per_contact=[0.5, 1.0],
    )
    assert list(table.columns) == [
        "policy",
        "value_per_success",
        "cost_per_contact",
        "incentive_cost",
        "best_profit",
        "best_n_targeted",
        "best_fraction",
        "best_threshold",
        "break_even_value",
        "pays",
    ]
    assert len(table) == 3 * 3 * 2
    assert set(table["policy"]) == {"uplift", "churn risk", "random"}
    assert set(table["incentive_cost"]) == {0.0}
    assert (table["best_profit"] >= 0).all()
    assert table["pays"].dtype == bool


def test_each_row_is_best_targeting(rng):
    y0, y1, y, treatment, scores = _experiment(rng, 800)
    base = CostModel(10, 1, 2, incentive_paid="on_success", capacity=0.2)
    table = break_even_sweep(
        y,
        scores,
        treatment,
        cost_model=base,
        value_per_success=[4.0, 30.0],
        incentive_cost=[0.0, 3.0],
        include_random=False,
    )
    for row in table.itertuples():
        costs = base.replace(
            value_per_success=row.value_per_success, incentive_cost=row.incentive_cost
        )
        expected = best_targeting(
            y, scores[row.policy], treatment, cost_model=costs, n_bootstraps=None
        )
        assert row.best_profit == pytest.approx(expected.profit)
        assert row.best_n_targeted == expected.n_targeted
        assert row.best_fraction == pytest.approx(expected.fraction)
    truth_table = break_even_sweep_from_truth(
        y0, y1, scores, cost_model=base, value_per_success=[4.0, 30.0], include_random=False
    )
    for row in truth_table.itertuples():
        costs = base.replace(value_per_success=row.value_per_success)
        expected = best_targeting_from_truth(y0, y1, scores[row.policy], cost_model=costs)
        assert row.best_profit == pytest.approx(expected.profit)


def test_break_even_value_separates_paying_from_losing(rng):
    y0, y1, _, _, scores = _experiment(rng, 2000)
    base = CostModel(1.0, cost_per_contact=3.0, incentive_cost=4.0, incentive_paid="on_success")
    table = break_even_sweep_from_truth(y0, y1, scores, cost_model=base)
    for policy, rows in table.groupby("policy", sort=False):
        value = rows["break_even_value"].iloc[0]
        if not np.isfinite(value):
            continue
        policy_scores = (
            {"uplift": scores["uplift"]} if policy == "random" else {policy: scores[policy]}
        )
        grid = break_even_sweep_from_truth(
            y0, y1, policy_scores, cost_model=base, value_per_success=[value * 0.98, value * 1.02]
        )
        grid = grid[grid["policy"] == policy]
        assert grid["pays"].tolist() == [False, True], policy


def test_break_even_by_hand():
    # persuadable, sure thing, lost cause; incentive 5 paid on success, contact costs 1
    y0 = [0, 1, 0]
    y1 = [1, 1, 0]
    costs = CostModel(1.0, 1.0, 5.0, incentive_paid="on_success")
    table = break_even_sweep_from_truth(
        y0, y1, {"good": [3, 2, 1], "bad": [1, 2, 3]}, cost_model=costs
    )
    break_even = table.groupby("policy")["break_even_value"].first()
    # good: first person alone: spend 1 + 5 = 6 for 1 incremental success
    assert break_even["good"] == pytest.approx(6.0)
    # bad ranks the lost cause first: best is contacting all three: spend 3 + 10 = 13
    assert break_even["bad"] == pytest.approx(13.0)
    # random: everyone, 13 for 1 success
    assert break_even["random"] == pytest.approx(13.0)


def test_policy_that_never_pays_has_infinite_break_even():
    table = break_even_sweep_from_truth(
        [1, 1], [1, 0], {"dogs": [2, 1]}, cost_model=CostModel(5.0, 1.0)
    )
    assert np.isinf(table["break_even_value"]).all()
    assert not table["pays"].any()


def test_uplift_beats_churn_risk_on_its_own_world(rng):
    _, _, y, treatment, scores = _experiment(rng, 6000)
    table = break_even_sweep(y, scores, treatment, cost_model=CostModel(20.0, 1.0))
    best = table.set_index("policy")["best_profit"]
    assert best["uplift"] > 2 * max(best["churn risk"], 1.0)
    break_even = table.set_index("policy")["break_even_value"]
    assert break_even["uplift"] < break_even["churn risk"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"scores": {}},
            "scores must be a non-empty dict mapping policy names to score arrays; "
            "got an empty dict.",
        ),
        (
            {"scores": [1, 2, 3]},
            "scores must be a non-empty dict mapping policy names to score arrays; got list.",
        ),
        ({"scores": {"random": [1, 2, 3]}}, "scores may not contain a policy named 'random'"),
        ({"cost_per_contact": [1.0, -1.0]}, "cost_per_contact must be non-negative; got -1.0."),
        ({"value_per_success": [1.0, np.nan]}, "value_per_success contains NaN at position 1"),
        ({"cost_model": 3}, "cost_model must be a CostModel; got int."),
        ({"scores": {"a": [1, 2]}}, "Inconsistent numbers of samples: y_true=3, score=2"),
    ],
)
def test_bad_inputs(kwargs, message):
    arguments = {"scores": {"a": [3, 2, 1]}, "cost_model": CostModel(1.0)}
    arguments.update(kwargs)
    scores = arguments.pop("scores")
    with pytest.raises(ValueError, match=re.escape(message)):
        break_even_sweep([1, 0, 1], scores, [1, 0, 0], **arguments)


def test_returns_a_dataframe_with_scalar_grid():
    table = break_even_sweep(
        [1, 0, 1, 0],
        {"a": [4, 3, 2, 1]},
        [1, 0, 1, 0],
        cost_model=CostModel(1.0),
        value_per_success=3,
    )
    assert isinstance(table, pd.DataFrame)
    assert table["value_per_success"].tolist() == [3.0, 3.0]
