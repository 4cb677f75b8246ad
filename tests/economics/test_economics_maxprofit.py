"""MP and EMPC for churn models: hand-computed cases, conventions, parity with empulse, bad input.

Parity tolerances (stated in the docstrings too):
- MP (``max_profit_churn``) and its fraction: 1e-9 absolute; in practice identical floats.
- EMPC (``expected_max_profit_churn``) and its expected fraction: 1e-9 absolute per customer
  (relative to max(1, |EMPC|)); both compute the Beta integral in closed form.
"""

import math
import re
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import integrate, stats

from actionable.economics import (
    CostModel,
    ExpectedMaxProfit,
    MaxProfit,
    expected_max_profit_churn,
    max_profit_churn,
)

MP_TOLERANCE = 1e-9
EMPC_TOLERANCE = 1e-9

# The 8-customer example of empulse's documentation, in actionable's coding (1 = retained).
RETAINED = np.array([1, 0, 1, 0, 1, 0, 1, 0])
RISK = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9])


def _all_threshold_profits(is_churner, risk, *, clv, d, f, gamma, on_contact=False):
    """Brute force: total profit of contacting everyone with risk >= t, for each distinct t."""
    profits = [0.0]
    declined = f + (d if on_contact else 0.0)
    for t in np.unique(risk)[::-1]:
        chosen = risk >= t
        churners = np.sum(is_churner[chosen])
        stayers = np.sum(chosen) - churners
        profits.append(
            churners * (gamma * (clv - d - f) - (1 - gamma) * declined) - stayers * (d + f)
        )
    return np.array(profits)


def test_hand_computed_example():
    # Churners (y=0) have risks 0.2, 0.4, 0.7, 0.9; a churner contacted is worth
    # 0.3 * (200 - 10 - 1) - 0.7 * 1 = 56, a non-churner contacted costs 11.
    # Best: contact the 7 riskiest (risk >= 0.2): 4 churners, 3 non-churners:
    # (4 * 56 - 3 * 11) / 8 = 191 / 8 = 23.875.
    result = max_profit_churn(RETAINED, RISK)
    assert isinstance(result, MaxProfit)
    assert result.profit == pytest.approx(23.875, abs=1e-12)
    assert result.fraction == 7 / 8
    assert result.threshold == 0.2


def test_churn_label_one_is_the_literature_coding():
    churned = 1 - RETAINED
    assert max_profit_churn(churned, RISK, churn_label=1) == max_profit_churn(RETAINED, RISK)
    assert expected_max_profit_churn(churned, RISK, churn_label=1) == expected_max_profit_churn(
        RETAINED, RISK
    )
    # Reading the labels the wrong way round changes the answer: the convention matters.
    assert max_profit_churn(churned, RISK).profit != max_profit_churn(RETAINED, RISK).profit


def test_contacting_no_one_is_reported_as_fraction_zero():
    # A risk score that puts the non-churners first: contacting anyone loses money first.
    retained = np.array([1, 1, 1, 0])
    risk = np.array([0.9, 0.8, 0.7, 0.1])
    # Thresholds: 1 stayer (-11), 2 (-22), 3 (-33), all (-33 + 56 = 23) -> best is all.
    assert max_profit_churn(retained, risk).fraction == 1.0
    # With accept_rate 0.1 a churner is worth 0.1 * 189 - 0.9 = 18 < 33: contact no one.
    result = max_profit_churn(retained, risk, accept_rate=0.1)
    assert result == MaxProfit(profit=0.0, fraction=0.0, threshold=math.inf)


def test_ties_form_one_threshold():
    # Risks tie at 0.5 for one churner and one stayer: they are contacted together.
    retained = np.array([0, 0, 1, 1])
    risk = np.array([0.9, 0.5, 0.5, 0.1])
    # Thresholds: {0.9}: 56; {0.9, 0.5, 0.5}: 2 * 56 - 11 = 101; all: 112 - 22 = 90.
    result = max_profit_churn(retained, risk)
    assert result.profit == pytest.approx(101 / 4)
    assert result.fraction == 0.75
    assert result.threshold == 0.5


def test_incentive_paid_on_contact():
    # On contact, a declining churner also takes the incentive:
    # churner worth 0.3 * 189 - 0.7 * 11 = 49, stayer costs 11.
    # Thresholds (RISK order 0.9 C, 0.8 S, 0.7 C, 0.5 S, 0.4 C, 0.3 S, 0.2 C, 0.1 S):
    # totals 49, 38, 87, 76, 125, 114, 163, 152 -> 163 at 7 customers.
    result = max_profit_churn(RETAINED, RISK, incentive_paid="on_contact")
    assert result.profit == pytest.approx(163 / 8)
    assert result.fraction == 7 / 8


def test_cost_model_drives_the_measures():
    on_success = CostModel(
        200.0, cost_per_contact=1.0, incentive_cost=10.0, incentive_paid="on_success"
    )
    default = max_profit_churn(RETAINED, RISK)
    assert max_profit_churn(RETAINED, RISK, cost_model=on_success) == default
    assert expected_max_profit_churn(
        RETAINED, RISK, cost_model=on_success
    ) == expected_max_profit_churn(RETAINED, RISK)
    on_contact = CostModel(120.0, cost_per_contact=2.0, incentive_cost=5.0)  # default on_contact
    assert max_profit_churn(RETAINED, RISK, cost_model=on_contact) == max_profit_churn(
        RETAINED, RISK, clv=120, incentive_cost=5, contact_cost=2, incentive_paid="on_contact"
    )
    # Any object with the attributes works (its incentive paid on success).
    duck = SimpleNamespace(value_per_success=120.0, cost_per_contact=2.0, incentive_cost=5.0)
    assert max_profit_churn(RETAINED, RISK, cost_model=duck) == max_profit_churn(
        RETAINED, RISK, clv=120, incentive_cost=5, contact_cost=2
    )
    # A cost model and an alias together are refused, naming both (they used to let the
    # cost model win silently).
    for function in (max_profit_churn, expected_max_profit_churn):
        with pytest.raises(
            ValueError, match=r"either as cost_model or as clv.*got cost_model and clv"
        ):
            function(RETAINED, RISK, clv=1.0, cost_model=duck)


@pytest.mark.parametrize("function", [max_profit_churn, expected_max_profit_churn])
def test_aliases_build_the_same_cost_model(rng, function):
    for _ in range(20):
        retained = rng.integers(0, 2, 40)
        risk = rng.integers(0, 8, 40) / 8
        clv, d, f = rng.uniform(20, 300), rng.uniform(0, 20), rng.uniform(0, 5)
        for paid in ("on_success", "on_contact"):
            costs = CostModel(clv, cost_per_contact=f, incentive_cost=d, incentive_paid=paid)
            by_model = function(retained, risk, cost_model=costs)
            by_alias = function(
                retained, risk, clv=clv, incentive_cost=d, contact_cost=f, incentive_paid=paid
            )
            assert by_model == by_alias  # identical, not merely close


@pytest.mark.parametrize("alias", ["clv", "incentive_cost", "contact_cost", "incentive_paid"])
def test_cost_model_and_an_alias_is_an_error_naming_both(alias):
    value = "on_contact" if alias == "incentive_paid" else 5.0
    for function in (max_profit_churn, expected_max_profit_churn):
        with pytest.raises(ValueError, match=rf"cost_model and {alias}"):
            function(RETAINED, RISK, cost_model=CostModel(100.0), **{alias: value})


@pytest.mark.parametrize("on_contact", [False, True])
def test_matches_brute_force_on_random_cases(rng, on_contact):
    paid = "on_contact" if on_contact else "on_success"
    for _ in range(50):
        n = int(rng.integers(1, 40))
        retained = rng.integers(0, 2, n)
        risk = rng.integers(0, 6, n) / 5
        clv, d, f, gamma = rng.uniform(20, 300), rng.uniform(0, 20), rng.uniform(0, 5), rng.random()
        totals = _all_threshold_profits(
            1 - retained, risk, clv=clv, d=d, f=f, gamma=gamma, on_contact=on_contact
        )
        result = max_profit_churn(
            retained,
            risk,
            clv=clv,
            incentive_cost=d,
            contact_cost=f,
            accept_rate=gamma,
            incentive_paid=paid,
        )
        assert result.profit == pytest.approx(totals.max() / n, abs=1e-9)


def _empc_by_quadrature(retained, risk, *, clv, d, f, a, b):
    """EMPC by adaptive quadrature of the brute-force maximum over the Beta density."""
    churner = 1 - retained

    def integrand(gamma):
        best = _all_threshold_profits(churner, risk, clv=clv, d=d, f=f, gamma=gamma).max()
        return best / risk.size * stats.beta.pdf(gamma, a, b)

    value, _ = integrate.quad(integrand, 0, 1, limit=200, epsabs=1e-10, epsrel=1e-10)
    return value


def test_empc_matches_numerical_integration(rng):
    for _ in range(3):
        n = int(rng.integers(5, 20))
        retained = rng.integers(0, 2, n)
        risk = rng.random(n)
        expected = _empc_by_quadrature(retained, risk, clv=200, d=10, f=1, a=6, b=14)
        result = expected_max_profit_churn(retained, risk)
        assert isinstance(result, ExpectedMaxProfit)
        assert result.profit == pytest.approx(expected, abs=1e-6)


def test_empc_with_a_concentrated_beta_is_mp_at_its_mean():
    # Beta(3e6, 7e6) has mean 0.3 and standard deviation ~1.4e-4.
    empc = expected_max_profit_churn(RETAINED, RISK, alpha=3e6, beta=7e6)
    mp = max_profit_churn(RETAINED, RISK, accept_rate=0.3)
    assert empc.profit == pytest.approx(mp.profit, abs=1e-3)
    assert empc.fraction == pytest.approx(mp.fraction, abs=1e-6)


def test_single_class_samples():
    risk = np.array([0.1, 0.5, 0.9])
    # All churners: contact everyone, 56 per customer (accept 0.3); EMPC: everyone is
    # contacted whenever gamma * 190 > 1, which a Beta(6, 14) almost always satisfies.
    everyone_churns = np.zeros(3)
    assert max_profit_churn(everyone_churns, risk).profit == pytest.approx(56.0)
    empc = expected_max_profit_churn(everyone_churns, risk)
    assert empc.profit == pytest.approx(0.3 * 190 - 1, abs=1e-6)
    assert empc.fraction == pytest.approx(stats.beta.sf(1 / 190, 6, 14))
    # No churner: contact no one.
    no_churner = np.ones(3)
    assert max_profit_churn(no_churner, risk) == MaxProfit(0.0, 0.0, math.inf)
    assert expected_max_profit_churn(no_churner, risk) == ExpectedMaxProfit(0.0, 0.0)


def test_incentive_above_clv_never_pays():
    result = expected_max_profit_churn(RETAINED, RISK, clv=10.0, incentive_cost=20.0)
    assert result == ExpectedMaxProfit(0.0, 0.0)


def _random_case(rng):
    n = int(rng.integers(1, 120))
    retained = rng.integers(0, 2, n)
    kind = rng.integers(0, 3)
    if kind == 0:
        risk = rng.random(n)
    elif kind == 1:
        risk = rng.integers(0, 4, n) / 3.0  # heavy ties
    else:
        risk = np.round(rng.random(n), 1)
    params = {
        "clv": float(rng.choice([200.0, rng.uniform(5, 1000)])),
        "incentive_cost": float(rng.choice([10.0, 0.0, rng.uniform(0, 60)])),
        "contact_cost": float(rng.choice([1.0, 0.0, rng.uniform(0, 10)])),
    }
    return retained, risk, params


def test_parity_with_empulse_mpc_score(rng):
    metrics = pytest.importorskip("empulse.metrics")
    for _ in range(300):
        retained, risk, params = _random_case(rng)
        accept_rate = float(rng.choice([0.3, rng.random()]))
        churned = 1 - retained  # empulse codes churners as 1
        ours = max_profit_churn(retained, risk, accept_rate=accept_rate, **params)
        theirs = metrics.mpc_score(churned, risk, accept_rate=accept_rate, **params)
        rate = metrics.mpc_score.optimal_rate(churned, risk, accept_rate=accept_rate, **params)
        assert ours.profit == pytest.approx(theirs, abs=MP_TOLERANCE)
        assert ours.fraction == pytest.approx(rate, abs=MP_TOLERANCE)
        if ours.fraction > 0:  # empulse reports 1.0 for "no one", we report inf
            threshold = metrics.mpc_score.optimal_threshold(
                churned, risk, accept_rate=accept_rate, **params
            )
            assert ours.threshold == threshold


def test_parity_with_empulse_empc_score(rng):
    metrics = pytest.importorskip("empulse.metrics")
    for _ in range(300):
        retained, risk, params = _random_case(rng)
        alpha, beta = float(rng.uniform(0.5, 12)), float(rng.uniform(0.5, 25))
        if rng.random() < 0.3:
            alpha, beta = 6.0, 14.0
        churned = 1 - retained
        ours = expected_max_profit_churn(retained, risk, alpha=alpha, beta=beta, **params)
        theirs = metrics.empc_score(churned, risk, alpha=alpha, beta=beta, **params)
        rate = metrics.empc_score.optimal_rate(churned, risk, alpha=alpha, beta=beta, **params)
        assert abs(ours.profit - theirs) <= EMPC_TOLERANCE * max(1.0, abs(theirs))
        assert ours.fraction == pytest.approx(rate, abs=EMPC_TOLERANCE)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y_true": [0, 2, 1]}, "y_true must contain only 0 and 1 (1 = retained, 0 = churned"),
        ({"y_true": [0, 0.5, 1]}, "got value 0.5 at position 1"),
        ({"churn_label": 2}, "churn_label must be 0 or 1"),
        ({"churn_label": True}, "churn_label must be 0 or 1"),
        ({"clv": 0}, "clv must be > 0; got 0.0"),
        ({"clv": float("nan")}, "clv must be a finite real number"),
        ({"incentive_cost": -1}, "incentive_cost must be >= 0; got -1.0"),
        ({"contact_cost": "1"}, "contact_cost must be a finite real number; got '1'"),
        ({"incentive_paid": "always"}, "incentive_paid must be 'on_success' or 'on_contact'"),
        ({"y_score": [0.1, 0.2]}, "Inconsistent numbers of samples: y_true=3, y_score=2"),
        ({"y_score": [0.1, np.nan, 0.3]}, "y_score contains NaN at position 1"),
        ({"y_score": None}, "y_score is required; got None."),
        ({"y_true": []}, "Inconsistent numbers of samples"),
        ({"cost_model": SimpleNamespace(value_per_success=1.0)}, "'cost_per_contact' is missing"),
    ],
)
def test_bad_input_messages(kwargs, message):
    for function in (max_profit_churn, expected_max_profit_churn):
        arguments = {"y_true": [0, 1, 1], "y_score": [0.1, 0.2, 0.3], **kwargs}
        y_true, y_score = arguments.pop("y_true"), arguments.pop("y_score")
        with pytest.raises(ValueError, match=re.escape(message)):
            function(y_true, y_score, **arguments)


@pytest.mark.parametrize(
    ("function", "kwargs", "message"),
    [
        (max_profit_churn, {"accept_rate": 1.5}, "accept_rate must be in [0, 1]; got 1.5"),
        (max_profit_churn, {"accept_rate": -0.1}, "accept_rate must be >= 0"),
        (expected_max_profit_churn, {"alpha": 0}, "alpha must be > 0; got 0.0"),
        (expected_max_profit_churn, {"beta": -2}, "beta must be > 0; got -2.0"),
    ],
)
def test_bad_distribution_parameters(function, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        function([0, 1], [0.2, 0.1], **kwargs)


def test_empty_input_message():
    with pytest.raises(ValueError, match="y_true is empty"):
        max_profit_churn([], [])
