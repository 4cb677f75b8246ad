"""The targeting rule: expected profit per person, a threshold, a capacity; and its evidence."""

import math
import numbers
from dataclasses import dataclass, replace

import numpy as np

from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable._validation import MSG_CAPACITY, check_integer, rows_scaled_weights
from actionable.economics import CostModel, best_targeting, policy_profit, profit_curve


def needs_p_treated(cost_model):
    """Whether expected profits need P(y=1 | treated): an incentive paid only on success."""
    return cost_model is not None and cost_model.needs_successes_if_contacted


@dataclass(frozen=True)
class TargetingRule:
    """Whom to contact: expected profit per person from uplift, a threshold and a capacity.

    The expected profit of contacting a person, against not contacting them, is
    ``value_per_success * uplift - cost_per_contact - incentive`` where the incentive
    is ``incentive_cost`` when paid on contact and ``incentive_cost * p_treated`` (the
    probability of success when contacted) when paid on success. For a continuous
    outcome (a cost model with ``value_per_unit``), ``value_per_unit * uplift -
    cost_per_contact - incentive_cost``, the uplift in the outcome's units. A person is targeted
    when their score (expected profit, or uplift when no costs are given) is above
    ``threshold``; with a capacity, only the ``capacity`` highest scores among those.

    Parameters
    ----------
    threshold : float, default=0.0
        Contact when the score is strictly above this value (``inf``: nobody,
        ``-inf``: everyone).
    cost_model : CostModel, default=None
        The money: ``None`` means no costs, the score is the uplift itself and
        ``expected_profit`` is NaN. Its capacity is not used (the rule's own is).
    capacity : int, default=None
        Maximum number of contacts per scored batch.
    chosen_by : str, default="expected profit > 0"
        How the threshold was chosen (shown in reports).

    Examples
    --------
    >>> from actionable.economics import CostModel
    >>> rule = TargetingRule(cost_model=CostModel(10.0, 0.15), capacity=1)
    >>> profit = rule.expected_profit([0.05, 0.01, 0.03])
    >>> profit
    array([ 0.35, -0.05,  0.15])
    >>> rule.select(profit)
    array([1, 0, 0])
    """

    threshold: float = 0.0
    cost_model: CostModel | None = None
    capacity: int | None = None
    chosen_by: str = "expected profit > 0"

    def __post_init__(self):
        if self.cost_model is not None:
            if not isinstance(self.cost_model, CostModel):
                raise ValueError(
                    f"cost_model must be a CostModel or None; got {type(self.cost_model).__name__}."
                )
            object.__setattr__(self, "cost_model", self.cost_model.replace(capacity=None))
        check_integer(self.capacity, "capacity", minimum=1, allow_none=True, message=MSG_CAPACITY)
        if (
            isinstance(self.threshold, bool)
            or not isinstance(self.threshold, numbers.Real)
            or (math.isnan(self.threshold))
        ):
            raise ValueError(f"threshold={self.threshold!r}: it must be a number (inf allowed).")

    @property
    def has_costs(self):
        """Whether the rule works in money (it has a cost model)."""
        return self.cost_model is not None

    @property
    def needs_p_treated(self):
        """Whether scoring needs P(y=1 | treated) (an incentive paid on success)."""
        return needs_p_treated(self.cost_model)

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
        if self.needs_p_treated and p_treated is None:
            raise ValueError("p_treated is required when the incentive is paid on success.")
        successes = None if p_treated is None else np.asarray(p_treated, dtype=np.float64)
        return self.cost_model.profit(np.ones_like(uplift), uplift, successes)

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
        check_integer(capacity, "capacity", minimum=1, allow_none=True, message=MSG_CAPACITY)
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
        threshold = self.threshold
        return {
            "threshold": str(float(threshold)) if math.isinf(threshold) else threshold,
            "cost_model": None if self.cost_model is None else self.cost_model.to_dict(),
            "capacity": self.capacity,
            "chosen_by": self.chosen_by,
        }

    @classmethod
    def from_dict(cls, data):
        """Build a rule from :meth:`to_dict` output (or a model saved before version 0.2).

        Parameters
        ----------
        data : dict
            Output of :meth:`to_dict`.

        Returns
        -------
        TargetingRule
        """
        threshold = data.get("threshold", 0.0)
        if isinstance(threshold, str):
            threshold = float(threshold)
        costs = data.get("cost_model")
        if costs is None and data.get("value_per_success") is not None:  # the flat layout
            # the CostModel fields stored beside the rule's own (its capacity is the rule's)
            names = set(CostModel(0.0).to_dict()) - {"capacity", "budget"}
            costs = {key: data[key] for key in names if key in data}
        return cls(
            threshold=threshold,
            cost_model=None if costs is None else CostModel.from_dict(costs),
            capacity=data.get("capacity"),
            chosen_by=data.get("chosen_by", "expected profit > 0"),
        )


def rule_profit(
    y_true,
    treatment,
    selected,
    cost_model,
    *,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    confidence_level=0.95,
    random_state=None,
    sample_weight=None,
):
    """Profit of the rule's contacts, measured on randomized outcomes, with an interval.

    The policy "contact the selected rows, nobody else" scored by
    ``actionable.economics.policy_profit`` on the rows' randomized arms: the treated
    rows among the selected estimate what contacting them gives, the control rows
    what leaving them alone gives.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes, 1 = favourable.
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control (randomized).
    selected : array-like of shape (n_samples,)
        1 for the rows the rule contacts.
    cost_model : CostModel
        The money.
    n_bootstraps : int, default=1000
        Resamples of the interval (within each arm).
    confidence_level : float, default=0.95
        Coverage of the interval.
    random_state : int or None, default=None
        Seed of the resampling.
    sample_weight : array-like of shape (n_samples,), default=None
        Inverse propensity weights of a targeted campaign (``balancing_weights``).

    Returns
    -------
    dict
        ``n_rows``, ``n_contacted``, ``fraction_contacted``, ``profit`` (total over
        the rows, relative to contacting nobody), ``profit_low``, ``profit_high``,
        ``profit_per_row`` and ``method``.
    """
    selected = np.asarray(selected).astype(bool)
    n = selected.size
    document = {
        "n_rows": int(n),
        "n_contacted": int(selected.sum()),
        "fraction_contacted": float(selected.mean()),
        "method": (
            "profit of the saved rule's contacts on the randomized rows "
            "(economics.policy_profit); percentile bootstrap within arms"
        ),
    }
    result = policy_profit(
        y_true,
        np.asarray(treatment, dtype=np.float64),
        {"rule": selected.astype(np.float64)},
        cost_model=cost_model,
        control_label=0.0,
        n_bootstraps=n_bootstraps,
        confidence_level=confidence_level,
        random_state=random_state,
        sample_weight=sample_weight,
    )
    document.update(
        profit=float(result.profit[0] * n),
        profit_low=float(result.low[0] * n),
        profit_high=float(result.high[0] * n),
        profit_per_row=float(result.profit[0]),
        confidence_level=float(confidence_level),
    )
    return document


def choose_targeting_rule(
    y_true,
    uplift,
    treatment,
    *,
    cost_model,
    p_treated=None,
    capacity=None,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    confidence_level=0.95,
    random_state=None,
    sample_weight=None,
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
    cost_model : CostModel
        Value of a success and costs (its capacity is not used: see ``capacity``).
    p_treated : array-like of shape (n_samples,), default=None
        Held-out predicted ``P(y=1 | treated)`` (needed when the incentive is paid
        on success).
    capacity : int, default=None
        Stored in the rule and applied per scored batch (top ``capacity`` above the
        threshold); it does not change the threshold.
    n_bootstraps : int, default=1000
        Bootstrap replicates of the profit interval (0 to skip).
    confidence_level : float, default=0.95
        Coverage of the profit interval.
    random_state : int or None, default=None
        Seed of the bootstrap.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights (the inverse propensity weights of a targeted campaign): profits
        are measured on the weighted rows, the weights rescaled to sum to the number
        of rows (so that counts, and ``best_targeting``'s minimum arm size, stay in
        rows).

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
    >>> from actionable.economics import CostModel
    >>> rng = np.random.default_rng(0)
    >>> uplift = rng.uniform(-0.1, 0.2, 4000)
    >>> treatment = rng.integers(0, 2, 4000)
    >>> y = rng.random(4000) < 0.3 + uplift * treatment
    >>> rule, selection = choose_targeting_rule(y, uplift, treatment,
    ...                                         cost_model=CostModel(10.0, 0.5), n_bootstraps=0)
    >>> bool(-0.5 < rule.threshold < 1.0), 0.3 < selection["fraction"] < 0.9
    (True, True)
    """
    rule = TargetingRule(cost_model=cost_model, capacity=capacity)
    score = rule.expected_profit(uplift, p_treated)
    sample_weight = rows_scaled_weights(sample_weight, score.size)
    cost_model = rule.cost_model
    result = best_targeting(
        y_true,
        score,
        treatment,
        cost_model=cost_model,
        sample_weight=sample_weight,
        n_bootstraps=n_bootstraps or None,
        confidence_level=confidence_level,
        random_state=random_state,
    )
    n_total = score.size
    weight = np.ones(n_total) if sample_weight is None else np.asarray(sample_weight, float)
    total = float(weight.sum())
    if result.n_targeted <= 0:
        threshold = math.inf
    elif result.n_targeted >= total * (1 - 1e-12):
        threshold = -math.inf
    else:
        lowest = result.threshold
        below = score[score < lowest]
        threshold = float((lowest + below.max()) / 2) if below.size else -math.inf
    n_targeted, profit = profit_curve(
        y_true, score, treatment, cost_model=cost_model, sample_weight=sample_weight
    )
    n_positive = float(weight[score > 0].sum())
    index = min(int(np.searchsorted(n_targeted, n_positive * (1 - 1e-12))), n_targeted.size - 1)
    at_zero = float(profit[index]) if np.isclose(n_targeted[index], n_positive) else None
    selection = {
        **result.to_dict(),
        "method": "threshold on held-out expected profit maximizing measured profit",
        "n_rows": int(n_total),
        "profit_per_row": result.profit / total,
        "profit_if_expected_profit_positive": at_zero,
        "fraction_expected_profit_positive": n_positive / total,
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
