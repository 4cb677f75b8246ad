"""PairedExperiment, evaluate_paired and the statistics behind them."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from actionable.datasets import load_hillstrom, make_churn
from actionable.economics import CostModel
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import (
    CUSTOMER_TYPES,
    PairedExperiment,
    auc_interval,
    customer_types_of,
    estimate_customer_types,
    evaluate_paired,
)
from actionable.report import PairedReport

N_SAMPLES = 6000


@pytest.fixture(scope="module")
def churn():
    return make_churn(N_SAMPLES, random_state=0)


@pytest.fixture(scope="module")
def experiment(churn):
    return PairedExperiment(n_bootstraps=40, random_state=0, progress=False, n_jobs=1).fit(churn)


def _person_profit(cost_model, y0, y1):
    """Exact profit of contacting each person, written out from the definition."""
    paid = y1 if cost_model.incentive_paid == "on_success" else np.ones_like(y1)
    return (
        cost_model.value_per_success * (y1 - y0)
        - cost_model.cost_per_contact
        - cost_model.incentive_cost * paid
    )


# ----------------------------------------------------------------------------- statistics


def test_auc_interval_matches_sklearn_with_ties(rng):
    y = rng.integers(0, 2, 3000)
    score = np.round(rng.random(3000) + 0.3 * y, 2)  # many ties
    interval = auc_interval(y, score)
    assert interval.estimate == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert interval.low < interval.estimate < interval.high
    assert interval.method == "DeLong"


def test_auc_interval_width_agrees_with_bootstrap(rng):
    y = rng.integers(0, 2, 2000)
    score = rng.random(2000) + 0.5 * y
    interval = auc_interval(y, score, confidence_level=0.95)
    replicates = []
    for _ in range(300):
        rows = rng.integers(0, y.size, y.size)
        replicates.append(roc_auc_score(y[rows], score[rows]))
    bootstrap_width = 2 * 1.96 * np.std(replicates)
    assert interval.width == pytest.approx(bootstrap_width, rel=0.2)


def test_auc_interval_is_nan_with_one_class():
    assert np.isnan(auc_interval([1, 1, 1], [0.1, 0.2, 0.3]).estimate)


def test_customer_types_of_names_the_four_pairs():
    kinds = customer_types_of([0, 1, 0, 1, 0], [1, 1, 0, 0, 1])
    assert kinds.tolist() == [
        "persuadable",
        "sure thing",
        "lost cause",
        "sleeping dog",
        "persuadable",
    ]


def _population(rng, shares, n):
    kinds = rng.choice(4, size=n, p=shares)
    y0 = np.array([0, 1, 0, 1])[kinds]
    y1 = np.array([1, 1, 0, 0])[kinds]
    treatment = rng.integers(0, 2, n)
    return np.where(treatment == 1, y1, y0), treatment, kinds


def test_estimate_customer_types_recovers_a_monotone_population(rng):
    shares = [0.3, 0.5, 0.2, 0.0]  # no sleeping dogs: the estimate is unbiased
    y, treatment, kinds = _population(rng, shares, 40_000)
    estimate = estimate_customer_types(y, treatment)
    for index, kind in enumerate(CUSTOMER_TYPES):
        true_count = np.count_nonzero(kinds == index)
        assert estimate[kind].low <= true_count <= estimate[kind].high, kind
        assert estimate[kind].estimate == pytest.approx(true_count, abs=0.02 * y.size)
    total = sum(value.estimate for value in estimate.values())
    assert total == pytest.approx(y.size)


def test_estimate_customer_types_identifies_the_net_effect(rng):
    shares = [0.25, 0.4, 0.2, 0.15]
    y, treatment, kinds = _population(rng, shares, 40_000)
    estimate = estimate_customer_types(y, treatment)
    net = np.count_nonzero(kinds == 0) - np.count_nonzero(kinds == 3)
    estimated_net = estimate["persuadable"].estimate - estimate["sleeping dog"].estimate
    assert estimated_net == pytest.approx(net, abs=0.02 * y.size)
    assert estimate["sleeping dog"].estimate == 0.0  # the assumption the docstring states


def test_estimate_customer_types_when_contact_hurts(rng):
    shares = [0.05, 0.4, 0.25, 0.3]
    y, treatment, _ = _population(rng, shares, 20_000)
    estimate = estimate_customer_types(y, treatment)
    assert estimate["persuadable"].estimate == 0.0
    assert estimate["sleeping dog"].estimate > 0.2 * y.size


# ----------------------------------------------------------------------------- experiment


def test_split_is_shared_disjoint_and_stratified(experiment, churn):
    train, test = experiment.train_index_, experiment.test_index_
    assert np.intersect1d(train, test).size == 0
    assert train.size + test.size == N_SAMPLES
    result = experiment.result_
    assert (result.n_train, result.n_test) == (train.size, test.size)
    strata = 2 * churn.treatment.to_numpy() + churn.y.to_numpy()
    for stratum in range(4):
        overall = np.mean(strata == stratum)
        assert np.mean(strata[test] == stratum) == pytest.approx(overall, abs=0.005)
    np.testing.assert_array_equal(result.y_test, churn.y.to_numpy()[test])


def test_both_models_score_the_same_held_out_rows(experiment, churn):
    result = experiment.result_
    X_test = churn.X.iloc[experiment.test_index_]
    np.testing.assert_allclose(result.outcome.score, experiment.outcome_model_.predict_risk(X_test))
    np.testing.assert_allclose(result.uplift.score, experiment.uplift_model_.predict(X_test))


def test_policies_and_their_order(experiment):
    keys = list(experiment.result_.policies)
    assert keys == ["outcome", "outcome_pooled", "cost_aware", "uplift", "random", "oracle"]
    assert list(experiment.result_.models) == ["outcome", "outcome_pooled", "cost_aware", "uplift"]


def test_profit_at_k_is_the_exact_sum_over_the_contacted(experiment, churn):
    result = experiment.result_
    test = experiment.test_index_
    per_person = _person_profit(experiment.cost_model_, churn.y0[test], churn.y1[test])
    n = result.n_contacted
    for key in ("outcome", "uplift", "oracle"):
        policy = result.policies[key]
        top = np.argsort(-policy.score, kind="stable")[:n]
        assert policy.profit_at_k.is_exact
        # ties at the boundary may swap people of different types: allow one person's profit
        assert policy.profit_at_k.estimate == pytest.approx(per_person[top].sum(), abs=250), key
    everyone = per_person.sum()
    assert result.random.profit_at_k.estimate == pytest.approx(n / result.n_test * everyone, abs=1)
    assert result.random.profit[-1] == pytest.approx(everyone)


def test_customer_types_are_counted_from_the_truth(experiment, churn):
    result = experiment.result_
    kinds = churn.customer_type.to_numpy()[experiment.test_index_]
    top = np.argsort(-result.uplift.score, kind="stable")[: result.n_contacted]
    counts = result.uplift.customer_types
    for kind in CUSTOMER_TYPES:
        assert counts[kind].is_exact
        assert counts[kind].estimate == pytest.approx(np.count_nonzero(kinds[top] == kind), abs=2)
    for policy in result.policies.values():
        assert sum(v.estimate for v in policy.customer_types.values()) == pytest.approx(
            result.n_contacted
        )


def test_uplift_model_beats_the_churn_model_where_it_matters(experiment):
    result = experiment.result_
    outcome, uplift = result.outcome, result.uplift
    assert outcome.auc_outcome.estimate > 0.75  # a good churn predictor...
    assert outcome.auc_outcome.estimate > uplift.auc_outcome.estimate
    assert uplift.qini_auc.estimate > outcome.qini_auc.estimate  # ...but a poor targeter
    assert uplift.profit_best.estimate > outcome.profit_best.estimate
    share_persuadable = {
        key: p.customer_types["persuadable"].estimate for key, p in result.policies.items()
    }
    assert share_persuadable["uplift"] > share_persuadable["outcome"]


def test_perfect_foresight_bounds_every_policy(experiment):
    result = experiment.result_
    foresight = result.oracle.extra["profit_best_foresight"]
    for policy in result.policies.values():
        assert policy.profit_best.estimate <= foresight + 1e-6


def test_intervals_bracket_their_estimates(experiment):
    result = experiment.result_
    for policy in result.models.values():
        for name in ("auc_outcome", "qini_auc", "uplift_auc", "uplift_at_30"):
            interval = getattr(policy, name)
            assert interval.low <= interval.estimate <= interval.high, (policy.key, name)
            assert interval.confidence_level == 0.95
        if policy.key == "cost_aware":
            continue
        estimated = policy.extra["profit_best_estimated"]
        assert estimated.low <= estimated.estimate <= estimated.high


def test_to_frame_has_one_row_per_policy(experiment):
    frame = experiment.result_.to_frame()
    assert list(frame.index) == list(experiment.result_.policies)
    assert frame.loc["uplift", "profit_best"] == experiment.result_.uplift.profit_best.estimate


def test_capacity_sets_the_common_size(churn):
    costs = CostModel.from_dict({**churn.costs, "capacity": 300})
    result = (
        PairedExperiment(
            cost_model=costs, n_bootstraps=20, random_state=1, progress=False, n_jobs=1
        )
        .fit(churn)
        .result_
    )
    assert result.n_contacted == 300
    for policy in result.policies.values():
        assert policy.profit_at_capacity.estimate == pytest.approx(policy.profit_at_k.estimate)
        assert policy.best_fraction <= 300 / result.n_test + 1e-12


# ----------------------------------------------------------------------------- evaluate


class _NoRefit:
    """A fitted model that refuses to be fitted again."""

    def __init__(self, model):
        self.model = model

    def fit(self, *args, **kwargs):
        raise AssertionError("evaluate_paired must not refit")

    def predict(self, X):
        return self.model.predict(X)

    def predict_risk(self, X):
        return self.model.predict_risk(X)


@pytest.fixture(scope="module")
def fitted_models():
    train = make_churn(4000, random_state=10)
    outcome = OutcomeClassifier(random_state=0, n_jobs=1).fit(train.X, train.y)
    uplift = TLearner(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    return outcome, uplift


def test_evaluate_paired_uses_fitted_models_without_refitting(fitted_models):
    outcome, uplift = fitted_models
    test = make_churn(2000, random_state=11)
    result = evaluate_paired(
        _NoRefit(outcome),
        _NoRefit(uplift),
        test.X,
        test.y,
        test.treatment,
        cost_model=CostModel.from_dict(test.costs),
        y0=test.y0,
        y1=test.y1,
        n_train=4000,
        n_bootstraps=20,
        random_state=0,
    )
    assert result.n_train == 4000
    assert result.n_test == 2000
    np.testing.assert_allclose(result.uplift.score, uplift.predict(test.X))
    assert result.has_truth
    assert result.oracle is not None


def test_evaluate_paired_without_truth_estimates_everything(fitted_models):
    outcome, uplift = fitted_models
    test = make_churn(3000, random_state=12)
    result = evaluate_paired(
        outcome,
        uplift,
        test.X,
        test.y,
        test.treatment,
        cost_model=CostModel.from_dict(test.costs),
        n_bootstraps=30,
        random_state=0,
    )
    assert not result.has_truth
    assert result.oracle is None
    assert set(result.policies) >= {"outcome", "uplift", "random"}
    for policy in result.policies.values():
        assert not policy.profit_exact
        assert not policy.profit_best.is_exact
        assert policy.profit_best.low <= policy.profit_best.estimate <= policy.profit_best.high
        assert all(v.method == "normal" for v in policy.customer_types.values())
    # the estimated persuadables among the uplift model's contacts are close to the truth
    kinds = test.customer_type.to_numpy()
    top = np.argsort(-result.uplift.score)[: result.n_contacted]
    true_net = np.count_nonzero(kinds[top] == "persuadable") - np.count_nonzero(
        kinds[top] == "sleeping dog"
    )
    estimated = result.uplift.customer_types["persuadable"]
    assert estimated.low - 5 <= true_net <= estimated.high + 5


def test_evaluate_paired_accepts_predict_proba_models(fitted_models):
    outcome, uplift = fitted_models
    test = make_churn(1500, random_state=13)

    class ProbaOnly:
        def predict_proba(self, X):
            return outcome.predict_proba(X)

    result = evaluate_paired(
        ProbaOnly(), uplift, test.X, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_bootstraps=10, random_state=0,
    )  # fmt: skip
    np.testing.assert_allclose(result.outcome.score, outcome.predict_risk(test.X))


def test_duck_typed_learner_is_copied_not_fitted_in_place(churn):
    class Wrapped:
        """fit/predict only, like a scikit-uplift model without get_params."""

        def __init__(self):
            self.inner = None

        def fit(self, X, y, treatment):
            self.inner = TLearner(random_state=0, n_jobs=1).fit(X, y, treatment)
            return self

        def predict(self, X):
            return self.inner.predict(X)

    learner = Wrapped()
    experiment = PairedExperiment(
        learner, n_bootstraps=10, random_state=0, progress=False, n_jobs=1
    ).fit(make_churn(2000, random_state=3))
    assert learner.inner is None
    assert experiment.uplift_model_.inner is not None


# ----------------------------------------------------------------------------- bad input


def test_multi_arm_treatment_is_rejected_with_advice(churn):
    treatment = churn.treatment.to_numpy().copy()
    treatment[:10] = 2
    with pytest.raises(ValueError, match="treatment must contain only 0.*one treated arm"):
        PairedExperiment(progress=False).fit(churn.X, churn.y, treatment, y0=churn.y0, y1=churn.y1)


def test_cost_model_is_required_without_dataset_costs(churn):
    with pytest.raises(ValueError, match="cost_model is required"):
        PairedExperiment(progress=False).fit(churn.X, churn.y, churn.treatment)


def test_bad_framing_is_named(churn):
    with pytest.raises(ValueError, match="framing must be 'churn' or 'response'; got 'loss'"):
        PairedExperiment(framing="loss", progress=False).fit(churn)


def test_non_binary_outcome_valued_per_success_is_named(churn):
    y = churn.y.to_numpy().astype(float)
    y[5] = 0.5  # a continuous outcome: its units are valued, it has no successes
    with pytest.raises(ValueError, match=r"continuous \(y is 0.5 at position 5\).*value_per_unit"):
        PairedExperiment(cost_model=CostModel(1.0), progress=False).fit(churn.X, y, churn.treatment)


def test_potential_outcomes_come_in_pairs(fitted_models):
    outcome, uplift = fitted_models
    test = make_churn(500, random_state=14)
    with pytest.raises(ValueError, match="y0 and y1 must be given together"):
        evaluate_paired(
            outcome, uplift, test.X, test.y, test.treatment,
            cost_model=CostModel(1.0), y0=test.y0,
        )  # fmt: skip


def test_dataset_and_arrays_are_exclusive(churn):
    with pytest.raises(ValueError, match="either an UpliftDataset, or X with y and treatment"):
        PairedExperiment(progress=False).fit(churn, churn.y, churn.treatment)


def test_response_framing_scores_the_favourable_outcome(churn):
    data = dataclasses.replace(churn, name="promo", extra={"framing": "response"})
    result = (
        PairedExperiment(n_bootstraps=10, random_state=0, progress=False, n_jobs=1)
        .fit(data)
        .result_
    )
    assert result.framing == "response"
    assert result.outcome.label == "Response model"
    # the response model's score is P(y = 1): its AUC for the favourable outcome is high
    assert result.outcome.auc_outcome.estimate > 0.75
    assert isinstance(result.to_frame(), pd.DataFrame)


# ----------------------------------------------------------------------------- fair fight


def test_the_naive_contender_is_the_churn_teams_model(experiment, churn):
    """The default churn model learns from the customers nobody contacted (issue 14)."""
    result = experiment.result_
    assert experiment.outcome_model_.train_on == "control"
    assert experiment.outcome_model_.framing == "churn"
    assert result.outcome.trained_on == "control"
    t_train = churn.treatment.to_numpy()[experiment.train_index_]
    assert result.outcome.n_trained == int((t_train == 0).sum())
    pooled = result.policies["outcome_pooled"]
    assert pooled.trained_on == "all"
    assert pooled.n_trained == experiment.train_index_.size
    assert set(experiment.baseline_models_) == {"all"}
    assert experiment.baseline_models_["all"].train_on == "all"
    assert result.uplift.trained_on == "both arms"
    # the churn team's model is judged on the customers nobody contacted
    X_test = churn.X.iloc[experiment.test_index_]
    control = result.treatment_test == 0
    expected = roc_auc_score(result.y_test[control] == 0, result.outcome.score[control])
    assert result.outcome.auc_outcome.estimate == pytest.approx(expected, abs=1e-12)
    np.testing.assert_allclose(
        pooled.score, experiment.baseline_models_["all"].predict_risk(X_test)
    )


def test_the_comparison_is_with_the_strongest_naive_model(experiment):
    result = experiment.result_
    naive = result.naive
    assert set(naive) == {"outcome", "outcome_pooled"}
    strongest = max(naive.values(), key=lambda p: p.profit_best.estimate)
    assert result.strongest_naive.key == strongest.key == result.advantage_over
    advantage = result.advantage
    assert advantage.estimate == pytest.approx(
        result.uplift.profit_best.estimate - strongest.profit_best.estimate
    )
    assert advantage.method == "paired bootstrap"
    assert advantage.low <= advantage.estimate <= advantage.high
    assert advantage.low > 0  # on make_churn, uplift wins beyond the uncertainty
    cost_aware = result.policies["cost_aware"]
    assert cost_aware.extra["built_on"] == strongest.key
    np.testing.assert_allclose(cost_aware.score, strongest.score)


def test_the_advantage_interval_is_estimated_without_truth(fitted_models):
    outcome, uplift = fitted_models
    test = make_churn(4000, random_state=15)
    result = evaluate_paired(
        outcome, uplift, test.X, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_bootstraps=60, random_state=0,
    )  # fmt: skip
    advantage = result.advantage
    assert advantage.estimate == pytest.approx(
        result.uplift.profit_best.estimate - result.outcome.profit_best.estimate
    )
    assert advantage.low < advantage.estimate < advantage.high
    # paired: narrower than the two profits' own intervals put together
    separate = result.uplift.profit_best.width + result.outcome.profit_best.width
    assert advantage.width < separate


@pytest.mark.parametrize(
    ("framing", "expected"),
    [
        ("churn", {"outcome", "outcome_pooled"}),
        ("response", {"outcome", "outcome_pooled", "outcome_treated"}),
    ],
)
def test_automatic_baselines_follow_the_framing(churn, framing, expected):
    data = make_churn(2500, random_state=4)
    result = (
        PairedExperiment(framing=framing, n_bootstraps=10, random_state=0, progress=False, n_jobs=1)
        .fit(data)
        .result_
    )
    assert set(result.naive) == expected
    assert result.outcome.trained_on == "control"
    if framing == "response":
        treated = result.policies["outcome_treated"]
        assert treated.trained_on == "treated"
        assert treated.label == "Response model, contacted rows"


def test_baselines_can_be_chosen_or_switched_off():
    data = make_churn(2500, random_state=4)
    common = {"n_bootstraps": 10, "random_state": 0, "progress": False, "n_jobs": 1}
    result = PairedExperiment(baselines=(), **common).fit(data).result_
    assert set(result.naive) == {"outcome"}
    assert result.strongest_naive.key == "outcome"
    result = PairedExperiment(baselines=("treated", "all"), **common).fit(data).result_
    assert set(result.naive) == {"outcome", "outcome_treated", "outcome_pooled"}
    for bad in ("pooled", ("all", "all"), ("everyone",)):
        with pytest.raises(ValueError, match="baselines must be 'auto' or a sequence"):
            PairedExperiment(baselines=bad, **common).fit(data)
    with pytest.raises(ValueError, match="already learns from the control rows"):
        PairedExperiment(baselines=("control",), **common).fit(data)


def test_evaluate_paired_names_bad_baseline_models(fitted_models):
    outcome, uplift = fitted_models
    test = make_churn(500, random_state=14)
    with pytest.raises(ValueError, match="baseline_models must be a dict of train_on"):
        evaluate_paired(
            outcome, uplift, test.X, test.y, test.treatment,
            cost_model=CostModel(1.0), baseline_models={"pooled": outcome},
        )  # fmt: skip


def test_the_world_and_the_costs_note_are_reported(experiment):
    result = experiment.result_
    assert result.world == {
        "type_mix": {
            "persuadable": 0.22,
            "sure thing": 0.45,
            "lost cause": 0.23,
            "sleeping dog": 0.1,
        },
        "sharpness": 1.0,
        "risk_alignment": 0.0,
    }
    assert result.costs_note is None  # make_churn's costs are the world's own
    hillstrom = load_hillstrom()
    hillstrom.extra["framing"] = "response"
    rows = np.random.default_rng(0).choice(hillstrom.n_samples, 3000, replace=False)
    small = dataclasses.replace(
        hillstrom,
        X=hillstrom.X.iloc[rows].reset_index(drop=True),
        y=hillstrom.y.iloc[rows].reset_index(drop=True),
        treatment=hillstrom.treatment.iloc[rows].reset_index(drop=True),
    )
    result = (
        PairedExperiment(n_bootstraps=10, random_state=0, progress=False, n_jobs=1)
        .fit(small)
        .result_
    )
    assert result.world is None
    assert result.costs_note.startswith("Illustrative costs")
    assert "Illustrative costs" in PairedReport(result).html()
