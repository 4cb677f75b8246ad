"""The churn literature measures' costs: a ``CostModel``, or one built from the papers' names.

The maximum profit measures (MP, EMPC) and the uplift profit measure (MPU, liftup)
accept their papers' names for the fields of a ``CostModel`` (``COST_ALIASES``):
``campaign_costs`` builds the one ``CostModel`` a measure uses. These measures are
defined for a binary (churn or retention) outcome: a cost model valued per unit of a
continuous outcome (``value_per_unit``) is refused.
"""

from actionable._validation import check_number
from actionable.economics._cost_model import CostModel

# The literature measures' checks and aliases (maximum profit, MPU).
_MSG_NOT_REAL = "{name} must be a finite real number; got {value!r}."
_MSG_BELOW_ZERO = "{name} must be >= 0; got {value!r}."
_MSG_NOT_POSITIVE = "{name} must be > 0; got {value!r}."
_MSG_RATE = "{name} must be in [0, 1]; got {value!r}."
_MSG_PAID_ALIAS = "incentive_paid must be 'on_success' or 'on_contact'; got {value!r}."
_MSG_COST_MODEL = (
    "cost_model must have the attributes value_per_success, cost_per_contact and "
    "incentive_cost (like actionable.economics.CostModel); {name!r} is missing."
)
_MSG_MEASURE_PER_UNIT = (
    "The churn literature's profit measures (maximum profit, EMPC, MPU, liftup) are defined "
    "for a binary outcome (churn or retention), valued by value_per_success; got a cost model "
    "with value_per_unit={value!r} (a continuous outcome). Use profit_curve or best_targeting, "
    "which value a continuous outcome per unit."
)
_MSG_BOTH_COSTS = (
    "Pass the costs either as cost_model or as {aliases} (the literature's names for "
    "CostModel fields), not both: got cost_model and {aliases}."
)


def check_measure_number(value, name, *, low=None, strict=False, high=None):
    """``value`` as a float, checked finite and within ``[low, high]`` (``(low, ...`` if strict).

    The literature measures' own messages (not a real number, below zero, not positive,
    not a rate) on top of the one numeric check.
    """
    value = check_number(value, name, message=_MSG_NOT_REAL)
    if low is not None:
        template = _MSG_NOT_POSITIVE if strict else _MSG_BELOW_ZERO
        check_number(value, name, low=low, low_open=strict, message=template)
    if high is not None:
        check_number(value, name, high=high, message=_MSG_RATE)
    return value


LITERATURE_COSTS = CostModel(
    200.0, cost_per_contact=1.0, incentive_cost=10.0, incentive_paid="on_success"
)
"""The churn literature's customary campaign: CLV 200, incentive 10 paid on success, contact 1."""

COST_ALIASES = {
    "clv": "value_per_success",
    "incentive_cost": "incentive_cost",
    "contact_cost": "cost_per_contact",
    "incentive_paid": "incentive_paid",
}
"""The literature measures' names for the fields of a ``CostModel``."""


def _as_cost_model(cost_model):
    """A ``CostModel`` from one, or from any object with its three amounts."""
    if isinstance(cost_model, CostModel):
        return cost_model
    value_per_unit = getattr(cost_model, "value_per_unit", None)
    if value_per_unit is not None:
        raise ValueError(_MSG_MEASURE_PER_UNIT.format(value=value_per_unit))
    for attribute in ("value_per_success", "cost_per_contact", "incentive_cost"):
        if not hasattr(cost_model, attribute):
            raise ValueError(_MSG_COST_MODEL.format(name=attribute))
    amounts = {
        name: check_measure_number(getattr(cost_model, name), f"cost_model.{name}", low=0.0)
        for name in ("value_per_success", "cost_per_contact", "incentive_cost")
    }
    paid = getattr(cost_model, "incentive_paid", LITERATURE_COSTS.incentive_paid)
    if paid not in ("on_success", "on_contact"):
        raise ValueError(_MSG_PAID_ALIAS.format(value=paid))
    return CostModel(**amounts, incentive_paid=paid)


def campaign_costs(cost_model, clv, incentive_cost, contact_cost, incentive_paid):
    """The ``CostModel`` a literature measure uses: ``cost_model`` or one built from aliases.

    ``clv``, ``incentive_cost``, ``contact_cost`` and ``incentive_paid`` are the
    aliases of ``COST_ALIASES``, each a value or ``None`` (not given), passed on as
    the measure received them. Without a ``cost_model`` the given aliases replace
    fields of ``LITERATURE_COSTS``; giving both is an error naming both. The value
    of a success must be positive; a cost model valued per unit of a continuous
    outcome (``value_per_unit``) is refused: these measures are defined for churn.
    """
    aliases = {
        "clv": clv,
        "incentive_cost": incentive_cost,
        "contact_cost": contact_cost,
        "incentive_paid": incentive_paid,
    }
    given = sorted(name for name, value in aliases.items() if value is not None)
    if cost_model is not None and given:
        raise ValueError(_MSG_BOTH_COSTS.format(aliases=", ".join(given)))
    if cost_model is not None:
        cost_model = _as_cost_model(cost_model)
        if cost_model.per_unit:
            raise ValueError(_MSG_MEASURE_PER_UNIT.format(value=cost_model.value_per_unit))
        value = cost_model.value_per_success
        check_measure_number(value, "cost_model.value_per_success", low=0.0, strict=True)
        return cost_model
    changes = {}
    for alias, field in COST_ALIASES.items():
        value = aliases.get(alias)
        if value is None:
            continue
        if alias == "incentive_paid" and value not in ("on_success", "on_contact"):
            raise ValueError(_MSG_PAID_ALIAS.format(value=value))
        if alias != "incentive_paid":
            value = check_measure_number(value, alias, low=0.0, strict=alias == "clv")
        changes[field] = value
    return LITERATURE_COSTS.replace(**changes)


def campaign_amounts(costs):
    """``(value_per_success, incentive_cost, cost_per_contact, incentive_on_contact)``."""
    return (
        costs.value_per_success,
        costs.incentive_cost,
        costs.cost_per_contact,
        not costs.incentive_on_success,
    )
