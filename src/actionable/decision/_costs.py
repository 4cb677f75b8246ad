"""The decision card's costs: checked with ``CostModel``'s own checks, and turned into one."""

from actionable.economics import CostModel

DEFAULT_INCENTIVE_PAID = "on_success"
"""When a card (or a command's options) gives an incentive but not when it is paid: by
the customers who take it up, those who end with the favourable outcome (a discount, a
voucher). make_churn's retention offer is priced this way, and the demo, ``fit`` and a
card loaded in Python all start from it. A card valued per unit of a continuous outcome
(``value_per_unit``) has no successes: its incentive is paid on contact."""

COST_FIELDS = (
    "value_per_success",
    "value_per_unit",
    "cost_per_contact",
    "incentive_cost",
    "incentive_paid",
)
"""The ``[costs]`` of a card, in the order the TOML writes them (``capacity`` follows)."""

MSG_COSTS_MISSING = (
    "costs missing: value_per_success is required to compute a profit "
    "(give `value_per_success`, or `value_per_unit` for a continuous outcome such as "
    "spend, or set it in the decision card's [costs])."
)
_MSG_NEGATIVE = "{name}={value!r}: it must be a finite number >= 0."
_MSG_INCENTIVE_PAID = "incentive_paid={value!r}: it must be 'on_contact' or 'on_success'."


def _field_alone(name, value):
    """A ``CostModel`` with one field of the card set (the others at their defaults)."""
    if name == "value_per_unit":
        return CostModel(value_per_unit=value)
    return CostModel(0.0).replace(**{name: value})


def incentive_paid_of(card):
    """When the card's incentive is paid: as set, else the default of its valuation.

    ``DEFAULT_INCENTIVE_PAID`` (on success) for a card valued per success,
    ``"on_contact"`` for a card valued per unit (a continuous outcome has no successes).
    """
    if card.incentive_paid is not None:
        return card.incentive_paid
    return "on_contact" if card.value_per_unit is not None else DEFAULT_INCENTIVE_PAID


def check_costs(card):
    """Check each cost the card sets with ``CostModel``'s own checks, in the card's words.

    Then the costs together: one value at most (``value_per_success`` or
    ``value_per_unit``), and no incentive paid on success with ``value_per_unit``
    (``CostModel``'s messages).
    """
    for name in COST_FIELDS:
        value = getattr(card, name)
        if value is None:
            continue
        try:
            _field_alone(name, value)
        except (TypeError, ValueError):
            template = _MSG_INCENTIVE_PAID if name == "incentive_paid" else _MSG_NEGATIVE
            raise ValueError(template.format(name=name, value=value)) from None
    if card.value_per_success is not None or card.value_per_unit is not None:
        card_cost_model(card)


def has_value(card):
    """Whether the card values the outcome (``value_per_success`` or ``value_per_unit``)."""
    return card.value_per_success is not None or card.value_per_unit is not None


def card_cost_model(card):
    """The card's ``CostModel`` (missing costs are 0); the card must value the outcome."""
    if not has_value(card):
        raise ValueError(MSG_COSTS_MISSING)
    per_unit = card.value_per_unit is not None
    return CostModel(
        None if card.value_per_success is None else float(card.value_per_success),
        float(card.cost_per_contact or 0.0),
        float(card.incentive_cost or 0.0),
        value_per_unit=float(card.value_per_unit) if per_unit else None,
        incentive_paid=incentive_paid_of(card),
        capacity=card.capacity,
    )


def describe_costs(card):
    """The card's costs in one line, for its Markdown and HTML tables."""
    if not has_value(card):
        return "not given (no profit can be computed)"
    if card.value_per_unit is not None:
        value = f"value per unit of outcome {card.value_per_unit:g}"
    else:
        value = f"value per success {card.value_per_success:g}"
    paid = incentive_paid_of(card)
    return (
        f"{value}; cost per contact {card.cost_per_contact or 0:g}; "
        f"incentive {card.incentive_cost or 0:g} paid {paid.replace('_', ' ')}"
    )
