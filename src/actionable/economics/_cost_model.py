"""``CostModel``: what an outcome is worth, what a contact costs, how many contacts are possible.

The one cost vocabulary of every measure. The churn literature's measures (maximum
profit, MPU) also accept their papers' names for its fields (``_campaign_costs``).
"""

import dataclasses
import numbers

import numpy as np

from actionable._validation import check_number, first_non_binary

_INCENTIVE_PAID = ("on_contact", "on_success")

_MSG_NOT_NUMBER = "{name} must be a finite number; got {value!r}."
_MSG_NEGATIVE = "{name} must be non-negative; got {value!r}."
_MSG_INCENTIVE_PAID = "incentive_paid must be 'on_contact' or 'on_success'; got {value!r}."
_MSG_CAPACITY = (
    "capacity must be a positive integer number of contacts or a fraction in (0, 1] of the "
    "people scored; got {value!r}."
)
_MSG_BUDGET = "budget must be a positive finite amount; got {value!r}."
_MSG_UNKNOWN_KEYS = "Unknown CostModel field(s) {keys}; expected some of {expected}."
_MSG_MISSING_VALUE = (
    "value_per_success is required to build a CostModel (or value_per_unit, for a "
    "continuous outcome); got keys {keys}."
)
_MSG_NO_VALUE = (
    "A CostModel needs exactly one of value_per_success (the value of one favourable "
    "outcome, for a binary outcome) or value_per_unit (the value of one unit of a "
    "continuous outcome, e.g. the margin of $1 of spend); got neither."
)
_MSG_TWO_VALUES = (
    "A CostModel needs exactly one of value_per_success (binary outcome) or value_per_unit "
    "(continuous outcome); got both: value_per_success={success!r}, value_per_unit={unit!r}. "
    "To switch, set the other to None, e.g. replace(value_per_success=None, value_per_unit=...)."
)
_MSG_PER_UNIT_ON_SUCCESS = (
    "incentive_paid='on_success' is not possible with value_per_unit: a continuous outcome "
    "has no successes to pay the incentive on. Use incentive_paid='on_contact'."
)
_MSG_SUCCESS_ON_CONTINUOUS = (
    "{name} is not binary (value {value!r} at position {index}, neither a success 0/1 nor "
    "its probability) but cost_model values a success (value_per_success={success!r}): a "
    "continuous outcome (spend, revenue) is valued per unit: give "
    "CostModel(value_per_unit=...), the money of one unit of outcome."
)
_MSG_SUCCESSES_REQUIRED = (
    "successes_if_contacted is required when incentive_paid='on_success' and incentive_cost > 0."
)


def _check_amount(value, name):
    value = check_number(value, name, message=_MSG_NOT_NUMBER)
    return check_number(value, name, low=0, message=_MSG_NEGATIVE)


def _check_capacity(capacity):
    if capacity is None:
        return None
    if isinstance(capacity, bool) or not isinstance(capacity, numbers.Real):
        raise ValueError(_MSG_CAPACITY.format(value=capacity))
    if isinstance(capacity, numbers.Integral):
        if capacity < 1:
            raise ValueError(_MSG_CAPACITY.format(value=capacity))
        return int(capacity)
    capacity = float(capacity)
    if capacity > 1 and capacity.is_integer():
        return int(capacity)  # a count that went through a float (JSON, command line)
    if not 0 < capacity <= 1:
        raise ValueError(_MSG_CAPACITY.format(value=capacity))
    return capacity


def _check_budget(budget):
    if budget is None:
        return None
    if isinstance(budget, numbers.Real) and not isinstance(budget, bool):
        budget = float(budget)  # messages show the amount as a float, as it is stored
    return check_number(budget, "budget", low=0, low_open=True, message=_MSG_BUDGET)


@dataclasses.dataclass(frozen=True)
class CostModel:
    """The economics of an intervention: value of the outcome, costs, capacity and budget.

    Profit is measured relative to contacting nobody. Contacting person ``i``,
    whose outcome would be ``y0_i`` without contact and ``y1_i`` with it,
    yields::

        outcome_value * (y1_i - y0_i) - cost_per_contact - incentive_cost * paid_i

    where ``outcome_value`` is ``value_per_success`` for a binary outcome (1 =
    favourable) or ``value_per_unit`` for a continuous one (spend, revenue kept),
    and ``paid_i`` is 1 when the incentive is paid on contact, and ``y1_i`` when
    it is paid only on success. An incentive paid on success is also paid to
    *sure things* (favourable either way): for them it is pure loss.

    Exactly one of ``value_per_success`` and ``value_per_unit`` is given.

    Parameters
    ----------
    value_per_success : float, default=None
        Value of one favourable outcome of a binary outcome (e.g. a retained
        customer's margin). Non-negative. Exactly one of ``value_per_success``
        and ``value_per_unit`` must be given.
    cost_per_contact : float, default=0.0
        Cost of contacting one person (call, mail, agent time). Non-negative.
    incentive_cost : float, default=0.0
        Cost of the incentive offered (discount, voucher). Non-negative.
    value_per_unit : float, default=None
        Keyword only. Value of one unit of a continuous outcome: e.g. ``0.3``
        when the outcome is spend in dollars and $1 of spend brings $0.30 of
        margin. Non-negative. Profit is then ``value_per_unit`` times the
        incremental outcome minus the costs.
    incentive_paid : {"on_contact", "on_success"}, default="on_contact"
        Whether the incentive is paid to everyone contacted or only to those
        contacted who end with the favourable outcome. ``"on_success"`` is
        refused with ``value_per_unit`` (a continuous outcome has no successes).
    capacity : int or float, default=None
        Maximum number of contacts: an ``int`` (or a whole ``float`` above 1,
        such as ``500.0``) is a number of people, a ``float`` in (0, 1] a
        fraction of the people scored. ``None`` means unlimited.
    budget : float, default=None
        Maximum total spend (contact plus incentive costs). ``None`` means unlimited.

    See Also
    --------
    profit_curve : Profit of contacting the top k of a score, from randomized data.
    best_targeting : The number of people to contact that maximizes profit.

    Examples
    --------
    >>> from actionable.economics import CostModel
    >>> costs = CostModel(100.0, cost_per_contact=2.0, incentive_cost=10.0,
    ...                   incentive_paid="on_success", capacity=500)
    >>> costs.contact_cost(10, successes_if_contacted=4)
    60.0
    >>> costs.profit(10, incremental_successes=2, successes_if_contacted=4)
    140.0
    >>> CostModel.from_dict(costs.to_dict()) == costs
    True

    A continuous outcome (spend in dollars, each $1 worth $0.30 of margin):

    >>> spend = CostModel(value_per_unit=0.3, cost_per_contact=0.1)
    >>> spend.per_unit, spend.outcome_value
    (True, 0.3)
    >>> spend.profit(100, incremental_successes=50.0)  # 100 contacts bring $50 more spend
    5.0
    """

    value_per_success: float | None = None
    cost_per_contact: float = 0.0
    incentive_cost: float = 0.0
    _: dataclasses.KW_ONLY
    value_per_unit: float | None = None
    incentive_paid: str = "on_contact"
    capacity: int | float | None = None
    budget: float | None = None

    def __post_init__(self):
        if self.value_per_success is None and self.value_per_unit is None:
            raise ValueError(_MSG_NO_VALUE)
        if self.value_per_success is not None and self.value_per_unit is not None:
            raise ValueError(
                _MSG_TWO_VALUES.format(success=self.value_per_success, unit=self.value_per_unit)
            )
        value_name = "value_per_unit" if self.per_unit else "value_per_success"
        for name in (value_name, "cost_per_contact", "incentive_cost"):
            object.__setattr__(self, name, _check_amount(getattr(self, name), name))
        if self.incentive_paid not in _INCENTIVE_PAID:
            raise ValueError(_MSG_INCENTIVE_PAID.format(value=self.incentive_paid))
        if self.per_unit and self.incentive_on_success:
            raise ValueError(_MSG_PER_UNIT_ON_SUCCESS)
        object.__setattr__(self, "capacity", _check_capacity(self.capacity))
        object.__setattr__(self, "budget", _check_budget(self.budget))

    @property
    def per_unit(self):
        """Whether the outcome is valued per unit (``value_per_unit``, a continuous outcome).

        Examples
        --------
        >>> CostModel(100.0).per_unit, CostModel(value_per_unit=0.3).per_unit
        (False, True)
        """
        return self.value_per_unit is not None

    @property
    def outcome_value(self):
        """The money of one unit of incremental outcome: the one value that is set.

        ``value_per_unit`` for a continuous outcome, ``value_per_success`` (one
        extra favourable outcome) for a binary one. Every profit formula uses it.

        Examples
        --------
        >>> CostModel(100.0).outcome_value, CostModel(value_per_unit=0.3).outcome_value
        (100.0, 0.3)
        """
        return self.value_per_unit if self.per_unit else self.value_per_success

    @property
    def incentive_on_success(self):
        """Whether the incentive is paid only by contacted people who succeed."""
        return self.incentive_paid == "on_success"

    @property
    def needs_successes_if_contacted(self):
        """Whether a spend or profit needs the successes among those contacted.

        True when a non-zero incentive is paid only on success: ``contact_cost``
        and ``profit`` then require ``successes_if_contacted`` (for one person,
        the probability of success if contacted).

        Examples
        --------
        >>> on_success = CostModel(50.0, incentive_cost=5.0, incentive_paid="on_success")
        >>> on_success.needs_successes_if_contacted
        True
        >>> CostModel(50.0, incentive_cost=5.0).needs_successes_if_contacted
        False
        """
        return self.incentive_on_success and self.incentive_cost > 0

    def contact_cost(self, n_contacts, successes_if_contacted=None):
        """Total spend of contacting ``n_contacts`` people: contact plus incentive costs.

        Parameters
        ----------
        n_contacts : float or array-like
            Number of people contacted.
        successes_if_contacted : float or array-like, default=None
            Number of those people who end with the favourable outcome when
            contacted. Required when the incentive is paid on success.

        Returns
        -------
        float or ndarray
            Spend, broadcast over the inputs.

        Examples
        --------
        >>> CostModel(50.0, cost_per_contact=1.0, incentive_cost=5.0).contact_cost(100)
        600.0
        """
        n_contacts = np.asarray(n_contacts, dtype=np.float64)
        if self.needs_successes_if_contacted:
            if successes_if_contacted is None:
                raise ValueError(_MSG_SUCCESSES_REQUIRED)
            paid = np.asarray(successes_if_contacted, dtype=np.float64)
        elif self.incentive_on_success:
            paid = 0.0
        else:
            paid = n_contacts
        spend = self.cost_per_contact * n_contacts + self.incentive_cost * paid
        return spend if np.ndim(spend) else float(spend)

    def profit(self, n_contacts, incremental_successes, successes_if_contacted=None):
        """Profit, relative to contacting nobody, of contacting ``n_contacts`` people.

        Parameters
        ----------
        n_contacts : float or array-like
            Number of people contacted (1 for a per-person expected profit).
        incremental_successes : float or array-like
            Successes caused by the contact: successes with contact minus
            successes without (for one person, the uplift). For a per-unit
            model (``value_per_unit``) it is the incremental outcome, in the
            outcome's units (e.g. the extra dollars of spend).
        successes_if_contacted : float or array-like, default=None
            Successes among the people contacted (for one person, the probability
            of success if contacted). Required when the incentive is paid on success.

        Returns
        -------
        float or ndarray
            ``outcome_value * incremental_successes - contact_cost(...)``.

        Examples
        --------
        Expected profit per person from predicted uplifts:

        >>> CostModel(100.0, cost_per_contact=5.0).profit(1, [0.10, 0.02])
        array([ 5., -3.])
        """
        incremental = np.asarray(incremental_successes, dtype=np.float64)
        result = self.outcome_value * incremental - self.contact_cost(
            n_contacts, successes_if_contacted
        )
        return result if np.ndim(result) else float(result)

    def capacity_count(self, n_total):
        """Maximum number of contacts among ``n_total`` people scored, or ``None``.

        Parameters
        ----------
        n_total : float
            Number (or total weight) of the people scored.

        Returns
        -------
        float or None
            ``capacity`` itself when it is a count, ``capacity * n_total`` when it
            is a fraction, ``None`` when unlimited.

        Examples
        --------
        >>> CostModel(1.0, capacity=0.2).capacity_count(1000)
        200.0
        """
        if self.capacity is None:
            return None
        if isinstance(self.capacity, int):
            return float(self.capacity)
        return float(self.capacity) * float(n_total)

    def replace(self, **changes):
        """Return a copy with some fields changed (validated again).

        Parameters
        ----------
        **changes
            New field values, e.g. ``cost_per_contact=3.0``. To switch the
            valuation, unset the other value:
            ``replace(value_per_success=None, value_per_unit=0.3)``.

        Returns
        -------
        CostModel
            A new, validated cost model.

        Examples
        --------
        >>> CostModel(100.0).replace(cost_per_contact=3.0).cost_per_contact
        3.0
        >>> CostModel(100.0).replace(value_per_success=None, value_per_unit=0.3).per_unit
        True
        """
        return dataclasses.replace(self, **changes)

    def to_dict(self):
        """Return the fields as a JSON-serializable dict.

        Returns
        -------
        dict
            Keys ``value_per_success``, ``cost_per_contact``, ``incentive_cost``,
            ``value_per_unit``, ``incentive_paid``, ``capacity``, ``budget``
            (the value that is not set is ``None``).

        Examples
        --------
        >>> CostModel(80.0, cost_per_contact=1.5).to_dict()["cost_per_contact"]
        1.5
        """
        return {field.name: getattr(self, field.name) for field in _FIELDS}

    @classmethod
    def from_dict(cls, data):
        """Build a ``CostModel`` from a dict such as the one ``to_dict`` returns.

        Missing optional keys take their defaults (a dict written before
        ``value_per_unit`` existed loads as it did); unknown keys raise ``ValueError``.

        Parameters
        ----------
        data : mapping
            Must contain ``value_per_success`` or ``value_per_unit``.

        Returns
        -------
        CostModel

        Examples
        --------
        >>> CostModel.from_dict({"value_per_success": 60, "incentive_cost": 10,
        ...                      "incentive_paid": "on_success"}).incentive_on_success
        True
        >>> CostModel.from_dict({"value_per_unit": 0.3, "cost_per_contact": 0.1}).outcome_value
        0.3
        """
        names = [field.name for field in _FIELDS]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(_MSG_UNKNOWN_KEYS.format(keys=unknown, expected=names))
        if "value_per_success" not in data and "value_per_unit" not in data:
            raise ValueError(_MSG_MISSING_VALUE.format(keys=sorted(data)))
        return cls(**dict(data))


_FIELDS = [field for field in dataclasses.fields(CostModel) if field.name != "_"]


def check_valuation(cost_model, **outcomes):
    """Refuse a cost model valued per success on an outcome that is not binary.

    A binary outcome may be valued either way (per unit, each success is one
    unit); a continuous one only per unit: its "successes" would be sums of
    amounts, and an incentive paid on success would be paid on them. Values in
    [0, 1] pass with a value per success: outcomes in expectation (the
    probability of a success, as in a simulated truth) are valued like successes.
    """
    if cost_model.per_unit:
        return
    for name, values in outcomes.items():
        outside = (values < 0.0) | (values > 1.0)
        if outside.any():
            index = int(np.argmax(outside))
            value = first_non_binary(values[index : index + 1])[1]
            raise ValueError(
                _MSG_SUCCESS_ON_CONTINUOUS.format(
                    name=name, value=value, index=index, success=cost_model.value_per_success
                )
            )
