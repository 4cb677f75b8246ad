"""The decision card: what decision a score informs, when, at what cost, and who owns it.

A model only earns its place in production when it is attached to a decision. The
:class:`DecisionCard` writes that decision down (what is decided, when, which actions
are available and what they cost, which outcome is measured over which window, the
capacity, who owns the model and how it is retrained and rolled back) and checks
the things that silently ruin uplift models: outcomes measured before the decision,
features that are only known after it, a capacity of zero, and a profit asked for
without costs.

Times are numbers relative to the decision time (``0``), in ``time_unit`` (days by
default): ``-1`` means one day before the decision, ``30`` thirty days after it.

:class:`TargetingRule` turns predicted uplift into an expected profit per person and
a contact list, given the costs, a threshold and a capacity.
"""

import html
import json
import math
import numbers
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import numpy as np

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from actionable.economics import CostModel, best_targeting, profit_curve

__all__ = ["DecisionCard", "TargetingRule", "choose_targeting_rule"]

_INCENTIVE_PAID = ("on_contact", "on_success")
_COST_FIELDS = ("value_per_success", "cost_per_contact", "incentive_cost", "incentive_paid")

_MSG_WINDOW_BEFORE_DECISION = (
    "outcome_window_start={start!r} {unit} is before the decision time (0): the outcome "
    "must be measured after the decision is made, or the model learns from the past."
)
_MSG_WINDOW_ORDER = (
    "outcome_window_end={end!r} must be after outcome_window_start={start!r} ({unit})."
)
_MSG_FEATURE_AFTER_DECISION = (
    "feature {name!r} is observed {time!r} {unit} after the decision time: it is not "
    "available when the decision is made; drop it (e.g. --drop {name})."
)
_MSG_CAPACITY = "capacity={value!r}: it must be a positive number of contacts (or unset)."
_MSG_COSTS_MISSING = (
    "costs missing: value_per_success is required to compute a profit "
    "(give --value-per-success or set it in the decision card)."
)
_MSG_NEGATIVE = "{name}={value!r}: it must be a finite number >= 0."
_MSG_INCENTIVE_PAID = "incentive_paid={value!r}: it must be 'on_contact' or 'on_success'."
_MSG_UNKNOWN_KEYS = "decision card: unknown field(s) {names}; known fields are {known}."


def _toml_string(text):
    """Quote ``text`` as a TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return _toml_string(value)


def _check_time(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(
            f"{name}={value!r}: it must be a finite number (time relative to the "
            "decision, negative = before)."
        )
    return float(value) if not isinstance(value, numbers.Integral) else int(value)


def _check_capacity(value):
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1
    ):
        raise ValueError(_MSG_CAPACITY.format(value=value))


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
        Value of one favourable outcome; required whenever a profit is computed.
    cost_per_contact : float, default=None
        Cost of contacting one person (treated action).
    incentive_cost : float, default=None
        Cost of the incentive offered to a contacted person.
    incentive_paid : {"on_contact", "on_success"}, default=None
        When the incentive is paid (``None`` means ``"on_contact"``).
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
    TargetingRule : Expected profit per person and the contact list.

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
            Whether a profit is asked for: then ``value_per_success`` is required.

        Raises
        ------
        ValueError
            Naming the first field that fails: an outcome window starting before the
            decision time (or ending before it starts), a feature observed after the
            decision time, a capacity that is not a positive count, a negative cost,
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
        _check_capacity(self.capacity)
        for name in ("value_per_success", "cost_per_contact", "incentive_cost"):
            value = getattr(self, name)
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(_MSG_NEGATIVE.format(name=name, value=value))
        if self.incentive_paid is not None and self.incentive_paid not in _INCENTIVE_PAID:
            raise ValueError(_MSG_INCENTIVE_PAID.format(value=self.incentive_paid))
        for name, time in self.feature_availability.items():
            _check_time(time, f"feature_availability[{name!r}]")
        if features is not None:
            for name in features:
                time = self.feature_availability.get(name)
                if time is not None and time > 0:
                    raise ValueError(
                        _MSG_FEATURE_AFTER_DECISION.format(name=name, time=time, unit=unit)
                    )
        if require_costs and self.value_per_success is None:
            raise ValueError(_MSG_COSTS_MISSING)

    @property
    def has_costs(self):
        """Whether a profit can be computed (``value_per_success`` is set)."""
        return self.value_per_success is not None

    def costs(self):
        """Return the costs as keyword arguments of ``CostModel`` (missing ones are 0).

        Returns
        -------
        dict
            ``value_per_success``, ``cost_per_contact``, ``incentive_cost``,
            ``incentive_paid`` and ``capacity``.

        Raises
        ------
        ValueError
            If ``value_per_success`` is missing.

        Examples
        --------
        >>> DecisionCard(value_per_success=10.0, cost_per_contact=0.15).costs()
        {'value_per_success': 10.0, 'cost_per_contact': 0.15, 'incentive_cost': 0.0,
         'incentive_paid': 'on_contact', 'capacity': None}
        """
        self.validate(require_costs=True)
        return {
            "value_per_success": float(self.value_per_success),
            "cost_per_contact": float(self.cost_per_contact or 0.0),
            "incentive_cost": float(self.incentive_cost or 0.0),
            "incentive_paid": self.incentive_paid or "on_contact",
            "capacity": self.capacity,
        }

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
        flat = {}
        for key, value in data.items():
            if key == "actions" and isinstance(value, dict):
                for name, text in value.items():
                    flat[f"{name}_action" if name in ("treated", "control") else name] = text
            elif key == "outcome" and isinstance(value, dict):
                for name, item in value.items():
                    flat["outcome" if name == "name" else f"outcome_{name}"] = item
            elif key == "costs" and isinstance(value, dict):
                flat.update(value)
            elif key == "features" and isinstance(value, dict):
                flat["feature_availability"] = dict(value)
            else:
                flat[key] = value
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
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"invalid TOML: {exc}") from None
        return cls.from_dict(data)

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
        lines = [
            "# Decision card (actionable). Times are relative to the decision time, "
            f"in {self.time_unit}.",
        ]
        for name in (
            "decision",
            "decision_time",
            "owner",
            "retraining",
            "rollback",
            "notes",
            "time_unit",
        ):
            lines.append(f"{name} = {_toml_string(getattr(self, name))}")
        lines += ["", "[actions]"]
        lines.append(f"treated = {_toml_string(self.treated_action)}")
        lines.append(f"control = {_toml_string(self.control_action)}")
        lines += ["", "[outcome]", f"name = {_toml_string(self.outcome)}"]
        lines.append(f"window_start = {_toml_value(self.outcome_window_start)}")
        if self.outcome_window_end is not None:
            lines.append(f"window_end = {_toml_value(self.outcome_window_end)}")
        lines += ["", "[costs]"]
        for name in (*_COST_FIELDS, "capacity"):
            value = getattr(self, name)
            if value is not None:
                lines.append(f"{name} = {_toml_value(value)}")
        lines += ["", "# column = time its value is known, relative to the decision", "[features]"]
        for name, time in self.feature_availability.items():
            lines.append(f"{_toml_string(name)} = {_toml_value(time)}")
        return "\n".join(lines) + "\n"

    # ----------------------------------------------------------------- display
    def _rows(self):
        unit = self.time_unit
        end = "open" if self.outcome_window_end is None else f"{self.outcome_window_end:g}"
        rows = [
            ("Decision", self.decision or "(not stated)"),
            ("Decision time (0)", self.decision_time or "(not stated)"),
            ("Treated action", self.treated_action or "(not stated)"),
            ("Control action", self.control_action or "(not stated)"),
            ("Outcome", self.outcome or "(not stated)"),
            ("Outcome window", f"{self.outcome_window_start:g} to {end} {unit} after the decision"),
            ("Costs", self._describe_costs()),
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

    def _describe_costs(self):
        if not self.has_costs:
            return "not given (no profit can be computed)"
        paid = self.incentive_paid or "on_contact"
        return (
            f"value per success {self.value_per_success:g}; "
            f"cost per contact {self.cost_per_contact or 0:g}; "
            f"incentive {self.incentive_cost or 0:g} paid {paid.replace('_', ' ')}"
        )

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


@dataclass(frozen=True)
class TargetingRule:
    """Whom to contact: expected profit per person from uplift, a threshold and a capacity.

    The expected profit of contacting a person, against not contacting them, is
    ``value_per_success * uplift - cost_per_contact - incentive`` where the incentive
    is ``incentive_cost`` when paid on contact and ``incentive_cost * p_treated`` (the
    probability of success when contacted) when paid on success. A person is targeted
    when their score (expected profit, or uplift when no costs are given) is above
    ``threshold``; with a capacity, only the ``capacity`` highest scores among those.

    Parameters
    ----------
    threshold : float, default=0.0
        Contact when the score is strictly above this value (``inf``: nobody,
        ``-inf``: everyone).
    value_per_success : float, default=None
        ``None`` means no costs: the score is the uplift itself and
        ``expected_profit`` is NaN.
    cost_per_contact, incentive_cost : float, default=0.0
        Costs of the treated action.
    incentive_paid : {"on_contact", "on_success"}, default="on_contact"
        When the incentive is paid.
    capacity : int, default=None
        Maximum number of contacts.
    chosen_by : str, default="expected profit > 0"
        How the threshold was chosen (shown in reports).

    Examples
    --------
    >>> rule = TargetingRule(value_per_success=10.0, cost_per_contact=0.15, capacity=1)
    >>> profit = rule.expected_profit([0.05, 0.01, 0.03])
    >>> profit
    array([ 0.35, -0.05,  0.15])
    >>> rule.select(profit)
    array([1, 0, 0])
    """

    threshold: float = 0.0
    value_per_success: float | None = None
    cost_per_contact: float = 0.0
    incentive_cost: float = 0.0
    incentive_paid: str = "on_contact"
    capacity: int | None = None
    chosen_by: str = "expected profit > 0"

    def __post_init__(self):
        if self.incentive_paid not in _INCENTIVE_PAID:
            raise ValueError(_MSG_INCENTIVE_PAID.format(value=self.incentive_paid))
        _check_capacity(self.capacity)
        if (
            isinstance(self.threshold, bool)
            or not isinstance(self.threshold, numbers.Real)
            or (math.isnan(self.threshold))
        ):
            raise ValueError(f"threshold={self.threshold!r}: it must be a number (inf allowed).")

    @property
    def has_costs(self):
        """Whether the rule works in money (``value_per_success`` is set)."""
        return self.value_per_success is not None

    def expected_profit(self, uplift, p_treated=None):
        """Expected profit of contacting each person, against not contacting them.

        Parameters
        ----------
        uplift : array-like of shape (n_samples,)
            Predicted uplift ``P(y=1 | treated) - P(y=1 | control)``.
        p_treated : array-like of shape (n_samples,), default=None
            Predicted ``P(y=1 | treated)``; required when the incentive is paid on
            success and ``incentive_cost > 0``.

        Returns
        -------
        ndarray of shape (n_samples,)
            Money per person; all NaN when the rule has no costs.
        """
        uplift = np.asarray(uplift, dtype=np.float64)
        if not self.has_costs:
            return np.full(uplift.shape, np.nan)
        incentive = self.incentive_cost
        if self.incentive_paid == "on_success" and self.incentive_cost:
            if p_treated is None:
                raise ValueError("p_treated is required when the incentive is paid on success.")
            incentive = self.incentive_cost * np.asarray(p_treated, dtype=np.float64)
        return self.value_per_success * uplift - self.cost_per_contact - incentive

    def score(self, uplift, p_treated=None):
        """The ranking score: expected profit with costs, uplift without.

        Parameters
        ----------
        uplift : array-like of shape (n_samples,)
            Predicted uplift.
        p_treated : array-like of shape (n_samples,), default=None
            Predicted ``P(y=1 | treated)`` (see :meth:`expected_profit`).

        Returns
        -------
        ndarray of shape (n_samples,)
            Higher means contact first.
        """
        if self.has_costs:
            return self.expected_profit(uplift, p_treated)
        return np.asarray(uplift, dtype=np.float64)

    def select(self, score, *, capacity=None):
        """Return 1 for each person to contact, 0 otherwise.

        Parameters
        ----------
        score : array-like of shape (n_samples,)
            Output of :meth:`score`.
        capacity : int, default=None
            Overrides the rule's capacity.

        Returns
        -------
        ndarray of int of shape (n_samples,)
            Contacts: score above the threshold, at most ``capacity`` of them, the
            highest scores first (ties broken by input order).
        """
        score = np.asarray(score, dtype=np.float64)
        capacity = self.capacity if capacity is None else capacity
        _check_capacity(capacity)
        eligible = score > self.threshold
        if capacity is not None and np.count_nonzero(eligible) > capacity:
            order = np.argsort(-np.where(eligible, score, -np.inf), kind="stable")
            eligible = np.zeros(score.shape, dtype=bool)
            eligible[order[:capacity]] = True
        return eligible.astype(np.int64)

    def to_dict(self):
        """Return the rule as a JSON-serializable dict (an infinite threshold as text).

        Returns
        -------
        dict
        """
        data = asdict(self)
        if math.isinf(self.threshold):
            data["threshold"] = str(float(self.threshold))
        return data

    @classmethod
    def from_dict(cls, data):
        """Build a rule from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict

        Returns
        -------
        TargetingRule
        """
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        if isinstance(data.get("threshold"), str):
            data["threshold"] = float(data["threshold"])
        return cls(**data)


def choose_targeting_rule(
    y_true,
    uplift,
    treatment,
    *,
    value_per_success,
    cost_per_contact=0.0,
    incentive_cost=0.0,
    incentive_paid="on_contact",
    p_treated=None,
    capacity=None,
    n_bootstraps=200,
    confidence_level=0.95,
    random_state=None,
):
    """Choose the expected-profit threshold that maximizes the profit measured on held-out rows.

    ``uplift`` (and ``p_treated``) must be predictions for rows the model did not see
    in training: cross-fitted (out-of-fold) predictions or a validation split. Each
    row's expected profit is computed from them (:meth:`TargetingRule.expected_profit`);
    the profit of contacting everyone above each threshold is then *measured* on the
    randomized outcomes of the same rows (``best_targeting``), and the best threshold
    becomes the rule: halfway between the lowest expected profit contacted and the
    next one below it. Because the outcomes pick the threshold, the reported profit
    is slightly optimistic; the rule itself was never fitted on those rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes, 1 = favourable.
    uplift : array-like of shape (n_samples,)
        Held-out predicted uplift.
    treatment : array-like of shape (n_samples,)
        1 = treated, 0 = control (randomized).
    value_per_success : float
        Value of one favourable outcome.
    cost_per_contact : float, default=0.0
        Cost of contacting one person.
    incentive_cost : float, default=0.0
        Cost of the incentive offered to a contacted person.
    incentive_paid : {"on_contact", "on_success"}, default="on_contact"
        When the incentive is paid.
    p_treated : array-like of shape (n_samples,), default=None
        Held-out predicted ``P(y=1 | treated)`` (needed when the incentive is paid
        on success).
    capacity : int, default=None
        Stored in the rule and applied per scored batch (top ``capacity`` above the
        threshold); it does not change the threshold.
    n_bootstraps : int, default=200
        Bootstrap replicates of the profit interval (0 to skip).
    confidence_level : float, default=0.95
        Coverage of the profit interval.
    random_state : int or None, default=None
        Seed of the bootstrap.

    Returns
    -------
    rule : TargetingRule
        The chosen rule (costs, threshold, capacity, how it was chosen).
    selection : dict
        The held-out evidence: ``best_targeting``'s result (``profit``,
        ``profit_low``, ``profit_high``, ``fraction``, ...) and the profit of the
        simpler rules "expected profit > 0" and "everyone", per row scored.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> uplift = rng.uniform(-0.1, 0.2, 4000)
    >>> treatment = rng.integers(0, 2, 4000)
    >>> y = rng.random(4000) < 0.3 + uplift * treatment
    >>> rule, selection = choose_targeting_rule(y, uplift, treatment, value_per_success=10.0,
    ...                                         cost_per_contact=0.5, n_bootstraps=0)
    >>> bool(-0.5 < rule.threshold < 1.0), 0.3 < selection["fraction"] < 0.9
    (True, True)
    """
    rule = TargetingRule(
        value_per_success=float(value_per_success),
        cost_per_contact=float(cost_per_contact),
        incentive_cost=float(incentive_cost),
        incentive_paid=incentive_paid,
        capacity=capacity,
    )
    score = rule.expected_profit(uplift, p_treated)
    cost_model = CostModel(
        rule.value_per_success,
        rule.cost_per_contact,
        rule.incentive_cost,
        incentive_paid=incentive_paid,
    )
    result = best_targeting(
        y_true,
        score,
        treatment,
        cost_model=cost_model,
        n_bootstraps=n_bootstraps or None,
        confidence_level=confidence_level,
        random_state=random_state,
    )
    n_total = score.size
    if result.n_targeted <= 0:
        threshold = math.inf
    elif result.n_targeted >= n_total:
        threshold = -math.inf
    else:
        lowest = result.threshold
        below = score[score < lowest]
        threshold = float((lowest + below.max()) / 2) if below.size else -math.inf
    n_targeted, profit = profit_curve(y_true, score, treatment, cost_model=cost_model)
    n_positive = int(np.count_nonzero(score > 0))
    index = int(np.searchsorted(n_targeted, n_positive))
    at_zero = (
        float(profit[index]) if n_targeted[min(index, n_targeted.size - 1)] == n_positive else None
    )
    selection = {
        **result.to_dict(),
        "method": "threshold on held-out expected profit maximizing measured profit",
        "n_rows": int(n_total),
        "profit_per_row": result.profit / n_total,
        "profit_if_expected_profit_positive": at_zero,
        "fraction_expected_profit_positive": n_positive / n_total,
        "profit_everyone": float(profit[-1]),
    }
    chosen = replace(
        rule,
        threshold=threshold,
        chosen_by=(
            f"expected profit > {threshold:.4g}: the threshold that maximized the profit "
            f"measured on held-out predictions of {n_total:,} training rows"
        ),
    )
    return chosen, selection
