"""The result objects of a paired experiment: intervals, policies, the whole comparison."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from actionable._interval import Interval

CUSTOMER_TYPES = ("persuadable", "sure thing", "lost cause", "sleeping dog")
"""The four customer types, in the order every table uses."""

TRAINING_ROWS = {
    "control": "customers not contacted (the outcome if nothing is done)",
    "all": "customers, contacted or not (the contact ignored)",
    "treated": "contacted customers (the outcome when contacted)",
    "both arms": "customers, contacted and not, told apart",
}
"""What each kind of training rows means, for reports (keys of ``trained_on``)."""


def training_rows(policy):
    """Plain words for the rows a policy's model learned from (``"the 1,400 customers ..."``).

    Parameters
    ----------
    policy : PolicyEvaluation
        A model's evaluation.

    Returns
    -------
    str
        ``"rows chosen by the model"`` when unknown.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> training_rows(SimpleNamespace(trained_on="control", n_trained=1400))
    'the 1,400 customers not contacted (the outcome if nothing is done)'
    """
    words = TRAINING_ROWS.get(policy.trained_on)
    if words is None:
        return "rows chosen by the model"
    if policy.n_trained:
        return f"the {policy.n_trained:,} {words}"
    return words if policy.trained_on != "all" else f"all {words}"


@dataclass(frozen=True, repr=False)
class PolicyEvaluation:
    """How one targeting policy does on the held-out rows.

    A policy is a model's score (contact the highest first) or a reference: contacting
    at random, or the oracle that knows each customer's true effect.

    Parameters
    ----------
    key : str
        ``"outcome"`` (the naive model, trained by default on the customers nobody
        contacted), ``"outcome_pooled"`` and ``"outcome_treated"`` (the same kind of
        model trained on all rows, or on the contacted rows), ``"cost_aware"``,
        ``"uplift"``, ``"random"`` or ``"oracle"``.
    label : str
        Name shown in reports (e.g. ``"Churn-risk model"``).
    learner : str or None
        Description of the fitted model (``None`` for references).
    score : ndarray of shape (n_test,) or None
        Targeting score on the held-out rows; higher is contacted first.
    auc_outcome : Interval or None
        ROC AUC of ``score`` for predicting the unfavourable outcome (churn) in the
        churn framing, or the favourable outcome in the response framing.
    qini_auc, uplift_auc, uplift_at_30 : Interval or None
        Uplift metrics of ``score`` with bootstrap intervals.
    qini : tuple of ndarray or None
        ``(n_targeted, gain)``: the Qini curve.
    fraction, profit : ndarray
        Profit curve: total profit over the held-out rows of contacting the top
        ``fraction`` by ``score``.
    profit_exact : bool
        Whether the profit curve is exact (from potential outcomes) or estimated
        from the randomized held-out rows.
    profit_best : Interval
        Highest point of the profit curve (within capacity and budget).
    best_fraction : float
        Fraction contacted at ``profit_best``.
    profit_at_capacity : Interval or None
        Profit of contacting as many as the capacity allows (``None`` without one),
        with its bootstrap interval when estimated.
    profit_at_k : Interval
        Profit of contacting the report's common fraction ``k``.
    customer_types : dict or None
        Of the people contacted at ``k``: ``{type: Interval}`` of counts.
    promised_profit, realized_profit : Interval or None
        For policies whose target size comes from a profit measure: the profit the
        measure promises, and the profit the policy actually makes.
    promised_by : str or None
        The measure that made the promise (e.g. ``"EMPC"``).
    extra : dict
        Additional values (e.g. the estimated profit alongside an exact one).
    trained_on : str or None
        Which rows the model learned from: a key of ``TRAINING_ROWS`` (``"control"``,
        ``"all"``, ``"treated"``, ``"both arms"``), or ``None`` when unknown or not a
        model.
    n_trained : int or None
        How many rows that was, when known.
    """

    key: str
    label: str
    learner: str | None
    score: np.ndarray | None
    auc_outcome: Interval | None
    qini_auc: Interval | None
    uplift_auc: Interval | None
    uplift_at_30: Interval | None
    qini: tuple | None
    fraction: np.ndarray
    profit: np.ndarray
    profit_exact: bool
    profit_best: Interval
    best_fraction: float
    profit_at_capacity: Interval | None
    profit_at_k: Interval
    customer_types: dict | None = None
    promised_profit: Interval | None = None
    realized_profit: Interval | None = None
    promised_by: str | None = None
    extra: dict = field(default_factory=dict)
    trained_on: str | None = None
    n_trained: int | None = None

    @property
    def is_naive(self):
        """Whether this is a naive outcome model (churn risk or response), not uplift."""
        return self.key == "outcome" or self.key.startswith("outcome_")

    def __repr__(self):
        return (
            f"PolicyEvaluation(key={self.key!r}, profit_best={self.profit_best.estimate:.6g}, "
            f"best_fraction={self.best_fraction:.3g})"
        )


@dataclass(frozen=True, repr=False)
class PairedResult:
    """The outcome of a paired experiment: every policy scored on the same held-out rows.

    Parameters
    ----------
    dataset : str
        Dataset name.
    description : str
        One-paragraph description of the data.
    framing : {"churn", "response"}
        ``"churn"``: the favourable outcome is staying, the naive score is the risk
        of leaving. ``"response"``: the favourable outcome is responding (visit,
        purchase), the naive score is the probability of responding.
    outcome_name, treatment_name : str
        Names of the outcome and of the intervention, for reports.
    n_train, n_test : int
        Rows used for fitting and for evaluation.
    cost_model : CostModel
        The economics every profit uses.
    k : float
        The common fraction contacted when the policies are compared side by side
        (the capacity when there is one, else the uplift model's best fraction).
    n_contacted : int
        ``k`` as a number of held-out rows.
    policies : dict of str to PolicyEvaluation
        Keyed by ``"outcome"``, its variants (``"outcome_pooled"``,
        ``"outcome_treated"``, when evaluated), ``"cost_aware"`` (when available),
        ``"uplift"``, ``"random"`` and ``"oracle"`` (with ground truth only), in that
        order.
    has_truth : bool
        Whether potential outcomes were known, making profits and customer types exact.
    confidence_level : float
        Coverage of every interval.
    n_bootstraps : int
        Bootstrap resamples behind each bootstrap interval.
    y_test, treatment_test : ndarray of shape (n_test,)
        Held-out outcomes and treatment flags.
    y0_test, y1_test : ndarray of shape (n_test,) or None
        Held-out potential outcomes, when known.
    notes : list of str
        Caveats and methods, in plain language, shown in reports.
    advantage : Interval or None
        The uplift model's best profit minus that of the strongest naive model
        (``advantage_over``), each at its own best size, with a paired interval.
    advantage_over : str or None
        Key of the naive model the uplift model is compared with: the one with the
        highest best profit among the naive models.
    world : dict or None
        For synthetic data, the parameters of the world the data came from
        (``type_mix``, ``risk_alignment``, ``sharpness``).
    costs_note : str or None
        Where the costs come from, when it needs saying (e.g. illustrative costs).
    weighted : bool
        Whether the rows were weighted by inverse propensity (a targeted campaign).
    targeted_group : GroupDescription or None
        The uplift model's contacted rows at the common size ``k``, in a few rules over
        the features (``describe_targeted_group``), with each group's size, mean
        predicted uplift and profit.
    drivers : pandas.Series or None
        Mean absolute contribution of each feature to the predicted uplift on the
        held-out rows, largest first (``actionable.models.uplift_contributions``);
        ``None`` when the uplift model's contributions cannot be computed.
    outcome_type : {"binary", "continuous"}
        ``"binary"``: a 0/1 outcome (stayed, responded); ``"continuous"``: an amount
        (revenue kept, spend). With a continuous outcome, uplift, Qini gains and
        effects are in outcome units, profits in money (``cost_model.outcome_value``
        per unit), and there are no customer types (defined for a 0/1 outcome only).
    average_effect : Interval or None
        For a continuous outcome, the average effect of contact on the held-out rows
        (mean outcome of the treated minus that of the control), in outcome units,
        with its stratified bootstrap interval; ``None`` for a binary outcome.
    outcome_event : str or None
        For a continuous outcome, the event whose ranking ``auc_outcome`` measures, in
        words (``"no revenue"``, ``"some spend"``); ``None`` for a binary outcome
        (churn, or response).
    """

    dataset: str
    description: str
    framing: str
    outcome_name: str
    treatment_name: str
    n_train: int
    n_test: int
    cost_model: object
    k: float
    n_contacted: int
    policies: dict
    has_truth: bool
    confidence_level: float
    n_bootstraps: int
    y_test: np.ndarray
    treatment_test: np.ndarray
    y0_test: np.ndarray | None = None
    y1_test: np.ndarray | None = None
    notes: list = field(default_factory=list)
    advantage: Interval | None = None
    advantage_over: str | None = None
    world: dict | None = None
    costs_note: str | None = None
    weighted: bool = False
    targeted_group: object | None = None
    drivers: pd.Series | None = None
    outcome_type: str = "binary"
    average_effect: Interval | None = None
    outcome_event: str | None = None

    @property
    def continuous(self):
        """Whether the outcome is continuous (an amount), not 0/1."""
        return self.outcome_type == "continuous"

    @property
    def test_rows(self):
        """How the test rows support the estimates, in words for reports."""
        if self.has_truth:
            return "synthetic, ground truth known"
        if self.weighted:
            return "targeted campaign, rows weighted by propensity"
        return "randomized experiment"

    @property
    def estimated_from(self):
        """``"the randomized test"`` or, weighted, the rows weighted by propensity."""
        return "the test weighted by propensity" if self.weighted else "the randomized test"

    @property
    def outcome(self):
        """The naive outcome (churn-risk) model's evaluation: the default contender."""
        return self.policies["outcome"]

    @property
    def naive(self):
        """Every naive model (the contender and its variants), by key."""
        return {key: p for key, p in self.policies.items() if p.is_naive}

    @property
    def strongest_naive(self):
        """The naive model with the highest best profit (the contender on ties)."""
        naive = self.naive
        best = max(p.profit_best.estimate for p in naive.values())
        for policy in naive.values():  # the contender comes first
            if policy.profit_best.estimate == best:
                return policy
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def uplift(self):
        """The uplift model's evaluation."""
        return self.policies["uplift"]

    @property
    def random(self):
        """Contacting at random."""
        return self.policies["random"]

    @property
    def oracle(self):
        """The policy that knows each customer's effect, or ``None`` without ground truth."""
        return self.policies.get("oracle")

    @property
    def models(self):
        """The policies that come from a model's score (not random, not the oracle)."""
        return {
            key: p
            for key, p in self.policies.items()
            if p.is_naive or key in ("cost_aware", "uplift")
        }

    def to_frame(self):
        """One row per policy, one column per headline number.

        Returns
        -------
        pandas.DataFrame
            Point estimates; intervals are in the ``PolicyEvaluation`` objects.
        """
        rows = {}
        for key, p in self.policies.items():
            rows[key] = {
                "label": p.label,
                "auc_outcome": _estimate(p.auc_outcome),
                "qini_auc": _estimate(p.qini_auc),
                "uplift_auc": _estimate(p.uplift_auc),
                "uplift_at_30": _estimate(p.uplift_at_30),
                "profit_best": p.profit_best.estimate,
                "best_fraction": p.best_fraction,
                "profit_at_capacity": _estimate(p.profit_at_capacity),
                "profit_at_k": p.profit_at_k.estimate,
                "trained_on": p.trained_on,
            }
        return pd.DataFrame.from_dict(rows, orient="index")

    def __repr__(self):
        parts = ", ".join(f"{key}={p.profit_best.estimate:.6g}" for key, p in self.policies.items())
        return f"PairedResult(dataset={self.dataset!r}, n_test={self.n_test}, profit_best: {parts})"


def _estimate(interval):
    return None if interval is None else interval.estimate
