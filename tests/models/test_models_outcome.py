"""OutcomeClassifier: the naive model that predicts the outcome, not the effect."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from actionable.models import OutcomeClassifier


def _data(n_samples=4000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 3))
    treatment = rng.integers(0, 2, n_samples)
    # contact lifts retention only where x1 > 0; the baseline depends on x0
    retained = 1 / (1 + np.exp(-1.5 * X[:, 0])) + treatment * 0.3 * (X[:, 1] > 0)
    y = (rng.random(n_samples) < np.clip(retained, 0, 1)).astype(int)
    return X, y, treatment


def test_risk_is_the_probability_of_the_bad_outcome_for_churn():
    X, y, _ = _data()
    model = OutcomeClassifier(random_state=0).fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (4000, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(model.predict_risk(X), proba[:, 0])
    # the churn risk falls as x0 (the retention driver) rises
    risk = model.predict_risk(X)
    assert risk[X[:, 0] > 1].mean() < 0.3 < 0.7 < risk[X[:, 0] < -1].mean()
    np.testing.assert_array_equal(model.classes_, [0, 1])
    np.testing.assert_array_equal(model.predict(X), (proba[:, 1] >= 0.5).astype(int))


def test_response_framing_ranks_by_the_probability_of_success():
    X, y, _ = _data()
    churn = OutcomeClassifier(random_state=0).fit(X, y)
    response = OutcomeClassifier(framing="response", random_state=0).fit(X, y)
    np.testing.assert_allclose(response.predict_risk(X), 1.0 - churn.predict_risk(X))


def test_train_on_control_uses_only_control_rows():
    X, y, treatment = _data()
    control = treatment == 0
    on_control = OutcomeClassifier(LogisticRegression(), train_on="control").fit(X, y, treatment)
    direct = LogisticRegression().fit(X[control], y[control])
    np.testing.assert_allclose(on_control.predict_proba(X), direct.predict_proba(X))
    on_all = OutcomeClassifier(LogisticRegression()).fit(X, y, treatment)
    assert not np.allclose(on_all.predict_proba(X), on_control.predict_proba(X))


def test_train_on_treated_uses_only_treated_rows():
    X, y, treatment = _data()
    treated = treatment == 1
    on_treated = OutcomeClassifier(LogisticRegression(), train_on="treated").fit(X, y, treatment)
    direct = LogisticRegression().fit(X[treated], y[treated])
    np.testing.assert_allclose(on_treated.predict_proba(X), direct.predict_proba(X))
    arms = np.where(treated, "mail", "none")
    labelled = OutcomeClassifier(LogisticRegression(), train_on="treated", control_label="none")
    np.testing.assert_allclose(labelled.fit(X, y, arms).predict_proba(X), direct.predict_proba(X))
    # a file of the last campaign's recipients only: every row treated
    only_treated = OutcomeClassifier(LogisticRegression(), train_on="treated")
    only_treated.fit(X[treated], y[treated], treatment[treated])
    np.testing.assert_allclose(only_treated.predict_proba(X), direct.predict_proba(X))


def test_train_on_control_with_labelled_arms():
    X, y, treatment = _data()
    arms = np.where(treatment == 1, "mail", "none")
    labelled = OutcomeClassifier(LogisticRegression(), train_on="control", control_label="none")
    binary = OutcomeClassifier(LogisticRegression(), train_on="control")
    np.testing.assert_allclose(
        labelled.fit(X, y, arms).predict_risk(X), binary.fit(X, y, treatment).predict_risk(X)
    )


def test_bad_parameters_and_input():
    X, y, treatment = _data(200)
    expected = re.escape("train_on must be one of ('all', 'control', 'treated'); got 'recipients'.")
    with pytest.raises(ValueError, match=expected):
        OutcomeClassifier(train_on="recipients").fit(X, y)
    with pytest.raises(ValueError, match="framing must be one of"):
        OutcomeClassifier(framing="risk").fit(X, y)
    with pytest.raises(ValueError, match="treatment is required when train_on='control'"):
        OutcomeClassifier(train_on="control").fit(X, y)
    with pytest.raises(ValueError, match="treatment is required when train_on='treated'"):
        OutcomeClassifier(train_on="treated").fit(X, y)
    with pytest.raises(ValueError, match="treatment has no treated rows"):
        OutcomeClassifier(train_on="treated").fit(X, y, np.zeros(200))
    with pytest.raises(ValueError, match="treatment has no control rows"):
        OutcomeClassifier(train_on="control").fit(X, y, np.ones(200))
    with pytest.raises(ValueError, match="treatment must contain only 0"):
        OutcomeClassifier(train_on="control").fit(X, y, np.full(200, 2))
    with pytest.raises(ValueError, match="y must contain only 0 and 1"):
        OutcomeClassifier().fit(X, y * 2.5)


def test_treatment_is_ignored_when_training_on_all_rows():
    X, y, treatment = _data(1000)
    with_treatment = OutcomeClassifier(random_state=0).fit(X, y, treatment)
    without = OutcomeClassifier(random_state=0).fit(X, y)
    np.testing.assert_array_equal(with_treatment.predict_risk(X), without.predict_risk(X))


def test_pandas_categorical_and_string_columns():
    rng = np.random.default_rng(0)
    plan = rng.choice(["basic", "premium"], 3000)
    frame = pd.DataFrame({"plan": plan, "tenure": rng.integers(1, 60, 3000)})
    y = (rng.random(3000) < np.where(plan == "premium", 0.9, 0.4)).astype(int)
    model = OutcomeClassifier(random_state=0).fit(frame, y)
    risk = model.predict_risk(frame)
    assert risk[plan == "basic"].mean() > risk[plan == "premium"].mean() + 0.3
    as_category = frame.assign(plan=pd.Categorical(plan))
    np.testing.assert_allclose(model.predict_risk(as_category), risk)
