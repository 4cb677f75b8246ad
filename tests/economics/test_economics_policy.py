"""policy_profit: the profit of multi-arm policies measured on a randomized experiment."""

import re

import numpy as np
import pytest

from actionable.economics import CostModel, PolicyProfits, policy_profit


def test_matches_the_formula_on_a_small_experiment():
    # arms: control "c", offers "a" and "b"
    y = np.array([1, 0, 1, 1, 0, 1, 0, 0, 1])
    arm = np.array(["a", "a", "a", "b", "b", "b", "c", "c", "c"])
    policy = np.array(["a", "c", "b", "b", "b", "c", "a", "c", "b"])
    costs = CostModel(10.0, cost_per_contact=1.0, incentive_cost=2.0, incentive_paid="on_success")
    result = policy_profit(
        y, arm, {"p": policy}, cost_model=costs, control_label="c", n_bootstraps=5,
        random_state=0,
    )
    money = np.where(arm == "c", 10.0 * y, 10.0 * y - 1.0 - 2.0 * y)
    follows = policy == arm
    expected = (
        (money * follows)[arm == "a"].mean()
        + (money * follows)[arm == "b"].mean()
        - (money * (policy != "c"))[arm == "c"].mean()
    )
    assert result.profit[0] == pytest.approx(expected, abs=1e-12)
    assert result.contacted[0] == pytest.approx(6 / 9)
    assert isinstance(result, PolicyProfits)


def test_contacting_nobody_is_worth_exactly_zero():
    rng = np.random.default_rng(0)
    arm = rng.integers(0, 2, 500)
    y = rng.integers(0, 2, 500)
    result = policy_profit(
        y, arm, {"nobody": np.zeros(500, dtype=int)}, cost_model=CostModel(5.0, 1.0),
        n_bootstraps=50, random_state=0,
    )
    assert result.profit[0] == 0.0
    assert np.all(result.replicates == 0.0)
    assert result.contacted[0] == 0.0


def test_unbiased_over_re_randomizations_against_the_truth():
    # A fixed population with known potential outcomes; only the assignment is redrawn.
    rng = np.random.default_rng(1)
    n = 3000
    x = rng.normal(size=n)
    y0 = (rng.random(n) < 0.3).astype(float)
    y1_mail = np.maximum(y0, rng.random(n) < 0.25 * (x > 0))  # persuadable where x > 0
    y1_call = np.maximum(y0, rng.random(n) < 0.10)
    costs = {"mail": CostModel(20.0, cost_per_contact=1.0), "call": CostModel(20.0, 3.0)}
    policy = np.where(x > 0.5, "mail", np.where(x < -1.0, "call", "none"))
    truth = np.mean(
        np.where(policy == "mail", 20.0 * (y1_mail - y0) - 1.0, 0.0)
        + np.where(policy == "call", 20.0 * (y1_call - y0) - 3.0, 0.0)
    )
    estimates = []
    for seed in range(200):
        arm = np.random.default_rng(seed).choice(["none", "mail", "call"], n, p=[0.5, 0.3, 0.2])
        y = np.select([arm == "mail", arm == "call"], [y1_mail, y1_call], y0)
        result = policy_profit(
            y, arm, {"p": policy}, cost_model=costs, control_label="none", n_bootstraps=1,
            random_state=seed,
        )
        estimates.append(result.profit[0])
    estimates = np.asarray(estimates)
    standard_error = estimates.std(ddof=1) / np.sqrt(estimates.size)
    assert abs(estimates.mean() - truth) < 3.5 * standard_error
    assert truth > 0.5  # the test has a real effect to find


def test_intervals_and_paired_differences():
    rng = np.random.default_rng(2)
    n = 20_000
    arm = rng.choice(["none", "mens", "womens"], n)
    x = rng.normal(size=n)
    y = rng.random(n) < 0.10 + 0.06 * (arm == "womens") * (x > 0)
    policies = {
        "womens where x > 0": np.where(x > 0, "womens", "none"),
        "womens to all": np.full(n, "womens"),
        "mens to all": np.full(n, "mens"),
    }
    result = policy_profit(
        y, arm, policies, cost_model=CostModel(10.0, 0.2), control_label="none",
        n_bootstraps=300, random_state=0,
    )
    assert np.all(result.low <= result.profit)
    assert np.all(result.profit <= result.high)
    assert result.replicates.shape == (300, 3)
    better = result.difference("womens where x > 0", "womens to all")
    # targeting only x > 0 saves the 0.2 contacts wasted on x <= 0: about +0.1 per customer
    assert better.low > 0
    assert better.estimate == pytest.approx(result.profit[0] - result.profit[1])
    same = result.difference("mens to all", "mens to all")
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)
    table = result.to_frame(per=1000)
    assert table.index.tolist() == list(policies)
    np.testing.assert_allclose(table["profit"], 1000 * result.profit)
    # same seed, same replicates
    again = policy_profit(
        y, arm, policies, cost_model=CostModel(10.0, 0.2), control_label="none",
        n_bootstraps=300, random_state=0,
    )
    np.testing.assert_array_equal(again.replicates, result.replicates)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"policies": {"p": ["a", "z", "c"]}}, "policy 'p' assigns action 'z' at position 1"),
        ({"policies": {"p": ["a", "c"]}}, "policy 'p' has 2 actions for 3 rows."),
        ({"policies": ["a", "c", "c"]}, "policies must be a dict of name -> array of actions"),
        ({"control_label": "none"}, "treatment has no control rows (value 'none')"),
        ({"treatment": ["c", "c", "c"]}, "treatment has only control rows"),
        ({"cost_model": 3.0}, "cost_model must be a CostModel or a dict of arm -> CostModel"),
        ({"cost_model": {"b": CostModel(1.0)}}, "cost_model has no CostModel for arm 'a'."),
        (
            {
                "treatment": ["a", "b", "c"],
                "cost_model": {"a": CostModel(1.0), "b": CostModel(2.0)},
            },
            "every arm's CostModel must value a success the same",
        ),
        ({"confidence_level": 95}, "confidence_level must be a number strictly between 0 and 1"),
        ({"treatment": ["a", "c"]}, "Inconsistent numbers of samples: y_true=3, treatment=2."),
    ],
)
def test_bad_input_messages(change, message):
    arguments = {
        "y_true": [1, 0, 1],
        "treatment": ["a", "c", "c"],
        "policies": {"p": ["a", "a", "c"]},
        "cost_model": CostModel(1.0),
        "control_label": "c",
    }
    arguments.update(change)
    y, t, policies = (arguments.pop(k) for k in ("y_true", "treatment", "policies"))
    with pytest.raises(ValueError, match=re.escape(message)):
        policy_profit(y, t, policies, n_bootstraps=2, **arguments)


def test_unknown_policy_name_in_difference():
    result = policy_profit(
        [1, 0, 1, 0], [1, 1, 0, 0], {"all": [1, 1, 1, 1]}, cost_model=CostModel(1.0),
        n_bootstraps=2, random_state=0,
    )
    message = "no policy named 'none'; the policies: ['all']"
    with pytest.raises(ValueError, match=re.escape(message)):
        result.difference("all", "none")
