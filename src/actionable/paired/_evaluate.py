"""``evaluate_paired``: every policy scored on the same held-out rows."""

from dataclasses import dataclass

import numpy as np

from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable.paired._explain import global_drivers, targeted_group
from actionable.paired._inputs import (
    MSG_BASELINES,
    check_costs_and_baselines,
    check_costs_for_outcome,
    checked_rows,
)
from actionable.paired._notes import method_notes, small_arms_note
from actionable.paired._policies import (
    VARIANT_KEYS,
    Context,
    average_effect,
    check_framing,
    customer_types_at,
    describe,
    evaluate_policy,
    labels,
    outcome_event,
    profit_at,
    replace,
    risk_scores,
    uplift_scores,
)
from actionable.paired._progress import Progress
from actionable.paired._promises import cost_aware_policy, with_foresight, with_uplift_promise
from actionable.paired._result import Interval, PairedResult
from actionable.paired._statistics import customer_types_of, top_rows


@dataclass(frozen=True)
class _Provenance:
    """What a paired result only reports: names, training rows, world, costs note, notes."""

    dataset: str
    description: str
    outcome_name: str
    treatment_name: str
    n_train: int
    n_train_treated: int | None
    world: dict | None
    costs_note: str | None
    notes: list
    """Notes shown first in reports (the small-arms warning, then the caller's)."""


@dataclass(frozen=True)
class _Measured:
    """Everything ``evaluate_paired`` measures on the rows, before the method notes."""

    policies: dict
    k: float
    n_contacted: int
    advantage: Interval
    advantage_over: str
    group: object
    """The ``GroupDescription`` of the rows the uplift model contacts."""
    drivers: object
    """Mean absolute contribution of each feature (a ``pandas.Series``), or None."""
    drivers_note: str


def _choose_k(k, cost_model, uplift_policy, n):
    from actionable._validation import check_fraction_or_count

    if k is not None:
        return check_fraction_or_count(k, n, "k") / n
    capacity = cost_model.capacity_count(n)
    if capacity is not None:
        return min(capacity, n) / n
    best = uplift_policy.best_fraction
    return best if best > 0 else 0.2


def _trained_on(model, n_train, n_train_treated):
    """``(kind, rows)`` a naive model learned from: its ``train_on``, counted when known."""
    kind = getattr(model, "train_on", None)
    if kind not in ("all", "control", "treated"):
        return None, None
    if kind == "all":
        return kind, n_train or None
    if not n_train or n_train_treated is None:
        return kind, None
    return kind, n_train_treated if kind == "treated" else n_train - n_train_treated


def _naive_steps(outcome_model, baseline_models, X, framing, words, n_train, n_train_treated):
    """``(key, label, learner, score, trained_on, n_trained, ranks_by)`` of each naive model.

    ``words`` is the name of a continuous outcome (``None`` for a binary one); each
    model's label says what it ranks by (its ``risk_score_``, when it has one, also
    kept as ``ranks_by``).
    """
    models = {"outcome": outcome_model}
    for train_on, model in (baseline_models or {}).items():
        if train_on not in VARIANT_KEYS:
            raise ValueError(MSG_BASELINES.format(value=baseline_models))
        models[VARIANT_KEYS[train_on]] = model
    steps = []
    for key, model in models.items():
        kind, rows = _trained_on(model, n_train, n_train_treated)
        score = risk_scores(model, X, framing)
        ranks_by = getattr(model, "risk_score_", None)
        label = labels(framing, words, ranks_by)[key]
        steps.append((key, label, describe(model), score, kind, rows, ranks_by))
    return steps


def _advantage(uplift, naive, ctx):
    """Best profit of the uplift model minus the naive model's, with a paired interval."""
    from actionable.economics import profit_difference, profit_difference_from_truth

    common = {
        "n_targeted": uplift.extra["n_best"],
        "other_n_targeted": naive.extra["n_best"],
        "cost_model": ctx.cost_model,
        "confidence_level": ctx.confidence_level,
        "n_bootstraps": ctx.n_bootstraps,
        "random_state": ctx.seed,
    }
    if ctx.has_truth:
        difference = profit_difference_from_truth(
            ctx.y0, ctx.y1, uplift.score, naive.score, **common
        )
    else:
        difference = profit_difference(
            ctx.y, uplift.score, naive.score, ctx.treatment, sample_weight=ctx.weight, **common
        )
    # the reported best profits may come from an interpolated point: keep their difference
    estimate = uplift.profit_best.estimate - naive.profit_best.estimate
    shift = estimate - difference.estimate
    return Interval(
        estimate,
        difference.low + shift,
        difference.high + shift,
        ctx.confidence_level,
        "paired bootstrap",
    )


def _evaluate(naive_steps, uplift, ctx, *, true_effect, k, uplift_learner, progress):
    """Build every policy's evaluation from the scores on the held-out rows."""
    names = labels(ctx.framing)
    steps = [
        *naive_steps,
        ("uplift", names["uplift"], uplift_learner, uplift, "both arms", None, None),
        ("random", names["random"], None, None, None, None, None),
    ]
    if ctx.has_truth:
        oracle_score = true_effect if true_effect is not None else ctx.y1 - ctx.y0
        steps.append(
            (
                "oracle",
                names["oracle"],
                "knows each customer's true effect",
                oracle_score,
                None,
                None,
                None,
            )
        )
    policies = {}
    for key, label, learner, score, trained_on, n_trained, ranks_by in steps:
        progress.step(f"evaluating {label.lower()}")
        policy = evaluate_policy(
            key, label, learner, score, ctx, trained_on=trained_on, n_trained=n_trained
        )
        if ranks_by is not None:  # what an OutcomeRegressor ranks by (its risk_score_)
            policy = replace(policy, extra={**policy.extra, "ranks_by": ranks_by})
        policies[key] = policy
        progress.done()
    if "oracle" in policies:
        policies["oracle"] = with_foresight(policies["oracle"], ctx)
    k = _choose_k(k, ctx.cost_model, policies["uplift"], ctx.n)
    n_contacted = int(round(k * ctx.n))
    kinds = customer_types_of(ctx.y0, ctx.y1) if ctx.has_truth and not ctx.continuous else None
    progress.step("profit and customer types at the common size")
    for key, policy in policies.items():
        rows = None if policy.score is None else top_rows(policy.score, n_contacted, ctx.seed)
        ranking = np.zeros(ctx.n) if policy.score is None else policy.score
        policies[key] = replace(
            policy,
            profit_at_k=profit_at(ranking, n_contacted, ctx),
            customer_types=customer_types_at(policy.score, rows, n_contacted, ctx, kinds),
        )
    progress.done()
    naive = [p for p in policies.values() if p.is_naive]
    best = max(p.profit_best.estimate for p in naive)
    strongest = next(p for p in naive if p.profit_best.estimate == best)
    # EMPC and MPU read the rows as a random sample: not defined on weighted rows, nor
    # (EMPC: the accept rate of would-be churners) on a continuous outcome
    cost_aware = (
        None
        if ctx.weight is not None or ctx.continuous
        else cost_aware_policy(strongest, names["cost_aware"], ctx)
    )
    if cost_aware is not None:
        ordered = {key: p for key, p in policies.items() if p.is_naive}
        ordered["cost_aware"] = cost_aware
        ordered.update({key: p for key, p in policies.items() if not p.is_naive})
        policies = ordered
        policies["uplift"] = with_uplift_promise(policies["uplift"], ctx)
    advantage = _advantage(policies["uplift"], strongest, ctx)
    return policies, k, n_contacted, advantage, strongest.key


def evaluate_paired(
    outcome_model,
    uplift_model,
    X,
    y,
    treatment,
    *,
    cost_model,
    baseline_models=None,
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
    n_train_treated=None,
    world=None,
    costs_note=None,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
    progress=False,
    notes=None,
    sample_weight=None,
):
    """Compare already-fitted models on labelled randomized data, without refitting.

    The second half of a ``PairedExperiment``, for models trained elsewhere (e.g. a
    saved model directory, as ``actionable evaluate`` does): the models score the
    same rows, which must come from a randomized experiment the models did not train
    on. The uplift model's best profit is compared with that of the strongest naive
    model (the one with the highest best profit), with a paired interval.

    Parameters
    ----------
    outcome_model : fitted estimator
        The naive contender: the model a churn (or response) team would deploy,
        usually trained on the customers nobody contacted
        (``OutcomeClassifier(train_on="control")``). Its ``predict_risk(X)`` is the
        targeting score; otherwise ``predict_proba(X)``: column 0 (P(y=0)) in the
        churn framing, column 1 in the response framing.
    uplift_model : fitted estimator
        Any object with ``predict(X)`` returning one uplift per row (actionable's
        learners, or scikit-uplift-style models).
    X : {array-like, pandas.DataFrame} of shape (n_samples, n_features)
        Features of the evaluation rows.
    y : array-like of shape (n_samples,)
        Observed outcomes: 1 = favourable, or amounts (a continuous outcome such as
        revenue kept or spend: the naive models are then regressions of it, effects
        and Qini gains are in outcome units, no customer types are estimated, and the
        result's ``average_effect`` is the difference in means with its interval).
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control (randomized).
    cost_model : CostModel
        The economics (value per success or per unit of outcome, costs, capacity,
        budget).
    baseline_models : dict, default=None
        Other naive models reported beside the contender, keyed by the rows they were
        trained on: ``"all"`` (treated and control pooled, the treatment ignored),
        ``"treated"`` (the contacted customers: a campaign's response model) or
        ``"control"``. They become the policies ``"outcome_pooled"``,
        ``"outcome_treated"`` and ``"outcome_control"``.
    y0, y1 : array-like of shape (n_samples,), default=None
        Potential outcomes, when known (synthetic data): profits and customer types (for
        a binary outcome) are then exact and an oracle policy is added.
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
    n_train_treated : int, default=None
        How many of them were treated, to report how many rows each naive model
        learned from.
    world : dict, default=None
        Parameters of the synthetic world the rows come from (reported only).
    costs_note : str, default=None
        Where the costs come from, shown next to them in reports (e.g. "illustrative").
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
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights. For rows of a targeted campaign whose contact probabilities are
        known, the inverse propensity weights of
        ``actionable.production.balancing_weights``: every metric, profit curve and
        interval is then computed on the weighted rows (rescaled to sum to the number
        of rows, so that sizes stay in customers), which stand for a randomized
        experiment (the cost-aware churn model, sized by EMPC, is left out: EMPC needs
        an unweighted random sample of the control rows).

    Returns
    -------
    PairedResult
        Every policy (the naive models, a cost-aware churn model in the churn framing,
        the uplift model, random, and an oracle with ground truth) measured on these
        rows, and the uplift model's advantage over the strongest naive model.

    See Also
    --------
    PairedExperiment : Splits, fits the models, then calls this function.

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.economics import CostModel
    >>> from actionable.models import OutcomeClassifier, TLearner
    >>> train, test = make_churn(3000, random_state=0), make_churn(2000, random_state=1)
    >>> churn = OutcomeClassifier(train_on="control", random_state=0, n_jobs=1)
    >>> churn = churn.fit(train.X, train.y, train.treatment)
    >>> uplift = TLearner(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    >>> result = evaluate_paired(churn, uplift, test.X, test.y, test.treatment,
    ...                          cost_model=CostModel.from_dict(test.costs),
    ...                          y0=test.y0, y1=test.y1, n_bootstraps=50, random_state=0)
    >>> result.outcome.trained_on
    'control'
    >>> result.advantage.estimate == (result.uplift.profit_best.estimate
    ...                               - result.outcome.profit_best.estimate)
    True
    """
    framing = check_framing(framing)
    check_costs_and_baselines(cost_model, baseline_models)
    rows = checked_rows(
        X, y, treatment, y0=y0, y1=y1, true_effect=true_effect, sample_weight=sample_weight
    )
    check_costs_for_outcome(cost_model, rows.y, rows.continuous)
    # warned here, not in a step: its stacklevel names the line that called evaluate_paired
    small = small_arms_note(rows.treatment, "this evaluation")
    provenance = _Provenance(
        dataset=dataset,
        description=description,
        outcome_name=outcome_name,
        treatment_name=treatment_name,
        n_train=n_train,
        n_train_treated=n_train_treated,
        world=world,
        costs_note=costs_note,
        notes=([small] if small else []) + list(notes or []),
    )
    ctx = Context(
        y=rows.y,
        treatment=rows.treatment,
        y0=rows.y0,
        y1=rows.y1,
        cost_model=cost_model,
        framing=framing,
        confidence_level=confidence_level,
        n_bootstraps=n_bootstraps,
        seed=int(np.random.default_rng(random_state).integers(2**31 - 1)),
        weight=rows.sample_weight,
        continuous=rows.continuous,
    )
    measured = _measure(
        outcome_model,
        uplift_model,
        baseline_models,
        X,
        ctx,
        provenance,
        true_effect=rows.true_effect,
        k=k,
        progress=progress,
    )
    return _paired_result(measured, ctx, provenance, uplift_model)


def _measure(
    outcome_model, uplift_model, baseline_models, X, ctx, provenance, *, true_effect, k, progress
):
    """Score the rows with every model; measure the policies, the targeted group, the drivers."""
    n_naive = 1 + len(baseline_models or {})
    bar = Progress(n_naive + (7 if ctx.has_truth else 6), progress, "evaluating")
    try:
        bar.step("scoring")
        naive_steps = _naive_steps(
            outcome_model,
            baseline_models,
            X,
            ctx.framing,
            _outcome_words(provenance) if ctx.continuous else None,
            provenance.n_train,
            provenance.n_train_treated,
        )
        uplift = uplift_scores(uplift_model, X)
        policies, k, n_contacted, advantage, advantage_over = _evaluate(
            naive_steps,
            uplift,
            ctx,
            true_effect=true_effect,
            k=k,
            uplift_learner=describe(uplift_model),
            progress=bar,
        )
        bar.step("describing whom the uplift model contacts")
        group = targeted_group(X, policies["uplift"], n_contacted, ctx)
        bar.done()
        bar.step("global drivers of the predicted uplift")
        drivers, drivers_note = global_drivers(uplift_model, X, ctx.seed)
        bar.done()
    finally:
        bar.close()
    if provenance.n_train:
        policies["uplift"] = replace(policies["uplift"], n_trained=int(provenance.n_train))
    return _Measured(
        policies, k, n_contacted, advantage, advantage_over, group, drivers, drivers_note
    )


def _paired_result(measured, ctx, provenance, uplift_model):
    """The ``PairedResult`` of the measured policies, with the method notes."""
    notes = method_notes(
        measured.policies,
        has_truth=ctx.has_truth,
        uplift_model=uplift_model,
        confidence_level=ctx.confidence_level,
        n_bootstraps=ctx.n_bootstraps,
        cost_model=ctx.cost_model,
        outcome_name=_outcome_words(provenance) if ctx.continuous else None,
        framing=ctx.framing,
        nonzero_share=float(np.mean(ctx.y != 0.0)) if ctx.continuous else None,
    )
    return PairedResult(
        dataset=provenance.dataset,
        description=provenance.description,
        framing=ctx.framing,
        outcome_name=provenance.outcome_name,
        treatment_name=provenance.treatment_name,
        n_train=int(provenance.n_train),
        n_test=int(ctx.n),
        cost_model=ctx.cost_model,
        k=float(measured.k),
        n_contacted=measured.n_contacted,
        policies=measured.policies,
        has_truth=ctx.has_truth,
        confidence_level=float(ctx.confidence_level),
        n_bootstraps=int(ctx.n_bootstraps),
        y_test=ctx.y,
        treatment_test=ctx.treatment,
        y0_test=ctx.y0,
        y1_test=ctx.y1,
        notes=list(provenance.notes) + notes + [measured.drivers_note],
        advantage=measured.advantage,
        advantage_over=measured.advantage_over,
        world=None if provenance.world is None else dict(provenance.world),
        costs_note=provenance.costs_note,
        weighted=ctx.weight is not None,
        targeted_group=measured.group,
        drivers=measured.drivers,
        outcome_type="continuous" if ctx.continuous else "binary",
        average_effect=average_effect(ctx) if ctx.continuous else None,
        outcome_event=_event_words(ctx, provenance),
    )


def _outcome_words(provenance):
    """The outcome's name in words: ``revenue_kept`` -> ``revenue kept``."""
    return provenance.outcome_name.replace("_", " ")


def _event_words(ctx, provenance):
    """The event of the outcome AUC in words, for a continuous outcome (else None)."""
    if not ctx.continuous:
        return None
    words = outcome_event(ctx.y, ctx.framing)[1]
    return words.replace("outcome", _outcome_words(provenance))
