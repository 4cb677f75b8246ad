"""CostModel: validation messages, arithmetic, serialization."""

import json
import re

import numpy as np
import pytest

from actionable.economics import CostModel


def test_defaults_and_fields():
    costs = CostModel(50)
    assert costs.value_per_success == 50.0
    assert isinstance(costs.value_per_success, float)
    assert costs.cost_per_contact == 0.0
    assert costs.incentive_cost == 0.0
    assert costs.incentive_paid == "on_contact"
    assert costs.capacity is None
    assert costs.budget is None
    assert not costs.incentive_on_success


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        CostModel(50, 1, 2, "on_success")


def test_frozen():
    costs = CostModel(50)
    with pytest.raises(AttributeError):
        costs.value_per_success = 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value_per_success": -1}, "value_per_success must be non-negative; got -1.0."),
        (
            {"value_per_success": 1, "cost_per_contact": -0.5},
            "cost_per_contact must be non-negative",
        ),
        ({"value_per_success": 1, "incentive_cost": -2}, "incentive_cost must be non-negative"),
        ({"value_per_success": float("nan")}, "value_per_success must be a finite number"),
        ({"value_per_success": float("inf")}, "value_per_success must be a finite number"),
        ({"value_per_success": "100"}, "value_per_success must be a finite number; got '100'."),
        ({"value_per_success": True}, "value_per_success must be a finite number"),
        ({"value_per_success": 1, "cost_per_contact": None}, "cost_per_contact must be a finite"),
        (
            {"value_per_success": 1, "incentive_paid": "on_acceptance"},
            "incentive_paid must be 'on_contact' or 'on_success'; got 'on_acceptance'.",
        ),
        ({"value_per_success": 1, "capacity": 0}, "capacity must be a positive integer"),
        ({"value_per_success": 1, "capacity": -5}, "got -5."),
        ({"value_per_success": 1, "capacity": 1.5}, "people scored; got 1.5."),
        ({"value_per_success": 1, "capacity": float("nan")}, "capacity must be a positive"),
        ({"value_per_success": 1, "capacity": 0.0}, "capacity must be a positive integer"),
        ({"value_per_success": 1, "capacity": True}, "capacity must be a positive integer"),
        ({"value_per_success": 1, "capacity": "10"}, "capacity must be a positive integer"),
        (
            {"value_per_success": 1, "budget": 0},
            "budget must be a positive finite amount; got 0.0.",
        ),
        ({"value_per_success": 1, "budget": -10}, "budget must be a positive finite amount"),
        ({"value_per_success": 1, "budget": float("inf")}, "budget must be a positive finite"),
    ],
)
def test_bad_parameters_name_the_problem(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        CostModel(**kwargs)


def test_replace_validates_again():
    with pytest.raises(ValueError, match="cost_per_contact must be non-negative"):
        CostModel(10).replace(cost_per_contact=-1)
    assert CostModel(10).replace(capacity=3).capacity == 3


def test_numpy_scalars_are_accepted():
    costs = CostModel(np.float32(2.5), np.int64(1), capacity=np.int64(7), budget=np.float64(9))
    assert costs.value_per_success == 2.5
    assert costs.capacity == 7
    assert isinstance(costs.capacity, int)
    assert costs.budget == 9.0


def test_contact_cost_on_contact():
    costs = CostModel(100, cost_per_contact=2, incentive_cost=10)
    # every contacted person costs 2 + 10, whatever the outcome
    assert costs.contact_cost(10) == 120.0
    assert costs.contact_cost(10, successes_if_contacted=3) == 120.0


def test_contact_cost_on_success():
    costs = CostModel(100, cost_per_contact=2, incentive_cost=10, incentive_paid="on_success")
    assert costs.contact_cost(10, successes_if_contacted=3) == 50.0
    with pytest.raises(ValueError, match="successes_if_contacted is required"):
        costs.contact_cost(10)
    # no incentive: successes are not needed
    assert CostModel(1, 2, incentive_paid="on_success").contact_cost(3) == 6.0


def test_profit_per_customer_type():
    # one person of each type, incentive paid on success:
    # persuadable (y0=0, y1=1), sure thing (1, 1), lost cause (0, 0), sleeping dog (1, 0)
    costs = CostModel(100, cost_per_contact=1, incentive_cost=5, incentive_paid="on_success")
    y0 = np.array([0, 1, 0, 1])
    y1 = np.array([1, 1, 0, 0])
    profit = costs.profit(1, y1 - y0, y1)
    np.testing.assert_array_equal(profit, [94.0, -6.0, -1.0, -101.0])
    # paid on contact: the sure thing and everyone else pay the incentive
    on_contact = costs.replace(incentive_paid="on_contact").profit(1, y1 - y0, y1)
    np.testing.assert_array_equal(on_contact, [94.0, -6.0, -6.0, -106.0])


def test_profit_broadcasts_and_returns_float_for_scalars():
    costs = CostModel(10, 1)
    assert isinstance(costs.profit(1, 0.5), float)
    np.testing.assert_allclose(costs.profit([1, 2], [0.5, 0.5]), [4.0, 3.0])


def test_whole_float_capacity_is_a_count():
    costs = CostModel(1, capacity=500.0)
    assert costs.capacity == 500
    assert isinstance(costs.capacity, int)
    assert CostModel(1, capacity=1.0).capacity == 1.0  # a fraction: everyone
    assert CostModel(1, capacity=1.0).capacity_count(40) == 40.0


def test_capacity_count():
    assert CostModel(1).capacity_count(100) is None
    assert CostModel(1, capacity=30).capacity_count(100) == 30.0
    assert CostModel(1, capacity=0.25).capacity_count(200) == 50.0
    assert CostModel(1, capacity=1.0).capacity_count(80) == 80.0


def test_dict_round_trip_is_json_serializable():
    costs = CostModel(75, 1.5, 20, incentive_paid="on_success", capacity=0.1, budget=1000)
    data = json.loads(json.dumps(costs.to_dict()))
    assert data == {
        "value_per_success": 75.0,
        "cost_per_contact": 1.5,
        "incentive_cost": 20.0,
        "value_per_unit": None,
        "incentive_paid": "on_success",
        "capacity": 0.1,
        "budget": 1000.0,
    }
    assert CostModel.from_dict(data) == costs


def test_from_dict_partial_and_bad_keys():
    assert CostModel.from_dict({"value_per_success": 3}) == CostModel(3)
    with pytest.raises(ValueError, match=r"Unknown CostModel field\(s\) \['cost'\]"):
        CostModel.from_dict({"value_per_success": 3, "cost": 1})
    with pytest.raises(ValueError, match="value_per_success is required"):
        CostModel.from_dict({"cost_per_contact": 1})
    with pytest.raises(ValueError, match="capacity must be a positive integer"):
        CostModel.from_dict({"value_per_success": 3, "capacity": 0})


# ------------------------------------------------------------ value per unit
def test_value_per_unit_values_a_unit_of_a_continuous_outcome():
    spend = CostModel(value_per_unit=0.3, cost_per_contact=0.1, incentive_cost=0.5)
    assert spend.per_unit
    assert spend.value_per_success is None
    assert spend.outcome_value == 0.3
    assert isinstance(spend.value_per_unit, float)
    # 200 contacts bring $1,000 more spend: 0.3 * 1000 - (0.1 + 0.5) * 200
    assert spend.profit(200, 1000.0) == pytest.approx(0.3 * 1000 - 0.6 * 200)
    np.testing.assert_allclose(spend.profit(1, [12.0, -4.0]), [0.3 * 12 - 0.6, -0.3 * 4 - 0.6])
    assert not spend.needs_successes_if_contacted
    retained = CostModel(100.0)
    assert not retained.per_unit
    assert retained.outcome_value == 100.0
    assert retained.value_per_unit is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs exactly one of value_per_success"),
        ({"cost_per_contact": 1.0}, "or value_per_unit (the value of one unit"),
        (
            {"value_per_success": 10.0, "value_per_unit": 0.3},
            "got both: value_per_success=10.0, value_per_unit=0.3",
        ),
        ({"value_per_unit": -0.3}, "value_per_unit must be non-negative; got -0.3."),
        ({"value_per_unit": float("nan")}, "value_per_unit must be a finite number"),
        (
            {"value_per_unit": 0.3, "incentive_cost": 1.0, "incentive_paid": "on_success"},
            "incentive_paid='on_success' is not possible with value_per_unit",
        ),
        (
            {"value_per_unit": 0.3, "incentive_paid": "on_success"},
            "a continuous outcome has no successes",
        ),
    ],
)
def test_exactly_one_value_and_no_incentive_on_success_per_unit(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        CostModel(**kwargs)


def test_value_per_unit_is_keyword_only():
    # the third positional field is still the incentive cost
    assert CostModel(100.0, 2.0, 10.0).incentive_cost == 10.0
    assert CostModel(None, 2.0, value_per_unit=0.3).cost_per_contact == 2.0


def test_replace_switches_between_the_two_values():
    retained = CostModel(100.0, 2.0, capacity=50)
    spend = retained.replace(value_per_success=None, value_per_unit=0.3)
    assert spend == CostModel(value_per_unit=0.3, cost_per_contact=2.0, capacity=50)
    assert spend.replace(value_per_unit=None, value_per_success=100.0) == retained
    assert spend.replace(value_per_unit=0.5).outcome_value == 0.5
    with pytest.raises(ValueError, match="replace\\(value_per_success=None, value_per_unit=...\\)"):
        retained.replace(value_per_unit=0.3)


def test_per_unit_dict_round_trip_and_old_dicts():
    spend = CostModel(value_per_unit=0.3, cost_per_contact=0.1, budget=500)
    data = json.loads(json.dumps(spend.to_dict()))
    assert data["value_per_unit"] == 0.3
    assert data["value_per_success"] is None
    assert CostModel.from_dict(data) == spend
    assert CostModel.from_dict({"value_per_unit": 0.3}) == CostModel(value_per_unit=0.3)
    # a dict written before value_per_unit existed
    old = {"value_per_success": 75.0, "cost_per_contact": 1.5, "incentive_cost": 20.0,
           "incentive_paid": "on_success", "capacity": 0.1, "budget": 1000.0}  # fmt: skip
    assert CostModel.from_dict(old) == CostModel(
        75.0, 1.5, 20.0, incentive_paid="on_success", capacity=0.1, budget=1000.0
    )
    with pytest.raises(ValueError, match="or value_per_unit, for a continuous outcome"):
        CostModel.from_dict({"cost_per_contact": 1.0})
    with pytest.raises(ValueError, match="got both"):
        CostModel.from_dict({"value_per_success": 1.0, "value_per_unit": 0.3})
