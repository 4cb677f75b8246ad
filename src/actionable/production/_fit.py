"""Fit a deployable model from a table, its column roles, a decision card and its costs.

Model choice and targeting rule are made out of sample by **cross-fitting**: the rows
are split into ``N_FOLDS`` folds stratified on treatment x outcome; each learner is
fitted on four folds and predicts the fifth, so every row gets a prediction from a
model that never saw it. With several candidate learners and costs, the one whose
targeting rule earns the most that the data vouches for on rows neither it nor its rule
saw (the highest lower bound of its profit's interval, ``_selection``) is kept;
without costs, the one with the best mean Qini coefficient over the folds. With costs,
the expected profit of each row is computed from its held-out prediction, and the
threshold on expected profit that maximizes the profit measured on the randomized
outcomes becomes the rule (:func:`choose_targeting_rule`). The chosen learner is then
refitted on all rows, next to the naive model a churn team deploys (an
``OutcomeClassifier`` trained on the customers nobody contacted), for ``evaluate``'s
paired report.

A **continuous outcome** (spend, revenue: see :meth:`ColumnRoles.with_outcome_type`)
goes the same way in its own units: the learners fit regressors, the folds are
stratified on the treatment x the outcome above its median, the uplift and the Qini are
in outcome units, the money uses the card's ``value_per_unit``, and the naive model is
an ``OutcomeRegressor`` (the predicted outcome without contact).
"""

import dataclasses

import numpy as np

from actionable._validation import first_non_binary
from actionable.decision import DecisionCard
from actionable.models import DEFAULT_LEARNER, LEARNERS, make_learner
from actionable.paired import framing_of
from actionable.production._drift import DriftReference
from actionable.production._fingerprints import training_fingerprints
from actionable.production._progress import Progress
from actionable.production._propensity import read_propensity
from actionable.production._randomization import assess_assignment
from actionable.production._rule import TargetingRule, choose_targeting_rule, needs_p_treated
from actionable.production._schema import FeatureSchema, check_finite
from actionable.production._selection import select_by_profit

N_FOLDS = 5
MIN_ROWS_PER_GROUP = 20
"""Cross-fitting needs at least this many rows of each treatment x outcome group."""
PROPENSITY_LEARNERS = ("x", "dr")
"""Learners that use the propensity: on a targeted campaign they estimate it from the features."""
_GROUPS = {
    (1, 1): "treated, favourable",
    (1, 0): "treated, unfavourable",
    (0, 1): "control, favourable",
    (0, 0): "control, unfavourable",
}


def _check_enough_rows(y, treatment, continuous=False):
    groups = _GROUPS
    if continuous:  # no favourable outcome: the arms only
        groups = {(1, None): "treated", (0, None): "control"}
    kind = "arm" if continuous else "treatment x outcome group"
    for (arm, outcome), words in groups.items():
        in_group = (treatment == arm) & (True if outcome is None else y == outcome)
        count = int(np.sum(in_group))
        if count < MIN_ROWS_PER_GROUP:
            raise ValueError(
                f"too few rows to fit: cross-fitting over {N_FOLDS} folds needs at least "
                f"{MIN_ROWS_PER_GROUP} rows of each {kind}; the group "
                f"'{words}' has {count}: at least {MIN_ROWS_PER_GROUP - count} more are needed."
            )


def prepare_training(frame, roles, card):
    """Check a training table against its roles and card; return what fitting needs.

    Returns ``(X, y, treatment, schema, card, roles)``, the card completed with the
    actions and the outcome read from the data, the roles with the outcome type decided
    (:meth:`ColumnRoles.with_outcome_type`): ``y`` is then 0/1 flags (binary) or the
    outcome's values (continuous).
    """
    roles.check_columns(frame, training=True)
    card = DecisionCard() if card is None else card
    roles = roles.with_outcome_type(
        frame, value_per_unit=card.value_per_unit, value_per_success=card.value_per_success,
        incentive_paid=card.incentive_paid,
    )  # fmt: skip
    treatment = roles.treatment_flags(frame)
    y = roles.outcomes(frame)
    if y.min() == y.max():
        every = f"{y[0]:g}" if roles.is_continuous else "favourable" if y[0] else "unfavourable"
        raise ValueError(
            f"outcome column {roles.outcome!r} has a single value: every row is "
            f"{every}; nothing can be learned."
        )
    _check_enough_rows(y, treatment, continuous=roles.is_continuous)
    card.check_names(frame.columns)
    features = roles.feature_names(frame)
    check_finite(frame, features)
    roles.check_features_are_not_identifiers(frame, features)
    card.validate(features=features, require_costs=card.asks_for_profit)
    control_values = frame.loc[treatment == 0, roles.treatment]
    control = str(control_values.iloc[0]) if len(control_values) else "?"
    outcome = (
        f"{roles.outcome} (continuous, in its own units)"
        if roles.is_continuous
        else f"{roles.outcome} = {roles.favorable or 1}"
    )
    card = card.updated(
        outcome=card.outcome or outcome,
        treated_action=card.treated_action or f"{roles.treatment} = {roles.treated}",
        control_action=card.control_action or f"{roles.treatment} = {control}",
    )
    schema = FeatureSchema.from_frame(frame[features])
    return schema.transform(frame), y, treatment, schema, card, roles


def _make_learner(code, seed, targeted):
    """A fresh learner; on a targeted campaign the X- and DR-learners estimate the propensity."""
    from actionable.models import OutcomeClassifier

    learner = make_learner(code, seed)
    if targeted and code in PROPENSITY_LEARNERS:
        learner.set_params(propensity=OutcomeClassifier(framing="response", random_state=seed))
    return learner


def _strata(y, treatment):
    """Fold strata and their description: treatment x outcome, or x above the median.

    A continuous outcome is split at its median (at zero for a zero-heavy one) when each
    of the four groups then has a row for every fold, else stratified on the arm alone.
    """
    if first_non_binary(y) is None:
        return (2 * treatment + y).astype(int), "treatment x outcome"
    strata = (2 * treatment + (y > np.median(y))).astype(int)
    if np.bincount(strata, minlength=4).min() < N_FOLDS:
        return treatment.astype(int), "treatment"
    return strata, "treatment x (outcome above its median)"


def _cross_fit(code, X, y, treatment, *, seed, with_outcomes, count, weight=None):
    """Out-of-fold uplift (and P(y=1 | treated)) of ``code``, Qini per fold, each row's fold."""
    from sklearn.model_selection import StratifiedKFold

    from actionable.metrics import qini_auc_score

    strata = _strata(y, treatment)[0]
    folds = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=seed)
    uplift = np.empty(y.size)
    p_treated = np.full(y.size, np.nan)
    fold_of = np.empty(y.size, dtype=np.int64)
    qini = []
    for fold, (train, test) in enumerate(folds.split(X, strata)):
        fold_of[test] = fold
        learner = _make_learner(code, seed + fold, targeted=weight is not None)
        learner.fit(X.iloc[train], y[train], treatment[train])
        uplift[test] = learner.predict(X.iloc[test])
        if with_outcomes:
            p_treated[test] = learner.predict_outcomes(X.iloc[test])[:, 1]
        fold_weight = None if weight is None else weight[test]
        qini.append(
            float(qini_auc_score(y[test], uplift[test], treatment[test], sample_weight=fold_weight))
        )
        count(1)
    return uplift, p_treated, qini, fold_of


def _candidates(learner, with_outcomes, targeted=False, continuous=False):
    if learner == "auto":
        return [
            c for c in LEARNERS if not ((with_outcomes or targeted or continuous) and c == "ct")
        ]
    if continuous and learner == "ct":
        raise ValueError(
            "the class transformation (learner 'ct') needs a binary outcome; on a continuous "
            "outcome use 's', 't', 'x', 'dr' or 'auto'."
        )
    if learner not in LEARNERS:
        raise ValueError(f"learner must be 'auto' or one of {sorted(LEARNERS)}; got {learner!r}.")
    if targeted and learner == "ct":
        raise ValueError(
            "the class transformation (learner 'ct') assumes a randomized assignment; on a "
            "targeted campaign use 's', 't', 'x', 'dr' or 'auto'."
        )
    if with_outcomes and learner == "ct":
        raise ValueError(
            "the class transformation (learner 'ct') cannot predict P(y=1 | treated), which "
            "an incentive paid on success needs; use 's', 't', 'x', 'dr' or 'auto'."
        )
    return [learner]


def _choose_rule(card, y, treatment, uplift, p_treated, seed, weight=None):
    if not card.has_costs:
        rule = TargetingRule(
            threshold=0.0,
            capacity=card.capacity,
            chosen_by="predicted uplift > 0 (no costs given, so no profit threshold)",
        )
        return rule, None
    cost_model = card.cost_model()
    return choose_targeting_rule(
        y,
        uplift,
        treatment,
        cost_model=cost_model,
        p_treated=p_treated if needs_p_treated(cost_model) else None,
        capacity=card.capacity,
        random_state=seed,
        sample_weight=weight,
    )


def _choose_learner(candidates, X, y, treatment, card, *, seed, with_outcomes, weight, progress):
    """Cross-fit every candidate and keep one: ``(chosen, cross_fitted, scores, by_profit)``.

    With costs and several candidates, the one whose targeting rule earns the most out
    of sample (``select_by_profit``, whose figures are ``by_profit``); otherwise the
    best mean Qini over the folds (``scores``, per learner and fold).
    """
    cross_fitted = {}
    with progress.counting(
        "cross-fitting", total=len(candidates) * N_FOLDS, unit="folds"
    ) as count:  # fmt: skip
        for code in candidates:
            cross_fitted[code] = _cross_fit(
                code, X, y, treatment, seed=seed, with_outcomes=with_outcomes, count=count,
                weight=weight,
            )  # fmt: skip
    scores = {code: result[2] for code, result in cross_fitted.items()}
    chosen = max(scores, key=lambda code: np.mean(scores[code]))
    by_profit = None
    if card.has_costs and len(candidates) > 1:
        folds = next(iter(cross_fitted.values()))[3]  # the same folds for every candidate
        chosen, by_profit = select_by_profit(
            y, treatment, folds, cross_fitted, card.cost_model(), random_state=seed,
            sample_weight=weight,
        )  # fmt: skip
    return chosen, cross_fitted, scores, by_profit


def _outcome_model(roles, y, framing, seed):
    """The naive model (unfitted) and its framing: what a churn or response team deploys.

    A classifier of the favourable outcome for a binary outcome; for a continuous one,
    a regressor of the outcome (``OutcomeRegressor``). Framed by :func:`framing_of`
    unless given: ``"churn"`` when most outcomes are favourable (non-zero, for a
    continuous outcome such as revenue kept), else ``"response"``.
    """
    from actionable.models import OutcomeClassifier, OutcomeRegressor

    framing = framing or framing_of(y)
    model = OutcomeRegressor if roles.is_continuous else OutcomeClassifier
    return model(train_on="control", framing=framing, random_state=seed), framing


def _training_document(
    frame, y, treatment, learner, scores, framing, seed, source, card_path, by_profit, assignment,
    outcome_type="binary",
):  # fmt: skip
    check, weights, average = assignment
    w = np.ones(y.size) if weights is None else weights.weights
    treated = treatment == 1
    n_treated, n_control = (float(v.sum() ** 2 / np.sum(v**2)) for v in (w[treated], w[~treated]))
    rate_treated = float(np.average(y[treated], weights=w[treated]))
    rate_control = float(np.average(y[~treated], weights=w[~treated]))
    if outcome_type == "continuous":  # the arms' weighted variances (Welch)
        variance_treated, variance_control = (
            float(np.average((y[rows] - mean) ** 2, weights=w[rows]))
            for rows, mean in ((treated, rate_treated), (~treated, rate_control))
        )
    else:
        variance_treated = rate_treated * (1 - rate_treated)
        variance_control = rate_control * (1 - rate_control)
    return {
        "data": {
            "file": source,
            "n_rows": int(len(frame)),
            "treated_share": float(treatment.mean()),
            "outcome_rate": float(y.mean()),
            "outcome_rate_treated": rate_treated,
            "outcome_rate_control": rate_control,
            "uplift": rate_treated - rate_control,
            "uplift_se": float(
                np.sqrt(variance_treated / n_treated + variance_control / n_control)
            ),
        },
        "outcome_type": outcome_type,
        "learner": learner,
        "learner_class": LEARNERS[learner][0],
        "framing": framing,
        "outcome_model_trained_on": "control",
        "selection": (
            "given"
            if len(scores) == 1
            else "mean Qini coefficient over held-out folds"
            if by_profit is None
            else "cross-fitted profit of each learner's targeting rule"
        ),
        "selection_by_profit": by_profit,
        "cross_validation": {
            "n_folds": N_FOLDS,
            "stratified_on": _strata(y, treatment)[1],
            "seed": seed,
            "qini_by_learner": {
                code: {"mean": float(np.mean(q)), "sd": float(np.std(q, ddof=1)), "folds": q}
                for code, q in scores.items()
            },
        },
        "card_file": card_path,
        "assignment": {
            "check": check.to_dict(),
            "weights": None if weights is None else weights.to_dict(),
            "average_uplift": average,
        },
    }


def fit_model(
    frame,
    roles,
    *,
    card=None,
    learner=DEFAULT_LEARNER,
    framing=None,
    random_state=0,
    progress=False,
    source=None,
    card_path=None,
    propensity=None,
    assume_recorded_selection=False,
):
    """Fit a deployable model on a randomized experiment: learner, targeting rule, references.

    The data is first checked to be a randomized experiment
    (:func:`randomization_check`): when the features predict who was treated, the fit
    stops with the check's figures, unless the campaign's contact probabilities are
    given (``propensity``) or the choice is assumed to depend on recorded features only
    (``assume_recorded_selection``). Either way the rows are then weighted by the
    inverse of their propensity (:func:`balancing_weights`) wherever the fit measures
    something (the Qini and profit of each fold, the learner's and the rule's choice),
    the X- and DR-learners estimate the propensity from the features instead of taking
    the treated share, and the class transformation, which needs a randomized
    assignment, is not used.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer of a randomized experiment: the features, the treatment
        and outcome columns, and optionally an identifier.
    roles : ColumnRoles
        Which columns are the treatment, the outcome, the identifier, and which to
        leave out.
    card : DecisionCard, default=None
        The decision the model serves, with its costs and capacity. With costs, the
        targeting rule maximizes profit; without, it contacts positive uplift.
    learner : str, default="t"
        A key of ``LEARNERS`` (``"s"``, ``"t"``, ``"x"``, ``"dr"``, ``"ct"``), or
        ``"auto"`` to choose among them: with costs, by the cross-fitted profit of the
        targeting rule each would deploy (the highest lower bound of its interval; see
        ``actionable.production._selection``), without
        costs by the best mean cross-validated Qini.
    framing : {"churn", "response"}, default=None
        The naive model's score; ``None`` chooses by the outcome (:func:`framing_of`).
    random_state : int, default=0
        Seeds the folds, the learners and the bootstrap.
    progress : bool or Progress, default=False
        Report the cross-fitting and the refit (``True``: on stderr).
    source : str, default=None
        Name of the data (e.g. its file), recorded in the training document.
    card_path : str, default=None
        Where the card was read from, recorded in the training document.
    propensity : str, default=None
        Column of ``frame`` holding each row's logged probability of being treated
        (never a feature).
    assume_recorded_selection : bool, default=False
        On a non-random assignment without logged propensities, weight by propensities
        estimated from the features (cross-fitted, clipped to [0.05, 0.95]) instead of
        stopping. Right only if whoever chose the treated customers saw nothing the
        features do not record.

    Returns
    -------
    SavedModel
        Not yet on disk: ``save(directory)`` writes it.

    Raises
    ------
    ValueError
        One line for bad input: a role column missing or malformed, a feature that
        looks like an identifier, a card naming columns the data lacks or a feature
        known only after the decision, an infinite value, too few rows.
    NotRandomizedError
        When the treatment was not assigned at random and nothing corrects for it.

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> from actionable.production import ColumnRoles, fit_model
    >>> data = make_churn(2000, random_state=0)
    >>> frame = data.X.assign(offer=data.treatment, retained=data.y)
    >>> model = fit_model(frame, ColumnRoles("offer", "1", "retained"), learner="t")
    >>> model.learner_name, model.rule.has_costs
    ('t', False)
    """
    from actionable.production._model import SavedModel

    progress = progress if isinstance(progress, Progress) else Progress(enabled=bool(progress))
    logged = None if propensity is None else read_propensity(frame, propensity)
    if propensity is not None and propensity not in roles.non_features:
        roles = dataclasses.replace(roles, drop=(*roles.drop, propensity))
    X, y, treatment, schema, card, roles = prepare_training(frame, roles, card)
    seed = int(random_state)
    progress.step("checking that the treatment was assigned at random")
    check, weights, average = assess_assignment(
        X, y, treatment, logged=logged, name=source or "DATA", random_state=seed,
        assume_recorded_selection=assume_recorded_selection,
    )  # fmt: skip
    weight = None if weights is None else weights.weights
    with_outcomes = card.has_costs and needs_p_treated(card.cost_model())
    candidates = _candidates(
        learner, with_outcomes, targeted=weight is not None, continuous=roles.is_continuous
    )
    chosen, cross_fitted, scores, by_profit = _choose_learner(
        candidates, X, y, treatment, card, seed=seed, with_outcomes=with_outcomes,
        weight=weight, progress=progress,
    )  # fmt: skip
    rule, selection = _choose_rule(
        card, y, treatment, *cross_fitted[chosen][:2], seed, weight=weight
    )
    progress.step(f"refitting the {LEARNERS[chosen][1]} on all {len(y):,} rows")
    uplift_model = _make_learner(chosen, seed, targeted=weight is not None).fit(X, y, treatment)
    outcome_model, framing = _outcome_model(roles, y, framing, seed)
    outcome_model.fit(X, y, treatment)
    uplift = uplift_model.predict(X)
    p_treated = uplift_model.predict_outcomes(X)[:, 1] if rule.needs_p_treated else None
    ids = None if roles.id_column is None else frame[roles.id_column].to_numpy()
    training = _training_document(
        frame, y, treatment, chosen, scores, framing, seed, source, card_path, by_profit,
        (check, weights, average), outcome_type=roles.outcome_type,
    )  # fmt: skip
    return SavedModel(
        path=None,
        roles=roles,
        schema=schema,
        rule=rule,
        card=card,
        uplift_model=uplift_model,
        outcome_model=outcome_model,
        documents={
            "training": training,
            "rule": {"rule": rule.to_dict(), "selection": selection},
            "drift_reference": DriftReference.from_frame(
                X, score=rule.score(uplift, p_treated), uplift=uplift
            ).to_dict(),
        },
        fingerprints=training_fingerprints(X, y, treatment, ids, seed),
    )
