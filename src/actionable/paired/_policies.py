"""One policy measured on the held-out rows: its metrics, profit curve and best size."""

import dataclasses
from dataclasses import dataclass

import numpy as np

from actionable._interval import Interval
from actionable.paired._result import CUSTOMER_TYPES, PolicyEvaluation
from actionable.paired._statistics import (
    auc_interval,
    estimate_customer_types,
    exact_types,
)

_MSG_FRAMING = "framing must be 'churn' or 'response'; got {value!r}."
VARIANT_KEYS = {"all": "outcome_pooled", "treated": "outcome_treated", "control": "outcome_control"}
"""Policy key of a naive model trained on each kind of rows, when it is not the contender."""


@dataclass
class Context:
    """Everything shared by the evaluation of every policy on the held-out rows."""

    y: np.ndarray
    treatment: np.ndarray
    y0: np.ndarray | None
    y1: np.ndarray | None
    cost_model: object
    framing: str
    confidence_level: float
    n_bootstraps: int
    seed: int
    weight: np.ndarray | None = None
    """Row weights (inverse propensity weights of a targeted campaign), or None."""
    continuous: bool = False
    """Whether the outcome is continuous (an amount), not 0/1: no customer types, no EMPC."""

    @property
    def has_truth(self):
        return self.y0 is not None and self.y1 is not None

    @property
    def n(self):
        return self.y.size


def replace(policy, **changes):
    """A copy of ``policy`` with some fields changed."""
    return dataclasses.replace(policy, **changes)


def _uplift_metrics(score, ctx):
    from actionable.metrics import (
        qini_auc_score_ci,
        qini_curve,
        uplift_at_k_ci,
        uplift_auc_score_ci,
    )

    common = {
        "n_bootstraps": ctx.n_bootstraps,
        "confidence_level": ctx.confidence_level,
        "random_state": ctx.seed,
        "sample_weight": ctx.weight,
    }
    qini = qini_auc_score_ci(ctx.y, score, ctx.treatment, **common)
    uplift_auc = uplift_auc_score_ci(ctx.y, score, ctx.treatment, **common)
    at_30 = uplift_at_k_ci(ctx.y, score, ctx.treatment, strategy="overall", k=0.3, **common)
    curve = qini_curve(ctx.y, score, ctx.treatment, sample_weight=ctx.weight)
    return qini, uplift_auc, at_30, curve


def average_effect(ctx):
    """The average effect of contact on the rows: mean outcome of treated minus control.

    Its interval is the stratified percentile bootstrap of that difference in means
    (``uplift_at_k_ci`` over every row), in outcome units.
    """
    from actionable.metrics import uplift_at_k_ci

    return uplift_at_k_ci(
        ctx.y,
        np.zeros(ctx.n),
        ctx.treatment,
        k=1.0,
        sample_weight=ctx.weight,
        n_bootstraps=ctx.n_bootstraps,
        confidence_level=ctx.confidence_level,
        random_state=ctx.seed,
    )


def targeting(score, ctx, cost_model, *, estimated=False):
    """Best targeting of ``score``: exact with potential outcomes, else estimated."""
    from actionable.economics import best_targeting, best_targeting_from_truth

    if ctx.has_truth and not estimated:
        return best_targeting_from_truth(ctx.y0, ctx.y1, score, cost_model=cost_model)
    return best_targeting(
        ctx.y,
        score,
        ctx.treatment,
        cost_model=cost_model,
        sample_weight=ctx.weight,
        n_bootstraps=ctx.n_bootstraps,
        confidence_level=ctx.confidence_level,
        random_state=ctx.seed,
    )


def profit_interval(value, interval, exact):
    """A profit's bootstrap ``Interval``, or the exact value when known (or not bootstrapped)."""
    if exact or interval is None:
        return Interval.exact(value)
    return interval


def _profit_curve(score, ctx):
    from actionable.economics import profit_curve, profit_curve_from_truth

    if ctx.has_truth:
        n_targeted, profit = profit_curve_from_truth(
            ctx.y0, ctx.y1, score, cost_model=ctx.cost_model
        )
    else:
        n_targeted, profit = profit_curve(
            ctx.y, score, ctx.treatment, cost_model=ctx.cost_model, sample_weight=ctx.weight
        )
    total = ctx.n if ctx.weight is None else float(ctx.weight.sum())
    return np.asarray(n_targeted, dtype=np.float64) / total, np.asarray(profit, dtype=np.float64)


def _policy_profits(score, ctx):
    """Profit curve, best point and profit at capacity of one targeting score."""
    fraction, profit = _profit_curve(score, ctx)
    chosen = targeting(score, ctx, ctx.cost_model)
    exact = ctx.has_truth
    best = profit_interval(chosen.profit, chosen.profit_interval, exact)
    at_capacity = None
    if chosen.profit_at_capacity is not None:
        at_capacity = profit_interval(
            chosen.profit_at_capacity, chosen.profit_at_capacity_interval, exact
        )
    extra = {"n_best": float(chosen.n_targeted)}
    return fraction, profit, best, chosen.fraction, at_capacity, extra


def profit_at(score, n_contacted, ctx):
    """Profit of contacting exactly ``n_contacted`` people by decreasing ``score``."""
    if n_contacted == 0:
        return Interval.exact(0.0)
    cost_model = ctx.cost_model.replace(capacity=int(n_contacted), budget=None)
    chosen = targeting(score, ctx, cost_model)
    return profit_interval(
        chosen.profit_at_capacity, chosen.profit_at_capacity_interval, ctx.has_truth
    )


def customer_types_at(score, rows, n_contacted, ctx, kinds):
    """Customer types among the ``n_contacted`` people a policy contacts (exact or estimated).

    ``None`` for a continuous outcome: the four types are defined for a 0/1 outcome only.
    """
    if ctx.continuous:
        return None
    if n_contacted == 0:
        return {kind: Interval.exact(0.0) for kind in CUSTOMER_TYPES}
    if score is None:  # random: the population's mix, scaled to the group's size
        if kinds is not None:
            return {
                kind: Interval.exact(n_contacted * np.mean(kinds == kind))
                for kind in CUSTOMER_TYPES
            }
        overall = estimate_customer_types(
            ctx.y, ctx.treatment, confidence_level=ctx.confidence_level, sample_weight=ctx.weight
        )
        scale = n_contacted / ctx.n
        return {kind: value.scaled(scale) for kind, value in overall.items()}
    if kinds is not None:
        return exact_types(kinds, rows)
    return estimate_customer_types(
        ctx.y[rows],
        ctx.treatment[rows],
        confidence_level=ctx.confidence_level,
        sample_weight=None if ctx.weight is None else ctx.weight[rows],
    )


def outcome_event(y, framing):
    """``(threshold, words)``: the event whose ranking the outcome AUC measures.

    Binary: churn (y = 0) or response (y = 1). Continuous: in the churn framing, an
    outcome of 0 or less (nothing kept), in the response framing one above 0 (any
    spend), when both occur on the rows; else below (churn) or above (response) the
    median. The event is ``y <= threshold`` (churn) or ``y > threshold`` (response).

    Examples
    --------
    >>> outcome_event([0.0, 12.5, 40.0], "churn")
    (0.0, 'no outcome')
    >>> outcome_event([3.0, 12.5, 40.0], "response")
    (12.5, 'outcome above its median')
    """
    y = np.asarray(y, dtype=np.float64)
    churn = framing == "churn"
    if np.any(y <= 0.0) and np.any(y > 0.0):
        if churn:
            return 0.0, "no outcome" if y.min() >= 0.0 else "outcome of 0 or less"
        return 0.0, "some outcome" if y.min() >= 0.0 else "outcome above 0"
    return float(np.median(y)), f"outcome {'at or below' if churn else 'above'} its median"


def _outcome_target(y, ctx):
    """The event the naive score predicts: churn (y = 0) or response (y = 1), or its
    continuous counterpart (:func:`outcome_event` of the evaluation rows)."""
    threshold = outcome_event(ctx.y, ctx.framing)[0] if ctx.continuous else 0.5
    return y <= threshold if ctx.framing == "churn" else y > threshold


def _auc_rows(trained_on, ctx):
    """Rows on which a score's outcome AUC is measured: the arm a naive model learned from.

    A model trained on the customers nobody contacted predicts the outcome without
    contact, so it is judged on the test customers nobody contacted (as a churn team
    judges its model); one trained on the contacted customers, on the contacted ones;
    every other score on all rows.
    """
    if trained_on == "control":
        return ctx.treatment == 0.0
    if trained_on == "treated":
        return ctx.treatment == 1.0
    return np.ones(ctx.n, dtype=bool)


def evaluate_policy(key, label, learner, score, ctx, *, trained_on=None, n_trained=None):
    """Every number of one policy except those that depend on the common size ``k``."""
    ranking = np.zeros(ctx.n) if score is None else np.asarray(score, dtype=np.float64)
    auc = qini = uplift_auc = at_30 = curve = None
    if score is not None:
        rows = _auc_rows(trained_on, ctx)
        auc = auc_interval(
            _outcome_target(ctx.y[rows], ctx),
            ranking[rows],
            confidence_level=ctx.confidence_level,
            sample_weight=None if ctx.weight is None else ctx.weight[rows],
        )
        qini, uplift_auc, at_30, curve = _uplift_metrics(ranking, ctx)
    fraction, profit, best, best_fraction, at_capacity, extra = _policy_profits(ranking, ctx)
    if ctx.has_truth and score is not None and key != "oracle":
        estimated = targeting(ranking, ctx, ctx.cost_model, estimated=True)
        extra["profit_best_estimated"] = profit_interval(
            estimated.profit, estimated.profit_interval, False
        )
    return PolicyEvaluation(
        key=key,
        label=label,
        learner=learner,
        score=None if score is None else ranking,
        auc_outcome=auc,
        qini_auc=qini,
        uplift_auc=uplift_auc,
        uplift_at_30=at_30,
        qini=curve,
        fraction=fraction,
        profit=profit,
        profit_exact=ctx.has_truth,
        profit_best=best,
        best_fraction=float(best_fraction),
        profit_at_capacity=at_capacity,
        profit_at_k=Interval.exact(float("nan")),
        extra=extra,
        trained_on=trained_on,
        n_trained=n_trained,
    )


def describe(model):
    """``TLearner(LGBMClassifier)``-style description of a fitted model."""
    name = type(model).__name__
    inner = getattr(model, "estimator", None)
    inner_name = "LightGBM" if inner is None else type(inner).__name__
    if hasattr(model, "get_params"):
        return f"{name}({inner_name})"
    return name


def risk_scores(outcome_model, X, framing):
    """The naive targeting score: churn risk P(y=0), or P(y=1) in the response framing."""
    if hasattr(outcome_model, "predict_risk"):
        return np.asarray(outcome_model.predict_risk(X), dtype=np.float64)
    proba = np.asarray(outcome_model.predict_proba(X), dtype=np.float64)
    return proba[:, 0] if framing == "churn" else proba[:, 1]


def uplift_scores(uplift_model, X):
    """One predicted uplift per row from an uplift model."""
    uplift = np.asarray(uplift_model.predict(X), dtype=np.float64)
    if uplift.ndim == 2 and uplift.shape[1] == 1:
        uplift = uplift[:, 0]
    if uplift.ndim != 1:
        raise ValueError(
            "uplift_model.predict must return one uplift per row; got an array of shape "
            f"{uplift.shape} (a multi-arm model: evaluate one arm against the control)."
        )
    return uplift


AT_RISK = "outcome at risk"
"""``OutcomeRegressor.risk_score_`` of a churn score P(y = 0 | x) x E[y | y > 0, x]."""


def labels(framing, outcome_name=None, risk_score=None):
    """Report labels of the policies in a framing.

    ``outcome_name`` is given for a continuous outcome: the naive models are then
    regressions of that outcome, ranking by the outcome at risk (churn framing, when
    ``risk_score`` is ``"outcome at risk"``), else the lowest predicted outcome first
    (churn framing) or the highest (response framing).

    Examples
    --------
    >>> labels("churn", "revenue kept", "outcome at risk")["outcome"]
    'Revenue kept at risk (highest first)'
    >>> labels("churn", "revenue kept")["outcome"]
    'Predicted revenue kept (lowest first)'
    """
    if outcome_name is not None and framing == "churn" and risk_score == AT_RISK:
        model = f"{outcome_name[:1].upper()}{outcome_name[1:]} at risk (highest first)"
    elif outcome_name is not None:
        order = "lowest" if framing == "churn" else "highest"
        model = f"Predicted {outcome_name} ({order} first)"
    else:
        model = "Churn-risk model" if framing == "churn" else "Response model"
    return {
        "outcome": model,
        "outcome_pooled": f"{model}, all rows",
        "outcome_treated": f"{model}, contacted rows",
        "outcome_control": f"{model}, rows not contacted",
        "cost_aware": (
            "Cost-aware churn model" if framing == "churn" else "Cost-aware response model"
        ),
        "uplift": "Uplift model",
        "random": "Random targeting",
        "oracle": "Oracle (true effect)",
    }


def framing_of(y):
    """The naive model's framing: ``"churn"`` when the favourable outcome is the common one.

    Retention data (most customers stay) is framed as churn: the naive score is the
    risk of the unfavourable outcome, P(y=0). Campaign data where the favourable
    outcome is rare (a visit, a purchase) is framed as response: the naive score is
    P(y=1). The same rule holds for a continuous outcome, by its share of non-zero
    values: revenue kept (most customers keep paying) is framed as churn, the naive
    score ranks the most revenue at risk first; spend after an e-mail (most spend
    nothing) as response, the highest predicted spend first.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Outcomes, 1 = favourable, or amounts.

    Returns
    -------
    {"churn", "response"}

    Examples
    --------
    >>> framing_of([1, 1, 0]), framing_of([0, 0, 1])
    ('churn', 'response')
    >>> framing_of([0.0, 35.5, 80.0]), framing_of([0.0, 0.0, 120.0])
    ('churn', 'response')
    """
    return "churn" if float(np.mean(np.asarray(y, dtype=np.float64) != 0.0)) > 0.5 else "response"


def check_framing(framing):
    """Return ``framing`` if it is ``"churn"`` or ``"response"``."""
    if framing not in ("churn", "response"):
        raise ValueError(_MSG_FRAMING.format(value=framing))
    return framing


def check_binary_outcome(y):
    """Return ``y`` as float64, checking it holds only 0 and 1."""
    from actionable._validation import check_binary

    return check_binary(y, "y", purpose=" for a paired experiment")


def is_continuous(y):
    """Whether outcomes (a float array) are continuous: not all 0 or 1."""
    from actionable._validation import first_non_binary

    return first_non_binary(y) is not None


def check_outcome(y, name="y"):
    """``(y, continuous)``: outcomes as float64 and whether they are continuous (not 0/1).

    Every value must be finite; a continuous outcome is any numeric one that is not all
    0 and 1 (revenue, spend, earnings; zeros and negative values allowed).
    """
    from actionable._validation import as_1d_float

    values = as_1d_float(y, name)
    return values, is_continuous(values)
