"""Invariances: permutation, input container, unit weights, integer weights as repeated rows."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from actionable.metrics import (
    perfect_qini_curve,
    perfect_uplift_curve,
    qini_auc_score,
    qini_curve,
    uplift_at_k,
    uplift_auc_score,
    uplift_by_percentile,
    uplift_curve,
    weighted_average_uplift,
)

CURVES = [qini_curve, uplift_curve]
SCORES = [qini_auc_score, uplift_auc_score]


@pytest.fixture
def experiment(rng):
    n = 500
    t = (rng.random(n) < 0.4).astype(int)
    score = np.round(rng.normal(size=n), 1)  # heavy ties
    y = (rng.random(n) < 0.25 + 0.15 * t * (score > 0)).astype(int)
    spend = np.round(rng.gamma(2.0, 20.0, size=n) * y, 2)
    return y, score, t, spend


@pytest.mark.parametrize("outcome", ["binary", "continuous"])
def test_permutation_invariance(experiment, rng, outcome):
    y, score, t, spend = experiment
    y = y if outcome == "binary" else spend
    order = rng.permutation(y.size)
    for curve in CURVES:
        for expected, actual in zip(
            curve(y, score, t), curve(y[order], score[order], t[order]), strict=True
        ):
            assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)
    for score_function in SCORES:
        assert score_function(y[order], score[order], t[order]) == pytest.approx(
            score_function(y, score, t), abs=1e-12
        )
    for perfect in (perfect_qini_curve, perfect_uplift_curve):
        for expected, actual in zip(perfect(y, t), perfect(y[order], t[order]), strict=True):
            assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)


def test_uplift_at_k_is_permutation_invariant_without_ties_at_the_cut(experiment, rng):
    y, _, t, _ = experiment
    score = rng.normal(size=y.size)
    order = rng.permutation(y.size)
    for strategy in ("overall", "by_group"):
        assert uplift_at_k(y[order], score[order], t[order], strategy, 0.3) == pytest.approx(
            uplift_at_k(y, score, t, strategy, 0.3), abs=1e-12
        )


@pytest.mark.parametrize(
    "container", [list, np.asarray, pd.Series, lambda a: pd.Series(a).astype("float32")]
)
def test_input_containers_give_the_same_results(experiment, container):
    y, score, t, _ = experiment
    score = score.astype(np.float32).astype(np.float64)  # exact in float32 too
    expected = qini_curve(y, score, t)
    actual = qini_curve(container(y), container(score), container(t))
    assert_allclose(actual[1], expected[1])
    assert qini_auc_score(container(y), container(score), container(t)) == pytest.approx(
        qini_auc_score(y, score, t)
    )
    table = uplift_by_percentile(container(y), container(score), container(t))
    assert_allclose(table["uplift"], uplift_by_percentile(y, score, t)["uplift"])


def test_boolean_inputs(experiment):
    y, score, t, _ = experiment
    assert qini_auc_score(y.astype(bool), score, t.astype(bool)) == qini_auc_score(y, score, t)


@pytest.mark.parametrize("outcome", ["binary", "continuous"])
def test_unit_weights_equal_no_weights(experiment, outcome):
    y, score, t, spend = experiment
    y = y if outcome == "binary" else spend
    ones = np.ones(y.size)
    for curve in CURVES:
        for expected, actual in zip(
            curve(y, score, t), curve(y, score, t, sample_weight=ones), strict=True
        ):
            assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)
    for score_function in SCORES:
        assert score_function(y, score, t, sample_weight=ones) == pytest.approx(
            score_function(y, score, t), abs=1e-12
        )
    for strategy in ("overall", "by_group"):
        for k in (0.3, 0.55, 17):
            assert uplift_at_k(y, score, t, strategy, k, sample_weight=ones) == pytest.approx(
                uplift_at_k(y, score, t, strategy, k), abs=1e-12
            )
        assert_allclose(
            uplift_by_percentile(y, score, t, strategy, std=True, sample_weight=ones),
            uplift_by_percentile(y, score, t, strategy, std=True),
            atol=1e-12,
        )


@pytest.mark.parametrize("outcome", ["binary", "continuous"])
def test_integer_weights_equal_repeated_rows(experiment, rng, outcome):
    y, score, t, spend = experiment
    y = y if outcome == "binary" else spend
    weights = rng.integers(0, 4, size=y.size)
    # repeated copies of a row sit next to each other, so ties at a cut are broken the
    # same way (decreasing row) with weights and with repetition
    repeated = np.repeat(np.arange(y.size), weights)
    yr, sr, tr = y[repeated], score[repeated], t[repeated]
    for curve in CURVES:
        for expected, actual in zip(
            curve(yr, sr, tr), curve(y, score, t, sample_weight=weights), strict=True
        ):
            assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)
    for perfect in (perfect_qini_curve, perfect_uplift_curve):
        for expected, actual in zip(
            perfect(yr, tr), perfect(y, t, sample_weight=weights), strict=True
        ):
            assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)
    for score_function in SCORES:
        assert score_function(y, score, t, sample_weight=weights) == pytest.approx(
            score_function(yr, sr, tr), abs=1e-12
        )
    for strategy in ("overall", "by_group"):
        for k in (0.3, 0.55, 17):
            assert uplift_at_k(y, score, t, strategy, k, sample_weight=weights) == pytest.approx(
                uplift_at_k(yr, sr, tr, strategy, k), abs=1e-12
            )
        weighted = uplift_by_percentile(y, score, t, strategy, std=True, sample_weight=weights)
        assert_allclose(weighted, uplift_by_percentile(yr, sr, tr, strategy, std=True), atol=1e-12)
        assert weighted_average_uplift(
            y, score, t, strategy, sample_weight=weights
        ) == pytest.approx(weighted_average_uplift(yr, sr, tr, strategy), abs=1e-12)


def test_scaling_weights_keeps_normalized_scores(experiment):
    y, score, t, _ = experiment
    weights = np.linspace(0.5, 2.0, y.size)
    for score_function in SCORES:
        assert score_function(y, score, t, sample_weight=weights * 3.7) == pytest.approx(
            score_function(y, score, t, sample_weight=weights), rel=1e-9
        )


def test_continuous_outcome_scaled_gives_the_same_auc(experiment):
    y, score, t, spend = experiment
    for score_function in SCORES:
        assert score_function(spend * 100, score, t) == pytest.approx(
            score_function(spend, score, t), rel=1e-9
        )


def test_no_sort_perfect_qini_curve_is_the_curve_of_the_oracle_score(experiment):
    y, _, t, spend = experiment
    for outcome in (y, spend):
        oracle = np.where(t == 1, outcome, -outcome)
        for expected, actual in zip(
            qini_curve(outcome, oracle, t), perfect_qini_curve(outcome, t), strict=True
        ):
            assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)
