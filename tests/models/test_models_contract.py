"""The scikit-learn estimator contract for every learner and the outcome model."""

import pickle

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from actionable.models import (
    ClassTransformation,
    DRLearner,
    OutcomeClassifier,
    OutcomeRegressor,
    SLearner,
    TLearner,
    XLearner,
)

LEARNERS = [SLearner, TLearner, XLearner, DRLearner, ClassTransformation]
NAIVE = (OutcomeClassifier, OutcomeRegressor)
ALL = [*LEARNERS, *NAIVE]


def _experiment(n_samples=2000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 4))
    treatment = rng.integers(0, 2, n_samples)
    effect = np.where(X[:, 0] > 0, 0.3, -0.2)
    y = (rng.random(n_samples) < 0.4 + treatment * effect).astype(int)
    return X, y, treatment


def _fit(estimator, X, y, treatment):
    if isinstance(estimator, NAIVE):
        return estimator.fit(X, y)
    return estimator.fit(X, y, treatment)


def _scores(estimator, X):
    if isinstance(estimator, OutcomeClassifier):
        return estimator.predict_proba(X)
    return estimator.predict(X)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_sklearn_checks_that_do_not_fit(cls):
    estimator = cls()
    check_no_attributes_set_in_init(cls.__name__, estimator)
    check_parameters_default_constructible(cls.__name__, estimator)
    check_get_params_invariance(cls.__name__, estimator)
    check_set_params(cls.__name__, estimator)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_clone_get_params_set_params_round_trip(cls):
    estimator = cls(random_state=3)
    params = estimator.get_params()
    assert params["random_state"] == 3
    cloned = clone(estimator)
    assert cloned.get_params() == params
    cloned.set_params(random_state=7)
    assert cloned.random_state == 7
    assert estimator.random_state == 3


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_not_fitted_error_before_fit(cls):
    X, _, _ = _experiment(50)
    estimator = cls()
    methods = ["predict"]
    methods += ["predict_proba", "predict_risk"] if cls is OutcomeClassifier else []
    methods += ["predict_risk"] if cls is OutcomeRegressor else []
    methods += ["predict_outcomes"] if hasattr(estimator, "predict_outcomes") else []
    for method in methods:
        with pytest.raises(NotFittedError):
            getattr(estimator, method)(X)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_fit_returns_self_sets_fitted_attributes_and_pickles(cls):
    X, y, treatment = _experiment()
    estimator = cls(random_state=0)
    assert _fit(estimator, X, y, treatment) is estimator
    assert estimator.n_features_in_ == 4
    fitted = [name for name in vars(estimator) if name.endswith("_") and not name.startswith("_")]
    assert fitted, "fit set no public fitted attribute"
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(_scores(restored, X), _scores(estimator, X))


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_fit_is_deterministic_given_random_state(cls):
    X, y, treatment = _experiment()
    first = _scores(_fit(cls(random_state=11), X, y, treatment), X)
    second = _scores(_fit(cls(random_state=11), X, y, treatment), X)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_predict_shapes(cls):
    X, y, treatment = _experiment()
    learner = cls(random_state=0).fit(X, y, treatment)
    uplift = learner.predict(X[:7])
    assert uplift.shape == (7,)
    assert uplift.dtype == np.float64
    np.testing.assert_array_equal(learner.treatment_labels_, [1])
    if hasattr(learner, "predict_outcomes"):
        outcomes = learner.predict_outcomes(X[:7])
        assert outcomes.shape == (7, 2)
        assert ((outcomes >= 0) & (outcomes <= 1)).all()
        if cls in (SLearner, TLearner):
            np.testing.assert_allclose(uplift, outcomes[:, 1] - outcomes[:, 0])


def test_class_transformation_has_no_outcomes():
    assert not hasattr(ClassTransformation(), "predict_outcomes")


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_score_is_qini_auc_score(cls):
    from actionable.metrics import qini_auc_score

    X, y, treatment = _experiment()
    learner = cls(random_state=0).fit(X, y, treatment)
    expected = qini_auc_score(y, learner.predict(X), treatment)
    assert learner.score(X, y, treatment) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_cross_validate_routes_treatment_to_fit_and_score(cls):
    X, y, treatment = _experiment(3000)
    with sklearn.config_context(enable_metadata_routing=True):
        result = cross_validate(cls(random_state=0), X, y, params={"treatment": treatment}, cv=3)
    scores = result["test_score"]
    assert scores.shape == (3,)
    assert np.isfinite(scores).all()
    assert (scores > 0).all()


def test_cross_validate_without_routing_fails_with_a_clear_message():
    X, y, treatment = _experiment(600)
    with pytest.raises(ValueError, match="enable scikit-learn's metadata routing"):
        cross_validate(
            TLearner(random_state=0),
            X,
            y,
            params={"treatment": treatment},
            cv=2,
            error_score="raise",
        )


def test_cross_validate_with_uplift_scorer():
    from actionable.metrics import make_uplift_scorer

    X, y, treatment = _experiment(3000)
    with sklearn.config_context(enable_metadata_routing=True):
        result = cross_validate(
            SLearner(random_state=0),
            X,
            y,
            params={"treatment": treatment},
            cv=3,
            scoring=make_uplift_scorer("uplift_auc_score"),
        )
    assert (result["test_score"] > 0).all()


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_any_sklearn_classifier_can_be_the_outcome_model(cls):
    X, y, treatment = _experiment()
    learner = cls(estimator=LogisticRegression(), random_state=0).fit(X, y, treatment)
    assert np.isfinite(learner.predict(X)).all()


def test_random_state_reaches_a_passed_estimator():
    from lightgbm import LGBMClassifier

    X, y, treatment = _experiment()
    base = LGBMClassifier(n_estimators=20, subsample=0.5, subsample_freq=1, verbose=-1, n_jobs=1)
    one = TLearner(base, random_state=1).fit(X, y, treatment)
    two = TLearner(base, random_state=2).fit(X, y, treatment)
    assert one.estimator_treatment_.random_state != two.estimator_treatment_.random_state
    assert base.random_state is None  # the passed estimator is cloned, never modified
    assert not np.array_equal(one.predict(X), two.predict(X))


def test_n_jobs_none_means_one_thread():
    X, y, treatment = _experiment(500)
    learner = TLearner(random_state=0).fit(X, y, treatment)
    assert learner.estimator_treatment_.booster_.params["num_threads"] == 1
    learner = TLearner(random_state=0, n_jobs=2).fit(X, y, treatment)
    assert learner.estimator_treatment_.booster_.params["num_threads"] == 2
