"""What the three curve Displays share (one base), checked on all of them at once."""

import ast
import inspect

import numpy as np
import pytest

from actionable.economics import (
    CostModel,
    LiftupCurveDisplay,
    ProfitCurveDisplay,
    best_targeting,
    profit_curve_ci,
)
from actionable.metrics import UpliftCurveDisplay
from actionable.metrics._plot import CurveDisplayMixin

COSTS = CostModel(10.0, 0.5)
DISPLAYS = {
    UpliftCurveDisplay: {},
    ProfitCurveDisplay: {"cost_model": COSTS},
    LiftupCurveDisplay: {},
}


@pytest.fixture
def campaign():
    rng = np.random.default_rng(0)
    treatment = rng.integers(0, 2, 600)
    score = rng.random(600)
    y = (rng.random(600) < 0.3 + 0.3 * treatment * (score > 0.6)).astype(float)
    return y, score, treatment


@pytest.mark.parametrize("display", DISPLAYS)
def test_every_display_shares_the_base(display):
    assert issubclass(display, CurveDisplayMixin)


@pytest.mark.parametrize("display", DISPLAYS)
def test_several_models_on_one_axis_and_the_estimator_name(pyplot, campaign, display):
    y, score, treatment = campaign

    class FirstColumn:
        def predict(self, X):
            return np.asarray(X)[:, 0]

    first = display.from_predictions(y, score, treatment, name="first", **DISPLAYS[display])
    second = display.from_estimator(
        FirstColumn(), score.reshape(-1, 1), y, treatment, ax=first.ax_, **DISPLAYS[display]
    )
    assert second.ax_ is first.ax_
    assert first.figure_ is first.ax_.figure
    assert second.line_.get_label().startswith("FirstColumn")
    assert first.line_.get_label().startswith("first")
    np.testing.assert_array_equal(first.line_.get_ydata(), second.line_.get_ydata())
    legend = [text.get_text() for text in first.ax_.get_legend().get_texts()]
    assert second.line_.get_label() in legend


@pytest.mark.parametrize("display", DISPLAYS)
def test_a_bad_ax_is_refused(campaign, display):
    y, score, treatment = campaign
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes or None; got str"):
        display.from_predictions(y, score, treatment, ax="axes", **DISPLAYS[display])


def test_profit_display_shows_the_public_functions(campaign):
    y, score, treatment = campaign
    display = ProfitCurveDisplay.from_predictions(
        y, score, treatment, cost_model=COSTS, n_bootstraps=30, random_state=0, plot=False
    )
    n, band = profit_curve_ci(
        y, score, treatment, cost_model=COSTS, n_bootstraps=30, random_state=0
    )
    np.testing.assert_array_equal(display.n_targeted, n)
    np.testing.assert_array_equal(display.profit, band.estimate)
    np.testing.assert_array_equal(display.profit_low, band.low)
    np.testing.assert_array_equal(display.profit_high, band.high)
    best = best_targeting(y, score, treatment, cost_model=COSTS, n_bootstraps=None)
    assert display.best == best


@pytest.mark.parametrize("display", DISPLAYS)
def test_from_predictions_imports_only_public_names(display):
    """A Display stores and plots; what it shows comes from public functions."""
    module = inspect.getmodule(display)
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or "actionable" in node.module):
            names = [alias.name for alias in node.names]
            assert not [n for n in names if n.startswith("_")], (module.__name__, names)
