"""ProfitCurveDisplay: numbers without matplotlib, artists with it."""

import re

import numpy as np
import pytest

from actionable.economics import (
    CostModel,
    ProfitCurveDisplay,
    best_targeting_from_truth,
    profit_curve,
    profit_curve_from_truth,
)


@pytest.fixture
def experiment(rng):
    n_samples = 1500
    x = rng.random(n_samples)
    p0 = 0.6 - 0.4 * x
    effect = np.where(x > 0.6, 0.3, -0.05)
    u = rng.random(n_samples)
    y0 = (u < p0).astype(float)
    y1 = (u < p0 + effect).astype(float)
    treatment = (rng.random(n_samples) < 0.5).astype(float)
    y = np.where(treatment == 1, y1, y0)
    uplift = effect + 0.1 * rng.standard_normal(n_samples)
    risk = 1 - p0 + 0.1 * rng.standard_normal(n_samples)
    return {"y": y, "treatment": treatment, "y0": y0, "y1": y1, "uplift": uplift, "risk": risk}


def test_numbers_without_plotting(experiment):
    costs = CostModel(40, 2, capacity=0.2)
    display = ProfitCurveDisplay.from_predictions(
        experiment["y"],
        experiment["uplift"],
        experiment["treatment"],
        cost_model=costs,
        name="uplift",
        plot=False,
    )
    n, profit = profit_curve(
        experiment["y"], experiment["uplift"], experiment["treatment"], cost_model=costs
    )
    np.testing.assert_array_equal(display.n_targeted, n)
    np.testing.assert_array_equal(display.profit, profit)
    assert display.n_total == 1500
    assert display.capacity == pytest.approx(300)
    np.testing.assert_allclose(display.random_n_targeted, [0, 1500])
    np.testing.assert_allclose(display.random_profit, [0, profit[-1]])
    assert display.oracle_profit is None
    assert display.best.n_targeted <= 300
    assert not display.exact
    assert not hasattr(display, "ax_")


def test_plot_attributes(pyplot, experiment):
    costs = CostModel(40, 2, capacity=300)
    display = ProfitCurveDisplay.from_predictions(
        experiment["y"],
        experiment["uplift"],
        experiment["treatment"],
        cost_model=costs,
        name="uplift model",
        n_bootstraps=20,
        random_state=0,
    )
    assert display.ax_.figure is display.figure_
    assert display.line_.get_label().startswith("uplift model (best $")
    np.testing.assert_array_equal(display.line_.get_ydata(), display.profit)
    np.testing.assert_allclose(display.random_line_.get_xdata(), [0, 1500])
    np.testing.assert_allclose(display.capacity_line_.get_xdata(), [300, 300])
    assert display.capacity_line_.get_label() == "capacity (300)"
    assert display.interval_ is not None
    assert display.oracle_line_ is None
    np.testing.assert_allclose(display.best_marker_.get_xdata(), [display.best.n_targeted])
    np.testing.assert_allclose(display.best_marker_.get_ydata(), [display.best.profit])
    assert display.ax_.get_xlabel() == "Number contacted"
    assert display.ax_.get_ylabel() == "Expected profit ($)"
    legend = [text.get_text() for text in display.ax_.get_legend().get_texts()]
    assert "random" in legend
    assert "capacity (300)" in legend
    assert np.all(display.profit_low <= display.profit_high)


def test_several_policies_on_one_axis_with_oracle(pyplot, experiment):
    costs = CostModel(40, 2, 5, incentive_paid="on_success", capacity=0.3)
    truth = (experiment["y0"], experiment["y1"])
    uplift = ProfitCurveDisplay.from_predictions(
        None,
        experiment["uplift"],
        None,
        cost_model=costs,
        truth=truth,
        name="uplift",
        currency="€",
    )
    risk = ProfitCurveDisplay.from_predictions(
        None,
        experiment["risk"],
        None,
        cost_model=costs,
        truth=truth,
        name="churn risk",
        ax=uplift.ax_,
        plot_random=False,
        plot_oracle=False,
        mark_capacity=False,
        currency="€",
    )
    assert risk.ax_ is uplift.ax_
    assert risk.random_line_ is None
    assert risk.oracle_line_ is None
    assert risk.capacity_line_ is None
    lines = [line.get_label() for line in uplift.ax_.get_lines()]
    assert any(label.startswith("uplift (best €") for label in lines)
    assert any(label.startswith("churn risk (best €") for label in lines)
    assert "oracle" in lines
    assert uplift.ax_.get_ylabel() == "Profit (€)"
    # exact curves
    n, exact = profit_curve_from_truth(*truth, experiment["uplift"], cost_model=costs)
    np.testing.assert_array_equal(uplift.profit, exact)
    assert uplift.exact
    # the default oracle ranks people by their exact profit: an upper bound for any policy
    oracle_best = uplift.oracle_profit.max()
    assert oracle_best >= uplift.profit.max()
    assert oracle_best >= risk.profit.max()
    individual = 40 * (truth[1] - truth[0]) - 2 - 5 * truth[1]
    assert oracle_best == pytest.approx(individual[individual > 0].sum())
    # the best choices equal best_targeting_from_truth
    expected = best_targeting_from_truth(*truth, experiment["risk"], cost_model=costs)
    assert risk.best.profit == pytest.approx(expected.profit)
    assert uplift.best.profit > risk.best.profit


def test_oracle_score_and_fraction_axis(pyplot, experiment):
    costs = CostModel(40, 2)
    truth = (experiment["y0"], experiment["y1"])
    true_effect = experiment["y1"] - experiment["y0"]
    display = ProfitCurveDisplay.from_predictions(
        experiment["y"],
        experiment["uplift"],
        experiment["treatment"],
        cost_model=costs,
        truth=truth,
        oracle_score=true_effect,
        x_axis="fraction",
    )
    _, oracle = profit_curve_from_truth(*truth, true_effect, cost_model=costs)
    np.testing.assert_array_equal(display.oracle_profit, oracle)
    assert display.ax_.get_xlabel() == "Fraction contacted"
    assert display.line_.get_xdata()[-1] == pytest.approx(1.0)
    assert display.capacity_line_ is None  # no capacity


def test_from_estimator(pyplot, experiment):
    class ScoreFromColumn:
        def predict(self, X):
            return np.asarray(X)[:, 0]

    X = experiment["uplift"].reshape(-1, 1)
    display = ProfitCurveDisplay.from_estimator(
        ScoreFromColumn(),
        X,
        experiment["y"],
        experiment["treatment"],
        cost_model=CostModel(40, 2),
    )
    assert display.name == "ScoreFromColumn"
    direct = ProfitCurveDisplay.from_predictions(
        experiment["y"],
        experiment["uplift"],
        experiment["treatment"],
        cost_model=CostModel(40, 2),
        plot=False,
    )
    np.testing.assert_array_equal(display.profit, direct.profit)


def test_bad_inputs(pyplot, experiment):
    costs = CostModel(1.0)
    with pytest.raises(ValueError, match=re.escape("truth must be a pair (y0, y1)")):
        ProfitCurveDisplay.from_predictions(
            None, experiment["uplift"], None, cost_model=costs, truth=experiment["y0"]
        )
    with pytest.raises(ValueError, match="y_true and treatment are required"):
        ProfitCurveDisplay.from_predictions(None, experiment["uplift"], None, cost_model=costs)
    display = ProfitCurveDisplay.from_predictions(
        experiment["y"],
        experiment["uplift"],
        experiment["treatment"],
        cost_model=costs,
        plot=False,
    )
    with pytest.raises(ValueError, match=re.escape("x_axis must be 'count' or 'fraction'")):
        display.plot(x_axis="percent")


def test_from_estimator_ranks_a_naive_outcome_model_by_its_risk(pyplot):
    # an outcome model's predict returns classes (0/1): three distinct "scores", no ranking
    from actionable.datasets import make_churn
    from actionable.economics import LiftupCurveDisplay
    from actionable.metrics import UpliftCurveDisplay
    from actionable.models import OutcomeClassifier

    train, test = make_churn(3000, random_state=0), make_churn(2000, random_state=1)
    model = OutcomeClassifier(train_on="control", random_state=0)
    model.fit(train.X, train.y, train.treatment)
    risk = model.predict_risk(test.X)
    costs = CostModel(200.0, 10.0)
    by_estimator = ProfitCurveDisplay.from_estimator(
        model, test.X, test.y, test.treatment, cost_model=costs
    )
    by_risk = ProfitCurveDisplay.from_predictions(test.y, risk, test.treatment, cost_model=costs)
    assert by_estimator.n_targeted.size == test.n_samples + 1
    np.testing.assert_array_equal(by_estimator.profit, by_risk.profit)
    uplift = UpliftCurveDisplay.from_estimator(model, test.X, test.y, test.treatment)
    expected = UpliftCurveDisplay.from_predictions(test.y, risk, test.treatment)
    np.testing.assert_array_equal(uplift.gain, expected.gain)
    liftup = LiftupCurveDisplay.from_estimator(model, test.X, test.y, test.treatment)
    expected = LiftupCurveDisplay.from_predictions(test.y, risk, test.treatment)
    np.testing.assert_array_equal(liftup.line_.get_ydata(), expected.line_.get_ydata())
