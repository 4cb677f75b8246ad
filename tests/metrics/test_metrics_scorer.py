"""make_uplift_scorer with scikit-learn's cross_validate and GridSearchCV."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from actionable.metrics import (
    make_uplift_scorer,
    qini_auc_score,
    uplift_at_k,
    uplift_auc_score,
    weighted_average_uplift,
)


class ColumnUplift(BaseEstimator):
    """A tiny uplift model: predicts ``sign * X[:, column]``; fit requires treatment."""

    __metadata_request__fit = {"treatment": True}

    def __init__(self, column=0, sign=1.0):
        self.column = column
        self.sign = sign

    def fit(self, X, y, treatment):
        treatment = np.asarray(treatment)
        if treatment.shape[0] != np.shape(X)[0]:
            raise AssertionError("treatment does not match this fold")
        self.treatment_rate_ = treatment.mean()
        return self

    def predict(self, X):
        return self.sign * np.asarray(X)[:, self.column]


@pytest.fixture
def data(rng):
    n = 2000
    X = rng.normal(size=(n, 3))
    t = rng.integers(0, 2, n)
    y = (rng.random(n) < 0.2 + 0.5 * t * (X[:, 1] > 0)).astype(int)
    return X, y, t


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _fold_scores(metric, X, y, t, estimator, **kwargs):
    scores = []
    for _, test in KFold(5).split(X):
        uplift = estimator.predict(X[test])
        scores.append(metric(y[test], uplift, t[test], **kwargs))
    return np.array(scores)


def test_cross_validate_passes_each_folds_treatment(data, routing):
    X, y, t = data
    estimator = ColumnUplift(column=1)
    result = cross_validate(
        estimator, X, y, params={"treatment": t}, scoring=make_uplift_scorer("qini_auc_score")
    )
    np.testing.assert_allclose(
        result["test_score"], _fold_scores(qini_auc_score, X, y, t, estimator), rtol=1e-12
    )


@pytest.mark.parametrize(
    ("name", "metric", "kwargs"),
    [
        ("qini_auc_score", qini_auc_score, {"negative_effect": False}),
        ("uplift_auc_score", uplift_auc_score, {}),
        ("uplift_at_k", uplift_at_k, {"strategy": "by_group", "k": 0.2}),
        ("weighted_average_uplift", weighted_average_uplift, {"bins": 5}),
    ],
)
def test_every_metric_with_its_arguments(data, routing, name, metric, kwargs):
    X, y, t = data
    estimator = ColumnUplift(column=1)
    result = cross_validate(
        estimator,
        X,
        y,
        params={"treatment": t},
        scoring={"uplift": make_uplift_scorer(name, **kwargs)},
    )
    expected = _fold_scores(metric, X, y, t, estimator, **kwargs)
    np.testing.assert_allclose(result["test_uplift"], expected, rtol=1e-12)


def test_grid_search_picks_the_informative_feature(data, routing):
    X, y, t = data
    search = GridSearchCV(
        ColumnUplift(),
        {"column": [0, 1, 2], "sign": [1.0, -1.0]},
        scoring=make_uplift_scorer("qini_auc_score"),
    ).fit(X, y, treatment=t)
    assert search.best_params_ == {"column": 1, "sign": 1.0}


def test_sample_weight_can_be_requested(data, routing):
    X, y, t = data
    weights = np.where(t == 1, 2.0, 1.0)
    scorer = make_uplift_scorer("uplift_auc_score").set_score_request(sample_weight=True)
    estimator = ColumnUplift(column=1)
    result = cross_validate(
        estimator, X, y, params={"treatment": t, "sample_weight": weights}, scoring=scorer
    )
    expected = []
    for _, test in KFold(5).split(X):
        expected.append(
            uplift_auc_score(
                y[test], estimator.predict(X[test]), t[test], sample_weight=weights[test]
            )
        )
    np.testing.assert_allclose(result["test_score"], expected, rtol=1e-12)


def test_without_routing_the_error_says_how_to_fix_it(data):
    X, y, t = data
    with pytest.raises(ValueError, match="received no treatment.*enable_metadata_routing=True"):
        cross_validate(
            ColumnUplift(column=1),
            X,
            y,
            params={"treatment": t},
            scoring=make_uplift_scorer("qini_auc_score"),
            error_score="raise",
        )


def test_treatment_series_works_without_routing(data):
    """scikit-uplift's approach: a treatment Series aligned with y by index."""
    X, y, t = data
    index = pd.RangeIndex(1000, 1000 + y.size)
    y_series = pd.Series(y, index=index)
    t_series = pd.Series(t, index=index)
    estimator = ColumnUplift(column=1)
    result = cross_validate(
        estimator,
        X,
        y_series,
        params={"treatment": t},
        scoring=make_uplift_scorer("qini_auc_score", treatment=t_series),
    )
    np.testing.assert_allclose(
        result["test_score"], _fold_scores(qini_auc_score, X, y, t, estimator), rtol=1e-12
    )


def test_treatment_series_needs_an_indexed_y(data):
    X, y, t = data
    scorer = make_uplift_scorer("qini_auc_score", treatment=pd.Series(t))
    estimator = ColumnUplift(column=1).fit(X, y, t)
    with pytest.raises(ValueError, match="y has no pandas index"):
        scorer(estimator, X, y)


def test_scorer_is_picklable_and_has_a_readable_repr():
    import pickle

    scorer = make_uplift_scorer("uplift_at_k", k=0.1)
    assert repr(scorer) == "make_uplift_scorer('uplift_at_k', k=0.1)"
    assert repr(pickle.loads(pickle.dumps(scorer))) == repr(scorer)


def test_unknown_request_is_rejected():
    with pytest.raises(ValueError, match="can request only"):
        make_uplift_scorer("qini_auc_score").set_score_request(groups=True)

