"""PairedExperiment and evaluate_paired on a continuous outcome (revenue kept, spend)."""

import numpy as np
import pandas as pd
import pytest

from actionable.datasets import make_churn
from actionable.economics import CostModel
from actionable.models import OutcomeRegressor
from actionable.paired import PairedExperiment, evaluate_paired, framing_of

REVENUE_ROWS = 4000


@pytest.fixture(scope="module")
def revenue():
    return make_churn(REVENUE_ROWS, random_state=0, outcome="revenue")


@pytest.fixture(scope="module")
def experiment(revenue):
    return PairedExperiment(n_bootstraps=40, random_state=0, progress=False, n_jobs=1).fit(revenue)


def _difference_in_means(y, treatment):
    y, treatment = np.asarray(y, dtype=float), np.asarray(treatment)
    return y[treatment == 1].mean() - y[treatment == 0].mean()


def _experiment(X, y, treatment, cost_model, **options):
    return PairedExperiment(
        cost_model=cost_model, n_bootstraps=40, random_state=0, progress=False, n_jobs=1, **options
    ).fit(X, y, treatment)


def _features(rng, n):
    return pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(3)})


def _zero_heavy(n=3000, seed=0):
    """Spend after an e-mail: most spend nothing, a few spend a lot; the e-mail helps x0 > 0."""
    rng = np.random.default_rng(seed)
    X = _features(rng, n)
    treatment = rng.integers(0, 2, n)
    buys = rng.random(n) < 0.05 + 0.15 * treatment * (X["x0"].to_numpy() > 0)
    return X, np.where(buys, rng.lognormal(4.0, 0.8, n), 0.0), treatment


def _negative(n=3000, seed=1):
    """A change of balance, negative for most; the contact adds 4 where x0 > 0."""
    rng = np.random.default_rng(seed)
    X = _features(rng, n)
    treatment = rng.integers(0, 2, n)
    effect = 4.0 * (X["x0"].to_numpy() > 0)
    y = -2.0 + 3.0 * X["x1"].to_numpy() + treatment * effect + rng.normal(0, 2.0, n)
    return X, y, treatment


# ------------------------------------------------------------------------- revenue kept


def test_revenue_kept_is_framed_as_churn_with_regressions_as_naive_models(experiment, revenue):
    result = experiment.result_
    assert result.outcome_type == "continuous"
    assert result.continuous
    assert result.framing == framing_of(revenue.y) == "churn"  # most customers keep paying
    naive = [experiment.outcome_model_, *experiment.baseline_models_.values()]
    assert all(isinstance(model, OutcomeRegressor) for model in naive)
    assert experiment.outcome_model_.train_on == "control"
    # the naive score ranks by revenue at risk: P(none kept) x revenue when kept
    model = experiment.outcome_model_
    assert model.risk_score_ == "outcome at risk"
    X_test = revenue.X.iloc[experiment.test_index_]
    at_risk = (1.0 - model.kept_model_.predict_proba(X_test)[:, 1]) * (
        model.amount_model_.predict(X_test)
    )
    np.testing.assert_allclose(result.outcome.score, at_risk, rtol=1e-9)
    assert not np.allclose(result.outcome.score, -model.predict(X_test))
    assert result.outcome.label == "Revenue kept at risk (highest first)"
    assert result.outcome.extra["ranks_by"] == "outcome at risk"
    assert all(p.label.startswith("Revenue kept at risk") for p in result.naive.values())
    assert result.outcome_event == "no revenue kept"  # those who leave
    framing = next(note for note in result.notes if note.startswith("Framing:"))
    assert "they rank by the revenue kept at risk, P(no revenue kept | x)" in framing
    assert "strongest honest naive ranking" in framing


def test_revenue_kept_has_no_customer_types_and_no_churn_measure(experiment):
    result = experiment.result_
    assert all(policy.customer_types is None for policy in result.policies.values())
    assert "cost_aware" not in result.policies  # EMPC assumes a yes/no churn outcome
    assert all(policy.promised_profit is None for policy in result.policies.values())
    assert any("defined only for a yes/no outcome" in note for note in result.notes)


def test_revenue_kept_profits_are_money(experiment):
    result = experiment.result_
    cost = result.cost_model
    assert cost.per_unit
    assert cost.incentive_paid == "on_contact"
    y0, y1 = result.y0_test, result.y1_test
    # contacting everyone, written out: each unit of revenue kept is worth value_per_unit
    everyone = cost.value_per_unit * np.sum(y1 - y0) - result.n_test * (
        cost.cost_per_contact + cost.incentive_cost
    )
    assert result.random.profit[-1] == pytest.approx(everyone)
    assert result.random.fraction[-1] == pytest.approx(1.0)
    # the uplift model's best profit is the top of its own curve
    assert result.uplift.profit_best.estimate == pytest.approx(result.uplift.profit.max())


def test_revenue_kept_true_effect_is_in_outcome_units(experiment, revenue):
    result = experiment.result_
    true_effect = np.asarray(revenue.true_effect)[experiment.test_index_]
    np.testing.assert_allclose(result.oracle.score, true_effect)
    realized = result.y1_test - result.y0_test
    tolerance = 4 * realized.std() / np.sqrt(realized.size)
    assert abs(true_effect.mean() - realized.mean()) < tolerance  # dollars, not probabilities
    assert np.abs(true_effect).max() > 1.0


def test_average_effect_interval_contains_the_difference_in_means(experiment):
    result = experiment.result_
    difference = _difference_in_means(result.y_test, result.treatment_test)
    effect = result.average_effect
    assert effect.estimate == pytest.approx(difference)
    assert effect.low < difference < effect.high
    assert effect.confidence_level == result.confidence_level


def test_uplift_ranks_the_effect_better_than_the_revenue_at_risk(experiment):
    result = experiment.result_
    assert result.uplift.qini_auc.estimate > result.outcome.qini_auc.estimate
    assert result.oracle.profit_best.estimate >= result.uplift.profit_best.estimate


def test_binary_result_keeps_its_customer_types():
    retained = make_churn(2000, random_state=0)
    result = (
        PairedExperiment(n_bootstraps=20, random_state=0, progress=False, n_jobs=1)
        .fit(retained)
        .result_
    )
    assert result.outcome_type == "binary"
    assert not result.continuous
    assert result.average_effect is None
    assert result.outcome_event is None
    assert result.outcome.customer_types is not None


# ------------------------------------------------------------- zero-heavy and negative


def test_zero_heavy_spend_is_a_response_experiment(monkeypatch):
    import actionable.paired._policies as policies

    def refuse(*args, **kwargs):
        raise AssertionError("customer types estimated on a continuous outcome")

    monkeypatch.setattr(policies, "estimate_customer_types", refuse)
    X, spend, treatment = _zero_heavy()
    assert np.mean(spend == 0) > 0.8
    experiment = _experiment(X, spend, treatment, CostModel(value_per_unit=0.3))
    result = experiment.result_
    assert result.framing == "response"  # most spend nothing: the highest spend first
    assert result.outcome_event == "some outcome"
    framing = next(note for note in result.notes if note.startswith("Framing:"))
    assert "the highest predicted outcome come first" in framing
    assert result.outcome.score == pytest.approx(
        experiment.outcome_model_.predict(X.iloc[experiment.test_index_])
    )
    assert all(policy.customer_types is None for policy in result.policies.values())
    difference = _difference_in_means(result.y_test, result.treatment_test)
    assert result.average_effect.low < difference < result.average_effect.high
    assert result.uplift.qini_auc.estimate > 0
    assert np.isfinite(result.uplift.profit).all()


def test_negative_outcome_is_measured_in_its_units():
    X, y, treatment = _negative()
    assert np.mean(y < 0) > 0.5
    result = _experiment(X, y, treatment, CostModel(value_per_unit=1.0, cost_per_contact=0.5))
    result = result.result_
    assert result.framing == "churn"  # every value is non-zero
    assert result.outcome_event == "outcome of 0 or less"
    difference = _difference_in_means(result.y_test, result.treatment_test)
    effect = result.average_effect
    assert effect.estimate == pytest.approx(difference)
    assert effect.low < difference < effect.high
    assert effect.low > 0  # the contact adds 2 on average
    # the uplift model finds the half the contact helps: 4 per customer among its top 30%
    assert result.uplift.uplift_at_30.estimate > 2.0
    assert result.uplift.profit_best.estimate > 0


def test_evaluate_paired_takes_continuous_potential_outcomes(experiment, revenue):
    test = experiment.test_index_
    X_test = revenue.X.iloc[test]
    result = evaluate_paired(
        experiment.outcome_model_, experiment.uplift_model_, X_test,
        revenue.y.iloc[test], revenue.treatment.iloc[test],
        cost_model=experiment.cost_model_, y0=np.asarray(revenue.y0)[test],
        y1=np.asarray(revenue.y1)[test], n_bootstraps=20, random_state=0,
        outcome_name="revenue_kept",
    )  # fmt: skip
    assert result.continuous
    assert result.has_truth
    assert result.outcome.label == "Revenue kept at risk (highest first)"


class _FirstColumn:
    """An uplift "model" scoring by the first feature (the naive model is what is tested)."""

    def predict(self, X):
        return np.asarray(X.iloc[:, 0], dtype=float)


def test_a_naive_regression_without_the_outcome_at_risk_ranks_the_lowest_first(experiment, revenue):
    """A user's regressor models E[y | x] only: the label and the note say so."""
    from sklearn.linear_model import Ridge

    test = experiment.test_index_
    train = experiment.train_index_
    X = revenue.X.select_dtypes("number")
    model = OutcomeRegressor(Ridge(), train_on="control").fit(
        X.iloc[train], revenue.y.iloc[train], revenue.treatment.iloc[train]
    )
    assert model.risk_score_ == "lowest predicted outcome"
    result = evaluate_paired(
        model, _FirstColumn(), X.iloc[test],
        revenue.y.iloc[test], revenue.treatment.iloc[test],
        cost_model=experiment.cost_model_, n_bootstraps=20, random_state=0,
        outcome_name="revenue_kept", progress=False,
    )  # fmt: skip
    assert result.outcome.label == "Predicted revenue kept (lowest first)"
    np.testing.assert_allclose(result.outcome.score, -model.predict(X.iloc[test]))
    framing = next(note for note in result.notes if note.startswith("Framing:"))
    assert "lowest predicted revenue kept if nothing is done come first" in framing


def test_a_binary_outcome_with_continuous_truth_is_continuous(experiment, revenue):
    """Amounts as potential outcomes make the evaluation continuous, whatever y holds."""
    test = experiment.test_index_[:600]
    y1 = np.asarray(revenue.y1)[test]
    result = evaluate_paired(
        experiment.outcome_model_, experiment.uplift_model_, revenue.X.iloc[test],
        (np.asarray(revenue.y)[test] > 0).astype(float), revenue.treatment.iloc[test],
        cost_model=experiment.cost_model_, y0=np.asarray(revenue.y0)[test], y1=y1,
        n_bootstraps=20, random_state=0,
    )  # fmt: skip
    assert result.continuous
    assert result.outcome.customer_types is None


def test_a_non_finite_outcome_is_named():
    X, y, treatment = _negative(500)
    y[7] = np.nan
    with pytest.raises(ValueError, match="y"):
        _experiment(X, y, treatment, CostModel(value_per_unit=1.0))
