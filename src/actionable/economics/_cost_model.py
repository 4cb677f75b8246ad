"""``CostModel``: what a success is worth, what a contact costs, how many contacts are possible.

The one cost vocabulary of every measure. The churn literature's measures (maximum
profit, MPU) also accept their papers' names for its fields (``COST_ALIASES``), which
build a ``CostModel`` (``campaign_costs``).
"""

import dataclasses
import numbers

import numpy as np

from actionable._validation import check_number

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
_MSG_MISSING_VALUE = "value_per_success is required to build a CostModel; got keys {keys}."
_MSG_SUCCESSES_REQUIRED = (
    "successes_if_contacted is required when incentive_paid='on_success' and incentive_cost > 0."
)

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
_MSG_BOTH_COSTS = (
    "Pass the costs either as cost_model or as {aliases} (the literature's names for "
    "CostModel fields), not both: got cost_model and {aliases}."
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
    """The economics of an intervention: value of a success, costs, capacity and budget.

    Profit is measured relative to contacting nobody. Contacting person ``i``,
    whose outcome would be ``y0_i`` without contact and ``y1_i`` with it
    (1 = favourable), yields::

        value_per_success * (y1_i - y0_i) - cost_per_contact - incentive_cost * paid_i

    where ``paid_i`` is 1 when the incentive is paid on contact, and ``y1_i``
    when it is paid only on success. An incentive paid on success is also paid
    to *sure things* (favourable either way): for them it is pure loss.

    Parameters
    ----------
    value_per_success : float
        Value of one favourable outcome (e.g. a retained customer's margin). Non-negative.
    cost_per_contact : float, default=0.0
        Cost of contacting one person (call, mail, agent time). Non-negative.
    incentive_cost : float, default=0.0
        Cost of the incentive offered (discount, voucher). Non-negative.
    incentive_paid : {"on_contact", "on_success"}, default="on_contact"
        Whether the incentive is paid to everyone contacted or only to those
        contacted who end with the favourable outcome.
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
    """

    value_per_success: float
    cost_per_contact: float = 0.0
    incentive_cost: float = 0.0
    _: dataclasses.KW_ONLY
    incentive_paid: str = "on_contact"
    capacity: int | float | None = None
    budget: float | None = None

    def __post_init__(self):
        for name in ("value_per_success", "cost_per_contact", "incentive_cost"):
            object.__setattr__(self, name, _check_amount(getattr(self, name), name))
        if self.incentive_paid not in _INCENTIVE_PAID:
            raise ValueError(_MSG_INCENTIVE_PAID.format(value=self.incentive_paid))
        object.__setattr__(self, "capacity", _check_capacity(self.capacity))
        object.__setattr__(self, "budget", _check_budget(self.budget))

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
            successes without (for one person, the uplift).
        successes_if_contacted : float or array-like, default=None
            Successes among the people contacted (for one person, the probability
            of success if contacted). Required when the incentive is paid on success.

        Returns
        -------
        float or ndarray
            ``value_per_success * incremental_successes - contact_cost(...)``.

        Examples
        --------
        Expected profit per person from predicted uplifts:

        >>> CostModel(100.0, cost_per_contact=5.0).profit(1, [0.10, 0.02])
        array([ 5., -3.])
        """
        incremental = np.asarray(incremental_successes, dtype=np.float64)
        result = self.value_per_success * incremental - self.contact_cost(
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
            New field values, e.g. ``cost_per_contact=3.0``.

        Returns
        -------
        CostModel
            A new, validated cost model.

        Examples
        --------
        >>> CostModel(100.0).replace(cost_per_contact=3.0).cost_per_contact
        3.0
        """
        return dataclasses.replace(self, **changes)

    def to_dict(self):
        """Return the fields as a JSON-serializable dict.

        Returns
        -------
        dict
            Keys ``value_per_success``, ``cost_per_contact``, ``incentive_cost``,
            ``incentive_paid``, ``capacity``, ``budget``.

        Examples
        --------
        >>> CostModel(80.0, cost_per_contact=1.5).to_dict()["cost_per_contact"]
        1.5
        """
        return {field.name: getattr(self, field.name) for field in _FIELDS}

    @classmethod
    def from_dict(cls, data):
        """Build a ``CostModel`` from a dict such as the one ``to_dict`` returns.

        Missing optional keys take their defaults; unknown keys raise ``ValueError``.

        Parameters
        ----------
        data : mapping
            Must contain ``value_per_success``.

        Returns
        -------
        CostModel

        Examples
        --------
        >>> CostModel.from_dict({"value_per_success": 60, "incentive_cost": 10,
        ...                      "incentive_paid": "on_success"}).incentive_on_success
        True
        """
        names = [field.name for field in _FIELDS]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(_MSG_UNKNOWN_KEYS.format(keys=unknown, expected=names))
        if "value_per_success" not in data:
            raise ValueError(_MSG_MISSING_VALUE.format(keys=sorted(data)))
        return cls(**dict(data))


_FIELDS = [field for field in dataclasses.fields(CostModel) if field.name != "_"]


# ---------------------------------------------------------- literature aliases
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
    of a success must be positive.
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
