"""make_churn: a synthetic churn world whose truth is known and whose structure is fixed."""

import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from actionable._validation import first_non_binary
from actionable.datasets import UpliftDataset, make_churn
from actionable.economics import CostModel, profit_curve_from_truth

TYPES = ["persuadable", "sure thing", "lost cause", "sleeping dog"]
DEFAULT_MIX = {"persuadable": 0.22, "sure thing": 0.45, "lost cause": 0.23, "sleeping dog": 0.10}
FEATURES = [
    "tenure_months",
    "contract",
    "plan",
    "monthly_spend",
    "addons",
    "usage_trend",
    "last_login_days",
    "support_tickets",
    "payment_failures",
    "discount_history",
    "auto_renew",
    "age",
    "region",
    "signup_weekday",
]


@pytest.fixture(scope="module")
def churn():
    return make_churn(20_000, random_state=0)


def test_shapes_and_contents(churn):
    assert isinstance(churn, UpliftDataset)
    assert churn.name == "churn"
    assert churn.has_truth
    assert list(churn.X.columns) == FEATURES
    for column in ("contract", "plan", "region"):
        assert isinstance(churn.X[column].dtype, pd.CategoricalDtype)
    assert churn.X.notna().all().all()
    for values in (churn.y, churn.treatment, churn.y0, churn.y1, churn.true_effect):
        assert len(values) == 20_000
    assert set(np.unique(churn.y)) == {0, 1}
    assert set(np.unique(churn.treatment)) == {0, 1}
    assert list(churn.customer_type.cat.categories) == TYPES
    assert churn.costs == {
        "value_per_success": 200.0,
        "cost_per_contact": 10.0,
        "incentive_cost": 50.0,
        "incentive_paid": "on_success",
    }
    for word in ("persuadable", "sure thing", "lost cause", "sleeping dog"):
        assert word in churn.description
    assert "treatment" not in churn.X.columns
    assert "retained" not in churn.X.columns


def test_truth_is_consistent(churn):
    t = churn.treatment.to_numpy()
    np.testing.assert_array_equal(churn.y.to_numpy(), np.where(t == 1, churn.y1, churn.y0))
    expected = {
        "persuadable": (0, 1),
        "sure thing": (1, 1),
        "lost cause": (0, 0),
        "sleeping dog": (1, 0),
    }
    kind = churn.customer_type.to_numpy()
    for name, (y0, y1) in expected.items():
        rows = kind == name
        assert rows.sum() > 500
        assert (churn.y0[rows] == y0).all()
        assert (churn.y1[rows] == y1).all()
    probabilities = churn.extra["type_probabilities"]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(churn.true_effect, probabilities[:, 0] - probabilities[:, 3])
    # the true effect is the expected individual effect given the features
    assert np.mean(churn.y1 - churn.y0) == pytest.approx(churn.true_effect.mean(), abs=0.01)


def test_types_overlap_smoothly(churn):
    probabilities = churn.extra["type_probabilities"]
    # no lookup: most customers are not certain to be of one type...
    assert 0.6 < probabilities.max(axis=1).mean() < 0.95
    # ...and the effect varies continuously, both signs present
    assert len(np.unique(np.round(churn.true_effect, 6))) > 10_000
    assert churn.true_effect.min() < -0.5
    assert churn.true_effect.max() > 0.8


def test_same_seed_same_sample_different_seed_same_world():
    first, again = make_churn(3000, random_state=1), make_churn(3000, random_state=1)
    pd.testing.assert_frame_equal(first.X, again.X)
    np.testing.assert_array_equal(first.treatment, again.treatment)
    np.testing.assert_array_equal(first.y, again.y)
    other = make_churn(3000, random_state=2)
    assert not first.X.equals(other.X)
    world = first.extra["world"]
    assert world == other.extra["world"]
    # the map from features to type probabilities is the same in both samples
    np.testing.assert_allclose(
        world.type_probabilities(other.X), other.extra["type_probabilities"], rtol=1e-12
    )
    # it does not depend on the sample size or the treated share either
    assert make_churn(500, treatment_share=0.2, random_state=3).extra["world"] == world


def test_treatment_share_is_respected():
    for share in (0.5, 0.2, 0.85):
        data = make_churn(4001, treatment_share=share, random_state=0)
        assert data.treatment.sum() == round(share * 4001)


def test_type_mix_is_respected():
    mix = {"persuadable": 0.1, "sure thing": 0.6, "lost cause": 0.2, "sleeping dog": 0.1}
    data = make_churn(40_000, type_mix=mix, random_state=0)
    shares = data.customer_type.value_counts(normalize=True)
    for name, share in mix.items():
        assert shares[name] == pytest.approx(share, abs=0.01)
    expected_shares = data.extra["type_probabilities"].mean(axis=0)
    np.testing.assert_allclose(expected_shares, [mix[name] for name in TYPES], atol=0.01)
    assert data.extra["world"] != make_churn(10, random_state=0).extra["world"]


def test_default_type_mix(churn):
    shares = churn.customer_type.value_counts(normalize=True)
    assert shares["sure thing"] > shares["lost cause"] > shares["sleeping dog"]
    assert shares["persuadable"] > shares["sleeping dog"]


def test_sharpness_controls_how_much_features_tell():
    flat = make_churn(2000, sharpness=0.0, random_state=0)
    mix = [flat.extra["type_probabilities"][:, i] for i in range(4)]
    for column in mix:
        np.testing.assert_allclose(column, column[0])
    sharp = make_churn(2000, sharpness=3.0, random_state=0).extra["type_probabilities"]
    default = make_churn(2000, random_state=0).extra["type_probabilities"]
    assert sharp.max(axis=1).mean() > default.max(axis=1).mean()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, "n_samples must be a positive integer; got 0."),
        ({"n_samples": 10.5}, "n_samples must be a positive integer; got 10.5."),
        ({"treatment_share": 1.0}, "treatment_share must be in (0, 1); got 1.0."),
        ({"sharpness": -1.0}, "sharpness must be a non-negative number; got -1.0."),
        ({"type_mix": {"persuadable": 1.0}}, "type_mix must map each of 'persuadable'"),
        (
            {
                "type_mix": {
                    "persuadable": 0.5,
                    "sure thing": 0.5,
                    "lost cause": 0.5,
                    "sleeping dog": 0.5,
                }
            },
            "the shares summing to 1",
        ),
        (
            {
                "type_mix": {
                    "persuadable": 0.0,
                    "sure thing": 0.5,
                    "lost cause": 0.3,
                    "sleeping dog": 0.2,
                }
            },
            "a positive share",
        ),
    ],
)
def test_bad_parameters(kwargs, message):
    kwargs = {"n_samples": 100, **kwargs}
    n_samples = kwargs.pop("n_samples")
    with pytest.raises(ValueError, match=re.escape(message)):
        make_churn(n_samples, **kwargs)


def test_calibration_churn_model_is_accurate_but_not_actionable(churn):
    """A good churn classifier finds who leaves, yet its ranking carries little uplift."""
    from actionable.metrics import qini_auc_score
    from actionable.models import OutcomeClassifier, TLearner

    test = make_churn(10_000, random_state=100)
    risk = OutcomeClassifier(random_state=0).fit(churn.X, churn.y).predict_risk(test.X)
    assert roc_auc_score(test.y == 0, risk) >= 0.85  # measured 0.867
    uplift = TLearner(random_state=0).fit(churn.X, churn.y, churn.treatment).predict(test.X)
    assert spearmanr(uplift, test.true_effect).statistic >= 0.85  # measured 0.935
    churn_qini = qini_auc_score(test.y, risk, test.treatment)
    uplift_qini = qini_auc_score(test.y, uplift, test.treatment)
    assert abs(churn_qini) < 0.03  # measured 0.002
    assert uplift_qini > churn_qini + 0.15  # measured 0.263


def test_risk_alignment_moves_persuadability_towards_or_away_from_churn_risk():
    """risk_alignment sets how churn risk and persuadability line up (issue 14)."""
    default = make_churn(3000, random_state=0)
    zero = make_churn(3000, risk_alignment=0.0, random_state=0)
    np.testing.assert_array_equal(
        default.extra["type_probabilities"], zero.extra["type_probabilities"]
    )
    correlations = {}
    for alignment in (-1.0, 0.0, 1.0):
        data = make_churn(20_000, risk_alignment=alignment, random_state=0)
        probabilities = data.extra["type_probabilities"]
        risk = probabilities[:, 0] + probabilities[:, 2]  # P(leaves if not contacted)
        correlations[alignment] = spearmanr(risk, data.true_effect).statistic
        # the type mix is solved again for every alignment
        np.testing.assert_allclose(
            probabilities.mean(axis=0), [DEFAULT_MIX[name] for name in TYPES], atol=0.01
        )
        world = data.extra["world"]
        assert world.risk_alignment == alignment
        assert data.extra["world_parameters"]["risk_alignment"] == alignment
        np.testing.assert_allclose(world.type_probabilities(data.X), probabilities, rtol=1e-12)
    assert correlations[-1.0] < correlations[0.0] - 0.2
    assert correlations[1.0] > correlations[0.0] + 0.2
    assert make_churn(10, risk_alignment=0.5).extra["world"] != default.extra["world"]


@pytest.mark.parametrize("value", [1.5, -2.0, "high", True, float("nan")])
def test_risk_alignment_out_of_range_is_refused(value):
    with pytest.raises(ValueError, match=r"risk_alignment must be a number in \[-1, 1\]"):
        make_churn(100, risk_alignment=value)


def test_world_parameters_describe_the_world():
    mix = {"persuadable": 0.3, "sure thing": 0.4, "lost cause": 0.2, "sleeping dog": 0.1}
    data = make_churn(200, type_mix=mix, sharpness=2.0, random_state=0)
    assert data.extra["world_parameters"] == {
        "type_mix": pytest.approx(mix),
        "sharpness": 2.0,
        "risk_alignment": 0.0,
    }


# ---------------------------------------------------------------- revenue outcome
@pytest.mark.parametrize("assignment", ["random", "churn_risk"])
def test_the_revenue_world_is_the_retained_world_in_dollars(assignment):
    retained = make_churn(3000, assignment=assignment, random_state=7)
    revenue = make_churn(3000, assignment=assignment, outcome="revenue", random_state=7)
    # the same customers, types and treatment: one random stream for both outcomes
    pd.testing.assert_frame_equal(revenue.X, retained.X)
    pd.testing.assert_series_equal(revenue.treatment, retained.treatment)
    pd.testing.assert_series_equal(revenue.customer_type, retained.customer_type)
    np.testing.assert_array_equal(revenue.extra["propensity"], retained.extra["propensity"])
    np.testing.assert_array_equal(revenue.extra["retained"], retained.y.to_numpy())
    # y, y0, y1: the monthly spend if retained, 0 if not
    spend = retained.X["monthly_spend"].to_numpy()
    np.testing.assert_array_equal(revenue.y.to_numpy(), retained.y.to_numpy() * spend)
    np.testing.assert_array_equal(revenue.y0, retained.y0 * spend)
    np.testing.assert_array_equal(revenue.y1, retained.y1 * spend)
    np.testing.assert_allclose(revenue.true_effect, retained.true_effect * spend)
    t = revenue.treatment.to_numpy()
    np.testing.assert_array_equal(revenue.y.to_numpy(), np.where(t == 1, revenue.y1, revenue.y0))
    assert revenue.y.name == revenue.outcome_name == "revenue_kept"
    assert revenue.y.dtype == np.float64
    assert (revenue.extra["outcome"], retained.extra["outcome"]) == ("revenue", "retained")
    assert "monthly revenue kept" in revenue.description
    assert "monthly revenue kept" not in retained.description


def test_the_revenue_outcome_is_continuous_and_zero_heavy():
    revenue = make_churn(5000, outcome="revenue", random_state=3)
    y = revenue.y.to_numpy()
    assert first_non_binary(y) is not None
    assert (y >= 0).all()
    # zero exactly for the customers who leave, their spend (always positive) otherwise
    np.testing.assert_array_equal(y == 0, revenue.extra["retained"] == 0)
    assert 0.2 < (y == 0).mean() < 0.6


def test_the_revenue_economics_match_the_retained_world():
    revenue = make_churn(20_000, outcome="revenue", random_state=0)
    retained_costs = CostModel.from_dict(make_churn(10, random_state=0).costs)
    costs = CostModel.from_dict(revenue.costs)
    assert costs.per_unit
    assert costs.incentive_paid == "on_contact"
    assert costs.cost_per_contact == retained_costs.cost_per_contact
    # a customer of average spend kept is worth about the retained world's value of a success
    worth = costs.value_per_unit * revenue.X["monthly_spend"].mean()
    assert worth == pytest.approx(retained_costs.value_per_success, rel=0.02)
    # the offer, paid by the contacted customers who stay, at its expected cost per contact
    stay_if_contacted = (revenue.y1 > 0).mean()
    expected_offer = retained_costs.incentive_cost * stay_if_contacted
    assert costs.incentive_cost == pytest.approx(expected_offer, rel=0.03)
    # ... which follows the type mix
    mix = {"persuadable": 0.4, "sure thing": 0.2, "lost cause": 0.3, "sleeping dog": 0.1}
    other = make_churn(10, type_mix=mix, outcome="revenue", random_state=0)
    assert other.costs["incentive_cost"] == pytest.approx(retained_costs.incentive_cost * 0.6)
    # the costs work on the data: the exact profit of calling the customers of a score
    n, profit = profit_curve_from_truth(
        revenue.y0, revenue.y1, revenue.true_effect, cost_model=costs
    )
    per_customer = costs.value_per_unit * (revenue.y1 - revenue.y0) - 10.0 - costs.incentive_cost
    assert profit[-1] == pytest.approx(per_customer.sum())


@pytest.mark.parametrize("outcome", ["spend", "Revenue", None, 1])
def test_an_unknown_outcome_is_refused(outcome):
    with pytest.raises(
        ValueError, match=re.escape(f"outcome must be 'retained' or 'revenue'; got {outcome!r}.")
    ):
        make_churn(10, outcome=outcome)
