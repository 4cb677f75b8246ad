"""fit, target, evaluate and monitor on a continuous outcome (spend), from the command line.

The synthetic world: customers buy or not, and spend a gamma-distributed amount when
they do (most rows are 0: a zero-heavy outcome); the e-mail raises the chance of buying
by 25 points for customers with ``x1 > 0`` and does nothing for the others.
"""

import json

import numpy as np
import pandas as pd
import pytest

from actionable import production
from actionable.cli import main
from actionable.production import ColumnRoles, fit_model, load_model

N_TRAIN = 2000
N_BATCH = 3000
VALUE_PER_UNIT = 0.3
COST = 2.0


def _spend_frame(n, seed, *, effect=0.25, shift=0.0):
    """``shift`` is added to the outcome (a negative shift makes a negative outcome)."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.uniform(0, 10, n)
    treated = rng.integers(0, 2, n)
    buys = rng.random(n) < 0.25 + 0.05 * (x2 > 5) + treated * np.where(x1 > 0, effect, 0.0)
    amount = rng.gamma(2.0, 25.0, n) * (1 + 0.1 * x2)
    return pd.DataFrame(
        {
            "customer_id": np.arange(n) + 100_000 * seed,
            "x1": x1,
            "x2": x2,
            "plan": rng.choice(["basic", "plus", "pro"], n),
            "offer": np.where(treated == 1, "email", "none"),
            "spend": np.round(amount * buys, 2) + shift,
        }
    )


def _fit_args(data, out, *extra, costs=True):
    money = ["--value-per-unit", str(VALUE_PER_UNIT), "--cost-per-contact", str(COST)]
    return [
        "fit", str(data), "--treatment", "offer", "--treated", "email", "--outcome", "spend",
        "--id", "customer_id", "--out", str(out), "--quiet", *(money if costs else []), *extra,
    ]  # fmt: skip


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spend")
    train = _spend_frame(N_TRAIN, 0)
    train_path = folder / "train.csv"
    train.to_csv(train_path, index=False)
    model = folder / "model"
    assert main(_fit_args(train_path, model)) == 0
    return {"folder": folder, "train": train, "train_path": train_path, "model": model}


def _difference_in_means(frame):
    treated = frame["offer"] == "email"
    return frame.loc[treated, "spend"].mean() - frame.loc[~treated, "spend"].mean()


def test_the_world_is_zero_heavy():
    frame = _spend_frame(N_TRAIN, 0)
    assert 0.5 < float((frame["spend"] == 0).mean()) < 0.8
    assert frame["spend"].max() > 20 * frame["spend"].median() + 50


# ------------------------------------------------------------------------------- fit
def test_fit_records_a_continuous_outcome_and_its_value_per_unit(world, capsys):
    saved = load_model(world["model"])
    assert saved.roles.outcome_type == "continuous"
    assert saved.outcome_type == "continuous"
    assert saved.card.value_per_unit == VALUE_PER_UNIT
    assert saved.card.value_per_success is None
    assert saved.cost_model.outcome_value == VALUE_PER_UNIT
    assert saved.cost_model.incentive_paid == "on_contact"
    assert "continuous" in saved.card.outcome
    training = saved.documents["training"]
    assert training["outcome_type"] == "continuous"
    assert training["data"]["outcome_rate"] == pytest.approx(world["train"]["spend"].mean())
    assert training["data"]["uplift"] == pytest.approx(_difference_in_means(world["train"]))
    assert training["cross_validation"]["stratified_on"].startswith("treatment x (outcome")
    assert type(saved.outcome_model).__name__ == "OutcomeRegressor"
    assert saved.outcome_model.framing == "response"
    assert saved.uplift_model.outcome_type_ == "continuous"
    schema = json.loads((world["model"] / "schema.json").read_text())
    assert schema["roles"]["outcome_type"] == "continuous"
    toml = (world["model"] / "decision.toml").read_text()
    assert "value_per_unit = 0.3" in toml
    # the uplift is in dollars of spend: far beyond a probability's [-1, 1]
    uplift, _ = saved.predict(saved.features(world["train"]))
    assert uplift.max() > 2
    assert np.corrcoef(uplift, world["train"]["x1"] > 0)[0, 1] > 0.5


def test_fit_prints_the_outcome_type(tmp_path, capsys, world):
    code, out, _ = _run(_fit_args(world["train_path"], tmp_path / "m", "--learner", "s"), capsys)
    assert code == 0
    assert "outcome: spend, continuous (uplift in its units; money at $0.30 per unit)" in out


def test_auto_learner_selection_in_money(tmp_path, capsys, world):
    code, out, _ = _run(_fit_args(world["train_path"], tmp_path / "m", "--learner", "auto"), capsys)
    assert code == 0, out
    saved = load_model(tmp_path / "m")
    by_profit = saved.documents["training"]["selection_by_profit"]
    assert by_profit is not None
    assert saved.learner_name in by_profit["by_learner"]
    best = by_profit["by_learner"][by_profit["best"]]
    # money: value_per_unit x dollars of spend - costs, tens of thousands of dollars at most
    assert 0 < best["profit"] < VALUE_PER_UNIT * world["train"]["spend"].sum()
    assert best["profit_low"] <= best["profit"] <= best["profit_high"]


def test_framing_applies_to_the_outcome_regressor(tmp_path, world):
    roles = ColumnRoles("offer", "email", "spend", id_column="customer_id")
    model = fit_model(world["train"], roles, learner="s", framing="churn")
    X = model.features(world["train"])
    naive = model.outcome_model
    # spend is never negative and has zeros: the churn score is the spend at risk
    assert naive.risk_score_ == "outcome at risk"
    at_risk = (1.0 - naive.kept_model_.predict_proba(X)[:, 1]) * naive.amount_model_.predict(X)
    np.testing.assert_allclose(naive.predict_risk(X), at_risk)
    assert not np.allclose(naive.predict_risk(X), -naive.predict(X))
    assert model.documents["training"]["framing"] == "churn"


# ---------------------------------------------------------------------------- target
def test_target_scores_in_money_per_unit(world, capsys):
    batch = _spend_frame(N_BATCH, 1).drop(columns=["offer", "spend"])
    path = world["folder"] / "customers.csv"
    batch.to_csv(path, index=False)
    out = world["folder"] / "targets.csv"
    code, stdout, _ = _run(
        ["target", "--model", str(world["model"]), str(path), "--out", str(out), "--quiet",
         "--capacity", "500"],
        capsys,
    )  # fmt: skip
    assert code == 0
    targets = pd.read_csv(out)
    assert len(targets) == N_BATCH
    expected = np.round(VALUE_PER_UNIT * targets["uplift"] - COST, 2)
    np.testing.assert_allclose(targets["expected_profit"], expected, atol=0.011)
    assert targets["target"].sum() == 500
    assert (targets["target"] == (targets["rank"] <= 500)).all()
    assert targets.loc[targets["target"] == 1, "expected_profit"].min() > 0
    assert "500 to contact, expected profit $" in stdout
    # the library scores the same list
    saved = load_model(world["model"])
    scored = saved.score(batch, capacity=500).sort_values("rank")
    np.testing.assert_allclose(scored["uplift"], targets["uplift"])
    np.testing.assert_array_equal(scored["customer_id"], targets["customer_id"])


# -------------------------------------------------------------------------- evaluate
def test_evaluate_reports_the_average_effect_with_an_interval(world, capsys, monkeypatch):
    frame = _spend_frame(N_BATCH, 2)
    path = world["folder"] / "evaluation.csv"
    frame.to_csv(path, index=False)
    saved = load_model(world["model"])
    evaluation = saved.evaluate(frame, n_bootstraps=50)
    effect = evaluation.average_effect
    assert effect.method == "Welch"
    assert effect.estimate == pytest.approx(_difference_in_means(frame))
    assert effect.low < effect.estimate < effect.high
    assert effect.low > 0  # the e-mail raises spend
    assert evaluation.rule["n_rows"] == N_BATCH
    out = world["folder"] / "evaluation"
    code, stdout, err = _run(
        ["evaluate", "--model", str(world["model"]), str(path), "--out", str(out), "--quiet"],
        capsys,
    )
    assert code == 0, err
    assert f"average effect {effect.estimate:+.4g} spend (95% interval" in stdout
    assert "Welch" in stdout
    assert (out / "summary.json").is_file()


# --------------------------------------------------------------------------- monitor
def _monitor(world, frame, name, capsys):
    path = world["folder"] / f"{name}.csv"
    frame.to_csv(path, index=False)
    out = world["folder"] / name
    code, stdout, err = _run(
        ["monitor", "--model", str(world["model"]), str(path), "--out", str(out)], capsys
    )
    assert code == 0, err
    return json.loads((out / "monitor.json").read_text()), stdout


def test_monitor_realized_uplift_in_units_and_money(world, capsys):
    frame = _spend_frame(N_BATCH, 3)
    document, stdout = _monitor(world, frame, "monitor", capsys)
    treated = frame["offer"] == "email"
    realized = _difference_in_means(frame)
    assert document["outcome_type"] == "continuous"
    assert document["interval_method"] == "Welch t interval for a difference of means"
    assert document["realized_uplift"] == pytest.approx(realized)
    assert document["treated_rate"] == pytest.approx(frame.loc[treated, "spend"].mean())
    assert document["ci_low"] < document["realized_uplift"] < document["ci_high"]
    n_treated = int(treated.sum())
    money = document["money"]
    assert money["extra_favourable_outcomes"] == pytest.approx(realized * n_treated)
    assert money["profit"] == pytest.approx((VALUE_PER_UNIT * realized - COST) * n_treated)
    low, high = money["profit_ci"]
    assert low == pytest.approx((VALUE_PER_UNIT * document["ci_low"] - COST) * n_treated)
    assert low < money["profit"] < high
    assert "in outcome units" in stdout
    assert "incremental profit $" in stdout
    # the randomization check and drift are unchanged
    assert document["randomization"]["is_random"]
    assert max(document["drift"].values()) < 0.1


def test_monitor_harmful_continuous_batch(world, capsys):
    frame = _spend_frame(N_BATCH, 4)
    treated = frame["offer"] == "email"
    frame.loc[treated, "spend"] *= 0.4  # the e-mail now puts customers off
    document, _ = _monitor(world, frame, "harmful", capsys)
    assert document["ci_high"] < 0
    assert any(alert.startswith("treatment harms") for alert in document["alerts"])


# ---------------------------------------------------------- negative outcome, no costs
def test_negative_outcome_without_costs(tmp_path, capsys):
    train = _spend_frame(N_TRAIN, 5, shift=-40.0)  # net spend after a $40 fee: mostly < 0
    assert (train["spend"] < 0).mean() > 0.5
    path = tmp_path / "net.csv"
    train.to_csv(path, index=False)
    code, _, err = _run(_fit_args(path, tmp_path / "m", "--learner", "t", costs=False), capsys)
    assert code == 0, err
    saved = load_model(tmp_path / "m")
    assert saved.outcome_type == "continuous"  # numeric, not 0/1, no --favorable
    assert not saved.rule.has_costs
    batch = _spend_frame(N_BATCH, 6, shift=-40.0)
    scored = saved.score(batch)
    assert scored["expected_profit"].isna().all()
    assert (scored["target"] == (scored["uplift"] > 0)).all()
    result = saved.monitor(batch)
    assert result.realized_uplift == pytest.approx(_difference_in_means(batch))
    assert result.money is None
    assert result.realized_uplift_interval.method == "Welch"
    evaluation = saved.evaluate(batch, n_bootstraps=50)
    assert evaluation.average_effect.low < _difference_in_means(batch)
    assert _difference_in_means(batch) < evaluation.average_effect.high


def test_saved_continuous_model_round_trip(world, tmp_path):
    saved = load_model(world["model"])
    frame = _spend_frame(500, 7)
    before = saved.score(frame)
    saved.save(tmp_path / "copy")
    loaded = load_model(tmp_path / "copy")
    assert loaded.roles == saved.roles
    assert loaded.card.value_per_unit == VALUE_PER_UNIT
    pd.testing.assert_frame_equal(loaded.score(frame), before)
    # its training rows are recognized by their spend too, so evaluate refuses them
    assert loaded.training_overlap(world["train"]) == 1.0
    assert loaded.training_overlap(frame) == 0.0
    with pytest.raises(ValueError, match="100% of its rows are rows the model was trained on"):
        loaded.evaluate(world["train"])


def test_a_model_saved_before_outcome_types_is_binary():
    roles = ColumnRoles("offer", "1", "retained").to_dict()
    del roles["outcome_type"]
    assert ColumnRoles.from_dict(roles).outcome_type is None  # load_model reads it as binary
    assert (
        production.SavedModel.outcome_type.fget(
            type("Old", (), {"roles": ColumnRoles.from_dict(roles)})()
        )
        == "binary"
    )


# ------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        (
            lambda f: f,
            ["--favorable", "1"],
            "outcome column 'spend': --favorable makes the outcome binary and --value-per-unit "
            "makes it continuous",
        ),
        (
            lambda f: f,
            ["--value-per-success", "100"],
            "give --value-per-unit (a continuous outcome) or --value-per-success (a binary "
            "one), not both",
        ),
        (
            lambda f: f,
            ["--incentive-cost", "5", "--incentive-paid", "on_success"],
            "an incentive paid on success (--incentive-paid 'on_success') needs a binary "
            "outcome, and --value-per-unit values a continuous one",
        ),
        (
            lambda f: f.assign(spend=np.where(f["spend"] > 0, "yes", "no")),
            [],
            "outcome column 'spend' is not numeric",
        ),
        (
            lambda f: f.assign(spend=f["spend"].where(f.index != 9)),
            [],
            "outcome column 'spend' has a missing value (NaN) at row 9",
        ),
    ],
)
def test_fit_refuses_contradictions_in_one_line(tmp_path, capsys, change, args, message):
    path = tmp_path / "data.csv"
    change(_spend_frame(300, 8)).to_csv(path, index=False)
    code, _, err = _run(_fit_args(path, tmp_path / "model", *args), capsys)
    assert code == 1
    assert err.count("\n") == 1
    assert message in err
    assert not (tmp_path / "model").exists()


def test_an_incentive_paid_on_success_needs_a_binary_outcome(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _spend_frame(300, 8).to_csv(path, index=False)
    argv = _fit_args(path, tmp_path / "model", "--incentive-cost", "5", "--incentive-paid",
                     "on_success", costs=False)  # fmt: skip
    code, _, err = _run(argv, capsys)
    assert code == 1
    assert "outcome column 'spend' is continuous: an incentive paid on success" in err


def test_fit_refuses_a_value_per_success_on_a_continuous_column(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _spend_frame(300, 8).to_csv(path, index=False)
    argv = _fit_args(path, tmp_path / "model", "--value-per-success", "100", costs=False)
    code, _, err = _run(argv, capsys)
    assert code == 1
    assert "outcome column 'spend' is continuous" in err
    assert "--value-per-success values a favourable outcome; give --value-per-unit" in err


def test_favorable_on_a_many_valued_column_says_how_to_read_it_as_continuous(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _spend_frame(300, 8).to_csv(path, index=False)
    argv = _fit_args(path, tmp_path / "model", "--favorable", "0", costs=False)
    code, _, err = _run(argv, capsys)
    assert code == 1
    assert "a binary outcome is needed; for a continuous outcome leave out --favorable" in err


def test_design_is_for_binary_outcomes(capsys):
    code, _, err = _run(
        ["design", "--base-rate", "0.8", "--min-uplift", "0.03", "--population", "10000",
         "--value-per-unit", "0.3", "--quiet"],
        capsys,
    )  # fmt: skip
    assert code == 1
    assert "sizes a pilot for a binary outcome" in err
    assert "--value-per-unit" in err


# ------------------------------------------------------------ make_churn's revenue kept
def test_make_churn_revenue_through_the_library():
    from actionable.datasets import make_churn
    from actionable.decision import DecisionCard

    data = make_churn(3000, random_state=0, outcome="revenue")
    frame = data.X.assign(offer=data.treatment, revenue=data.y)
    card = DecisionCard(**{k: v for k, v in data.costs.items() if k != "incentive_paid"})
    model = fit_model(frame, ColumnRoles("offer", "1", "revenue"), card=card, learner="t")
    assert model.outcome_type == "continuous"
    assert model.cost_model.value_per_unit == data.costs["value_per_unit"]
    assert model.cost_model.incentive_paid == "on_contact"  # the card's default per unit
    assert model.documents["training"]["framing"] == "churn"  # most customers keep paying
    batch = make_churn(4000, random_state=1, outcome="revenue")
    fresh = batch.X.assign(offer=batch.treatment, revenue=batch.y)
    uplift, _ = model.predict(model.features(fresh))
    assert np.corrcoef(uplift, batch.true_effect)[0, 1] > 0.3
    result = model.monitor(fresh)
    truth = float(np.mean(batch.y1 - batch.y0))
    assert result.ci_low < truth < result.ci_high
    contacted = result.n_treated
    costs = data.costs["cost_per_contact"] + data.costs["incentive_cost"]
    expected_profit = (data.costs["value_per_unit"] * result.realized_uplift - costs) * contacted
    assert result.money["profit"] == pytest.approx(expected_profit)
    evaluation = model.evaluate(fresh, n_bootstraps=50)
    assert evaluation.average_effect.low < truth < evaluation.average_effect.high


def test_a_targeted_revenue_campaign_is_weighted_in_outcome_units():
    from actionable.datasets import make_churn
    from actionable.production import balancing_weights
    from actionable.production._average_effect import average_uplift, describe_average_uplift

    data = make_churn(20_000, assignment="churn_risk", random_state=3, outcome="revenue")
    truth = float(np.mean(data.y1 - data.y0))
    weights = balancing_weights(data.treatment, data.extra["propensity"])
    estimates = average_uplift(data.X, data.y, data.treatment.to_numpy(), weights)
    assert estimates["outcome_type"] == "continuous"
    naive = estimates["naive"]
    assert naive["estimate"] < truth - 10 * naive["se"]  # the risky customers were contacted
    for key in ("weighted", "doubly_robust"):
        value = estimates[key]
        assert abs(value["estimate"] - truth) < 3 * value["se"], (key, value, truth)
    assert describe_average_uplift(estimates).startswith("average uplift in outcome units: ")
    # fit and evaluate with the logged propensities: the weighted average effect
    frame = data.X.assign(offer=data.treatment, revenue=data.y, propensity=data.extra["propensity"])
    train, fresh = frame.iloc[:8000], frame.iloc[8000:]
    model = fit_model(train, ColumnRoles("offer", "1", "revenue"), learner="s",
                      propensity="propensity")  # fmt: skip
    assert model.documents["training"]["assignment"]["average_uplift"]["outcome_type"] == (
        "continuous"
    )
    evaluation = model.evaluate(fresh, propensity="propensity", n_bootstraps=50)
    effect = evaluation.average_effect
    assert effect.method == "normal"
    assert effect.estimate == pytest.approx(
        evaluation.assignment["average_uplift"]["weighted"]["estimate"]
    )
    assert effect.low < effect.estimate < effect.high


def test_a_two_valued_numeric_outcome_read_as_continuous_is_warned_about(tmp_path, capsys):
    frame = _spend_frame(300, 9).assign(spend=lambda f: np.where(f["spend"] > 0, 2, 1))
    with pytest.warns(UserWarning, match=r"has two values \['1', '2'\]: it is read as a contin"):
        roles = ColumnRoles("offer", "email", "spend").with_outcome_type(frame)
    assert roles.outcome_type == "continuous"
    assert (
        ColumnRoles("offer", "email", "spend", favorable="2").with_outcome_type(frame).outcome_type
        == "binary"
    )
