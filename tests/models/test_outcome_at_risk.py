"""OutcomeRegressor's churn score on a continuous outcome: the expected outcome at risk."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from actionable.models import OutcomeClassifier, OutcomeRegressor
from actionable.models._at_risk import AT_RISK_MIN_ROWS, AT_RISK_MIN_SHARE, at_risk_applies


def _p_leave(X):
    return 1.0 / (1.0 + np.exp(-2.0 * X[:, 1]))


def _spend(X):
    return np.exp(3.0 + 0.8 * X[:, 0])


def _revenue_world(n_samples, seed):
    """Revenue kept: 0 when the customer leaves (chance set by x1), else a spend set by x0."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 3))
    leaves = rng.random(n_samples) < _p_leave(X)
    kept = _spend(X) * np.exp(0.2 * rng.normal(size=n_samples) - 0.02)
    return X, np.where(leaves, 0.0, kept)


@pytest.fixture(scope="module")
def world():
    return _revenue_world(6000, 0)


@pytest.fixture(scope="module")
def churn(world):
    X, y = world
    return OutcomeRegressor(random_state=0).fit(X, y)


def test_the_churn_score_is_the_product_of_its_two_fitted_parts(world, churn):
    X, _ = world
    assert churn.risk_score_ == "outcome at risk"
    p_lost = 1.0 - churn.kept_model_.predict_proba(X)[:, 1]
    amount = churn.amount_model_.predict(X)
    np.testing.assert_allclose(churn.predict_risk(X), p_lost * amount, rtol=1e-12)
    assert (amount > 0).all()  # fitted on the positive amounts only
    # predict stays the predicted outcome E[y | x], not the score
    np.testing.assert_array_equal(churn.predict(X), churn.estimator_.predict(X))


def test_the_churn_score_follows_the_true_revenue_at_risk(world, churn):
    X_new, _ = _revenue_world(3000, 1)
    truth = _p_leave(X_new) * _spend(X_new)
    assert np.corrcoef(churn.predict_risk(X_new), truth)[0, 1] > 0.9
    # the old score (lowest predicted revenue first) ranks the truth much worse
    assert np.corrcoef(-churn.predict(X_new), truth)[0, 1] < 0.5


def test_a_big_spender_at_risk_comes_before_a_small_one(churn):
    # both likely to leave (x1 = 1.5); one spends e^(3 + 1.2), the other e^(3 - 1.2)
    big, small = np.array([[1.5, 1.5, 0.0]]), np.array([[-1.5, 1.5, 0.0]])
    safe_big = np.array([[1.5, -1.5, 0.0]])
    assert churn.predict_risk(big)[0] > churn.predict_risk(small)[0]
    assert churn.predict_risk(big)[0] > churn.predict_risk(safe_big)[0]
    # the lowest predicted revenue would contact the small spender first
    assert -churn.predict(small)[0] > -churn.predict(big)[0]


def test_the_outcome_at_risk_is_reproducible_and_takes_weights(world, churn):
    X, y = world
    again = OutcomeRegressor(random_state=0).fit(X, y)
    np.testing.assert_array_equal(again.predict_risk(X), churn.predict_risk(X))
    weight = np.where(X[:, 2] > 0, 2.0, 1.0)
    weighted = OutcomeRegressor(random_state=0).fit(X, y, sample_weight=weight)
    assert weighted.risk_score_ == "outcome at risk"
    assert not np.array_equal(weighted.predict_risk(X), churn.predict_risk(X))


def test_both_parts_learn_from_the_rows_train_on_names(world):
    X, y = world
    treatment = np.random.default_rng(2).integers(0, 2, y.size)
    y = np.where(treatment == 1, np.maximum(y, 1.0), y)  # contacted customers all stay
    control = OutcomeRegressor(train_on="control", random_state=0).fit(X, y, treatment)
    treated = OutcomeRegressor(train_on="treated", random_state=0).fit(X, y, treatment)
    assert control.risk_score_ == "outcome at risk"
    assert treated.risk_score_ == "lowest predicted outcome"  # no zeros on those rows
    alone = OutcomeRegressor(random_state=0).fit(X[treatment == 0], y[treatment == 0])
    # the same rows give the same chance of keeping the outcome
    np.testing.assert_allclose(
        control.kept_model_.predict_proba(X)[:, 1], alone.kept_model_.predict_proba(X)[:, 1]
    )


@pytest.mark.parametrize(
    "make_y",
    [
        pytest.param(lambda y: y - 10.0, id="negative values"),
        pytest.param(lambda y: y + 1.0, id="no zeros"),
        pytest.param(lambda y: np.where(np.arange(y.size) < 10, 0.0, y + 1.0), id="10 zeros"),
    ],
)
def test_without_an_outcome_at_risk_the_lowest_predicted_comes_first(world, make_y):
    X, y = world
    model = OutcomeRegressor(random_state=0).fit(X, make_y(y))
    assert model.risk_score_ == "lowest predicted outcome"
    assert model.kept_model_ is None
    assert model.amount_model_ is None
    np.testing.assert_array_equal(model.predict_risk(X), -model.predict(X))


def test_a_users_regressor_keeps_the_lowest_predicted_outcome(world):
    X, y = world
    model = OutcomeRegressor(Ridge()).fit(X, y)
    assert model.risk_score_ == "lowest predicted outcome"
    np.testing.assert_allclose(model.predict_risk(X), -Ridge().fit(X, y).predict(X))


def test_the_response_framing_ranks_the_highest_predicted_outcome(world):
    X, y = world
    model = OutcomeRegressor(framing="response", random_state=0).fit(X, y)
    assert model.risk_score_ == "highest predicted outcome"
    assert model.kept_model_ is None
    np.testing.assert_array_equal(model.predict_risk(X), model.predict(X))


def test_the_outcome_at_risk_needs_enough_zeros_and_positive_amounts():
    n = 3000
    needed = int(np.ceil(max(AT_RISK_MIN_ROWS, AT_RISK_MIN_SHARE * n)))
    assert needed == 30
    for count, expected in ((needed, True), (needed - 1, False)):
        few_zeros = np.where(np.arange(n) < count, 0.0, 5.0)
        few_positive = np.where(np.arange(n) < count, 5.0, 0.0)
        assert at_risk_applies(few_zeros) is expected
        assert at_risk_applies(few_positive) is expected
    small = np.where(np.arange(100) < AT_RISK_MIN_ROWS, 0.0, 5.0)  # 20% zeros, 20 rows
    assert at_risk_applies(small)
    assert not at_risk_applies(small[1:] if small[0] == 0 else small)
    assert not at_risk_applies(np.array([]))


def test_the_binary_churn_model_is_unchanged(world):
    X, y = world
    kept = (y > 0).astype(int)
    model = OutcomeClassifier(random_state=0).fit(X, kept)
    assert not hasattr(model, "risk_score_")
    np.testing.assert_array_equal(model.predict_risk(X), model.predict_proba(X)[:, 0])
