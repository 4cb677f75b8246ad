"""The decision card: what decision a score informs, when, at what cost, and who owns it."""

import difflib
import html
import numbers
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from actionable._validation import MSG_CAPACITY, check_integer, check_number
from actionable.decision._costs import (
    COST_FIELDS,
    MSG_COSTS_MISSING,
    card_cost_model,
    check_costs,
    describe_costs,
    has_value,
)
from actionable.decision._toml import card_to_toml, flatten_tables, loads

_MSG_WINDOW_BEFORE_DECISION = (
    "outcome_window_start={start!r} {unit} is before the decision time (0): the outcome "
    "must be measured after the decision is made, or the model learns from the past."
)
_MSG_WINDOW_ORDER = (
    "outcome_window_end={end!r} must be after outcome_window_start={start!r} ({unit})."
)
_MSG_FEATURE_AFTER_DECISION = (
    "feature {name!r} is observed {time!r} {unit} after the decision time: it is not "
    "available when the decision is made; list it in `drop`."
)
_MSG_UNKNOWN_KEYS = "decision card: unknown field(s) {names}; known fields are {known}."


_MSG_TIME = (
    "{name}={value!r}: it must be a finite number (time relative to the decision, "
    "negative = before)."
)


def _check_time(value, name):
    check_number(value, name, message=_MSG_TIME)
    return float(value) if not isinstance(value, numbers.Integral) else int(value)


@dataclass
class DecisionCard:
    """What decision a model informs, when it is made, at what cost, and who owns it.

    Every time (``outcome_window_start``, ``outcome_window_end``, the values of
    ``feature_availability``) is a number relative to the decision time, in
    ``time_unit``: negative is before the decision, positive after.

    Parameters
    ----------
    decision : str, default=""
        The decision the score informs, e.g. ``"whom to call with a retention offer"``.
    decision_time : str, default=""
        When the decision is made (time 0), e.g. ``"the 1st of each month, when the
        call list is drawn"``.
    treated_action : str, default=""
        The action taken for a targeted person (the treatment).
    control_action : str, default=""
        What happens otherwise (the control).
    outcome : str, default=""
        The favourable outcome, e.g. ``"retained (still a customer)"``.
    outcome_window_start, outcome_window_end : float, default=0 and None
        Window over which the outcome is measured, relative to the decision time.
        The start may not be before the decision time.
    time_unit : str, default="days"
        Unit of every time on the card.
    value_per_success : float, default=None
        Value of one favourable outcome of a binary outcome. A profit needs it, or
        ``value_per_unit`` (exactly one of the two).
    value_per_unit : float, default=None
        Value of one unit of a continuous outcome (e.g. the margin of $1 of spend);
        the card's profit is then ``value_per_unit`` times the incremental outcome
        minus the costs. Its incentive is paid on contact.
    cost_per_contact : float, default=None
        Cost of contacting one person (treated action).
    incentive_cost : float, default=None
        Cost of the incentive offered to a contacted person.
    incentive_paid : {"on_contact", "on_success"}, default=None
        When the incentive is paid (``None`` means ``DEFAULT_INCENTIVE_PAID``,
        ``"on_success"``, for a card valued per success, and ``"on_contact"`` for
        a card valued per unit; ``"on_success"`` is refused with ``value_per_unit``).
    capacity : int, default=None
        Maximum number of contacts per decision; ``None`` means unlimited.
    owner : str, default=""
        Who owns the model in production (team, contact).
    retraining : str, default=""
        How and when the model is retrained (and on which randomized holdout).
    rollback : str, default=""
        How to roll back to the previous model or to no targeting.
    feature_availability : dict of str to float, default={}
        Column name -> time at which its value is known, relative to the decision.
        A feature used by the model must be known at or before the decision (<= 0).
    notes : str, default=""
        Anything else a reviewer should know.

    See Also
    --------
    actionable.production.TargetingRule : Expected profit per person and the contact list.

    Examples
    --------
    >>> card = DecisionCard(decision="whom to call", outcome="retained",
    ...                     outcome_window_end=90, value_per_success=50.0,
    ...                     cost_per_contact=5.0, capacity=1000,
    ...                     feature_availability={"tenure": -1})
    >>> card.validate(features=["tenure", "charges"], require_costs=True)
    >>> DecisionCard(outcome_window_start=-7)
    Traceback (most recent call last):
    ...
    ValueError: outcome_window_start=-7 days is before the decision time (0): ...
    >>> card.validate(features=["tenure"]) is None
    True
    >>> DecisionCard.from_toml_string(card.to_toml()) == card
    True
    """

    decision: str = ""
    decision_time: str = ""
    treated_action: str = ""
    control_action: str = ""
    outcome: str = ""
    outcome_window_start: float = 0
    outcome_window_end: float | None = None
    time_unit: str = "days"
    value_per_success: float | None = None
    value_per_unit: float | None = None
    cost_per_contact: float | None = None
    incentive_cost: float | None = None
    incentive_paid: str | None = None
    capacity: int | None = None
    owner: str = ""
    retraining: str = ""
    rollback: str = ""
    feature_availability: dict = field(default_factory=dict)
    notes: str = ""

    def __post_init__(self):
        self.feature_availability = dict(self.feature_availability or {})
        self.validate()

    # ------------------------------------------------------------------ checks
    def validate(self, *, features=None, require_costs=False):
        """Check the card, and optionally the features and costs it is used with.

        Parameters
        ----------
        features : iterable of str, default=None
            Columns a model uses as features. Each one declared in
            ``feature_availability`` must be known at or before the decision time.
        require_costs : bool, default=False
            Whether a profit is asked for: then ``value_per_success`` (or
            ``value_per_unit``) is required.

        Raises
        ------
        ValueError
            Naming the first field that fails: an outcome window starting before the
            decision time (or ending before it starts), a feature observed after the
            decision time, a capacity that is not a positive count, a negative cost,
            both values or an incentive paid on success with ``value_per_unit``,
            or costs missing when a profit is asked for.

        Examples
        --------
        >>> DecisionCard(feature_availability={"refund_next_week": 7}).validate(
        ...     features=["refund_next_week"])
        Traceback (most recent call last):
        ...
        ValueError: feature 'refund_next_week' is observed 7 days after the decision time: ...
        """
        unit = self.time_unit
        start = _check_time(self.outcome_window_start, "outcome_window_start")
        if start < 0:
            raise ValueError(_MSG_WINDOW_BEFORE_DECISION.format(start=start, unit=unit))
        if self.outcome_window_end is not None:
            end = _check_time(self.outcome_window_end, "outcome_window_end")
            if end <= start:
                raise ValueError(_MSG_WINDOW_ORDER.format(end=end, start=start, unit=unit))
        check_integer(self.capacity, "capacity", minimum=1, allow_none=True, message=MSG_CAPACITY)
        check_costs(self)
        for name, time in self.feature_availability.items():
            _check_time(time, f"feature_availability[{name!r}]")
        if features is not None:
            for name in features:
                time = self.feature_availability.get(name)
                if time is not None and time > 0:
                    raise ValueError(
                        _MSG_FEATURE_AFTER_DECISION.format(name=name, time=time, unit=unit)
                    )
        if require_costs and not has_value(self):
            raise ValueError(MSG_COSTS_MISSING)

    @property
    def asks_for_profit(self):
        """Whether any cost is set: a profit is then asked for (and needs a value)."""
        return any(getattr(self, name) is not None for name in COST_FIELDS)

    @property
    def has_costs(self):
        """Whether a profit can be computed (``value_per_success`` or ``value_per_unit`` is set)."""
        return has_value(self)

    def cost_model(self):
        """The card's costs as a ``CostModel`` (missing costs are 0).

        Returns
        -------
        CostModel
            With the card's value per success (or per unit), costs, when the
            incentive is paid (when unset: ``DEFAULT_INCENTIVE_PAID`` per success,
            on contact per unit) and capacity.

        Raises
        ------
        ValueError
            If neither ``value_per_success`` nor ``value_per_unit`` is set.

        Examples
        --------
        >>> DecisionCard(value_per_success=10.0, cost_per_contact=0.15).cost_model()
        CostModel(value_per_success=10.0, cost_per_contact=0.15, incentive_cost=0.0,
                  value_per_unit=None, incentive_paid='on_success', capacity=None, budget=None)
        >>> DecisionCard(value_per_unit=0.3, incentive_cost=1.0).cost_model().incentive_paid
        'on_contact'
        """
        self.validate(require_costs=True)
        return card_cost_model(self)

    def check_names(self, columns):
        """Refuse a card that names a column the data does not have.

        A typo in ``[features]`` (``suport_tickets``) would otherwise silently switch
        off the check of when the real column is known.

        Parameters
        ----------
        columns : iterable of str
            The columns of the data the card is used with.

        Raises
        ------
        ValueError
            Naming the unknown column and the closest real one.

        Examples
        --------
        >>> DecisionCard(feature_availability={"suport_tickets": -1}).check_names(
        ...     ["support_tickets", "tenure"])
        Traceback (most recent call last):
        ...
        ValueError: decision card: [features] names 'suport_tickets', which is not a column ...
        """
        columns = [str(c) for c in columns]
        known = set(columns)
        for name in self.feature_availability:
            if name not in known:
                close = difflib.get_close_matches(name, columns, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(
                    f"decision card: [features] names {name!r}, which is not a column of the "
                    f"data{hint}; fix the name, or remove it."
                )

    def updated(self, **changes):
        """Return a copy with the fields in ``changes`` replaced (``None`` values ignored).

        Parameters
        ----------
        **changes
            Field values, e.g. from command-line options.

        Returns
        -------
        DecisionCard
            A new, validated card.

        Examples
        --------
        >>> DecisionCard(capacity=10).updated(capacity=None, cost_per_contact=1.0)
        DecisionCard(... cost_per_contact=1.0, ... capacity=10, ...)
        """
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(_MSG_UNKNOWN_KEYS.format(names=unknown, known=sorted(known)))
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    # -------------------------------------------------------- (de)serialization
    def to_dict(self):
        """Return the card as a plain dict (JSON- and TOML-serializable).

        Returns
        -------
        dict
            Every field by name (``feature_availability`` as a dict).

        Examples
        --------
        >>> DecisionCard(owner="crm team").to_dict()["owner"]
        'crm team'
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """Build a card from a dict, flat or grouped as in the TOML layout.

        Parameters
        ----------
        data : dict
            Field names as keys; the TOML tables ``[actions]``, ``[outcome]``,
            ``[costs]`` and ``[features]`` are accepted too.

        Returns
        -------
        DecisionCard

        Examples
        --------
        >>> DecisionCard.from_dict({"costs": {"value_per_success": 3}}).value_per_success
        3
        """
        flat = flatten_tables(data)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(flat) - known)
        if unknown:
            raise ValueError(_MSG_UNKNOWN_KEYS.format(names=unknown, known=sorted(known)))
        return cls(**flat)

    @classmethod
    def from_toml(cls, path):
        """Read a card from a TOML file.

        Parameters
        ----------
        path : str or path-like
            A TOML file such as ``decision.toml`` next to the training data.

        Returns
        -------
        DecisionCard

        Raises
        ------
        ValueError
            If the file is not valid TOML or a field fails :meth:`validate`.
        OSError
            If the file cannot be read.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"decision card {str(path)!r} is not UTF-8 text: {exc}") from None
        try:
            return cls.from_toml_string(text)
        except ValueError as exc:
            raise ValueError(f"decision card {str(path)!r}: {exc}") from None

    @classmethod
    def from_toml_string(cls, text):
        """Read a card from TOML text (the layout written by :meth:`to_toml`).

        Parameters
        ----------
        text : str
            TOML content.

        Returns
        -------
        DecisionCard
            The validated card.

        Examples
        --------
        >>> DecisionCard.from_toml_string('owner = "crm"\\n[costs]\\ncapacity = 5\\n').capacity
        5
        """
        return cls.from_dict(loads(text))

    def to_toml(self):
        """Return the card as TOML text, grouped into readable tables.

        Returns
        -------
        str
            TOML text that :meth:`from_toml_string` reads back into an equal card.

        Examples
        --------
        >>> print(DecisionCard(owner="crm", capacity=5).to_toml())
        # Decision card (actionable). Times are relative to the decision time, in days.
        ...
        owner = "crm"
        ...
        [costs]
        capacity = 5
        ...
        """
        return card_to_toml(self)

    # ----------------------------------------------------------------- display
    def _rows(self):
        unit = self.time_unit
        start = self.outcome_window_start
        if self.outcome_window_end is None:
            window = f"from {start:g} {unit} after the decision, with no end set"
        else:
            window = f"{start:g} to {self.outcome_window_end:g} {unit} after the decision"
        rows = [
            ("Decision", self.decision or "(not stated)"),
            ("Decision time (0)", self.decision_time or "(not stated)"),
            ("Treated action", self.treated_action or "(not stated)"),
            ("Control action", self.control_action or "(not stated)"),
            ("Outcome", self.outcome or "(not stated)"),
            ("Outcome window", window),
            ("Costs", describe_costs(self)),
            ("Capacity", "unlimited" if self.capacity is None else f"{self.capacity:,} contacts"),
            ("Owner in production", self.owner or "(nobody named: name an owner)"),
            ("Retraining", self.retraining or "(not stated)"),
            ("Rollback", self.rollback or "(not stated)"),
        ]
        if self.feature_availability:
            declared = ", ".join(
                f"{name} ({time:g} {unit})" for name, time in self.feature_availability.items()
            )
            rows.append(("Feature availability", declared))
        if self.notes:
            rows.append(("Notes", self.notes))
        return rows

    def to_markdown(self):
        """Return the card as a two-column Markdown table.

        Returns
        -------
        str
            A Markdown table, one row per field.

        Examples
        --------
        >>> print(DecisionCard(decision="whom to call").to_markdown().splitlines()[2])
        | Decision | whom to call |
        """
        lines = ["| field | value |", "|---|---|"]
        for name, value in self._rows():
            lines.append(f"| {name} | {str(value).replace('|', '/')} |")
        return "\n".join(lines)

    def to_html(self):
        """Return the card as an HTML table (escaped; no external resources).

        Returns
        -------
        str
            A ``<table class="decision-card">`` element.

        Examples
        --------
        >>> "<td>a &lt;b&gt;</td>" in DecisionCard(decision="a <b>").to_html()
        True
        """
        body = "".join(
            f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(value))}</td></tr>"
            for name, value in self._rows()
        )
        return f'<table class="decision-card">{body}</table>'

    def _repr_html_(self):
        return self.to_html()
