"""Was the treatment assigned at random? The check, logged propensities and the refusals."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from actionable.cli import main
from actionable.datasets import make_churn
from actionable.decision import DecisionCard
from actionable.economics import CostModel
from actionable.metrics import qini_auc_score
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import auc_interval, evaluate_paired
from actionable.production import (
    ColumnRoles,
    NotRandomizedError,
    balancing_weights,
    fit_model,
    randomization_check,
    standardized_differences,
)

ROLES = ColumnRoles("offer", "1", "retained")
CARD = DecisionCard(value_per_success=200.0, cost_per_contact=10.0, incentive_cost=50.0)


def _frame(data):
    return data.X.assign(offer=data.treatment, retained=data.y, p_contact=data.extra["propensity"])


# ----------------------------------------------------------------- the synthetic world
def test_make_churn_random_assignment_is_unchanged_and_its_propensity_constant():
    data = make_churn(2000, treatment_share=0.3, random_state=0)
    assert int(data.treatment.sum()) == 600
    assert np.all(data.extra["propensity"] == 0.3)
    assert data.extra["assignment"] == "random"


@pytest.mark.parametrize("assignment", ["tenure", "churn_risk"])
def test_make_churn_targeted_campaign_has_known_propensities(assignment):
    data = make_churn(20_000, treatment_share=0.4, assignment=assignment, random_state=0)
    propensity = data.extra["propensity"]
    assert propensity.mean() == pytest.approx(0.4, abs=1e-6)
    assert propensity.min() >= 0.05
    assert propensity.max() <= 0.95
    assert data.treatment.mean() == pytest.approx(0.4, abs=0.015)
    if assignment == "tenure":  # newer customers are contacted more often
        assert np.corrcoef(propensity, data.X["tenure_months"])[0, 1] < -0.5
    else:
        risk = data.extra["type_probabilities"][:, [0, 2]].sum(axis=1)
        assert np.corrcoef(propensity, risk)[0, 1] > 0.9
    # the contacts were drawn with these probabilities
    assert roc_auc_score(data.treatment, propensity) > 0.7


def test_make_churn_rejects_an_unknown_assignment():
    with pytest.raises(ValueError, match="assignment must be one of 'random'"):
        make_churn(100, assignment="agent")


# ------------------------------------------------------------------------ the statistics
def test_weighted_auc_is_the_weighted_share_of_ordered_pairs():
    rng = np.random.default_rng(0)
    y = rng.random(800) < 0.3
    score = np.round(rng.normal(size=800) + y, 1)  # ties included
    weight = rng.uniform(0.2, 3.0, 800)
    weighted = auc_interval(y, score, sample_weight=weight)
    assert weighted.estimate == pytest.approx(roc_auc_score(y, score, sample_weight=weight))
    plain = auc_interval(y, score)
    same = auc_interval(y, score, sample_weight=np.full(800, 2.5))
    assert (same.estimate, same.low, same.high) == pytest.approx(
        (plain.estimate, plain.low, plain.high)
    )
    assert weighted.low < weighted.estimate < weighted.high


def test_balancing_weights_make_each_region_look_randomized():
    data = make_churn(40_000, assignment="tenure", random_state=3)
    treatment = data.treatment.to_numpy()
    weights = balancing_weights(treatment, data.extra["propensity"])
    assert weights.weights.sum() == pytest.approx(treatment.size, rel=0.03)
    short = data.X["tenure_months"].to_numpy() <= 6
    raw_share = treatment[short].mean()
    weighted_share = np.average(treatment[short], weights=weights.weights[short])
    assert raw_share > treatment.mean() + 0.15  # the campaign chose new customers
    assert weighted_share == pytest.approx(treatment.mean(), abs=0.03)
    assert 0 < weights.effective_rows < treatment.size


def test_standardized_differences_by_hand():
    X = pd.DataFrame({"x": [1.0, 3.0, 2.0, 6.0], "plan": ["a", "a", "a", "b"]})
    table = standardized_differences(X, [1, 1, 0, 0]).set_index("feature")
    # treated x: mean 2, variance 1; control x: mean 4, variance 4 (population variances)
    assert table.loc["x", "smd"] == pytest.approx((2 - 4) / np.sqrt((1 + 4) / 2))
    assert table.loc["plan", "level"] in ("a", "b")
    assert abs(table.loc["plan", "smd"]) == pytest.approx(0.5 / np.sqrt(0.125))


# ------------------------------------------------------------------------------ the check
@pytest.mark.parametrize("assignment", ["tenure", "churn_risk"])
def test_the_check_catches_a_targeted_campaign_and_passes_it_given_its_propensities(assignment):
    data = make_churn(8000, assignment=assignment, random_state=1)
    check = randomization_check(data.X, data.treatment)
    assert not check.is_random
    assert check.auc.low > 0.6
    assert "this is not a randomized experiment" in check.verdict
    if assignment == "tenure":
        assert check.suspects[0] == "tenure_months"
        assert check.balance["feature"].iloc[0] == "tenure_months"
    given = randomization_check(data.X, data.treatment, propensity=data.extra["propensity"])
    assert given.is_random, given.verdict
    assert given.verdict.startswith("given the logged propensities, assignment looks random")


def test_propensities_that_are_not_the_assignment_probabilities_are_refused():
    targeted = make_churn(8000, assignment="tenure", random_state=2)
    flat = np.full(targeted.n_samples, targeted.treatment.mean())
    assert not randomization_check(targeted.X, targeted.treatment, propensity=flat).is_random
    randomized = make_churn(8000, random_state=2)
    halved = np.full(randomized.n_samples, 0.25)  # half the real probability
    check = randomization_check(randomized.X, randomized.treatment, propensity=halved)
    assert not check.is_random
    assert "not the probabilities the treatment was drawn with" in check.verdict


def test_the_check_rarely_cries_wolf_on_randomized_data():
    # the verdict needs a 99% interval above 0.5 and an AUC of at least 0.53: on
    # randomized data a false alarm is rarer than 1 in 200 (docs: measured over 200 seeds)
    alarms = [
        not randomization_check(make_churn(2000, random_state=seed).X,
                                make_churn(2000, random_state=seed).treatment).is_random
        for seed in range(12)
    ]  # fmt: skip
    assert sum(alarms) == 0


def test_an_arm_too_small_to_check_is_said_not_checked():
    data = make_churn(300, treatment_share=0.1, random_state=0)
    check = randomization_check(data.X, data.treatment)
    assert check.is_random
    assert check.verdict.startswith("randomization not checked")
    assert np.isnan(check.auc.estimate)


# ------------------------------------------------------------------- weighted evaluation
@pytest.fixture(scope="module")
def models():
    train = make_churn(20_000, random_state=0)
    churn = OutcomeClassifier(train_on="control", random_state=0)
    uplift = TLearner(random_state=0)
    return (
        churn.fit(train.X, train.y, train.treatment),
        uplift.fit(train.X, train.y, train.treatment),
        CostModel.from_dict(train.costs),
    )


def _evaluate(models, data, weight=None):
    churn, uplift, costs = models
    return evaluate_paired(
        churn, uplift, data.X, data.y, data.treatment, cost_model=costs, n_bootstraps=300,
        random_state=0, sample_weight=weight,
    )  # fmt: skip


def _agree(first, second, z=2.576):
    """Two independent estimates differ by less than z standard errors of their difference."""
    se = [(value.high - value.low) / (2 * 1.96) for value in (first, second)]
    return abs(first.estimate - second.estimate) <= z * np.hypot(*se)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ["tenure", "churn_risk"])
def test_weighted_evaluation_of_a_targeted_test_set_agrees_with_a_randomized_one(
    models, assignment
):
    # the same customers (same seed), offered the contact at random or by the campaign
    randomized = _evaluate(models, make_churn(20_000, random_state=8))
    targeted = make_churn(20_000, assignment=assignment, random_state=8)
    naive = _evaluate(models, targeted)
    weights = balancing_weights(targeted.treatment, targeted.extra["propensity"]).weights
    weighted = _evaluate(models, targeted, weights)
    for policy in ("uplift", "outcome"):
        for metric in ("qini_auc", "profit_best"):
            truth = getattr(randomized.policies[policy], metric)
            corrected = getattr(weighted.policies[policy], metric)
            assert _agree(truth, corrected), (policy, metric, truth, corrected)
    # unweighted, the churn-risk model's Qini on the targeted rows is biased
    assert not _agree(randomized.outcome.qini_auc, naive.outcome.qini_auc)
    assert "cost_aware" not in weighted.policies  # EMPC needs an unweighted random sample


@pytest.mark.slow
def test_weighted_qini_is_unbiased_over_many_campaigns(models):
    churn, uplift, _ = models
    differences = []
    for seed in range(20, 28):
        randomized = make_churn(20_000, random_state=seed)
        targeted = make_churn(20_000, assignment="churn_risk", random_state=seed)
        weights = balancing_weights(targeted.treatment, targeted.extra["propensity"]).weights
        for model in (churn.predict_risk, uplift.predict):
            score = model(randomized.X)  # the same customers in both
            differences.append(
                qini_auc_score(targeted.y, score, targeted.treatment, sample_weight=weights)
                - qini_auc_score(randomized.y, score, randomized.treatment)
            )
    differences = np.asarray(differences)
    se = differences.std(ddof=1) / np.sqrt(differences.size)
    assert abs(differences.mean()) < 3 * se + 0.002
    assert differences.std() < 0.015


# ------------------------------------------------------------- fit, evaluate, monitor
@pytest.fixture(scope="module")
def targeted_history():
    return _frame(make_churn(6000, assignment="tenure", random_state=4))


def test_fit_refuses_a_targeted_campaign_naming_the_feature(targeted_history):
    with pytest.raises(NotRandomizedError, match="assignment depends on tenure_months") as info:
        fit_model(targeted_history.drop(columns="p_contact"), ROLES, card=CARD, learner="t")
    assert "`propensity`" in str(info.value)
    assert "assume_recorded_selection" in str(info.value)


def test_fit_with_logged_propensities_weights_and_records_them(targeted_history):
    model = fit_model(targeted_history, ROLES, card=CARD, learner="t", propensity="p_contact")
    assert "p_contact" not in model.schema.names  # a propensity is never a feature
    assignment = model.documents["training"]["assignment"]
    assert assignment["check"]["is_random"]
    assert assignment["check"]["conditional_on_propensity"]
    assert assignment["weights"]["source"] == "logged"
    assert 0 < assignment["weights"]["effective_rows"] < len(targeted_history)
    estimated = fit_model(
        targeted_history.drop(columns="p_contact"), ROLES, card=CARD, learner="t",
        assume_recorded_selection=True,
    )  # fmt: skip
    weights = estimated.documents["training"]["assignment"]["weights"]
    assert weights["source"] == "estimated"
    assert weights["clip"] == [0.05, 0.95]
    with pytest.raises(ValueError, match="class transformation"):
        fit_model(targeted_history, ROLES, card=CARD, learner="ct", propensity="p_contact")


def test_bad_logged_propensities_are_named(targeted_history):
    broken = targeted_history.assign(p_contact=targeted_history["p_contact"].where(
        targeted_history.index != 7, 1.0))  # fmt: skip
    with pytest.raises(ValueError, match=r"propensity column 'p_contact' has 1.0 at row 7"):
        fit_model(broken, ROLES, card=CARD, learner="t", propensity="p_contact")
    with pytest.raises(ValueError, match="propensity column 'contact_p' is missing"):
        fit_model(targeted_history, ROLES, card=CARD, learner="t", propensity="contact_p")


def test_the_command_line_refuses_then_fits_and_evaluates_with_propensities(
    targeted_history, tmp_path, capsys
):
    history = tmp_path / "history.csv"
    targeted_history.to_csv(history, index=False)
    test = tmp_path / "test.csv"
    _frame(make_churn(6000, assignment="tenure", random_state=5)).to_csv(test, index=False)
    fit = ["fit", str(history), "--treatment", "offer", "--treated", "1", "--outcome",
           "retained", "--value-per-success", "200", "--cost-per-contact", "10", "--quiet",
           "--drop", "p_contact", "--out"]  # fmt: skip
    assert main([*fit, str(tmp_path / "refused")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not a randomized experiment" in err
    assert "--propensity" in err
    assert "--assume-recorded-selection" in err
    assert not (tmp_path / "refused").exists()
    fit = [a for a in fit if a not in ("--drop", "p_contact")]
    assert main([*fit, str(tmp_path / "model"), "--propensity", "p_contact"]) == 0
    out = capsys.readouterr().out
    assert "randomization check: given the logged propensities, assignment looks random" in out
    assert "rows weighted by their logged propensity" in out
    assert "average uplift in points: naive" in out
    evaluate = ["evaluate", "--model", str(tmp_path / "model"), str(test), "--quiet", "--out"]
    assert main([*evaluate, str(tmp_path / "refused-report")]) == 1
    assert "assignment depends on tenure_months" in capsys.readouterr().err
    assert main([*evaluate, str(tmp_path / "report"), "--propensity", "p_contact"]) == 0
    document = json.loads((tmp_path / "report" / "assignment.json").read_text())
    assert document["check"]["is_random"]
    assert document["weights"]["source"] == "logged"


def test_monitoring_alerts_when_the_holdout_was_not_chosen_at_random(targeted_history):
    model = fit_model(targeted_history, ROLES, card=CARD, learner="t", propensity="p_contact")
    fair = _frame(make_churn(6000, random_state=9))
    assert not any("holdout is not random" in alert for alert in model.monitor(fair).alerts)
    skewed = _frame(make_churn(6000, assignment="tenure", random_state=9))
    result = model.monitor(skewed)
    assert any("the holdout is not random" in alert for alert in result.alerts)
    assert result.to_dict()["randomization"]["is_random"] is False


def test_average_uplift_of_a_targeted_campaign_naive_weighted_and_doubly_robust():
    from actionable.production._average_effect import average_uplift

    data = make_churn(20_000, assignment="churn_risk", random_state=3)
    truth = float(np.mean(data.y1 - data.y0))  # this sample's own average effect
    weights = balancing_weights(data.treatment, data.extra["propensity"])
    estimates = average_uplift(data.X, data.y.to_numpy(), data.treatment.to_numpy(), weights)
    naive = estimates["naive"]
    assert naive["estimate"] < truth - 10 * naive["se"]  # the risky customers were contacted
    for key in ("weighted", "doubly_robust"):
        value = estimates[key]
        assert abs(value["estimate"] - truth) < 3 * value["se"], (key, value, truth)


# ------------------------------------------------------------- bad or unusual input
def test_bad_inputs_to_the_check_are_refused_or_said_unchecked():
    data = make_churn(2000, random_state=5)
    with_nan = np.full(data.n_samples, 0.5)
    with_nan[3] = np.nan
    with pytest.raises(ValueError, match="propensity has nan at row 3"):
        randomization_check(data.X, data.treatment, propensity=with_nan)
    with pytest.raises(ValueError, match="propensity has 10 values for 2,000 rows"):
        randomization_check(data.X, data.treatment, propensity=np.full(10, 0.5))
    with pytest.raises(ValueError, match="treatment"):
        randomization_check(data.X, data.treatment + 1)  # coded 1/2, not 0/1


def test_an_empty_categorical_feature_does_not_break_the_check():
    data = make_churn(3000, random_state=6)
    X = data.X.assign(region=pd.Series([None] * data.n_samples, dtype="category"))
    check = randomization_check(X, data.treatment)
    assert check.is_random
    assert np.isnan(check.balance.set_index("feature").loc["region", "smd"])


def test_weights_are_in_rows_whatever_their_scale():
    from actionable.production import choose_targeting_rule

    rng = np.random.default_rng(0)
    uplift = rng.uniform(-0.1, 0.3, 6000)
    treatment = rng.integers(0, 2, 6000)
    y = (rng.random(6000) < 0.3 + uplift * treatment).astype(int)
    weight = rng.uniform(0.5, 2.0, 6000)
    costs = CostModel(10.0, 0.5)
    rules = [
        choose_targeting_rule(y, uplift, treatment, cost_model=costs, n_bootstraps=0,
                              sample_weight=weight * scale)[1]
        for scale in (0.01, 1.0, 2.0)
    ]  # fmt: skip
    for selection in rules[1:]:
        assert selection["profit"] == pytest.approx(rules[0]["profit"])
        assert selection["n_targeted"] == pytest.approx(rules[0]["n_targeted"])
    assert 0 < rules[0]["n_targeted"] < 6000


def test_weighted_policy_profit_refuses_meaningless_weights():
    from actionable.economics import policy_profit

    y, arm = np.array([1, 0, 1, 0]), np.array([1, 1, 0, 0])
    policy = {"everyone": np.ones(4)}
    with pytest.raises(ValueError, match="negative"):
        policy_profit(y, arm, policy, cost_model=CostModel(1.0), sample_weight=[1, -1, 1, 1])
    with pytest.raises(ValueError, match="sample_weight is 0 on every row of arm 0"):
        policy_profit(y, arm, policy, cost_model=CostModel(1.0), sample_weight=[1, 1, 0, 0])
