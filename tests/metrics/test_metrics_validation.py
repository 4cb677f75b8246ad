"""Every bad input raises one ValueError whose message names the problem."""

import re

import numpy as np
import pytest

from actionable._validation import _values as _validation
from actionable.metrics import (
    UndefinedUpliftMetricWarning,
    UpliftCurveDisplay,
    make_uplift_scorer,
    perfect_qini_curve,
    perfect_uplift_curve,
    qini_auc_score,
    qini_auc_score_ci,
    qini_curve,
    uplift_at_k,
    uplift_at_k_ci,
    uplift_auc_score,
    uplift_auc_score_ci,
    uplift_by_percentile,
    uplift_curve,
    weighted_average_uplift,
)

SCORED = [
    qini_curve,
    uplift_curve,
    qini_auc_score,
    uplift_auc_score,
    uplift_at_k,
    uplift_by_percentile,
    weighted_average_uplift,
    qini_auc_score_ci,
    uplift_auc_score_ci,
    uplift_at_k_ci,
]
UNSCORED = [perfect_qini_curve, perfect_uplift_curve]

Y = [1, 0, 1, 0, 1, 0]
U = [0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
T = [1, 1, 1, 0, 0, 0]


def call(function, y, u, t, **kwargs):
    if function in UNSCORED:
        return function(y, t, **kwargs)
    if function.__name__.endswith("_ci"):
        kwargs.setdefault("n_bootstraps", 5)
    if function.__name__ in ("uplift_by_percentile", "weighted_average_uplift"):
        kwargs.setdefault("bins", 2)
    return function(y, u, t, **kwargs)


def exact(message):
    return "^" + re.escape(message) + "$"


ALL = SCORED + UNSCORED


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_length_mismatch(function):
    lengths = "y_true=5, uplift=6, treatment=6" if function in SCORED else "y_true=5, treatment=6"
    message = _validation._MSG_LENGTH_MISMATCH.format(lengths=lengths)
    with pytest.raises(ValueError, match=exact(message)):
        call(function, Y[:5], U, T)


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_two_dimensional_input(function):
    message = _validation._MSG_NOT_1D.format(name="y_true", shape=(6, 1))
    with pytest.raises(ValueError, match=exact(message)):
        call(function, np.array(Y)[:, None], U, T)


@pytest.mark.parametrize("function", SCORED, ids=lambda f: f.__name__)
def test_two_dimensional_scores(function):
    message = _validation._MSG_NOT_1D.format(name="uplift", shape=(6, 2))
    with pytest.raises(ValueError, match=exact(message)):
        call(function, Y, np.ones((6, 2)), T)


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_nan_outcome(function):
    message = _validation._MSG_NOT_FINITE.format(name="y_true", what="NaN", index=2)
    with pytest.raises(ValueError, match=exact(message)):
        call(function, [1, 0, np.nan, 0, 1, 0], U, T)


@pytest.mark.parametrize("function", SCORED, ids=lambda f: f.__name__)
def test_infinite_score(function):
    message = _validation._MSG_NOT_FINITE.format(name="uplift", what="infinity", index=0)
    with pytest.raises(ValueError, match=exact(message)):
        call(function, Y, [np.inf, 0.5, 0.4, 0.3, 0.2, 0.1], T)


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_non_binary_treatment(function):
    message = _validation._MSG_TREATMENT_NOT_BINARY.format(value=2)
    with pytest.raises(ValueError, match=exact(message)):
        call(function, Y, U, [1, 1, 2, 0, 0, 0])


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_no_treated_rows(function):
    with pytest.raises(ValueError, match=exact(_validation.MSG_NO_TREATED)):
        call(function, Y, U, [0] * 6)


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_no_control_rows(function):
    with pytest.raises(ValueError, match=exact(_validation.MSG_NO_CONTROL)):
        call(function, Y, U, [1] * 6)


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_empty_input(function):
    message = _validation._MSG_EMPTY.format(name="y_true")
    with pytest.raises(ValueError, match=exact(message)):
        call(function, [], [], [])


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_negative_weight(function):
    message = _validation._MSG_NEGATIVE_WEIGHT.format(value=-1.0, index=1)
    with pytest.raises(ValueError, match=exact(message)):
        call(function, Y, U, T, sample_weight=[1, -1, 1, 1, 1, 1])


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_only_zero_weight_control_rows(function):
    message = _validation.MSG_NO_CONTROL + " (every such row has sample_weight 0)"
    with pytest.raises(ValueError, match=exact(message)):
        call(function, Y, U, T, sample_weight=[1, 1, 1, 0, 0, 0])


@pytest.mark.parametrize(
    "function", [uplift_at_k, uplift_by_percentile, weighted_average_uplift, uplift_at_k_ci]
)
def test_bad_strategy(function):
    with pytest.raises(
        ValueError, match=exact("strategy must be 'overall' or 'by_group'; got 'top'.")
    ):
        call(function, Y, U, T, strategy="top")


@pytest.mark.parametrize("k", [0, 7, 0.0, 1.5, -0.2, "30%", True])
def test_bad_k(k):
    with pytest.raises(ValueError, match="^k"):
        uplift_at_k(Y, U, T, k=k)


def test_k_larger_than_a_group():
    message = "k=4 asks for more samples than the control group has (3) with strategy='by_group'."
    with pytest.raises(ValueError, match=exact(message)):
        uplift_at_k(Y, U, T, strategy="by_group", k=4)


@pytest.mark.parametrize("bins", [0, 6, 2.0, True])
def test_bad_bins(bins):
    message = f"bins must be an integer between 1 and 5 (one less than n_samples); got {bins!r}."
    for function in (uplift_by_percentile, weighted_average_uplift):
        with pytest.raises(ValueError, match=exact(message)):
            function(Y, U, T, bins=bins)


@pytest.mark.parametrize("name", ["std", "total", "string_percentiles"])
def test_non_boolean_flags(name):
    with pytest.raises(TypeError, match=exact(f"{name} must be True or False; got 'yes'.")):
        uplift_by_percentile(Y, U, T, bins=2, **{name: "yes"})


@pytest.mark.parametrize("function", [qini_auc_score, perfect_qini_curve, qini_auc_score_ci])
def test_non_boolean_negative_effect(function):
    # TypeError, as scikit-uplift raises, so code written for it behaves the same
    with pytest.raises(TypeError, match=exact("negative_effect must be True or False; got 1.")):
        call(function, Y, U, T, negative_effect=1)


@pytest.mark.parametrize("function", [qini_auc_score, perfect_qini_curve, qini_auc_score_ci])
def test_negative_effect_false_needs_binary_outcome(function):
    with pytest.raises(ValueError, match="^negative_effect=False needs a binary y_true"):
        call(function, [2.5, 0, 1, 0, 3, 0], U, T, negative_effect=False)


@pytest.mark.parametrize("function", [qini_auc_score_ci, uplift_auc_score_ci, uplift_at_k_ci])
def test_bad_bootstrap_parameters(function):
    with pytest.raises(ValueError, match=exact("n_bootstraps must be a positive integer; got 0.")):
        function(Y, U, T, n_bootstraps=0)
    with pytest.raises(
        ValueError,
        match=exact("confidence_level must be a number strictly between 0 and 1; got 95."),
    ):
        function(Y, U, T, confidence_level=95)
    with pytest.raises(ValueError, match="^random_state must be None, an integer"):
        function(Y, U, T, random_state="seed")


def test_display_rejects_unknown_kind():
    with pytest.raises(ValueError, match=exact("kind must be 'qini' or 'uplift'; got 'roc'.")):
        UpliftCurveDisplay.from_predictions(Y, U, T, kind="roc")


def test_scorer_rejects_unknown_metric():
    with pytest.raises(ValueError, match=r"^metric_name must be one of \['qini_auc_score'"):
        make_uplift_scorer("roc_auc")


@pytest.mark.parametrize("treatment", [np.array(T), list(T), "treatment"])
def test_scorer_rejects_treatment_that_is_not_a_series(treatment):
    # TypeError, as scikit-uplift raises, so code written for it behaves the same
    with pytest.raises(TypeError, match="^treatment given to make_uplift_scorer must be"):
        make_uplift_scorer("qini_auc_score", treatment=treatment)


def test_non_numeric_input():
    message = _validation._MSG_NOT_NUMERIC.format(name="uplift", dtype=np.dtype("<U1"))
    with pytest.raises(ValueError, match=exact(message)):
        qini_auc_score(Y, list("abcdef"), T)


def test_qini_without_negative_effect_is_undefined_when_the_treated_do_worse():
    """The perfect curve without harm lies below random: NaN, never a reversed score."""
    y = [1, 0, 0, 0, 1, 1, 1, 0]
    t = [1, 1, 1, 1, 0, 0, 0, 0]
    perfect = [1, 0, 0, 0, -1, -1, -1, 0]  # oracle ordering
    for scores in (perfect, perfect[::-1], [0.5] * 8):
        with pytest.warns(UndefinedUpliftMetricWarning, match="negative_effect=True"):
            assert np.isnan(qini_auc_score(y, scores, t, negative_effect=False))
    # with negative effects allowed the score is defined, and 1 for the oracle
    best = qini_auc_score(y, perfect, t, negative_effect=True)
    reversed_order = qini_auc_score(y, [-s for s in perfect], t, negative_effect=True)
    assert reversed_order < best == pytest.approx(1.0)


def test_qini_without_negative_effect_stays_defined_when_the_treated_do_better():
    y = [1, 1, 1, 0, 1, 0, 0, 0]
    t = [1, 1, 1, 1, 0, 0, 0, 0]
    good = qini_auc_score(y, [4, 3, 2, 0, 0, 1, 1, 1], t, negative_effect=False)
    bad = qini_auc_score(y, [0, 1, 1, 4, 4, 3, 3, 3], t, negative_effect=False)
    assert np.isfinite([good, bad]).all()
    assert bad < 0.0 < good  # scikit-uplift's definition: can leave [-1, 1] when harm exists
