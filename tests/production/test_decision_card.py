"""DecisionCard and TargetingRule: checks that fail loudly, TOML round trip, display."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actionable.decision import DecisionCard
from actionable.economics import CostModel
from actionable.production import TargetingRule, choose_targeting_rule

FULL_TOML = """
decision = "whom to call with a retention offer"
decision_time = "1st of the month, when the call list is drawn"
owner = "CRM analytics <crm@example.com>"
retraining = "quarterly, on a fresh 10% randomized holdout"
rollback = "restore the previous model directory"

[actions]
treated = "call with a 10% discount"
control = "no call"

[outcome]
name = "retained"
window_start = 0
window_end = 90

[costs]
value_per_success = 120.0
cost_per_contact = 5.0
incentive_cost = 12.0
incentive_paid = "on_success"
capacity = 1000

[features]
tenure = -1
monthly_charges = -1.5
"""


def test_from_toml_reads_every_table(tmp_path):
    path = tmp_path / "decision.toml"
    path.write_text(FULL_TOML)
    card = DecisionCard.from_toml(path)
    assert card.decision == "whom to call with a retention offer"
    assert card.treated_action == "call with a 10% discount"
    assert card.control_action == "no call"
    assert card.outcome == "retained"
    assert (card.outcome_window_start, card.outcome_window_end) == (0, 90)
    assert card.value_per_success == 120.0
    assert card.incentive_paid == "on_success"
    assert card.capacity == 1000
    assert card.feature_availability == {"tenure": -1, "monthly_charges": -1.5}
    assert card.owner.startswith("CRM analytics")


def test_toml_round_trip_and_dict(tmp_path):
    card = DecisionCard.from_toml_string(FULL_TOML)
    assert DecisionCard.from_toml_string(card.to_toml()) == card
    assert DecisionCard.from_dict(card.to_dict()) == card


@settings(max_examples=50, deadline=None)
@given(
    text=st.text(max_size=30),
    name=st.text(min_size=1, max_size=10),
    time=st.floats(min_value=-1e6, max_value=0, allow_nan=False),
)
def test_toml_round_trip_of_arbitrary_text(text, name, time):
    card = DecisionCard(decision=text, owner=text, feature_availability={name: time})
    assert DecisionCard.from_toml_string(card.to_toml()) == card


def test_outcome_window_before_decision_time_fails():
    with pytest.raises(ValueError, match="outcome_window_start=-30 days is before the decision"):
        DecisionCard(outcome_window_start=-30, outcome_window_end=30)


def test_outcome_window_end_before_start_fails():
    with pytest.raises(ValueError, match="outcome_window_end=5 must be after"):
        DecisionCard(outcome_window_start=10, outcome_window_end=5)


def test_feature_after_decision_time_fails_when_used():
    card = DecisionCard(feature_availability={"complaints_next_month": 30, "tenure": -1})
    card.validate(features=["tenure"])  # declared but unused: fine
    with pytest.raises(ValueError, match="feature 'complaints_next_month' is observed 30 days"):
        card.validate(features=["tenure", "complaints_next_month"])


def test_capacity_zero_fails():
    with pytest.raises(ValueError, match="capacity=0"):
        DecisionCard(capacity=0)
    with pytest.raises(ValueError, match="capacity=0"):
        TargetingRule(capacity=0)
    with pytest.raises(ValueError, match="capacity=0"):
        TargetingRule().select([1.0], capacity=0)
    with pytest.raises(ValueError, match="capacity=2.5"):
        TargetingRule().select([1.0], capacity=2.5)


def test_costs_missing_when_profit_asked_for():
    card = DecisionCard(cost_per_contact=1.0)
    card.validate()
    with pytest.raises(ValueError, match="costs missing: value_per_success is required"):
        card.validate(require_costs=True)
    with pytest.raises(ValueError, match="costs missing"):
        card.cost_model()
    assert card.asks_for_profit
    assert not DecisionCard().asks_for_profit


def test_the_card_gives_its_cost_model():
    card = DecisionCard(
        value_per_success=200.0, cost_per_contact=10.0, incentive_cost=50.0,
        incentive_paid="on_success", capacity=500,
    )  # fmt: skip
    assert card.cost_model() == CostModel(
        200.0, 10.0, 50.0, incentive_paid="on_success", capacity=500
    )
    # unset, the incentive is paid on success: the default of the card, the demo and `fit`
    assert DecisionCard(value_per_success=3.0).cost_model() == CostModel(
        3.0, incentive_paid="on_success"
    )


def test_a_card_naming_a_column_the_data_lacks_is_refused():
    """A typo in [features] would silently switch off the check of the real column."""
    card = DecisionCard(feature_availability={"suport_tickets": 14})
    with pytest.raises(ValueError, match=r"names 'suport_tickets', which is not a column of the "
                       r"data \(did you mean 'support_tickets'\?\)"):  # fmt: skip
        card.check_names(["tenure_months", "support_tickets"])
    DecisionCard(feature_availability={"tenure_months": -1}).check_names(["tenure_months"])


def test_an_open_outcome_window_reads_plainly():
    rows = dict(DecisionCard(outcome_window_start=0)._rows())
    assert rows["Outcome window"] == "from 0 days after the decision, with no end set"


def test_negative_cost_and_bad_incentive_fail():
    with pytest.raises(ValueError, match="cost_per_contact=-1.0"):
        DecisionCard(cost_per_contact=-1.0)
    with pytest.raises(ValueError, match="incentive_paid='sometimes'"):
        DecisionCard(incentive_paid="sometimes")


def test_unknown_field_and_bad_toml_fail(tmp_path):
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['colour'\]"):
        DecisionCard.from_dict({"colour": "red"})
    path = tmp_path / "decision.toml"
    path.write_text("owner = \n")
    with pytest.raises(ValueError, match="decision.toml.*invalid TOML"):
        DecisionCard.from_toml(path)


def test_updated_ignores_none_and_validates():
    card = DecisionCard(capacity=10, value_per_success=5.0)
    new = card.updated(capacity=None, cost_per_contact=1.0)
    assert (new.capacity, new.cost_per_contact, card.cost_per_contact) == (10, 1.0, None)
    with pytest.raises(ValueError, match="capacity=0"):
        card.updated(capacity=0)


def test_markdown_and_html_show_the_card():
    card = DecisionCard.from_toml_string(FULL_TOML)
    markdown = card.to_markdown()
    assert "| Owner in production | CRM analytics <crm@example.com> |" in markdown
    assert "0 to 90 days after the decision" in markdown
    html = card.to_html()
    assert "CRM analytics &lt;crm@example.com&gt;" in html
    assert "1,000 contacts" in html
    assert "nobody named" in DecisionCard().to_markdown()


def test_rule_expected_profit_matches_hand_computation():
    rule = TargetingRule(cost_model=CostModel(100.0, 2.0, 10.0, incentive_paid="on_success"))
    # 100 * 0.1 - 2 - 10 * 0.6 = 2.0 ; 100 * 0.02 - 2 - 10 * 0.9 = -9.0
    np.testing.assert_allclose(rule.expected_profit([0.1, 0.02], [0.6, 0.9]), [2.0, -9.0])
    with pytest.raises(ValueError, match="p_treated is required"):
        rule.expected_profit([0.1])
    assert np.isnan(TargetingRule().expected_profit([0.1])).all()


def test_rule_select_respects_threshold_and_capacity():
    rule = TargetingRule(threshold=0.0, cost_model=CostModel(1.0))
    score = np.array([0.3, -0.1, 0.5, 0.2, 0.0])
    np.testing.assert_array_equal(rule.select(score), [1, 0, 1, 1, 0])
    np.testing.assert_array_equal(rule.select(score, capacity=2), [1, 0, 1, 0, 0])
    # capacity larger than the eligible set changes nothing
    np.testing.assert_array_equal(rule.select(score, capacity=100), [1, 0, 1, 1, 0])


def test_rule_dict_round_trip_with_infinite_threshold():
    rule = TargetingRule(threshold=float("inf"), cost_model=CostModel(3.0), capacity=4)
    assert TargetingRule.from_dict(rule.to_dict()) == rule
    # a rule saved before the cost model (the flat layout) still loads
    flat = {"threshold": 1.5, "value_per_success": 3.0, "cost_per_contact": 0.5,
            "incentive_cost": 0.0, "incentive_paid": "on_contact", "capacity": 4}  # fmt: skip
    assert TargetingRule.from_dict(flat).cost_model == CostModel(3.0, 0.5)
    assert rule.select([1e9, 5.0]).sum() == 0


def test_rule_expected_profit_agrees_with_cost_model(rng):
    uplift, p_treated = rng.uniform(-0.2, 0.4, 50), rng.uniform(0.2, 0.9, 50)
    for paid in ("on_contact", "on_success"):
        costs = CostModel(80.0, 3.0, 7.0, incentive_paid=paid)
        rule = TargetingRule(cost_model=costs)
        np.testing.assert_allclose(
            rule.expected_profit(uplift, p_treated), costs.profit(1, uplift, p_treated)
        )


def _world(rng, n):
    uplift = rng.uniform(-0.1, 0.2, n)
    treatment = rng.integers(0, 2, n)
    y = (rng.random(n) < 0.3 + uplift * treatment).astype(float)
    return uplift, treatment, y


def test_choose_targeting_rule_finds_the_break_even_and_generalizes(rng):

    uplift, treatment, y = _world(rng, 40_000)
    # held-out predictions = truth plus noise
    predicted = uplift + rng.normal(0, 0.02, uplift.size)
    rule, selection = choose_targeting_rule(
        y,
        predicted,
        treatment,
        cost_model=CostModel(10.0, 0.5),
        n_bootstraps=50,
        random_state=0,
    )
    # the rule contacts exactly the rows best_targeting chose on these predictions
    score = rule.expected_profit(predicted)
    assert int((score > rule.threshold).sum()) == selection["n_targeted"]
    # break-even is uplift 0.05, i.e. expected profit 0: the threshold is near it
    assert -0.25 < rule.threshold < 0.25
    assert selection["profit_low"] < selection["profit"] < selection["profit_high"]
    # on a fresh draw of the same world, the rule earns more than contacting everyone
    fresh, _, _ = _world(rng, 40_000)
    noisy = fresh + rng.normal(0, 0.02, fresh.size)
    chosen = rule.select(rule.score(noisy)) == 1
    true_profit = (10 * fresh - 0.5)[chosen].sum()
    assert true_profit > (10 * fresh - 0.5).sum()
    assert true_profit > 0.9 * (10 * fresh - 0.5).clip(min=0).sum()


def test_choose_targeting_rule_nobody_and_everyone(rng):

    uplift, treatment, y = _world(rng, 5000)
    nobody, selection = choose_targeting_rule(
        y, uplift, treatment, cost_model=CostModel(1.0, 5.0), n_bootstraps=0
    )
    assert (nobody.threshold, selection["n_targeted"]) == (float("inf"), 0.0)
    # every treated row succeeds and no control row does: each contact is worth 1
    treatment = rng.integers(0, 2, 5000)
    everyone, selection = choose_targeting_rule(
        treatment,
        rng.uniform(0.3, 0.5, 5000),
        treatment,
        cost_model=CostModel(1.0),
        n_bootstraps=0,
    )
    assert (everyone.threshold, selection["fraction"]) == (-float("inf"), 1.0)
    assert everyone.select(everyone.score([-5.0, 0.0])).tolist() == [1, 1]


def test_an_incentive_without_when_it_is_paid_means_the_same_in_python_and_on_the_command_line(
    tmp_path,
):
    from actionable.decision import DEFAULT_INCENTIVE_PAID
    from actionable.production import load_card

    path = tmp_path / "decision.toml"
    path.write_text("[costs]\nvalue_per_success = 200\nincentive_cost = 50\n")
    in_python = DecisionCard.from_toml(path).cost_model()
    on_the_command_line = load_card(card=path)[0].cost_model()
    assert in_python == on_the_command_line
    assert in_python.incentive_paid == DEFAULT_INCENTIVE_PAID == "on_success"


SPEND_TOML = """
decision = "whom to send the spring e-mail"
[outcome]
name = "spend in the two weeks after the e-mail (USD)"
window_end = 14
[costs]
value_per_unit = 0.3
cost_per_contact = 0.1
incentive_cost = 0.5
capacity = 2000
"""


def test_a_card_valued_per_unit_reads_writes_and_gives_its_cost_model(tmp_path):
    path = tmp_path / "decision.toml"
    path.write_text(SPEND_TOML)
    card = DecisionCard.from_toml(path)
    assert (card.value_per_unit, card.value_per_success) == (0.3, None)
    assert card.has_costs
    assert card.asks_for_profit
    card.validate(require_costs=True)
    # unset, the incentive of a per-unit card is paid on contact: there are no successes
    assert card.cost_model() == CostModel(
        value_per_unit=0.3, cost_per_contact=0.1, incentive_cost=0.5, capacity=2000
    )
    text = card.to_toml()
    assert "value_per_unit = 0.3" in text
    assert "value_per_success" not in text
    assert DecisionCard.from_toml_string(text) == card
    assert DecisionCard.from_dict(card.to_dict()) == card
    assert "value per unit of outcome 0.3" in card.to_markdown()
    assert "paid on contact" in card.to_markdown()


def test_an_old_card_without_value_per_unit_still_loads_as_before():
    card = DecisionCard.from_toml_string(FULL_TOML)
    assert card.value_per_unit is None
    assert card.cost_model() == CostModel(
        120.0, 5.0, 12.0, incentive_paid="on_success", capacity=1000
    )
    assert "value_per_unit" not in card.to_toml()
    assert "value per success 120" in card.to_markdown()


@pytest.mark.parametrize(
    ("costs", "message"),
    [
        (
            {"value_per_success": 10.0, "value_per_unit": 0.3},
            "exactly one of value_per_success (binary outcome) or value_per_unit",
        ),
        (
            {"value_per_unit": 0.3, "incentive_cost": 1.0, "incentive_paid": "on_success"},
            "incentive_paid='on_success' is not possible with value_per_unit",
        ),
        ({"value_per_unit": -0.3}, "value_per_unit=-0.3: it must be a finite number >= 0."),
        ({"value_per_unit": "0.3"}, "value_per_unit='0.3': it must be a finite number >= 0."),
    ],
)
def test_a_card_valued_per_unit_is_checked_by_the_cost_models_checks(costs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        DecisionCard.from_dict({"costs": costs})
    # the same check when the card is built in Python
    with pytest.raises(ValueError, match=re.escape(message)):
        DecisionCard(**costs)


def test_costs_missing_names_both_values():
    with pytest.raises(ValueError, match="or `value_per_unit` for a continuous outcome"):
        DecisionCard(cost_per_contact=0.1).cost_model()
