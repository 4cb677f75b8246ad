"""``evaluate_paired``: every policy scored on the same held-out rows."""

from dataclasses import dataclass

import numpy as np

from actionable.paired._progress import Progress
from actionable.paired._result import CUSTOMER_TYPES, Interval, PairedResult, PolicyEvaluation
from actionable.paired._statistics import (
    _exact_types,
    _top_rows,
    auc_interval,
    customer_types_of,
    estimate_customer_types,
)

_MSG_FRAMING = "framing must be 'churn' or 'response'; got {value!r}."
_MSG_OUTCOME_NOT_BINARY = (
    "y must be binary (1 = favourable, 0 = not) for a paired experiment; got value {value!r}."
)


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
    from actionable._validation import as_1d_float, first_non_binary

    y = as_1d_float(y, "y")
    not_binary = first_non_binary(y)
    if not_binary is not None:
        raise ValueError(_MSG_OUTCOME_NOT_BINARY.format(value=not_binary[1]))
    return y


def _choose_k(k, cost_model, uplift_policy, n):
    from actionable._validation import check_fraction_or_count

    if k is not None:
        return check_fraction_or_count(k, n, "k") / n
    capacity = cost_model.capacity_count(n)
    if capacity is not None:
        return min(capacity, n) / n
    best = uplift_policy.best_fraction
    return best if best > 0 else 0.2


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


def _empc_promise(risk, ctx):
    """EMPC of the churn score on the control rows, per customer, with a bootstrap interval.

    A churn team measures its model on customers nobody contacted, here the held-out
    control rows: their outcomes are churn without intervention, which is what MP and
    EMPC assume.
    """
    from actionable.economics import expected_max_profit_churn

    control = ctx.treatment == 0.0
    y_control, risk_control = ctx.y[control], risk[control]
    point = expected_max_profit_churn(y_control, risk_control, cost_model=ctx.cost_model)
    rng = np.random.default_rng(ctx.seed)
    replicates = np.empty(ctx.n_bootstraps)
    for b in range(ctx.n_bootstraps):
        rows = rng.integers(0, y_control.size, y_control.size)
        replicates[b] = expected_max_profit_churn(
            y_control[rows], risk_control[rows], cost_model=ctx.cost_model
        ).profit
    alpha = (1.0 - ctx.confidence_level) / 2.0
    low, high = np.quantile(replicates, [alpha, 1.0 - alpha])
    return point, float(low), float(high)


def _cost_aware_policy(outcome, label, ctx):
    """The churn model with its campaign size chosen by EMPC (Verbraken et al., 2013).

    The size is capped at the capacity, if any (the promise stays the measure's own).
    Returns ``None`` in the response framing, where MP and EMPC do not apply.
    """
    if ctx.framing != "churn" or not np.any(ctx.treatment == 0.0):
        return None
    point, low, high = _empc_promise(outcome.score, ctx)
    n_contacted = int(round(point.fraction * ctx.n))
    capacity = ctx.cost_model.capacity_count(ctx.n)
    if capacity is not None:  # the team cannot contact more than its capacity
        n_contacted = min(n_contacted, int(capacity))
    realized = _profit_at(outcome.score, n_contacted, ctx)
    scale = float(ctx.n)
    promised = Interval(
        point.profit * scale, low * scale, high * scale, ctx.confidence_level, "bootstrap"
    )
    return _replace(
        outcome,
        key="cost_aware",
        label=label,
        learner=f"{outcome.learner}, sized by EMPC",
        best_fraction=n_contacted / ctx.n,
        profit_best=realized,
        promised_profit=promised,
        realized_profit=realized,
        promised_by="EMPC",
        extra={"promised_fraction": n_contacted / ctx.n},
    )


def _with_uplift_promise(uplift, ctx):
    """The uplift model's promise by the maximum profit uplift measure (MPU), and its reality."""
    from actionable.economics import max_profit_uplift_ci

    point, low, high = max_profit_uplift_ci(
        ctx.y,
        uplift.score,
        ctx.treatment,
        cost_model=ctx.cost_model,
        n_bootstraps=ctx.n_bootstraps,
        confidence_level=ctx.confidence_level,
        random_state=ctx.seed,
    )
    scale = float(ctx.n)
    promised = Interval(
        point.profit * scale, low * scale, high * scale, ctx.confidence_level, "bootstrap"
    )
    n_contacted = int(round(point.fraction * ctx.n))
    capacity = ctx.cost_model.capacity_count(ctx.n)
    if capacity is not None:
        n_contacted = min(n_contacted, int(capacity))
    realized = _profit_at(uplift.score, n_contacted, ctx)
    return _replace(
        uplift,
        promised_profit=promised,
        realized_profit=realized,
        promised_by="MPU",
        extra={**uplift.extra, "promised_fraction": n_contacted / ctx.n},
    )


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
        the uplift model's best fraction (20 % when contacting no one is best).
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
        Every policy (naive model, cost-aware churn model in the churn framing, uplift
        model, random, and oracle with ground truth) measured on these rows.

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
    bar = Progress(6 if y0 is not None else 5, progress, "evaluating")
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
