"""Parity with scikit-uplift 0.5.1 on hundreds of random, heavily tied cases.

scikit-uplift is the oracle here only (never imported by actionable). It imports
fine under scikit-learn 1.9, so no shim is needed; its calls to the deprecated
``stable_cumsum`` are filtered in pyproject.toml.

Known, deliberate differences (each asserted below, not skipped silently):

* ``perfect_qini_curve(negative_effect=False)`` when the total gain is negative:
  scikit-uplift places the knee at a negative number of targeted samples (and
  its ``qini_auc_score`` then raises); we clip it at 0.
* ``uplift_by_percentile(total=True, std=True)``: scikit-uplift's total row
  reports the *sum* of the per-bin standard errors; ours reports the standard
  error of the overall rates.
* Degenerate scores: scikit-uplift raises ``ZeroDivisionError``; we warn and
  return NaN.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import actionable.metrics as ours

sklift_metrics = pytest.importorskip("sklift.metrics")

ATOL = 1e-9

# scikit-uplift takes means of empty slices (a group absent from a bin or from the
# top k), which numpy reports with RuntimeWarnings; we return NaN with our warning.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore::actionable.metrics.UndefinedUpliftMetricWarning"),
    # scikit-uplift calls DataFrame.set_index(inplace=False), deprecated in pandas 3.1
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.set_index"),
]


@st.composite
def experiments(draw, min_size=4, max_size=60):
    """Binary outcome and treatment with both classes, and scores with many ties."""
    n = draw(st.integers(min_size, max_size))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    t = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    assume(0 < y.sum() < n and 0 < t.sum() < n)
    n_levels = draw(st.integers(1, n))
    levels = np.array(draw(st.lists(st.integers(-n, n), min_size=n, max_size=n)))
    score = (levels % n_levels) / 7.0 - 0.3
    return y, score, t


def _same_curve(actual, expected):
    assert_allclose(actual[0], expected[0], atol=ATOL, rtol=0)
    assert_allclose(actual[1], expected[1], atol=ATOL, rtol=0)


@settings(max_examples=250, deadline=None)
@given(experiments())
def test_curves_match_sklift(case):
    y, score, t = case
    _same_curve(ours.uplift_curve(y, score, t), sklift_metrics.uplift_curve(y, score, t))
    _same_curve(ours.qini_curve(y, score, t), sklift_metrics.qini_curve(y, score, t))
    _same_curve(ours.perfect_uplift_curve(y, t), sklift_metrics.perfect_uplift_curve(y, t))
    _same_curve(ours.perfect_qini_curve(y, t), sklift_metrics.perfect_qini_curve(y, t))
    expected = sklift_metrics.perfect_qini_curve(y, t, negative_effect=False)
    actual = ours.perfect_qini_curve(y, t, negative_effect=False)
    if expected[0][1] >= 0:
        _same_curve(actual, expected)
    else:  # deliberate: the knee is clipped at 0 targeted samples
        assert actual[0][1] == 0.0
        assert_allclose(actual[1], expected[1], atol=ATOL)


@settings(max_examples=250, deadline=None)
@given(experiments(), st.booleans())
def test_auc_scores_match_sklift(case, negative_effect):
    y, score, t = case
    for name, args in (("uplift_auc_score", ()), ("qini_auc_score", (negative_effect,))):
        try:
            expected = getattr(sklift_metrics, name)(y, score, t, *args)
        except ZeroDivisionError:
            assert np.isnan(getattr(ours, name)(y, score, t, *args))
            continue
        except ValueError:  # sklearn.metrics.auc: knee at a negative x (see module doc)
            assert not negative_effect
            continue
        actual = getattr(ours, name)(y, score, t, *args)
        assert actual == pytest.approx(expected, abs=ATOL, nan_ok=True)


@settings(max_examples=200, deadline=None)
@given(experiments(min_size=2, max_size=200), st.booleans(), st.integers(0, 2**32 - 1))
def test_qini_auc_score_of_untied_scores_matches_sklift(case, negative_effect, seed):
    """Distinct scores take qini_auc_score's fast path (the area without the curve)."""
    y, _, t = case
    score = np.random.default_rng(seed).permutation(y.size) / 3.0 - 1.0
    try:
        expected = sklift_metrics.qini_auc_score(y, score, t, negative_effect)
    except ZeroDivisionError:
        assert np.isnan(ours.qini_auc_score(y, score, t, negative_effect))
        return
    except ValueError:  # sklearn.metrics.auc: knee at a negative x (see module doc)
        assert not negative_effect
        return
    actual = ours.qini_auc_score(y, score, t, negative_effect)
    assert actual == pytest.approx(expected, abs=ATOL, nan_ok=True)


@settings(max_examples=200, deadline=None)
@given(
    experiments(),
    st.sampled_from(["overall", "by_group"]),
    st.one_of(st.floats(0.05, 0.95), st.integers(1, 30)),
)
def test_uplift_at_k_matches_sklift(case, strategy, k):
    y, score, t = case
    try:
        expected = sklift_metrics.uplift_at_k(y, score, t, strategy, k)
    except ValueError:
        return  # sklift rejects k (>= n, or more than a group holds); covered elsewhere
    actual = ours.uplift_at_k(y, score, t, strategy, k)
    assert actual == pytest.approx(expected, abs=ATOL, nan_ok=True)


@settings(max_examples=80, deadline=None)
@given(
    experiments(min_size=6),
    st.sampled_from(["overall", "by_group"]),
    st.integers(1, 12),
    st.booleans(),
)
def test_percentile_table_matches_sklift(case, strategy, bins, string_percentiles):
    y, score, t = case
    assume(bins < y.size)
    # under pandas 3, scikit-uplift fails to add its 'total' row to numeric percentiles
    total = string_percentiles
    expected = sklift_metrics.uplift_by_percentile(
        y, score, t, strategy, bins, std=True, total=total, string_percentiles=string_percentiles
    )
    actual = ours.uplift_by_percentile(
        y, score, t, strategy, bins, std=True, total=total, string_percentiles=string_percentiles
    )
    assert list(actual.columns) == list(expected.columns)
    assert list(actual.index) == list(expected.index)
    assert actual.index.name == expected.index.name
    assert (actual.dtypes == expected.dtypes).all()
    n_bins = len(actual) - total
    assert_allclose(
        actual.iloc[:n_bins].to_numpy(float), expected.iloc[:n_bins].to_numpy(float), atol=ATOL
    )
    expected_average = sklift_metrics.weighted_average_uplift(y, score, t, strategy, bins)
    actual_average = ours.weighted_average_uplift(y, score, t, strategy, bins)
    assert actual_average == pytest.approx(expected_average, abs=ATOL, nan_ok=True)
    if not total:
        return
    # total row: identical sizes, rates and uplift ...
    assert_allclose(actual.iloc[-1, :5].to_numpy(float), expected.iloc[-1, :5].to_numpy(float))
    # ... but the standard error of the overall rates, not the sum of the bins' (see above)
    total_row = actual.iloc[-1]
    rate = total_row["response_rate_treatment"]
    assert total_row["std_treatment"] == pytest.approx(
        np.sqrt(rate * (1 - rate) / total_row["n_treatment"])
    )


def test_larger_random_case_matches_sklift(rng):
    n = 20_000
    y = (rng.random(n) < 0.3).astype(int)
    t = (rng.random(n) < 0.5).astype(int)
    score = np.round(rng.normal(size=n), 2)
    for scores in (score, score + rng.normal(scale=1e-4, size=n)):  # tied, then distinct
        assert ours.qini_auc_score(y, scores, t) == pytest.approx(
            sklift_metrics.qini_auc_score(y, scores, t), abs=ATOL
        )
    assert ours.uplift_auc_score(y, score, t) == pytest.approx(
        sklift_metrics.uplift_auc_score(y, score, t), abs=ATOL
    )
    _same_curve(ours.qini_curve(y, score, t), sklift_metrics.qini_curve(y, score, t))
