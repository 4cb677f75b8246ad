"""Hand-computed values of the curves and scores, and the kernel's contract.

Every expected number below was worked out by hand from the definitions
(Radcliffe's Qini gain ``Y_t - Y_c * N_t / N_c``; the uplift gain
``(Y_t / N_t - Y_c / N_c) * N``), not copied from the code's output.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from actionable.metrics import (
    UndefinedUpliftMetricWarning,
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
from actionable.metrics._kernel import cumulative_counts

# rows in decreasing score order: treated success, treated failure, control success,
# control failure
Y = [1, 0, 1, 0]
SCORE = [0.9, 0.8, 0.2, 0.1]
T = [1, 1, 0, 0]


def test_qini_curve_toy():
    n_targeted, gain = qini_curve(Y, SCORE, T)
    assert_array_equal(n_targeted, [0, 1, 2, 3, 4])
    # k=3: 1 - 1 * 2 / 1 = -1; k=4: 1 - 1 * 2 / 2 = 0
    assert_allclose(gain, [0, 1, 1, -1, 0])


def test_uplift_curve_toy():
    n_targeted, gain = uplift_curve(Y, SCORE, T)
    assert_array_equal(n_targeted, [0, 1, 2, 3, 4])
    # k=3: (1/2 - 1/1) * 3 = -1.5; a mean is 0 while its group is empty
    assert_allclose(gain, [0, 1, 1, -1.5, 0])


def test_tied_scores_form_one_threshold():
    n_targeted, gain = qini_curve(Y, [0.9, 0.5, 0.5, 0.1], T)
    assert_array_equal(n_targeted, [0, 1, 3, 4])
    assert_allclose(gain, [0, 1, -1, 0])
    # the order of tied rows never matters
    n_swapped, gain_swapped = qini_curve([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1], [1, 0, 1, 0])
    assert_array_equal(n_swapped, n_targeted)
    assert_allclose(gain_swapped, gain)


def test_all_scores_tied_gives_the_random_line_end_points():
    n_targeted, gain = qini_curve(Y, [0.5] * 4, T)
    assert_array_equal(n_targeted, [0, 4])
    assert_allclose(gain, [0, 0])


def test_perfect_curves_toy():
    # Qini oracle: treated successes, then all failures, then control successes
    n_targeted, gain = perfect_qini_curve(Y, T)
    assert_array_equal(n_targeted, [0, 1, 3, 4])
    assert_allclose(gain, [0, 1, 1, 0])
    # uplift oracle: treated successes, control failures, then treated failures
    # (control successes do not outweigh them), then control successes
    n_targeted, gain = perfect_uplift_curve(Y, T)
    assert_array_equal(n_targeted, [0, 1, 2, 3, 4])
    assert_allclose(gain, [0, 1, 2, 1.5, 0])


def test_perfect_uplift_curve_puts_heavier_control_successes_first():
    # 1 treated success, 1 treated failure, 2 control successes, 1 control failure
    y = [1, 0, 1, 1, 0]
    t = [1, 1, 0, 0, 0]
    n_targeted, gain = perfect_uplift_curve(y, t)
    assert_array_equal(n_targeted, [0, 1, 2, 4, 5])
    # k=4: (1/1 - 2/3) * 4 = 4/3; k=5: (1/2 - 2/3) * 5 = -5/6
    assert_allclose(gain, [0, 1, 2, 4 / 3, -5 / 6])


def test_perfect_qini_without_negative_effect():
    # total gain: 2 - 2 * 1 / 2 = 1, reached after one targeted sample
    n_targeted, gain = perfect_qini_curve([1, 1, 1, 0], [1, 1, 0, 0], negative_effect=False)
    assert_allclose(n_targeted, [0, 1, 4])
    assert_allclose(gain, [0, 1, 1])


def test_auc_scores_toy():
    y = [1, 0, 1, 0, 1, 0]
    t = [1, 1, 1, 0, 0, 0]
    score = [0.9, 0.1, 0.8, 0.7, 0.2, 0.3]
    # Qini points (0,0) (1,1) (2,2) (3,2) (4,2) (5,4/3) (6,1): area 53/6; random line 3;
    # perfect (0,0) (2,2) (5,2) (6,1): area 9.5 -> (53/6 - 3) / (9.5 - 3) = 35/39
    assert qini_auc_score(y, score, t) == pytest.approx(35 / 39, abs=1e-12)
    # the uplift curve of this ranking lies on the perfect uplift curve
    assert uplift_auc_score(y, score, t) == pytest.approx(1.0, abs=1e-12)
    # reversing the ranking is worse than random
    assert qini_auc_score(y, -np.asarray(score), t) < 0


def test_continuous_outcome_toy():
    spend = [10.0, 0.0, 4.0, 2.0]
    n_targeted, gain = qini_curve(spend, SCORE, T)
    # k=3: 10 - 4 * 2 / 1 = 2; k=4: 10 - 6 * 2 / 2 = 4
    assert_allclose(gain, [0, 10, 10, 2, 4])
    # oracle: treated by spend, then control by -spend: 10, 0, then control 2, then 4
    n_perfect, gain_perfect = perfect_qini_curve(spend, T)
    assert_allclose(gain_perfect, [0, 10, 10, 6, 4])
    # areas: model 24, perfect 28, random 8 -> (24 - 8) / (28 - 8)
    assert qini_auc_score(spend, SCORE, T) == pytest.approx(0.8, abs=1e-12)


def test_sample_weight_toy():
    n_targeted, gain = qini_curve(Y, SCORE, T, sample_weight=[2, 1, 1, 3])
    assert_allclose(n_targeted, [0, 2, 3, 4, 7])
    # k=4: 2 - 1 * 3 / 1 = -1; k=7: 2 - 1 * 3 / 4 = 1.25
    assert_allclose(gain, [0, 2, 2, -1, 1.25])


def test_uplift_at_k_toy():
    y = [1, 0, 1, 0, 0, 1, 0, 0]
    t = [1, 0, 1, 0, 1, 0, 1, 0]
    score = [8, 7, 6, 5, 4, 3, 2, 1]
    assert uplift_at_k(y, score, t, strategy="overall", k=0.5) == 1.0
    assert uplift_at_k(y, score, t, strategy="overall", k=6) == pytest.approx(2 / 3 - 1 / 3)
    assert uplift_at_k(y, score, t, strategy="by_group", k=2) == 1.0
    # 3 per group: treated 1, 1, 0; control 0, 0, 1
    assert uplift_at_k(y, score, t, strategy="by_group", k=0.75) == pytest.approx(2 / 3 - 1 / 3)
    # a fractional total weight cuts inside a row: 4.25 units = 4 rows + 1/4 of row 5
    # (treated, failure): treated mean 2 / 2.25, control mean 0
    weights = [1, 1, 1, 1, 1, 1, 1, 1.5]
    value = uplift_at_k(y, score, t, strategy="overall", k=0.5, sample_weight=weights)
    assert value == pytest.approx(2 / 2.25)


def test_uplift_at_k_breaks_ties_by_decreasing_row():
    # all scores tied: the top 2 are rows 3 (control, 0) and 2 (treated, 0)
    assert uplift_at_k([1, 0, 0, 0], [1, 1, 1, 1], [1, 0, 1, 0], k=2) == 0.0


def test_uplift_at_k_without_control_in_top_k_warns_and_returns_nan():
    with pytest.warns(UndefinedUpliftMetricWarning, match="no control sample"):
        value = uplift_at_k([1, 0, 1, 0], [4, 3, 2, 1], [1, 1, 0, 0], k=2)
    assert np.isnan(value)


def test_uplift_by_percentile_toy():
    y = [1, 1, 0, 0, 1, 0, 0, 0]
    t = [1, 0, 1, 0, 1, 0, 1, 0]
    table = uplift_by_percentile(y, [8, 7, 6, 5, 4, 3, 2, 1], t, bins=2, std=True, total=True)
    assert list(table.index) == ["0-50", "50-100", "total"]
    assert table.index.name == "percentile"
    assert_array_equal(table["n_treatment"], [2, 2, 4])
    assert table["n_treatment"].dtype == np.int32
    assert_allclose(table["response_rate_treatment"], [0.5, 0.5, 0.5])
    assert_allclose(table["response_rate_control"], [0.5, 0.0, 0.25])
    assert_allclose(table["uplift"], [0.0, 0.5, 0.25])
    # standard errors sqrt(p (1 - p) / n); the total row uses the overall rates
    assert_allclose(table["std_treatment"], [0.5 / np.sqrt(2), 0.5 / np.sqrt(2), 0.25])
    assert_allclose(table["std_control"], [0.5 / np.sqrt(2), 0.0, np.sqrt(0.25 * 0.75 / 4)])
    assert_allclose(table["std_uplift"].iloc[-1], np.sqrt(0.25**2 + 0.25 * 0.75 / 4), rtol=1e-12)
    numbers = uplift_by_percentile(y, [8, 7, 6, 5, 4, 3, 2, 1], t, bins=2, string_percentiles=False)
    assert list(numbers.index) == [50, 100]
    assert list(numbers.columns) == [
        "n_treatment",
        "n_control",
        "response_rate_treatment",
        "response_rate_control",
        "uplift",
    ]


def test_weighted_average_uplift_toy():
    y = [1, 1, 0, 0, 1, 0, 0, 0]
    t = [1, 0, 1, 0, 1, 0, 1, 0]
    # bins uplift 0 and 0.5, two treated samples each
    assert weighted_average_uplift(y, [8, 7, 6, 5, 4, 3, 2, 1], t, bins=2) == 0.25


def test_degenerate_input_warns_and_returns_nan():
    for score_function in (qini_auc_score, uplift_auc_score):
        with pytest.warns(UndefinedUpliftMetricWarning, match="undefined"):
            value = score_function([0, 0, 0, 0], [0.4, 0.3, 0.2, 0.1], [1, 0, 1, 0])
        assert np.isnan(value)


def test_empty_bins_warn():
    # 'by_group' with 3 bins but only 2 treated rows: one treated bin is empty
    with pytest.warns(UndefinedUpliftMetricWarning, match="1 of 3 bins contain no treatment"):
        table = uplift_by_percentile(
            [1, 0, 1, 0, 1, 0], [6, 5, 4, 3, 2, 1], [1, 1, 0, 0, 0, 0], "by_group", bins=3
        )
    assert table["uplift"].isna().sum() == 1


def test_kernel_strategies_agree(rng):
    """The counting, bincount and argsort strategies return the same counts."""
    n = 3000
    treatment = (rng.random(n) < 0.4).astype(float)
    y_binary = (rng.random(n) < 0.3).astype(float)
    spend = rng.gamma(2.0, size=n) * y_binary
    cases = [
        (y_binary, np.round(rng.normal(size=n), 1), None),  # counting, heavy ties
        (y_binary, rng.normal(size=n), None),  # counting, no ties
        (spend, np.round(rng.normal(size=n), 1), None),  # bincount
        (spend, rng.normal(size=n), rng.random(n)),  # argsort
    ]
    for y, score, weight in cases:
        counts = cumulative_counts(y, score, treatment, weight)
        order = np.argsort(-score, kind="stable")
        w = np.ones(n) if weight is None else weight
        for i, threshold in enumerate(counts.threshold):
            top = score >= threshold
            assert counts.index[i] + 1 == np.count_nonzero(top)
            assert counts.n[i] == pytest.approx(w[top].sum())
            assert counts.n_treated[i] == pytest.approx((w * treatment)[top].sum())
            assert counts.y_treated[i] == pytest.approx((w * treatment * y)[top].sum())
            assert counts.y_control[i] == pytest.approx((w * (1 - treatment) * y)[top].sum())
            if i > 20:
                break
        assert_array_equal(counts.threshold, np.unique(score)[::-1])
        assert counts.n[-1] == pytest.approx(w.sum())
        assert np.all(np.diff(score[order]) <= 0)


def test_float64_sums_on_many_rows():
    n = 2_000_001
    ones = np.ones(n)
    counts = cumulative_counts(ones, np.zeros(n), (np.arange(n) % 2).astype(float))
    assert counts.n[-1] == n
    assert counts.y_treated[-1] + counts.y_control[-1] == n
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qini_curve(ones[:10], np.arange(10.0), np.arange(10) % 2)


@pytest.mark.parametrize(
    "case", ["near_ties", "signed_zeros", "distinct", "extreme_magnitudes", "large_tied"]
)
def test_counting_paths_agree_with_the_summing_path(rng, case):
    """Binary outcomes without weights are counted (integer keys carrying labels, or
    group-wise sorts); unit weights force the summing path. Both must agree exactly,
    including scores one ulp apart (which the integer keys cannot order) and -0.0."""
    n = 6000
    base = rng.normal(size=n)
    if case == "near_ties":
        base[1::2] = np.nextafter(base[::2], np.inf)  # pairs one ulp apart, no exact tie
    elif case == "signed_zeros":
        base[: n // 3] = 0.0
        base[n // 3 : n // 2] = -0.0
    elif case == "extreme_magnitudes":
        base = base * 10.0 ** rng.integers(-300, 300, size=n)
    elif case == "large_tied":
        base = np.round(base, 2)
    t = rng.integers(0, 2, n)
    y = rng.integers(0, 2, n)
    ones = np.ones(n)
    for curve in (qini_curve, uplift_curve):
        expected = curve(y, base, t, sample_weight=ones)
        actual = curve(y, base, t)
        assert_array_equal(actual[0], expected[0])
        assert_allclose(actual[1], expected[1], rtol=0, atol=1e-9)
    for score in (qini_auc_score, uplift_auc_score):
        assert score(y, base, t) == pytest.approx(score(y, base, t, sample_weight=ones), abs=1e-12)
    counts = cumulative_counts(y.astype(float), base, t.astype(float))
    assert_array_equal(counts.threshold, np.unique(base)[::-1])
    assert counts.index[-1] == n - 1


def test_the_unit_step_area_is_the_trapezoid_area():
    """One row per point (x = 1..n, from the origin): sum of y less half the last one."""
    from actionable.metrics._common import area

    y = np.array([0.5, -1.0, 2.0, 4.0])
    x = np.arange(1.0, 5.0)
    # trapezoids from (0, 0): 0.25 + (-0.25) + 0.5 + 3.0
    assert area(x, y, from_origin=True) == pytest.approx(3.5)
    assert area(x, y, from_origin=True, unit_steps=True) == pytest.approx(3.5)
    batch = np.vstack([y, 2 * y])
    assert_allclose(area(x, batch, from_origin=True, unit_steps=True), [3.5, 7.0])


def test_continuous_scores_take_the_unit_step_area_with_the_same_result():
    rng = np.random.default_rng(4)
    y, t = rng.integers(0, 2, 20_000), rng.integers(0, 2, 20_000)
    score = rng.normal(size=20_000)  # distinct: the unit-step path
    tied = np.round(score, 1)  # ties: the general path, and a check of the other
    for s in (score, tied):
        expected = np.trapezoid(*qini_curve(y, s, t)[::-1])
        found = qini_auc_score(y, s, t)
        x, gain = qini_curve(y, s, t)
        x_p, gain_p = perfect_qini_curve(y, t)
        random = x[-1] * gain[-1] / 2
        ratio = (expected - random) / (np.trapezoid(gain_p, x_p) - random)
        assert found == pytest.approx(ratio, rel=1e-9)
