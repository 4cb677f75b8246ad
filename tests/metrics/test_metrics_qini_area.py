"""The Qini area of untied scores without the curve (``qini_auc_score``'s fast path).

Every case is scored twice: by ``qini_auc_score`` (which takes the fast path where
it applies) and by the general path (validated float inputs, cumulative counts and
the curve), which must agree to 1e-9; and the fast path must decline exactly where
it does not apply, so that the general path's checks and messages hold.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from actionable.metrics import UndefinedUpliftMetricWarning, qini_auc_score
from actionable.metrics._common import check_inputs
from actionable.metrics._qini_area import qini_area_of_distinct_scores
from actionable.metrics._scores import auc_score


def _general(y, score, t, negative_effect=True):
    return auc_score(*check_inputs(y, score, t), "qini", negative_effect, fast_path=False)


def _both(y, score, t, negative_effect=True):
    """Both paths' scores and the warnings each raised."""
    results = []
    for path in (qini_auc_score, _general):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = path(y, score, t, negative_effect)
        results.append((value, [w.category for w in caught]))
    return results


@st.composite
def untied_experiments(draw, min_size=2, max_size=80):
    n = draw(st.integers(min_size, max_size))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    t = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    assume(0 < t.sum() < n)
    score = np.array(draw(st.permutations(range(n)))) / 3.0 - n / 7.0
    return y, score, t


@settings(max_examples=300, deadline=None)
@given(untied_experiments(), st.booleans())
def test_the_fast_path_takes_untied_scores_and_matches_the_general_path(case, negative_effect):
    y, score, t = case
    assert qini_area_of_distinct_scores(y, score, t) is not None
    (fast, fast_warnings), (general, general_warnings) = _both(y, score, t, negative_effect)
    assert fast == pytest.approx(general, abs=1e-9, nan_ok=True)
    assert fast_warnings == general_warnings


@pytest.mark.parametrize("n", [50_000, 300_000])
def test_many_rows_with_an_all_treated_head_match_the_general_path(rng, n):
    t = rng.integers(0, 2, n)
    score = rng.normal(size=n)
    y = (rng.random(n) < 0.15 + 0.1 * t * (score > 0)).astype(np.int64)
    t[score > 2.0] = 1  # the best-ranked rows are all treated: N_c is 0 there
    for negative_effect in (True, False):
        (fast, _), (general, _) = _both(y, score, t, negative_effect)
        assert np.isfinite(fast)
        assert fast == pytest.approx(general, abs=1e-9)


@pytest.mark.parametrize(
    "convert",
    [
        lambda v: v.astype(bool),
        lambda v: v.astype(np.float32),
        lambda v: v.astype(np.uint8),
        lambda v: pd.Series(v.astype(np.int32)),
        list,
    ],
    ids=["bool", "float32", "uint8", "series", "list"],
)
def test_every_binary_input_type_takes_the_fast_path(rng, convert):
    n = 2_000
    y, t, score = rng.integers(0, 2, n), rng.integers(0, 2, n), rng.normal(size=n)
    assert qini_area_of_distinct_scores(convert(y), score, convert(t)) is not None
    assert qini_auc_score(convert(y), score, convert(t)) == pytest.approx(
        _general(y, score, t), abs=1e-9
    )


def _case(rng, n=500):
    return rng.integers(0, 2, n), rng.normal(size=n), rng.integers(0, 2, n)


def test_ties_and_signed_zeros_are_left_to_the_general_path(rng):
    y, score, t = _case(rng)
    tied = score.copy()
    tied[1] = tied[0]
    assert qini_area_of_distinct_scores(y, tied, t) is None
    zeros = score.copy()
    zeros[:2] = [0.0, -0.0]  # equal scores with different bits
    assert qini_area_of_distinct_scores(y, zeros, t) is None
    near = score.copy()
    near[1] = np.nextafter(near[0], np.inf)  # distinct, but within the label bits
    assert qini_area_of_distinct_scores(y, near, t) is None
    for scores in (tied, zeros, near):
        assert qini_auc_score(y, scores, t) == pytest.approx(_general(y, scores, t), abs=1e-12)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda y, s, t: (np.where(y == 1, 2, 0), s, t), None),  # continuous-looking outcome
        (lambda y, s, t: (y, s, np.where(t == 1, 2, 0)), "treatment"),
        (lambda y, s, t: (y, s, -t), "treatment"),
        (lambda y, s, t: (y, s, np.ones_like(t)), "control"),
        (lambda y, s, t: (y, s, np.zeros_like(t)), "treated"),
        (lambda y, s, t: (y, s[:-1], t), "length"),
        (lambda y, s, t: (y.astype(float) + 0.5, s, t), None),
    ],
)
def test_inputs_outside_the_fast_path_get_the_general_answer(rng, change, message):
    y, score, t = change(*_case(rng))
    assert qini_area_of_distinct_scores(y, score, t) is None
    if message is None:  # a valid continuous outcome: the general path scores it
        assert np.isfinite(qini_auc_score(y, score, t))
    else:
        with pytest.raises(ValueError, match=message):
            qini_auc_score(y, score, t)


def test_a_nan_score_raises_the_general_message(rng):
    y, score, t = _case(rng)
    score[7] = np.nan
    with pytest.raises(ValueError, match="uplift contains NaN") as fast:
        qini_area_of_distinct_scores(y, score, t)
    with pytest.raises(ValueError, match="position 7") as general:
        check_inputs(y, score, t)
    assert str(fast.value) == str(general.value)


def test_a_negative_total_gain_without_negative_effects_warns_from_the_fast_path():
    y = np.array([1, 0, 0, 0, 1, 1, 1, 0])
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    assert qini_area_of_distinct_scores(y, score, t) is not None
    with pytest.warns(UndefinedUpliftMetricWarning) as caught:
        assert np.isnan(qini_auc_score(y, score, t, negative_effect=False))
    assert caught[0].filename == __file__  # the warning points at the caller


def test_inputs_the_general_path_checks_first_are_left_to_it(rng):
    y, score, t = _case(rng)
    for uplift in (None, score[:-1], np.r_[score, np.nan], np.array([]), score[:, None]):
        assert qini_area_of_distinct_scores(y, uplift, t) is None
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        qini_auc_score(y, np.r_[score, np.nan], t)


def test_big_endian_outcomes_are_read_by_value():
    y = np.array([1 << 24, 0, 0, 1 << 24], dtype=">i4")  # not 0/1: a continuous outcome
    score, t = np.array([0.4, 0.3, 0.2, 0.1]), np.array([1, 0, 1, 0])
    assert qini_area_of_distinct_scores(y, score, t) is None
    assert qini_auc_score(y, score, t) == pytest.approx(_general(y.astype(float), score, t))
    binary = np.array([1, 0, 0, 1], dtype=">i8")
    assert qini_auc_score(binary, score, t) == pytest.approx(_general(binary, score, t))


def test_the_sums_over_control_rows_switch_to_floats_where_integers_could_overflow(monkeypatch):
    from actionable.metrics import _qini_area

    labels = np.array([3, 0, 2, 1, 3, 0, 1, 2], dtype=np.uint8)
    exact = _qini_area._area_of_ranked_labels(labels)
    monkeypatch.setattr(_qini_area, "_exact_type", lambda n: np.float64)
    assert _qini_area._area_of_ranked_labels(labels) == pytest.approx(exact, rel=1e-15)
    monkeypatch.undo()
    assert _qini_area._exact_type(2**31 - 1) is np.int64
    assert _qini_area._exact_type(2**31) is np.float64
