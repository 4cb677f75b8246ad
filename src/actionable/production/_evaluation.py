"""What ``SavedModel.evaluate`` and ``SavedModel.monitor`` do, on labelled data."""

import dataclasses
from dataclasses import dataclass

from actionable._interval import Interval
from actionable.decision import DecisionCard
from actionable.models import LEARNERS
from actionable.paired import small_arms_note
from actionable.production._average_effect import average_effect, describe_average_uplift
from actionable.production._drift import DriftReference
from actionable.production._monitor import monitor_batch
from actionable.production._propensity import read_propensity
from actionable.production._randomization import assess_assignment, randomization_check
from actionable.production._rule import rule_profit


@dataclass
class Evaluation:
    """A saved model measured on labelled randomized data it did not train on.

    Attributes
    ----------
    result : PairedResult
        The paired comparison of the uplift model and the naive model.
    rule : dict
        The profit of the saved targeting rule's own contacts on these rows
        (``production.rule_profit``), with the rule.
    card : DecisionCard
        The model's decision card.
    overlap : float or None
        Share of these rows that were training rows (``None`` when the model has
        no fingerprints of its training rows).
    assignment : dict or None
        The randomization check of these rows and, on a targeted campaign, the
        weights that corrected it (``check`` and ``weights``).
    average_effect : Interval or None
        The average effect of the treatment on these rows: the difference of the
        arms' means (rates, for a binary outcome) with Welch's interval (Newcombe's
        for a binary outcome); on a targeted campaign, the weighted difference with a
        normal interval.
    """

    result: object
    rule: dict
    card: DecisionCard
    overlap: float | None = None
    assignment: dict | None = None
    average_effect: Interval | None = None


def _cost_model(model, notes):
    """The model's costs, or a value of 1 per success (per unit) without; with its capacity."""
    from actionable.economics import CostModel

    cost_model = model.cost_model
    if cost_model is None and model.roles.is_continuous:
        cost_model = CostModel(value_per_unit=1.0)
        notes.append(
            "The model was saved without costs: profit is counted in incremental units of "
            f"{model.roles.outcome} (value 1 per unit, no cost)."
        )
    elif cost_model is None:
        cost_model = CostModel(1.0)
        notes.append(
            "The model was saved without costs: profit is counted in incremental "
            "successes (value 1 per success, no cost)."
        )
    return cost_model.replace(capacity=model.card.capacity)


def evaluate_model(
    model, frame, *, name, max_training_overlap, n_bootstraps, progress, propensity,
    assume_recorded_selection,
):  # fmt: skip
    """:meth:`SavedModel.evaluate` (see there)."""
    from actionable.paired import evaluate_paired

    overlap = model.training_overlap(frame)
    if overlap is not None and overlap > max_training_overlap:
        raise ValueError(
            f"{name}: {overlap:.0%} of its rows are rows the model was trained on (more "
            f"than {max_training_overlap:.0%}): evaluating needs labelled rows the model "
            "has not seen."
        )
    X, y, treatment = model._labelled(frame)
    training = model.documents["training"]
    seed = training["cross_validation"]["seed"]
    check, weights, average = assess_assignment(
        X, y, treatment, logged=None if propensity is None else read_propensity(frame, propensity),
        name=name, random_state=seed, assume_recorded_selection=assume_recorded_selection,
    )  # fmt: skip
    weight = None if weights is None else weights.weights
    n_rows = training["data"]["n_rows"]
    notes = [
        f"Saved model{'' if model.path is None else ' ' + model.path.name}: "
        f"{LEARNERS[model.learner_name][1]} trained on {training['data']['n_rows']:,} rows"
        f"{'' if not training['data'].get('file') else ' of ' + training['data']['file']}; "
        "evaluated without refitting.",
        f"Randomization check: {check.verdict}",
    ]
    if weights is not None:
        notes.append(f"Every figure is computed with the {weights.describe()}.")
        notes.append(describe_average_uplift(average).capitalize() + ".")
    cost_model = _cost_model(model, notes)
    result = evaluate_paired(
        model.outcome_model,
        model.uplift_model,
        X,
        y,
        treatment,
        cost_model=cost_model,
        framing=training.get("framing", "churn"),
        dataset=name,
        description=model.card.decision,
        outcome_name=model.roles.outcome,
        treatment_name=model.roles.treatment,
        n_train=n_rows,
        n_train_treated=int(round(training["data"]["treated_share"] * n_rows)),
        n_bootstraps=n_bootstraps,
        random_state=seed,
        progress=bool(progress and progress.enabled),
        notes=notes,
        sample_weight=weight,
    )
    uplift, p_treated = model.predict(X)
    selected = model.rule.select(model.rule.score(uplift, p_treated)) == 1
    measured = rule_profit(
        y, treatment, selected, cost_model, n_bootstraps=n_bootstraps, random_state=seed,
        sample_weight=weight,
    )  # fmt: skip
    return Evaluation(
        result=result,
        rule={"rule": model.rule.to_dict(), **measured},
        card=model.card,
        overlap=overlap,
        assignment={
            "check": check.to_dict(),
            "weights": None if weights is None else weights.to_dict(),
            "average_uplift": average,
        },
        average_effect=average_effect(y, treatment, model.outcome_type, average),
    )


def monitor_model(model, frame, *, batch, progress):
    """:meth:`SavedModel.monitor` (see there), with the check that the holdout is random."""
    X, y, treatment = model._labelled(frame)
    small_arms_note(treatment, "this batch's monitoring")
    uplift, p_treated = model.predict(X, progress=progress)
    reference = DriftReference.from_dict(model.documents["drift_reference"])
    check = randomization_check(
        X, treatment, random_state=model.documents["training"]["cross_validation"]["seed"]
    )
    result = monitor_batch(
        y,
        treatment,
        uplift,
        features=X,
        reference=reference,
        score=model.rule.score(uplift, p_treated),
        threshold=model.rule.threshold,
        batch=batch,
        cost_model=model.cost_model,
        expected_uplift_se=model.documents["training"]["data"]["uplift_se"],
        outcome_type=model.outcome_type,
    )
    alerts = list(result.alerts)
    if not check.is_random:
        alerts.append(
            f"the holdout is not random: {check.verdict} The realized uplift compares "
            "groups that differ by more than chance: hold customers out at random."
        )
    return dataclasses.replace(result, alerts=alerts, randomization=check.to_dict())
