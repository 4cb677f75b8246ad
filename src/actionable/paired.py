"""Paired experiments: the naive outcome model and an uplift model, on the same rows.

``PairedExperiment`` splits a randomized experiment once (stratified on treatment x
outcome), fits the naive ``OutcomeClassifier`` and an uplift learner on the same
training rows, and scores the same held-out rows. ``evaluate_paired`` does the second
half alone, for models that are already fitted. Both return a ``PairedResult``:
the outcome AUC, Qini and uplift AUCs, uplift at 30 %, profit curves and best
profits, and which kinds of customers (persuadables, sure things, lost causes,
sleeping dogs) each model would contact.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

CUSTOMER_TYPES = ("persuadable", "sure thing", "lost cause", "sleeping dog")
"""The four customer types, in the order every table uses."""

_MSG_FRAMING = "framing must be 'churn' or 'response'; got {value!r}."
_MSG_OUTCOME_NOT_BINARY = (
    "y must be binary (1 = favourable, 0 = not) for a paired experiment; got value {value!r}."
)


@dataclass(frozen=True)
class Interval:
    """A point estimate with its confidence interval.

    Parameters
    ----------
    estimate : float
        Point estimate.
    low, high : float
        Bounds of the interval; equal to ``estimate`` when the value is exact.
    confidence_level : float or None
        Coverage of the interval, or ``None`` when the value is exact (computed from
        known potential outcomes, not estimated).
    method : str
        How the interval was obtained (``"bootstrap"``, ``"DeLong"``, ``"normal"``,
        ``"exact"``).

    Examples
    --------
    >>> Interval(0.5, 0.4, 0.6, 0.95, "bootstrap").width
    0.2...
    """

    estimate: float
    low: float
    high: float
    confidence_level: float | None = None
    method: str = "exact"

    @classmethod
    def exact(cls, value):
        """An exact value (no sampling uncertainty about the rows it describes)."""
        value = float(value)
        return cls(value, value, value, None, "exact")

    @property
    def is_exact(self):
        """Whether the value is exact rather than estimated."""
        return self.confidence_level is None

    @property
    def width(self):
        """``high - low``."""
        return self.high - self.low

    def to_dict(self):
        """``{"estimate", "low", "high", "confidence_level", "method"}`` for JSON."""
        return {
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "confidence_level": self.confidence_level,
            "method": self.method,
        }


@dataclass(frozen=True, repr=False)
class PolicyEvaluation:
    """How one targeting policy does on the held-out rows.

    A policy is a model's score (contact the highest first) or a reference: contacting
    at random, or the oracle that knows each customer's true effect.

    Attributes
    ----------
    key : str
        ``"outcome"``, ``"cost_aware"``, ``"uplift"``, ``"random"`` or ``"oracle"``.
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
    profit_at_capacity : float or None
        Profit of contacting as many as the capacity allows (``None`` without one).
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
    profit_at_capacity: float | None
    profit_at_k: Interval
    customer_types: dict | None = None
    promised_profit: Interval | None = None
    realized_profit: Interval | None = None
    promised_by: str | None = None
    extra: dict = field(default_factory=dict)

    def __repr__(self):
        return (
            f"PolicyEvaluation(key={self.key!r}, profit_best={self.profit_best.estimate:.6g}, "
            f"best_fraction={self.best_fraction:.3g})"
        )


@dataclass(frozen=True, repr=False)
class PairedResult:
    """The outcome of a paired experiment: every policy scored on the same held-out rows.

    Attributes
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
        Keyed by ``"outcome"``, ``"cost_aware"`` (when available), ``"uplift"``,
        ``"random"`` and ``"oracle"`` (with ground truth only), in that order.
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

    @property
    def outcome(self):
        """The naive outcome (churn-risk) model's evaluation."""
        return self.policies["outcome"]

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
        return {key: p for key, p in self.policies.items() if p.score is not None}

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
                "profit_at_capacity": p.profit_at_capacity,
                "profit_at_k": p.profit_at_k.estimate,
            }
        return pd.DataFrame.from_dict(rows, orient="index")

    def __repr__(self):
        parts = ", ".join(f"{key}={p.profit_best.estimate:.6g}" for key, p in self.policies.items())
        return f"PairedResult(dataset={self.dataset!r}, n_test={self.n_test}, profit_best: {parts})"


def _estimate(interval):
    return None if interval is None else interval.estimate


# --------------------------------------------------------------------------- helpers


def customer_types_of(y0, y1):
    """Name each person's type from their two potential outcomes.

    Parameters
    ----------
    y0, y1 : array-like of shape (n_samples,)
        Outcome without and with the intervention (1 = favourable).

    Returns
    -------
    ndarray of str, shape (n_samples,)
        ``"persuadable"`` (0, 1), ``"sure thing"`` (1, 1), ``"lost cause"`` (0, 0) or
        ``"sleeping dog"`` (1, 0).

    Examples
    --------
    >>> customer_types_of([0, 1, 0, 1], [1, 1, 0, 0]).tolist()
    ['persuadable', 'sure thing', 'lost cause', 'sleeping dog']
    """
    y0 = np.asarray(y0) > 0.5
    y1 = np.asarray(y1) > 0.5
    kinds = np.empty(y0.shape, dtype=object)
    kinds[~y0 & y1] = "persuadable"
    kinds[y0 & y1] = "sure thing"
    kinds[~y0 & ~y1] = "lost cause"
    kinds[y0 & ~y1] = "sleeping dog"
    return kinds


def _z(confidence_level):
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence_level / 2))


def auc_interval(y_true, score, *, confidence_level=0.95):
    """ROC AUC with DeLong's analytic confidence interval.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class, 0 otherwise.
    score : array-like of shape (n_samples,)
        Higher means more likely positive.
    confidence_level : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    Interval
        The AUC (ties count one half) with a normal interval from DeLong's variance,
        clipped to [0, 1]; NaN when one class is absent.

    References
    ----------
    .. [1] DeLong, DeLong and Clarke-Pearson (1988), "Comparing the areas under two or
       more correlated receiver operating characteristic curves: a nonparametric
       approach", Biometrics 44(3), 837-845.

    Examples
    --------
    >>> auc_interval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).estimate
    0.75
    """
    from scipy.stats import rankdata

    y_true = np.asarray(y_true) > 0.5
    score = np.asarray(score, dtype=np.float64)
    n_positive = int(y_true.sum())
    n_negative = y_true.size - n_positive
    if n_positive == 0 or n_negative == 0:
        nan = float("nan")
        return Interval(nan, nan, nan, confidence_level, "DeLong")
    rank_all = rankdata(score)
    rank_positive = rankdata(score[y_true])
    rank_negative = rankdata(score[~y_true])
    # structural components: share of negatives below each positive, and of positives
    # above each negative (ties count one half)
    v_positive = (rank_all[y_true] - rank_positive) / n_negative
    v_negative = 1.0 - (rank_all[~y_true] - rank_negative) / n_positive
    auc = float(v_positive.mean())
    variance = v_positive.var(ddof=1) / n_positive if n_positive > 1 else 0.0
    variance += v_negative.var(ddof=1) / n_negative if n_negative > 1 else 0.0
    half = _z(confidence_level) * float(np.sqrt(variance))
    return Interval(auc, max(0.0, auc - half), min(1.0, auc + half), confidence_level, "DeLong")


def _top_rows(score, n_contacted, random_state):
    """Indices of the ``n_contacted`` highest scores; ties broken at random."""
    rng = np.random.default_rng(random_state)
    tie_breaker = rng.random(score.size)
    order = np.lexsort((tie_breaker, -score))
    return order[:n_contacted]


def _exact_types(kinds, rows):
    return {kind: Interval.exact(np.count_nonzero(kinds[rows] == kind)) for kind in CUSTOMER_TYPES}


def estimate_customer_types(y_true, treatment, *, confidence_level=0.95):
    """Estimate how many of a group are each customer type, from a randomized test.

    Nobody's type can be observed: each person is either treated or not. Within the
    group, the favourable rate of its treated rows, ``p1``, estimates the share of
    persuadables plus sure things, and that of its control rows, ``p0``, the share of
    sure things plus sleeping dogs. Their difference identifies persuadables minus
    sleeping dogs only, so one more assumption is needed; the estimate takes the
    smallest mix consistent with the data: no sleeping dogs when ``p1 >= p0``
    (monotonicity), no persuadables otherwise. Then::

        persuadable = max(p1 - p0, 0)      sleeping dog = max(p0 - p1, 0)
        sure thing = min(p0, p1)           lost cause = 1 - max(p0, p1)

    The intervals are normal intervals of these shares under that assumption
    (variances ``p(1-p)/n`` of each arm's rate), scaled to the group's size.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes of the group (1 = favourable).
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control.
    confidence_level : float, default=0.95
        Coverage of the intervals.

    Returns
    -------
    dict of str to Interval
        Estimated number of each type in the group, in ``CUSTOMER_TYPES`` order.

    Examples
    --------
    >>> types = estimate_customer_types([1, 1, 1, 0, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0])
    >>> {kind: value.estimate for kind, value in types.items()}
    {'persuadable': 4.0, 'sure thing': 2.0, 'lost cause': 2.0, 'sleeping dog': 0.0}
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    treated = np.asarray(treatment, dtype=np.float64) == 1.0
    n = y_true.size
    n1, n0 = int(treated.sum()), int((~treated).sum())
    if n1 == 0 or n0 == 0:
        nan = float("nan")
        return {
            kind: Interval(nan, nan, nan, confidence_level, "normal") for kind in CUSTOMER_TYPES
        }
    p1, p0 = float(y_true[treated].mean()), float(y_true[~treated].mean())
    var1, var0 = p1 * (1 - p1) / n1, p0 * (1 - p0) / n0
    shares = {
        "persuadable": (max(p1 - p0, 0.0), var1 + var0),
        "sure thing": (min(p0, p1), var0 if p0 <= p1 else var1),
        "lost cause": (1.0 - max(p0, p1), var1 if p1 >= p0 else var0),
        "sleeping dog": (max(p0 - p1, 0.0), var1 + var0),
    }
    z = _z(confidence_level)
    result = {}
    for kind, (share, variance) in shares.items():
        half = z * np.sqrt(variance)
        low, high = max(share - half, 0.0), min(share + half, 1.0)
        result[kind] = Interval(n * share, n * low, n * high, confidence_level, "normal")
    return result


# --------------------------------------------------------------------------- evaluation


@dataclass
class _Context:
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

    @property
    def has_truth(self):
        return self.y0 is not None and self.y1 is not None

    @property
    def n(self):
        return self.y.size


def _bootstrap_interval(value, confidence_level):
    """``(estimate, (low, high))`` from a metrics ConfidenceInterval-like object."""
    return Interval(
        float(value.estimate), float(value.low), float(value.high), confidence_level, "bootstrap"
    )


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
    }
    qini = _bootstrap_interval(
        qini_auc_score_ci(ctx.y, score, ctx.treatment, **common), ctx.confidence_level
    )
    uplift_auc = _bootstrap_interval(
        uplift_auc_score_ci(ctx.y, score, ctx.treatment, **common), ctx.confidence_level
    )
    at_30 = _bootstrap_interval(
        uplift_at_k_ci(ctx.y, score, ctx.treatment, strategy="overall", k=0.3, **common),
        ctx.confidence_level,
    )
    return qini, uplift_auc, at_30, qini_curve(ctx.y, score, ctx.treatment)


def _targeting(score, ctx, cost_model, *, estimated=False):
    """Best targeting of ``score``: exact with potential outcomes, else estimated."""
    from actionable.economics import best_targeting, best_targeting_from_truth

    if ctx.has_truth and not estimated:
        return best_targeting_from_truth(ctx.y0, ctx.y1, score, cost_model=cost_model)
    return best_targeting(
        ctx.y,
        score,
        ctx.treatment,
        cost_model=cost_model,
        n_bootstraps=ctx.n_bootstraps,
        confidence_level=ctx.confidence_level,
        random_state=ctx.seed,
    )


def _profit_interval(value, interval, ctx, exact):
    if exact or interval is None:
        return Interval.exact(value)
    return Interval(
        float(value), float(interval[0]), float(interval[1]), ctx.confidence_level, "bootstrap"
    )


def _profit_curve(score, ctx):
    from actionable.economics import profit_curve, profit_curve_from_truth

    if ctx.has_truth:
        n_targeted, profit = profit_curve_from_truth(
            ctx.y0, ctx.y1, score, cost_model=ctx.cost_model
        )
    else:
        n_targeted, profit = profit_curve(ctx.y, score, ctx.treatment, cost_model=ctx.cost_model)
    return np.asarray(n_targeted, dtype=np.float64) / ctx.n, np.asarray(profit, dtype=np.float64)


def _policy_profits(score, ctx):
    """Profit curve, best point and profit at capacity of one targeting score."""
    fraction, profit = _profit_curve(score, ctx)
    targeting = _targeting(score, ctx, ctx.cost_model)
    exact = ctx.has_truth
    best = _profit_interval(targeting.profit, targeting.profit_interval, ctx, exact)
    at_capacity = targeting.profit_at_capacity
    extra = {}
    if at_capacity is not None and not exact and targeting.profit_at_capacity_interval:
        extra["profit_at_capacity"] = _profit_interval(
            at_capacity, targeting.profit_at_capacity_interval, ctx, exact
        )
    return fraction, profit, best, targeting.fraction, at_capacity, extra


def _profit_at(score, n_contacted, ctx):
    """Profit of contacting exactly ``n_contacted`` people by decreasing ``score``."""
    if n_contacted == 0:
        return Interval.exact(0.0)
    cost_model = ctx.cost_model.replace(capacity=int(n_contacted), budget=None)
    targeting = _targeting(score, ctx, cost_model)
    return _profit_interval(
        targeting.profit_at_capacity, targeting.profit_at_capacity_interval, ctx, ctx.has_truth
    )


def _customer_types_at(score, rows, n_contacted, ctx, kinds):
    if n_contacted == 0:
        return {kind: Interval.exact(0.0) for kind in CUSTOMER_TYPES}
    if score is None:  # random: the population's mix, scaled to the group's size
        if kinds is not None:
            return {
                kind: Interval.exact(n_contacted * np.mean(kinds == kind))
                for kind in CUSTOMER_TYPES
            }
        overall = estimate_customer_types(
            ctx.y, ctx.treatment, confidence_level=ctx.confidence_level
        )
        scale = n_contacted / ctx.n
        return {
            kind: Interval(
                v.estimate * scale, v.low * scale, v.high * scale, v.confidence_level, v.method
            )
            for kind, v in overall.items()
        }
    if kinds is not None:
        return _exact_types(kinds, rows)
    return estimate_customer_types(
        ctx.y[rows], ctx.treatment[rows], confidence_level=ctx.confidence_level
    )


def _outcome_target(y, framing):
    """The event the naive score predicts: churn (y = 0) or response (y = 1)."""
    return y == 0 if framing == "churn" else y == 1


def _evaluate_policy(key, label, learner, score, ctx, *, uplift_metrics=True):
    """Every number of one policy except those that depend on the common size ``k``."""
    ranking = np.zeros(ctx.n) if score is None else np.asarray(score, dtype=np.float64)
    auc = qini = uplift_auc = at_30 = curve = None
    if score is not None:
        auc = auc_interval(
            _outcome_target(ctx.y, ctx.framing), ranking, confidence_level=ctx.confidence_level
        )
        if uplift_metrics:
            qini, uplift_auc, at_30, curve = _uplift_metrics(ranking, ctx)
    fraction, profit, best, best_fraction, at_capacity, extra = _policy_profits(ranking, ctx)
    if ctx.has_truth and score is not None and key != "oracle":
        estimated = _targeting(ranking, ctx, ctx.cost_model, estimated=True)
        extra["profit_best_estimated"] = _profit_interval(
            estimated.profit, estimated.profit_interval, ctx, False
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
        profit_at_capacity=None if at_capacity is None else float(at_capacity),
        profit_at_k=Interval.exact(float("nan")),
        extra=extra,
    )


def _describe(model):
    """``TLearner(LGBMClassifier)``-style description of a fitted model."""
    name = type(model).__name__
    inner = getattr(model, "estimator", None)
    inner_name = "LightGBM" if inner is None else type(inner).__name__
    if hasattr(model, "get_params"):
        return f"{name}({inner_name})"
    return name


def _risk_scores(outcome_model, X, framing):
    if hasattr(outcome_model, "predict_risk"):
        return np.asarray(outcome_model.predict_risk(X), dtype=np.float64)
    proba = np.asarray(outcome_model.predict_proba(X), dtype=np.float64)
    return proba[:, 0] if framing == "churn" else proba[:, 1]


def _uplift_scores(uplift_model, X):
    uplift = np.asarray(uplift_model.predict(X), dtype=np.float64)
    if uplift.ndim == 2 and uplift.shape[1] == 1:
        uplift = uplift[:, 0]
    if uplift.ndim != 1:
        raise ValueError(
            "uplift_model.predict must return one uplift per row; got an array of shape "
            f"{uplift.shape} (a multi-arm model: evaluate one arm against the control)."
        )
    return uplift


def _labels(framing):
    if framing == "churn":
        return {"outcome": "Churn-risk model", "cost_aware": "Cost-aware churn model"}
    return {"outcome": "Response model", "cost_aware": "Cost-aware response model"}


def _check_framing(framing):
    if framing not in ("churn", "response"):
        raise ValueError(_MSG_FRAMING.format(value=framing))
    return framing


def _check_binary_outcome(y):
    from actionable._validation import as_1d_float

    y = as_1d_float(y, "y")
    binary = (y == 0.0) | (y == 1.0)
    if not binary.all():
        value = y[int(np.argmin(binary))]
        raise ValueError(_MSG_OUTCOME_NOT_BINARY.format(value=value))
    return y


def _choose_k(k, cost_model, uplift_policy, n):
    from actionable._validation import check_fraction_or_count

    if k is not None:
        return check_fraction_or_count(k, n, "k") / n
    capacity = cost_model.capacity_count(n)
    if capacity is not None:
        return min(capacity, n) / n
    best = round(uplift_policy.best_fraction, 2)
    return best if best > 0 else 0.2


class _Progress:
    """A tqdm bar over named steps (silent when disabled)."""

    def __init__(self, total, enabled, description):
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc=description, leave=False, unit="step")

    def step(self, description):
        if self.bar is not None:
            self.bar.set_postfix_str(description, refresh=True)

    def done(self):
        if self.bar is not None:
            self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _evaluate(
    risk,
    uplift,
    y,
    treatment,
    *,
    cost_model,
    y0,
    y1,
    true_effect,
    framing,
    k,
    learners,
    confidence_level,
    n_bootstraps,
    random_state,
    progress,
):
    """Build every policy's evaluation from the two scores on the held-out rows."""
    ctx = _Context(
        y=y,
        treatment=treatment,
        y0=y0,
        y1=y1,
        cost_model=cost_model,
        framing=framing,
        confidence_level=confidence_level,
        n_bootstraps=n_bootstraps,
        seed=int(np.random.default_rng(random_state).integers(2**31 - 1)),
    )
    labels = _labels(framing)
    steps = [
        ("outcome", labels["outcome"], learners[0], risk),
        ("uplift", "Uplift model", learners[1], uplift),
        ("random", "Random targeting", None, None),
    ]
    if ctx.has_truth:
        oracle_score = true_effect if true_effect is not None else y1 - y0
        steps.append(
            ("oracle", "Oracle (true effect)", "knows each customer's true effect", oracle_score)
        )
    policies = {}
    for key, label, learner, score in steps:
        progress.step(f"evaluating {label.lower()}")
        policies[key] = _evaluate_policy(key, label, learner, score, ctx)
        progress.done()
    if "oracle" in policies:
        policies["oracle"] = _with_foresight(policies["oracle"], ctx)
    k = _choose_k(k, cost_model, policies["uplift"], ctx.n)
    n_contacted = int(round(k * ctx.n))
    kinds = customer_types_of(y0, y1) if ctx.has_truth else None
    progress.step("profit and customer types at the common size")
    for key, policy in policies.items():
        rows = None if policy.score is None else _top_rows(policy.score, n_contacted, ctx.seed)
        ranking = np.zeros(ctx.n) if policy.score is None else policy.score
        policies[key] = _replace(
            policy,
            profit_at_k=_profit_at(ranking, n_contacted, ctx),
            customer_types=_customer_types_at(policy.score, rows, n_contacted, ctx, kinds),
        )
    progress.done()
    cost_aware = _cost_aware_policy(policies["outcome"], labels["cost_aware"], ctx)
    if cost_aware is not None:
        policies = {
            "outcome": policies["outcome"],
            "cost_aware": cost_aware,
            **{key: p for key, p in policies.items() if key != "outcome"},
        }
        policies["uplift"] = _with_uplift_promise(policies["uplift"], ctx)
    return policies, k, n_contacted


def _replace(policy, **changes):
    import dataclasses

    return dataclasses.replace(policy, **changes)


def _with_foresight(oracle, ctx):
    """Add what perfect foresight of each person's reaction would earn (for the notes)."""
    from actionable.economics import best_targeting_from_truth

    foresight = best_targeting_from_truth(
        ctx.y0, ctx.y1, ctx.y1 - ctx.y0, cost_model=ctx.cost_model
    )
    return _replace(oracle, extra={**oracle.extra, "profit_best_foresight": foresight.profit})


def _cost_aware_policy(outcome, label, ctx):
    """Hook for the cost-aware churn model (issue 9); ``None`` when unavailable."""
    return None


def _with_uplift_promise(uplift, ctx):
    return uplift


def _notes(
    *,
    has_truth,
    n_train,
    n_test,
    split,
    learners,
    confidence_level,
    n_bootstraps,
    oracle,
    cost_model,
):
    level = f"{100 * confidence_level:.0f}%"
    notes = []
    if split is not None:
        notes.append(split)
    notes.append(
        f"Models: the naive model is {learners[0]}, which predicts the outcome and ignores the "
        f"treatment; the uplift model is {learners[1]}, which predicts how much contact changes "
        "the outcome. Both scored the same held-out rows."
    )
    if has_truth:
        notes.append(
            "Profits and customer types are exact: this synthetic world records each held-out "
            "customer's outcome both with and without contact. Profit = value x (extra "
            "favourable outcomes) - contact costs - incentives, relative to contacting no one."
        )
        notes.append(
            "Best profits are read off each exact curve on the held-out rows; for comparison, "
            "summary.json also gives each model's best profit as estimated from the randomized "
            "rows alone (profit_best_estimated), which is what real data would show."
        )
        if oracle is not None:
            foresight = oracle.extra.get("profit_best_foresight")
            notes.append(
                "The oracle ranks customers by their true effect given the features "
                "(P(persuadable | x) - P(sleeping dog | x)): the best any model of these "
                "features can do."
                + (
                    f" Perfect foresight of each individual's reaction would earn "
                    f"{foresight:,.0f} (in the cost model's currency), but no model can reach "
                    "it: the features only give probabilities."
                    if foresight is not None
                    else ""
                )
            )
    else:
        notes.append(
            "Profits are estimated from the randomized held-out rows: for the top k by a score, "
            "the favourable rates of its treated and of its control rows estimate the outcome "
            "with and without contact (Radcliffe 2007); the difference times k is the number "
            "of extra favourable outcomes."
        )
        notes.append(
            "Customer types are estimated: within each contacted group the treated and control "
            "favourable rates identify persuadables minus sleeping dogs; the smaller of the two "
            "is assumed to be empty."
        )
    notes.append(
        f"Intervals: {level} percentile bootstrap with {n_bootstraps:,} resamples of the "
        "held-out rows (stratified by treatment for profits); DeLong's interval for the AUC of "
        "the outcome."
    )
    notes.append(
        "Each policy's best profit is the highest point of its own curve on the held-out rows, "
        "so every policy is judged at its most favourable size (slightly optimistic, for all "
        "alike)."
    )
    if cost_model.capacity is not None:
        notes.append(f"Capacity: at most {cost_model.capacity} contacts.")
    return notes


def evaluate_paired(
    outcome_model,
    uplift_model,
    X,
    y,
    treatment,
    *,
    cost_model,
    y0=None,
    y1=None,
    true_effect=None,
    framing="churn",
    k=None,
    dataset="data",
    description="",
    outcome_name="outcome",
    treatment_name="treatment",
    n_train=0,
    confidence_level=0.95,
    n_bootstraps=1000,
    random_state=None,
    progress=False,
    notes=None,
):
    """Compare two already-fitted models on labelled randomized data, without refitting.

    The second half of a ``PairedExperiment``, for models trained elsewhere (e.g. a
    saved model directory, as ``actionable evaluate`` does): both models score the
    same rows, which must come from a randomized experiment the models did not train on.

    Parameters
    ----------
    outcome_model : fitted estimator
        The naive model. Its ``predict_risk(X)`` (``OutcomeClassifier``) is the
        targeting score; otherwise ``predict_proba(X)``: column 0 (P(y=0)) in the churn
        framing, column 1 in the response framing.
    uplift_model : fitted estimator
        Any object with ``predict(X)`` returning one uplift per row (actionable's
        learners, or scikit-uplift-style models).
    X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
        Features of the evaluation rows.
    y : array-like of shape (n_samples,)
        Observed outcomes, 1 = favourable.
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control (randomized).
    cost_model : CostModel
        The economics (value per success, costs, capacity, budget).
    y0, y1 : array-like of shape (n_samples,), default=None
        Potential outcomes, when known (synthetic data): profits and customer types are
        then exact and an oracle policy is added.
    true_effect : array-like of shape (n_samples,), default=None
        Each row's true expected effect, the oracle's score (default ``y1 - y0``).
    framing : {"churn", "response"}, default="churn"
        ``"churn"``: y = 1 means retained and the naive score is the churn risk.
        ``"response"``: y = 1 means responded and the naive score is P(response).
    k : float or int, default=None
        Common number (int) or fraction (float) of rows contacted when policies are
        compared side by side. ``None``: the capacity if the cost model has one, else
        the uplift model's best fraction (rounded to a percent).
    dataset, description, outcome_name, treatment_name : str
        Names used in reports.
    n_train : int, default=0
        Rows the models were trained on (reported only).
    confidence_level : float, default=0.95
        Coverage of every interval.
    n_bootstraps : int, default=1000
        Bootstrap resamples per interval.
    random_state : int, numpy.random.Generator or None, default=None
        Seeds the bootstrap and tie-breaking.
    progress : bool, default=False
        Show a progress bar.
    notes : list of str, default=None
        Extra method notes, shown first in reports.

    Returns
    -------
    PairedResult

    See Also
    --------
    PairedExperiment : Splits, fits both models, then calls this function.

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.economics import CostModel
    >>> from actionable.models import OutcomeClassifier, TLearner
    >>> train, test = make_churn(3000, random_state=0), make_churn(2000, random_state=1)
    >>> churn = OutcomeClassifier(random_state=0, n_jobs=1).fit(train.X, train.y)
    >>> uplift = TLearner(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    >>> result = evaluate_paired(churn, uplift, test.X, test.y, test.treatment,
    ...                          cost_model=CostModel.from_dict(test.costs),
    ...                          y0=test.y0, y1=test.y1, n_bootstraps=50, random_state=0)
    >>> result.uplift.profit_best.estimate > result.outcome.profit_best.estimate
    True
    """
    from actionable._validation import check_binary_treatment, check_consistent_length
    from actionable.economics import CostModel

    framing = _check_framing(framing)
    if not isinstance(cost_model, CostModel):
        raise ValueError(f"cost_model must be a CostModel; got {type(cost_model).__name__}.")
    check_consistent_length(X=X, y=y, treatment=treatment, y0=y0, y1=y1, true_effect=true_effect)
    y = _check_binary_outcome(y)
    treatment = check_binary_treatment(treatment)
    if (y0 is None) != (y1 is None):
        raise ValueError("y0 and y1 must be given together (both potential outcomes).")
    if y0 is not None:
        y0 = _check_binary_outcome(y0)
        y1 = _check_binary_outcome(y1)
    if true_effect is not None:
        true_effect = np.asarray(true_effect, dtype=np.float64)
    bar = _Progress(6 if y0 is not None else 5, progress, "evaluating")
    try:
        bar.step("scoring")
        risk = _risk_scores(outcome_model, X, framing)
        uplift = _uplift_scores(uplift_model, X)
        learners = (_describe(outcome_model), _describe(uplift_model))
        policies, k, n_contacted = _evaluate(
            risk,
            uplift,
            y,
            treatment,
            cost_model=cost_model,
            y0=y0,
            y1=y1,
            true_effect=true_effect,
            framing=framing,
            k=k,
            learners=learners,
            confidence_level=confidence_level,
            n_bootstraps=n_bootstraps,
            random_state=random_state,
            progress=bar,
        )
    finally:
        bar.close()
    return PairedResult(
        dataset=dataset,
        description=description,
        framing=framing,
        outcome_name=outcome_name,
        treatment_name=treatment_name,
        n_train=int(n_train),
        n_test=int(y.size),
        cost_model=cost_model,
        k=float(k),
        n_contacted=n_contacted,
        policies=policies,
        has_truth=y0 is not None,
        confidence_level=float(confidence_level),
        n_bootstraps=int(n_bootstraps),
        y_test=y,
        treatment_test=treatment,
        y0_test=y0,
        y1_test=y1,
        notes=list(notes or [])
        + _notes(
            has_truth=y0 is not None,
            n_train=n_train,
            n_test=y.size,
            split=None,
            learners=learners,
            confidence_level=confidence_level,
            n_bootstraps=n_bootstraps,
            oracle=policies.get("oracle"),
            cost_model=cost_model,
        ),
    )


def _take(values, rows):
    if values is None:
        return None
    if hasattr(values, "iloc"):
        return values.iloc[rows]
    return np.asarray(values)[rows]


def _framing_of(data):
    framing = data.extra.get("framing") if isinstance(data.extra, dict) else None
    if framing is not None:
        return framing
    return "churn" if "churn" in data.name.lower() else "response"


class PairedExperiment:
    """Train the naive outcome model and an uplift model on the same split, and compare them.

    One stratified split (on treatment x outcome) of a randomized experiment; the naive
    ``OutcomeClassifier`` and the uplift learner are fitted on the same training rows
    and scored on the same held-out rows; ``evaluate_paired`` then measures both: the
    outcome AUC, Qini and uplift AUCs with bootstrap intervals, uplift at 30 %, profit
    curves and best profits under the cost model, random and (with ground truth) oracle
    policies, and the customer types each model would contact.

    Parameters
    ----------
    learner : uplift estimator, default=None
        Unfitted uplift learner (``fit(X, y, treatment)`` / ``predict(X)``). ``None``
        uses ``DRLearner`` with LightGBM.
    outcome_model : classifier, default=None
        Unfitted naive model. ``None`` uses ``OutcomeClassifier`` (LightGBM, trained on
        all training rows, treatment ignored) in the experiment's framing.
    cost_model : CostModel or dict, default=None
        The economics. ``None`` uses the dataset's default ``costs``.
    test_size : float, default=0.3
        Share of rows held out for evaluation.
    k : float or int, default=None
        Common size at which policies are compared (see ``evaluate_paired``).
    framing : {"churn", "response"}, default=None
        ``None`` infers it from the dataset (``"churn"`` for churn data).
    confidence_level : float, default=0.95
        Coverage of every interval.
    n_bootstraps : int, default=1000
        Bootstrap resamples per interval.
    random_state : int or None, default=None
        Seeds the split, the models and the bootstrap.
    progress : bool, default=True
        Show a progress bar while fitting and evaluating.
    n_jobs : int, default=None
        Threads for the default LightGBM models.

    Attributes
    ----------
    result_ : PairedResult
        Everything measured on the held-out rows.
    outcome_model_, uplift_model_ : fitted estimators
        The two fitted models.
    cost_model_ : CostModel
        The economics used.
    train_index_, test_index_ : ndarray of int
        Positions of the training and held-out rows.

    See Also
    --------
    evaluate_paired : The evaluation alone, for already-fitted models.
    actionable.report.PairedReport : Renders the result as HTML, Markdown and JSON.

    Examples
    --------
    >>> from actionable import PairedExperiment, make_churn
    >>> experiment = PairedExperiment(n_bootstraps=50, random_state=0, progress=False, n_jobs=1)
    >>> result = experiment.fit(make_churn(4000, random_state=0)).result_
    >>> result.n_train, result.n_test
    (2800, 1200)
    >>> result.uplift.qini_auc.estimate > result.outcome.qini_auc.estimate
    True
    """

    def __init__(
        self,
        learner=None,
        *,
        outcome_model=None,
        cost_model=None,
        test_size=0.3,
        k=None,
        framing=None,
        confidence_level=0.95,
        n_bootstraps=1000,
        random_state=None,
        progress=True,
        n_jobs=None,
    ):
        self.learner = learner
        self.outcome_model = outcome_model
        self.cost_model = cost_model
        self.test_size = test_size
        self.k = k
        self.framing = framing
        self.confidence_level = confidence_level
        self.n_bootstraps = n_bootstraps
        self.random_state = random_state
        self.progress = progress
        self.n_jobs = n_jobs

    def _resolve_cost_model(self, data):
        from actionable.economics import CostModel

        cost_model = self.cost_model
        if cost_model is None:
            costs = getattr(data, "costs", None)
            if not costs:
                raise ValueError(
                    "cost_model is required: the data carries no default costs. Pass "
                    "PairedExperiment(cost_model=CostModel(value_per_success=..., ...))."
                )
            cost_model = costs
        if isinstance(cost_model, dict):
            cost_model = CostModel.from_dict(cost_model)
        if not isinstance(cost_model, CostModel):
            raise ValueError(
                f"cost_model must be a CostModel or a dict; got {type(cost_model).__name__}."
            )
        return cost_model

    def _models(self, framing, seed):
        from sklearn.base import clone

        from actionable.models import DRLearner, OutcomeClassifier

        if self.outcome_model is None:
            outcome = OutcomeClassifier(framing=framing, random_state=seed, n_jobs=self.n_jobs)
        else:
            outcome = clone(self.outcome_model)
        if self.learner is None:
            uplift = DRLearner(random_state=seed, n_jobs=self.n_jobs)
        else:
            uplift = clone(self.learner)
        return outcome, uplift

    def fit(self, data, y=None, treatment=None, *, y0=None, y1=None, true_effect=None):
        """Split, fit both models on the same rows, and evaluate them on the same held-out rows.

        Parameters
        ----------
        data : UpliftDataset or {array-like, pandas.DataFrame}
            An ``UpliftDataset`` (its truth, costs and names are used), or the features
            ``X`` with ``y`` and ``treatment`` given next.
        y : array-like of shape (n_samples,), default=None
            Outcomes (1 = favourable), when ``data`` is ``X``.
        treatment : array-like of shape (n_samples,), default=None
            1 treated, 0 control, when ``data`` is ``X``.
        y0, y1, true_effect : array-like of shape (n_samples,), default=None
            Potential outcomes and true effects, when ``data`` is ``X`` and they are known.

        Returns
        -------
        self : PairedExperiment
            With ``result_`` and the fitted models.
        """
        from sklearn.model_selection import train_test_split

        from actionable._validation import check_binary_treatment

        is_dataset = hasattr(data, "X") and hasattr(data, "treatment")
        if is_dataset:
            if y is not None or treatment is not None:
                raise ValueError("Pass either an UpliftDataset, or X with y and treatment.")
            X, y, treatment = data.X, data.y, data.treatment
            y0, y1, true_effect = data.y0, data.y1, data.true_effect
            framing = self.framing or _framing_of(data)
            names = {
                "dataset": data.name,
                "description": data.description,
                "outcome_name": data.outcome_name,
                "treatment_name": data.treatment_name,
            }
        else:
            if y is None or treatment is None:
                raise ValueError("y and treatment are required when data is a feature matrix X.")
            X = data
            framing = self.framing or "churn"
            names = {
                "dataset": "data",
                "description": "",
                "outcome_name": "outcome",
                "treatment_name": "treatment",
            }
        framing = _check_framing(framing)
        y_values = _check_binary_outcome(np.asarray(y))
        try:
            t_values = check_binary_treatment(np.asarray(treatment))
        except ValueError as exc:
            raise ValueError(
                f"{exc} A paired experiment compares one treatment with the control: keep "
                "the rows of one treated arm and of the control, coded 1 and 0."
            ) from None
        self.cost_model_ = self._resolve_cost_model(data if is_dataset else None)
        rng = np.random.default_rng(self.random_state)
        split_seed, model_seed, eval_seed = (int(s) for s in rng.integers(2**31 - 1, size=3))
        strata = 2 * t_values + y_values
        index = np.arange(y_values.size)
        self.train_index_, self.test_index_ = train_test_split(
            index, test_size=self.test_size, random_state=split_seed, stratify=strata
        )
        train, test = self.train_index_, self.test_index_
        outcome, uplift = self._models(framing, model_seed)
        bar = _Progress(2, self.progress, "fitting")
        try:
            bar.step(f"fitting {type(outcome).__name__}")
            outcome.fit(_take(X, train), y_values[train], t_values[train])
            bar.done()
            bar.step(f"fitting {type(uplift).__name__}")
            uplift.fit(_take(X, train), y_values[train], t_values[train])
            bar.done()
        finally:
            bar.close()
        self.outcome_model_, self.uplift_model_ = outcome, uplift
        split_note = (
            f"Split: {train.size:,} training and {test.size:,} held-out rows "
            f"({100 * self.test_size:.0f}%), stratified on treatment x outcome; both models "
            "were trained on the same training rows."
        )
        self.result_ = evaluate_paired(
            outcome,
            uplift,
            _take(X, test),
            y_values[test],
            t_values[test],
            cost_model=self.cost_model_,
            y0=_take(y0, test),
            y1=_take(y1, test),
            true_effect=_take(true_effect, test),
            framing=framing,
            k=self.k,
            n_train=train.size,
            confidence_level=self.confidence_level,
            n_bootstraps=self.n_bootstraps,
            random_state=eval_seed,
            progress=self.progress,
            notes=[split_note],
            **names,
        )
        return self
