"""The uplift of a binary outcome stays in [-1, 1] for every learner (issue 14)."""

import numpy as np
import pytest
from scipy.stats import spearmanr
from sklearn.linear_model import LinearRegression

from actionable.datasets import load_hillstrom, make_churn
from actionable.metrics import qini_auc_score
from actionable.models import ClassTransformation, DRLearner, SLearner, TLearner, XLearner
from actionable.models._base import UPLIFT_KNEE, bound_uplift

LEARNERS = [SLearner, TLearner, XLearner, DRLearner, ClassTransformation]


@pytest.fixture(scope="module")
def churn():
    return make_churn(20_000, random_state=0), make_churn(8_000, random_state=1)


@pytest.fixture(scope="module")
def hillstrom():
    data = load_hillstrom(arms=("womens", "none"), outcome="visit")
    X = data.X.assign(
        zip_code=data.X["zip_code"].astype("category"),
        channel=data.X["channel"].astype("category"),
    )
    return X, data.y.to_numpy(), data.treatment.to_numpy()


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_no_prediction_leaves_the_bounds_on_make_churn(cls, churn):
    train, test = churn
    learner = cls(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    for X in (train.X, test.X):
        uplift = learner.predict(X)
        assert np.all(np.abs(uplift) <= 1.0), (uplift.min(), uplift.max())


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_no_prediction_leaves_the_bounds_on_hillstrom(cls, hillstrom):
    X, y, treatment = hillstrom
    uplift = cls(random_state=0, n_jobs=1).fit(X, y, treatment).predict(X)
    assert np.all(np.abs(uplift) <= 1.0), (uplift.min(), uplift.max())


def _raw_effect(learner, X):
    """The effect models' own predictions, from the learner's public fitted attributes."""
    if isinstance(learner, DRLearner):
        return learner.effect_estimator_.predict(X)
    weight = learner.propensity_  # a randomized experiment: the treated share
    return weight * learner.effect_estimator_control_.predict(X) + (
        1 - weight
    ) * learner.effect_estimator_treatment_.predict(X)


@pytest.mark.parametrize("cls", [XLearner, DRLearner], ids=lambda c: c.__name__)
def test_effect_regressions_are_bounded_in_order_and_report_how_often(cls, churn):
    train, test = churn
    learner = cls(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    assert learner.effect_bound_ == 1.0
    raw = np.asarray(_raw_effect(learner, test.X), dtype=float)
    bounded = learner.predict(test.X)
    # the raw effect models step outside [-1, 1] on make_churn; the share is reported
    assert np.mean(np.abs(raw) > 1) > 0
    assert 0.0 < learner.outside_bound_share_ < 0.2
    # order kept: the same ranking, hence the same Qini, as the raw effect models
    assert spearmanr(raw, bounded).statistic == pytest.approx(1.0)
    assert qini_auc_score(test.y, bounded, test.treatment) == pytest.approx(
        qini_auc_score(test.y, raw, test.treatment), abs=1e-12
    )
    inside = np.abs(raw) <= UPLIFT_KNEE
    np.testing.assert_array_equal(bounded[inside], raw[inside])


def test_probability_differences_are_left_alone(churn):
    train, _ = churn
    for cls in (SLearner, TLearner, ClassTransformation):
        learner = cls(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
        assert learner.effect_bound_ is None
        assert not hasattr(learner, "outside_bound_share_")


def test_a_regressor_on_a_binary_outcome_is_bounded_too():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 2))
    treatment = rng.integers(0, 2, 3000)
    y = (rng.random(3000) < 0.5 + 0.4 * treatment * np.tanh(3 * X[:, 0])).astype(int)
    X_far = X * 10  # far outside the training range: a linear model extrapolates past 1
    learner = TLearner(LinearRegression()).fit(X, y, treatment)
    assert learner.effect_bound_ == 1.0
    uplift = learner.predict(X_far)
    assert np.all(np.abs(uplift) <= 1.0)
    # a continuous outcome is not bounded
    spend = 10 * y + rng.normal(size=3000)
    assert TLearner(LinearRegression()).fit(X, spend, treatment).effect_bound_ is None


def test_bound_uplift_is_smooth_monotone_and_bounded():
    raw = np.linspace(-5, 5, 20_001)
    bounded = bound_uplift(raw)
    assert np.all(np.diff(bounded) >= 0)
    assert np.all(np.diff(bounded)[np.abs(raw[1:]) < 1.8] > 0)  # strictly, where it matters
    assert np.all(np.abs(bounded) <= 1.0)
    inside = np.abs(raw) <= UPLIFT_KNEE
    np.testing.assert_array_equal(bounded[inside], raw[inside])
    slope = np.diff(bounded) / np.diff(raw)
    assert np.max(np.abs(np.diff(slope))) < 1e-2  # no kink at the knee


@pytest.mark.parametrize("cls", [SLearner, TLearner, XLearner, DRLearner], ids=lambda c: c.__name__)
def test_predict_with_outcomes_is_predict_and_predict_outcomes(cls, churn):
    train, test = churn
    learner = cls(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    uplift, outcomes = learner.predict_with_outcomes(test.X)
    np.testing.assert_array_equal(uplift, learner.predict(test.X))
    np.testing.assert_array_equal(outcomes, learner.predict_outcomes(test.X))


@pytest.mark.parametrize("sampled", [False, True], ids=["every-row", "sampled"])
def test_the_share_outside_is_measured_a_chunk_at_a_time(monkeypatch, sampled):
    """No copy of the training rows: the check scores chunks (of a sample, at large n)."""
    import actionable.models._base as base

    rng = np.random.default_rng(0)
    X = rng.normal(size=(12_000, 3))
    treatment = rng.integers(0, 2, X.shape[0])
    y = (rng.random(X.shape[0]) < 0.3 + 0.3 * treatment * (X[:, 0] > 0)).astype(int)
    monkeypatch.setattr(base, "BOUND_CHECK_CHUNK", 1_000)
    if sampled:
        monkeypatch.setattr(base, "BOUND_CHECK_ROWS", 5_000)
    seen = []
    predict_binary = DRLearner._predict_binary

    def recording(self, chunk):
        seen.append(chunk)
        return predict_binary(self, chunk)

    monkeypatch.setattr(DRLearner, "_predict_binary", recording)
    learner = DRLearner(random_state=0, n_jobs=1).fit(X, y, treatment)
    assert {chunk.shape[0] for chunk in seen} == {1_000}
    rows = np.concatenate(seen)
    assert rows.shape[0] == (5_000 if sampled else X.shape[0])
    if sampled:  # distinct training rows, none twice
        assert np.unique(rows, axis=0).shape[0] == 5_000
    else:  # every row in place, as views of X
        assert all(np.shares_memory(chunk, X) for chunk in seen)
    raw = learner.effect_estimator_.predict(rows)
    assert learner.outside_bound_share_ == pytest.approx(np.mean(np.abs(raw) > 1.0))
