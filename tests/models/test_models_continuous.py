"""Continuous outcomes (revenue, spend): the learners' default regressors, OutcomeRegressor."""

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from actionable.datasets import make_churn
from actionable.models import (
    ClassTransformation,
    DRLearner,
    OutcomeClassifier,
    OutcomeRegressor,
    SLearner,
    TLearner,
    XLearner,
    uplift_contributions,
)
from actionable.models import _boosting as boosting

LEARNERS = [SLearner, TLearner, XLearner, DRLearner]


def _world(n_samples, seed, shape):
    """A randomized contact with a continuous outcome and its true effect.

    ``"signed"``: a profit that is negative on most rows, effect ``4 tanh(x0)``;
    ``"zero_heavy"``: a spend, 0 for about 88% of rows and log-normal baskets otherwise,
    the contact raising the chance of buying where ``x0 > 0``.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 4))
    treatment = rng.integers(0, 2, n_samples)
    if shape == "signed":
        effect = 4.0 * np.tanh(X[:, 0])
        y = 3.0 * X[:, 1] - 1.0 + treatment * effect + rng.normal(scale=2.0, size=n_samples)
        return X, y, treatment, effect

    def buy(t):
        return 1.0 / (1.0 + np.exp(-(-2.5 + 0.5 * X[:, 2] + t * 1.2 * (X[:, 0] > 0))))

    bought = rng.random(n_samples) < buy(treatment)
    basket = 3.0 + 0.3 * X[:, 1]
    y = np.where(bought, np.exp(basket + 0.8 * rng.normal(size=n_samples)), 0.0)
    effect = (buy(1) - buy(0)) * np.exp(basket + 0.32)  # E[exp(0.8 z)] = exp(0.32)
    return X, y, treatment, effect


@pytest.fixture(scope="module")
def worlds():
    return {shape: (_world(6000, 0, shape), _world(3000, 1, shape))
            for shape in ("signed", "zero_heavy")}  # fmt: skip


# Thresholds from runs of training seeds 0-3 (6,000 rows, 3,000 new rows to predict):
# the signed world's correlations were 0.98-0.997 for the four learners, the zero-heavy
# world's (one buyer in eight, heavy baskets; Tweedie outcome models) 0.47-0.86, the
# spread of a few hundred buyers; both thresholds sit below the lowest run.
@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("shape", "threshold"), [("signed", 0.95), ("zero_heavy", 0.4)])
def test_every_learner_recovers_a_known_effect_on_a_continuous_outcome(
    worlds, cls, shape, threshold
):
    (X, y, treatment, _), (X_new, _, _, effect_new) = worlds[shape]
    assert (y < 0).mean() > 0.3 if shape == "signed" else (y == 0).mean() > 0.8
    learner = cls(random_state=0).fit(X, y, treatment)
    assert learner.outcome_type_ == "continuous"
    uplift = learner.predict(X_new)
    assert np.corrcoef(uplift, effect_new)[0, 1] > threshold
    # in outcome units, not bounded to [-1, 1]
    assert learner.effect_bound_ is None
    assert np.abs(uplift).max() > 2.0
    assert abs(uplift.mean() - effect_new.mean()) < 0.25 * effect_new.std()


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_the_default_outcome_models_are_regressors_on_a_continuous_outcome(worlds, cls):
    (X, y, treatment, _), _ = worlds["signed"]
    continuous = cls(random_state=0).fit(X[:2000], y[:2000], treatment[:2000])
    binary = cls(random_state=0).fit(X[:2000], (y[:2000] > 0).astype(int), treatment[:2000])
    assert (continuous.outcome_type_, binary.outcome_type_) == ("continuous", "binary")
    models = {
        SLearner: lambda m: [m.estimator_],
        TLearner: lambda m: [m.estimator_treatment_, m.estimator_control_],
        XLearner: lambda m: [m.estimator_treatment_, m.estimator_control_],
        DRLearner: lambda m: m.estimators_treatment_ + m.estimators_control_,
    }[cls]
    assert all(isinstance(m, boosting.BoostedRegressor) for m in models(continuous))
    assert all(isinstance(m, boosting.BoostedClassifier) for m in models(binary))
    assert binary.effect_bound_ in (None, 1.0)
    outcomes = continuous.predict_outcomes(X[:5])
    assert outcomes.shape == (5, 2)
    assert np.abs(outcomes).max() > 1.0


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_several_arms_on_a_continuous_outcome(worlds, cls):
    (X, y, treatment, _), _ = worlds["signed"]
    arms = np.where(treatment == 1, np.where(np.arange(len(y)) % 2 == 0, "a", "b"), "none")
    learner = cls(control_label="none", random_state=0).fit(X, y, arms)
    assert learner.outcome_type_ == "continuous"
    assert [arm.outcome_type_ for arm in learner.arm_estimators_] == ["continuous"] * 2
    uplift = learner.predict(X)
    assert uplift.shape == (len(y), 2)
    for column in range(2):
        assert np.corrcoef(uplift[:, column], 4.0 * np.tanh(X[:, 0]))[0, 1] > 0.9
    assert np.isfinite(learner.score(X, y, arms))


def test_class_transformation_refuses_a_continuous_outcome_naming_the_learners(worlds):
    (X, y, treatment, _), _ = worlds["zero_heavy"]
    with pytest.raises(ValueError, match=r"y must contain only 0 and 1") as error:
        ClassTransformation().fit(X, y, treatment)
    for name in ("SLearner", "TLearner", "XLearner", "DRLearner"):
        assert name in str(error.value)
    first = np.flatnonzero(y)[0]
    assert f"got value {float(y[first])!r} at position {first}." in str(error.value)
    learner = ClassTransformation(random_state=0).fit(X, (y > 0).astype(int), treatment)
    assert learner.outcome_type_ == "binary"


def test_a_classifier_outcome_model_still_needs_a_binary_outcome(worlds):
    (X, y, treatment, _), _ = worlds["signed"]
    with pytest.raises(ValueError, match=r"y must contain only 0 and 1 .* for a classifier"):
        TLearner(LogisticRegression()).fit(X, y, treatment)
    with pytest.raises(ValueError, match=r"y must contain only 0 and 1 .* for a classifier"):
        TLearner(estimator_control=LogisticRegression()).fit(X, y, treatment)


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_contributions_of_a_continuous_learner_add_up_in_outcome_units(worlds, cls):
    (X, y, treatment, _), (X_new, _, _, _) = worlds["signed"]
    frame = pd.DataFrame(X, columns=["driver", "base", "noise_1", "noise_2"])
    learner = cls(random_state=0).fit(frame, y, treatment)
    rows = pd.DataFrame(X_new[:200], columns=frame.columns)
    contributions = uplift_contributions(learner, rows)
    np.testing.assert_allclose(contributions.uplift, learner.predict(rows), atol=1e-9)
    assert contributions.exact
    assert contributions.global_drivers().index[0] == "driver"


def test_a_continuous_learner_survives_a_joblib_round_trip(worlds, tmp_path):
    (X, y, treatment, _), (X_new, _, _, _) = worlds["zero_heavy"]
    learner = TLearner(random_state=0).fit(X, y, treatment)
    joblib.dump(learner, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    assert loaded.outcome_type_ == "continuous"
    np.testing.assert_array_equal(loaded.predict(X_new), learner.predict(X_new))


def test_outcome_regressor_predicts_the_outcome_and_frames_the_risk(worlds):
    (X, y, treatment, _), _ = worlds["signed"]
    response = OutcomeRegressor(framing="response", random_state=0).fit(X, y)
    churn = OutcomeRegressor(random_state=0).fit(X, y)
    assert response.outcome_type_ == churn.outcome_type_ == "continuous"
    predicted = response.predict(X)
    # y = 3 x1 - 1 + t * 4 tanh(x0) + noise: the prediction follows x1 in outcome units
    assert np.corrcoef(predicted, 3.0 * X[:, 1])[0, 1] > 0.9
    assert predicted.mean() == pytest.approx(y.mean(), abs=0.2)
    np.testing.assert_array_equal(response.predict_risk(X), predicted)
    np.testing.assert_array_equal(churn.predict_risk(X), -churn.predict(X))
    np.testing.assert_array_equal(churn.predict(X), predicted)  # same model, same seed
    assert isinstance(response.estimator_, boosting.BoostedRegressor)
    assert OutcomeClassifier(random_state=0).fit(X, y > 0).outcome_type_ == "binary"


def test_outcome_regressor_trains_on_the_rows_asked_for(worlds):
    (X, y, treatment, effect), _ = worlds["signed"]
    treated = OutcomeRegressor(train_on="treated", random_state=0).fit(X, y, treatment)
    control = OutcomeRegressor(train_on="control", random_state=0).fit(X, y, treatment)
    # the treated rows' outcome carries the effect 4 tanh(x0); the control rows' does not
    gap = treated.predict(X) - control.predict(X)
    assert np.corrcoef(gap, effect)[0, 1] > 0.9
    labels = np.where(treatment == 1, "mail", "none")
    by_label = OutcomeRegressor(train_on="treated", control_label="none", random_state=0)
    np.testing.assert_array_equal(by_label.fit(X, y, labels).predict(X), treated.predict(X))


def test_outcome_regressor_refuses_bad_input(worlds):
    (X, y, treatment, _), _ = worlds["signed"]
    with pytest.raises(ValueError, match="train_on must be one of"):
        OutcomeRegressor(train_on="both").fit(X, y)
    with pytest.raises(ValueError, match="framing must be one of"):
        OutcomeRegressor(framing="revenue").fit(X, y)
    with pytest.raises(ValueError, match="treatment is required when train_on='control'"):
        OutcomeRegressor(train_on="control").fit(X, y)
    with pytest.raises(ValueError, match="treatment has no treated rows"):
        OutcomeRegressor(train_on="treated").fit(X, y, np.zeros(len(y)))
    with pytest.raises(ValueError, match="y contains NaN at position 3"):
        OutcomeRegressor().fit(X, np.where(np.arange(len(y)) == 3, np.nan, y))
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        OutcomeRegressor().fit(X, y[:-1])


def test_outcome_regressor_on_a_frame_with_categories():
    data = make_churn(3000, random_state=0)
    spend = np.where(data.y == 1, data.X["monthly_spend"], 0.0)
    model = OutcomeRegressor(framing="response", random_state=0).fit(data.X, spend)
    assert model.predict(data.X.head(10)).shape == (10,)
    assert list(model.feature_names_in_) == list(data.X.columns)


def test_the_objective_follows_a_rule_on_the_outcome(worlds):
    (X, y, treatment, _), _ = worlds["zero_heavy"]
    assert (y >= 0).all()
    assert (y == 0).mean() >= boosting.TWEEDIE_MIN_ZERO_SHARE
    assert boosting.outcome_objective(y) == "tweedie"
    assert boosting.outcome_objective(np.where(np.arange(len(y)) == 7, -1.0, y)) == "l2"
    assert boosting.outcome_objective(y + 1.0) == "l2"  # no zeros
    (X_signed, signed, _, _), _ = worlds["signed"]
    assert boosting.outcome_objective(signed) == "l2"

    def objectives(learner):
        models = [learner.estimator_treatment_, learner.estimator_control_]
        return {m.booster_.params["objective"] for m in models}

    zero_heavy = TLearner(random_state=0).fit(X, y, treatment)
    assert objectives(zero_heavy) == {"tweedie"}
    assert zero_heavy.estimator_control_.booster_.params["tweedie_variance_power"] == 1.5
    assert (zero_heavy.predict_outcomes(X) > 0).all()  # a log link: never negative
    assert objectives(TLearner(random_state=0).fit(X_signed, signed, treatment)) == {"regression"}


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_contributions_of_log_link_outcome_models_add_up(worlds, cls):
    (X, y, treatment, _), (X_new, _, _, _) = worlds["zero_heavy"]
    learner = cls(random_state=0).fit(X, y, treatment)
    contributions = uplift_contributions(learner, X_new[:200])
    np.testing.assert_allclose(contributions.uplift, learner.predict(X_new[:200]), atol=1e-9)
    # Tweedie outcome models predict exp(score): the secant rule moves their contributions
    # to the outcome scale; the X- and DR-learners' effect models are squared-error ones
    assert contributions.exact == (cls in (XLearner, DRLearner))
    assert (contributions.nonlinearity > 0).any() != contributions.exact
