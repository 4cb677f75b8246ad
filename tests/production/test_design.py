"""Pilot design: (a) against simulated z-tests, (b) against an independent simulation, (c), cost.

Every expected value is computed here from first principles (a simulation, a hand formula,
the world's ground truth), never copied from a run of ``design_pilot``.
"""

import json
import math
from statistics import NormalDist

import numpy as np
import pytest

from actionable._format import money
from actionable.cli import main
from actionable.datasets import make_churn
from actionable.economics import CostModel
from actionable.models import TLearner
from actionable.production import PilotDesign, describe_pilot, design_pilot, holdout_size

N_TESTS = 40_000  # simulated z-tests per setting: the power's standard error is <= 0.0025
# The formula is a normal approximation: at these sizes its power is off by less than
# 0.004 (measured with 40,000 tests per setting); we allow 0.005 on top of the sampling error.
APPROXIMATION = 0.005


def _empirical_power(n, p_control, p_treated, confidence_level, rng):
    """Share of two-sided Wald z-tests (unpooled variance) rejecting 'no uplift'."""
    treated = rng.binomial(n, p_treated, N_TESTS) / n
    control = rng.binomial(n, p_control, N_TESTS) / n
    se = np.sqrt(treated * (1 - treated) / n + control * (1 - control) / n)
    z = np.divide(treated - control, se, out=np.zeros(N_TESTS), where=se > 0)
    return float(np.mean(np.abs(z) > NormalDist().inv_cdf(0.5 + confidence_level / 2)))


@pytest.mark.parametrize(
    ("base_rate", "min_uplift", "power", "confidence_level"),
    [(0.80, 0.03, 0.8, 0.95), (0.10, 0.05, 0.8, 0.95), (0.50, 0.02, 0.9, 0.95),
     (0.30, 0.05, 0.8, 0.90)],
)  # fmt: skip
def test_detection_size_has_the_nominal_power_in_simulated_tests(
    base_rate, min_uplift, power, confidence_level
):
    design = design_pilot(
        base_rate, min_uplift, 10**7, power=power, confidence_level=confidence_level,
        n_simulations=0,
    )  # fmt: skip
    n = design.detect_per_arm
    rng = np.random.default_rng(0)
    tolerance = 4 * math.sqrt(power * (1 - power) / N_TESTS) + APPROXIMATION
    observed = _empirical_power(n, base_rate, base_rate + min_uplift, confidence_level, rng)
    assert abs(observed - power) < tolerance
    # the size is not generous: a fifth fewer rows per arm loses power visibly
    smaller = _empirical_power(int(0.8 * n), base_rate, base_rate + min_uplift,
                               confidence_level, rng)  # fmt: skip
    assert smaller < power - tolerance
    # and the test keeps its level: under no uplift it rejects about 1 - confidence_level
    alpha = 1 - confidence_level
    null = _empirical_power(n, base_rate, base_rate, confidence_level, rng)
    assert abs(null - alpha) < 4 * math.sqrt(alpha * (1 - alpha) / N_TESTS) + APPROXIMATION


@pytest.mark.parametrize(
    ("costs", "campaign"),
    [(None, 30_000), (CostModel(100.0, capacity=5_000), 5_000),
     (CostModel(100.0, capacity=0.1), 10_000)],
)  # fmt: skip
def test_monitoring_holdout_is_holdout_size_for_the_campaign(costs, campaign):
    design = design_pilot(0.6, 0.04, 100_000, costs=costs, power=0.9, n_simulations=0)
    assert design.campaign_size == campaign
    assert design.holdout == holdout_size(
        0.6, 0.64, detectable_uplift=0.04, n_treated=campaign, power=0.9
    )
    assert design.detect_per_arm == holdout_size(0.6, 0.64, detectable_uplift=0.04, power=0.9)


def test_a_campaign_too_small_for_any_holdout_says_so():
    design = design_pilot(0.5, 0.01, 1000, treated_share=0.1, n_simulations=0)
    assert design.holdout is None
    assert any("too small for any holdout" in note for note in design.notes)
    assert any("larger than the population" in note for note in design.notes)
    assert "no holdout is enough" in describe_pilot(design)


@pytest.mark.parametrize("paid", ["on_success", "on_contact"])
def test_cost_of_the_pilot_by_hand(paid):
    costs = CostModel(100.0, cost_per_contact=2.0, incentive_cost=10.0, incentive_paid=paid)
    design = design_pilot(0.5, 0.1, 100_000, costs=costs, n_simulations=0)
    n = design.pilot_per_arm
    assert n == design.detect_per_arm  # nothing simulated: the pilot is sized by (a)
    # the treated arm: n calls at $2; the $10 offer goes to the 60% who end favourable
    # (base rate 0.5 + uplift 0.1), or to all n; the control arm costs nothing
    paid_to = 0.6 * n if paid == "on_success" else n
    assert design.spend == pytest.approx(2.0 * n + 10.0 * paid_to)
    assert design.value == pytest.approx(100.0 * 0.1 * n)  # 0.1 n extra successes at $100
    assert design.net_cost == pytest.approx(design.spend - design.value)
    assert "net cost " + money(design.net_cost) in describe_pilot(design)


def test_without_costs_the_pilot_is_in_rows_only():
    design = design_pilot(0.5, 0.1, 100_000, n_simulations=0, costs={"capacity": None})
    assert design.costs is None
    assert (design.spend, design.value, design.net_cost) == (None, None, None)
    assert "rows only" in describe_pilot(design)
    assert design.pilot_rows == 2 * design.detect_per_arm


def test_the_simulated_world_has_the_base_rate_and_the_uplift():
    design = design_pilot(0.8, 0.03, 100_000, n_simulations=0)
    world = make_churn(100_000, **design.world, random_state=123)
    base, uplift = float(np.mean(world.y0)), float(np.mean(world.y1 - world.y0))
    # 100,000 customers: standard errors 0.0013 (base rate) and under 0.0009 (uplift)
    assert base == pytest.approx(0.8, abs=0.005)
    assert uplift == pytest.approx(0.03, abs=0.004)
    mix = design.world["type_mix"]
    assert mix["sleeping dog"] / mix["persuadable"] == pytest.approx(10 / 22)


# (b): the model must add 60% of perfect targeting's gain: a gradual requirement, so
# that the size before the one returned fails often, not always.
MODEL_SETTINGS = {"base_rate": 0.8, "min_uplift": 0.03, "population": 100_000,
                  "min_gain_share": 0.6}  # fmt: skip
MODEL_GRID = [400, 570, 800]
N_CHECKS = 20  # independent pilots per size


@pytest.fixture(scope="module")
def model_design():
    return design_pilot(**MODEL_SETTINGS, grid=MODEL_GRID, n_simulations=20, random_state=0)


def test_model_size_is_the_first_grid_size_reaching_the_target(model_design):
    design = model_design
    assert design.model_per_arm in MODEL_GRID
    tried = [point.n_per_arm for point in design.model_grid]
    assert tried == MODEL_GRID[: MODEL_GRID.index(design.model_per_arm) + 1]
    *before, last = design.model_grid
    assert last.probability >= design.success_probability
    assert last.low <= last.probability <= last.high
    assert all(point.probability < design.success_probability for point in before)
    assert before, "the first size of the grid should not be enough in this world"
    assert design.pilot_per_arm == max(design.detect_per_arm, design.model_per_arm)


def _independent_success_rate(n_per_arm, world, share, min_gain_share, seeds):
    """Pilots with other seeds, judged on another sample by its true effects (no costs)."""
    population = make_churn(20_000, **world, random_state=10**6 + 7)
    effect = population.true_effect  # P(persuadable | x) - P(sleeping dog | x)
    k = round(share * effect.size)
    random_gain = share * effect.sum()
    oracle_gain = np.sort(effect)[::-1][:k].sum() - random_gain
    wins = 0
    for seed in seeds:
        pilot = make_churn(2 * n_per_arm, **world, random_state=seed)
        model = TLearner(random_state=seed).fit(pilot.X, pilot.y, pilot.treatment)
        top = np.argsort(-model.predict(population.X), kind="stable")[:k]
        wins += effect[top].sum() - random_gain > min_gain_share * oracle_gain
    return wins / len(seeds)


@pytest.mark.slow
def test_model_size_agrees_with_an_independent_simulation(model_design):
    design = model_design
    share = design.campaign_size / design.population
    target = design.success_probability
    margin = 2 * math.sqrt(target * (1 - target) / N_CHECKS)  # two standard errors: 0.18
    seeds = range(5000, 5000 + N_CHECKS)
    found = _independent_success_rate(
        design.model_per_arm, design.world, share, MODEL_SETTINGS["min_gain_share"], seeds
    )
    assert found >= target - margin
    previous = design.model_grid[-2].n_per_arm
    assert (
        _independent_success_rate(
            previous, design.world, share, MODEL_SETTINGS["min_gain_share"], seeds
        )
        < target + margin
    )


@pytest.mark.slow
def test_a_larger_uplift_needs_a_smaller_model_pilot():
    settings = {"base_rate": 0.8, "population": 100_000, "min_gain_share": 0.5,
                "grid": [400, 800], "n_simulations": 20}  # fmt: skip
    small = design_pilot(min_uplift=0.02, **settings)
    large = design_pilot(min_uplift=0.06, **settings)
    assert large.model_per_arm is not None
    assert small.model_per_arm is not None
    assert large.model_per_arm < small.model_per_arm
    assert large.detect_per_arm < small.detect_per_arm


def test_no_grid_size_reaching_the_target_is_reported():
    design = design_pilot(0.8, 0.03, 100_000, grid=[100, 140], n_simulations=10)
    assert design.model_per_arm is None
    assert [point.successes for point in design.model_grid] == [0, 0]  # constant models
    assert design.pilot_per_arm == design.detect_per_arm
    assert any("no pilot of up to 140 per arm" in note for note in design.notes)
    assert "not reached up to 140 per arm" in describe_pilot(design)


def test_grid_sizes_beyond_half_the_population_are_not_simulated():
    design = design_pilot(0.8, 0.03, 500, grid=[300, 400], n_simulations=10)
    assert design.model_grid == ()
    assert any("exceeds the population" in note for note in design.notes)


def test_to_dict_is_json_and_matches_the_design(model_design):
    document = json.loads(json.dumps(model_design.to_dict()))
    assert document["model_per_arm"] == model_design.model_per_arm
    assert [point["n_per_arm"] for point in document["model_grid"]] == [
        point.n_per_arm for point in model_design.model_grid
    ]
    assert document["pilot_rows"] == 2 * model_design.pilot_per_arm
    assert isinstance(model_design, PilotDesign)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"base_rate": 1.2}, "base_rate"),
        ({"base_rate": 0}, "base_rate"),
        ({"min_uplift": -0.01}, "min_uplift"),
        ({"min_uplift": 0.25}, "min_uplift"),  # 0.8 + 0.25 is not a rate
        ({"min_uplift": 0.15}, "min_uplift"),  # more persuadables than unfavourable outcomes
        ({"population": 0}, "population"),
        ({"population": 1000.5}, "population"),
        ({"power": 1.0}, "power"),
        ({"confidence_level": 0}, "confidence_level"),
        ({"success_probability": 1.5}, "success_probability"),
        ({"min_gain_share": 1.0}, "min_gain_share"),
        ({"treated_share": 0.0}, "treated_share"),
        ({"n_simulations": -1}, "n_simulations"),
        ({"grid": [400, 200]}, "grid"),
        ({"grid": [0, 200]}, "grid"),
        ({"sleeping_dog_ratio": 1.0}, "sleeping_dog_ratio"),
        ({"sleeping_dog_ratio": 0.0}, "sleeping_dog_ratio"),
        ({"base_rate": 0.02, "min_uplift": 0.05}, "min_uplift"),  # more dogs than favourable
        ({"sharpness": -1.0}, "sharpness"),
        ({"risk_alignment": 2.0}, "risk_alignment"),
        ({"costs": "cheap"}, "costs"),
        ({"costs": {"cost_per_contact": 1.0, "value_per_success": None}}, "value_per_success"),
        ({"costs": CostModel(1.0, capacity=200_000)}, "capacity"),
    ],
)
def test_bad_input_is_one_line_naming_the_parameter(kwargs, name):
    arguments = {"base_rate": 0.8, "min_uplift": 0.03, "population": 100_000,
                 "n_simulations": 0, **kwargs}  # fmt: skip
    with pytest.raises(ValueError, match=f"`{name}`") as error:
        design_pilot(**arguments)
    assert "\n" not in str(error.value)


COST_FLAGS = ["--value-per-success", "200", "--cost-per-contact", "10", "--incentive-cost", "50",
              "--incentive-paid", "on_success"]  # fmt: skip


def test_cli_design_prints_the_sizes_and_cost_and_writes_json(tmp_path, capsys):
    out = tmp_path / "pilot.json"
    argv = ["design", "--base-rate", "0.8", "--min-uplift", "0.03", "--population", "100000",
            *COST_FLAGS, "--simulations", "10", "--seed", "3", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    detect = holdout_size(0.8, 0.83, detectable_uplift=0.03)
    holdout = holdout_size(0.8, 0.83, detectable_uplift=0.03, n_treated=30_000)
    headline = f"(a) detect the average uplift (two-sided test at 5%, power 80%): {detect:,} "
    assert headline + "treated" in captured.out
    assert f"(c) monitor a campaign of 30,000 contacts: {holdout:,} control" in captured.out
    document = json.loads(out.read_text())
    assert document["detect_per_arm"] == detect
    assert document["holdout"] == holdout
    n = document["pilot_per_arm"]
    net = 10 * n + 50 * 0.83 * n - 200 * 0.03 * n  # by hand: calls, offers, value
    assert document["net_cost"] == pytest.approx(net)
    assert f"net cost {money(net)}" in captured.out
    assert document["costs"]["incentive_paid"] == "on_success"
    assert f"wrote {out}" in captured.out
    # progress (not --quiet): one line per pilot size tried, on stderr
    assert len(document["model_grid"]) == captured.err.count("simulated pilots succeeded")


def test_cli_design_without_costs_quiet(capsys):
    argv = ["design", "--base-rate", "0.1", "--min-uplift", "0.05", "--population", "50000",
            "--simulations", "0", "--quiet"]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "683 treated + 683 control" in captured.out  # holdout_size's docstring example
    assert "rows only" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--base-rate", "1.5"], "--base-rate=1.5"),
        (["--cost-per-contact", "10"], "--value-per-success"),
        (["--capacity", "200000", "--value-per-success", "10"], "--capacity"),
    ],
)
def test_cli_design_bad_input_names_the_option(extra, message, capsys):
    argv = ["design", "--base-rate", "0.8", "--min-uplift", "0.03", "--population", "100000",
            "--simulations", "0", "--quiet", *extra]  # fmt: skip
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert error.startswith("actionable design: error:")
    assert message in error
    assert error.count("\n") == 1
