"""The decision card and the targeting rule take their costs from CostModel."""

import json
import math
import re

import pytest

from actionable.decision import DecisionCard
from actionable.economics import CostModel
from actionable.production import TargetingRule


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("value_per_success", -1.0),
        ("cost_per_contact", math.nan),
        ("incentive_cost", math.inf),
        ("cost_per_contact", True),
        ("cost_per_contact", "1"),
        ("incentive_paid", "upfront"),
    ],
)
def test_the_card_refuses_what_cost_model_refuses(name, value):
    with pytest.raises(ValueError, match=name):
        CostModel(1.0).replace(**{name: value})
    with pytest.raises(ValueError, match=re.escape(f"{name}={value!r}: it must be")):
        DecisionCard(**{name: value})


def test_the_card_accepts_what_cost_model_accepts():
    card = DecisionCard(
        value_per_success=0, cost_per_contact=2, incentive_cost=0.5, incentive_paid="on_contact"
    )
    assert card.cost_model() == CostModel(0.0, 2.0, 0.5, incentive_paid="on_contact")


def test_the_rule_needs_p_treated_when_the_cost_model_needs_successes():
    for costs in (
        CostModel(10.0, 1.0, 2.0, incentive_paid="on_success"),
        CostModel(10.0, 1.0, 0.0, incentive_paid="on_success"),
        CostModel(10.0, 1.0, 2.0),
    ):
        rule = TargetingRule(cost_model=costs)
        assert rule.needs_p_treated == costs.needs_successes_if_contacted
    assert not TargetingRule().needs_p_treated


def test_rule_files_load_both_ways():
    rule = TargetingRule(
        threshold=0.25,
        cost_model=CostModel(3.0, 0.5, 1.0, incentive_paid="on_success"),
        capacity=7,
    )
    saved = json.loads(json.dumps(rule.to_dict()))
    assert TargetingRule.from_dict(saved) == rule
    # the layout of models saved before version 0.2: the cost fields beside the rule's
    costs = {k: v for k, v in saved["cost_model"].items() if k not in ("capacity", "budget")}
    flat = {"threshold": 0.25, "capacity": 7, "chosen_by": rule.chosen_by, **costs}
    assert TargetingRule.from_dict(flat) == rule
