"""UpliftCurveDisplay: computed values, plotted lines, several models on one axis."""

import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from actionable.metrics import (
    UpliftCurveDisplay,
    perfect_qini_curve,
    perfect_uplift_curve,
    qini_auc_score,
    qini_curve,
    uplift_auc_score,
    uplift_curve,
)


@pytest.fixture
def data(rng):
    n = 400
    t = rng.integers(0, 2, n)
    score = rng.normal(size=n)
    y = (rng.random(n) < 0.3 + 0.3 * t * (score > 0)).astype(int)
    return y, score, t


def test_numbers_without_plotting():
    display = UpliftCurveDisplay(n_targeted=[0, 1, 2], gain=[0, 1, 0.5], auc=0.3, name="m")
    assert_allclose(display.random_n_targeted, [0, 2])
    assert_allclose(display.random_gain, [0, 0.5])
    assert display.auc == 0.3
    assert display.kind == "qini"
    assert not hasattr(display, "line_")


def test_import_does_not_load_matplotlib():
    code = (
        "import sys, actionable.metrics as m; "
        "m.UpliftCurveDisplay(n_targeted=[0, 1], gain=[0, 1]); "
        "print('matplotlib' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


@pytest.mark.parametrize(
    ("kind", "curve", "perfect", "score"),
    [
        ("qini", qini_curve, perfect_qini_curve, qini_auc_score),
        ("uplift", uplift_curve, perfect_uplift_curve, uplift_auc_score),
    ],
)
def test_from_predictions_matches_the_metric_functions(pyplot, data, kind, curve, perfect, score):
    y, uplift, t = data
    display = UpliftCurveDisplay.from_predictions(
        y, uplift, t, kind=kind, name="model", plot_perfect=True
    )
    expected_x, expected_gain = curve(y, uplift, t)
    assert_allclose(display.n_targeted, expected_x)
    assert_allclose(display.gain, expected_gain)
    assert display.auc == pytest.approx(score(y, uplift, t), abs=1e-12)
    perfect_x, perfect_gain = perfect(y, t)
    assert_allclose(display.perfect_n_targeted, perfect_x)
    assert_allclose(display.perfect_gain, perfect_gain)
    assert display.kind == kind

    assert_allclose(display.line_.get_xdata(), expected_x)
    assert_allclose(display.line_.get_ydata(), expected_gain)
    assert display.line_.get_label().startswith("model (")
    assert f"{display.auc:.3f}" in display.line_.get_label()
    assert_allclose(display.random_line_.get_ydata(), [0, expected_gain[-1]])
    assert_allclose(display.perfect_line_.get_ydata(), perfect_gain)
    assert display.ax_.get_xlabel() == "Number targeted"
    assert display.ax_.get_ylabel() == "Incremental successes"
    assert display.figure_ is display.ax_.figure
    assert len(display.ax_.lines) == 3


def test_two_models_on_one_axis(pyplot, data):
    y, uplift, t = data
    first = UpliftCurveDisplay.from_predictions(y, uplift, t, name="uplift model")
    second = UpliftCurveDisplay.from_predictions(y, -uplift, t, name="outcome model", ax=first.ax_)
    assert second.ax_ is first.ax_
    labels = [line.get_label() for line in first.ax_.lines]
    # the shared random line is drawn once
    assert len(labels) == 3
    assert labels.count("Random") == 1
    assert labels[0].startswith("uplift model")
    assert labels[2].startswith("outcome model")
    legend = [text.get_text() for text in first.ax_.get_legend().get_texts()]
    assert legend == labels


def test_plot_again_with_custom_styles(pyplot, data):
    y, uplift, t = data
    display = UpliftCurveDisplay.from_predictions(y, uplift, t, plot_random=False)
    assert display.random_line_ is None
    _, ax = pyplot.subplots()
    display.plot(ax=ax, name="renamed", curve_kwargs={"color": "red", "linewidth": 3})
    assert display.ax_ is ax
    assert display.line_.get_label().startswith("renamed")
    assert display.line_.get_color() == "red"
    assert display.line_.get_linewidth() == 3


def test_from_estimator_uses_predict_and_class_name(pyplot, data):
    y, uplift, t = data

    class ScoreLookup:
        def predict(self, X):
            return np.asarray(X)[:, 0]

    X = np.column_stack([uplift, np.zeros_like(uplift)])
    display = UpliftCurveDisplay.from_estimator(ScoreLookup(), X, y, t, kind="uplift")
    assert display.name == "ScoreLookup"
    assert display.auc == pytest.approx(uplift_auc_score(y, uplift, t))


def test_continuous_outcome_and_weights(pyplot, data, rng):
    y, uplift, t = data
    spend = y * rng.gamma(2.0, 10.0, size=y.size)
    weights = rng.integers(1, 3, size=y.size)
    display = UpliftCurveDisplay.from_predictions(spend, uplift, t, sample_weight=weights)
    assert display.ax_.get_ylabel() == "Incremental outcome"
    assert display.auc == pytest.approx(qini_auc_score(spend, uplift, t, sample_weight=weights))
    assert display.n_targeted[-1] == weights.sum()


def test_plot_perfect_needs_the_perfect_curve(pyplot):
    display = UpliftCurveDisplay(n_targeted=[0, 1, 2], gain=[0, 1, 0.5])
    with pytest.raises(ValueError, match="plot_perfect=True needs perfect_n_targeted"):
        display.plot(plot_perfect=True)
