"""The method notes of a paired result: how every number was computed, in plain language."""

import warnings

import numpy as np

from actionable.exceptions import UntrustedResultWarning
from actionable.paired._result import training_rows

MIN_ROWS_PER_ARM = 50
"""Fewer treated or control rows than this: an evaluation's figures cannot be trusted."""


def small_arms_note(treatment, what):
    """Warn, and return a note, when an arm has fewer than ``MIN_ROWS_PER_ARM`` rows."""
    n_treated = int(np.sum(np.asarray(treatment) == 1))
    n_control = int(np.size(treatment) - n_treated)
    if min(n_treated, n_control) >= MIN_ROWS_PER_ARM:
        return None
    note = (
        f"Too few rows to trust: {what} rests on {n_treated:,} treated and {n_control:,} "
        f"control rows, fewer than {MIN_ROWS_PER_ARM} in an arm; its figures and intervals "
        "are unreliable."
    )
    warnings.warn(note, UntrustedResultWarning, stacklevel=3)
    return note


def _models_note(policies):
    parts = []
    for policy in policies.values():
        if not (policy.is_naive or policy.key == "uplift") or policy.learner is None:
            continue
        parts.append(f"{policy.label}: {policy.learner}, trained on {training_rows(policy)}")
    return (
        "Models (all trained on the same training rows, all scored on the same held-out "
        "rows). " + "; ".join(parts) + ". The naive models predict the outcome and ignore "
        "what the contact changes; the uplift model predicts how much the contact changes it."
    )


def _bound_note(uplift_model):
    share = getattr(uplift_model, "outside_bound_share_", None)
    if getattr(uplift_model, "effect_bound_", None) is None or share is None:
        return None
    return (
        f"Bounded uplift: the uplift of a yes/no outcome lies between -1 and 1, but the raw "
        f"estimates of {type(uplift_model).__name__} (a regression of noisy per-customer "
        f"effects) fell outside for {100 * share:.1f}% of its training rows. Its predictions "
        "beyond +-0.9 are compressed smoothly into that range, keeping their order, so every "
        "ranking and curve is unchanged."
    )


def _truth_notes(result_policies, cost_model, outcome_name=None):
    if outcome_name is None:
        exact = (
            "Profits and customer types are exact: this synthetic world records each held-out "
            "customer's outcome both with and without contact. Profit = value x (extra "
            "favourable outcomes) - contact costs - incentives, relative to contacting no one."
        )
    else:
        exact = (
            f"Profits are exact: this synthetic world records each held-out customer's "
            f"{outcome_name} both with and without contact. Profit = value per unit x (extra "
            f"{outcome_name}) - contact costs - incentives, relative to contacting no one."
        )
    notes = [
        exact,
        "Best profits are read off each exact curve on the held-out rows; for comparison, "
        "summary.json also gives each model's best profit as estimated from the randomized "
        "rows alone (profit_best_estimated), which is what real data would show.",
    ]
    oracle = result_policies.get("oracle")
    if oracle is None:
        return notes
    effect = (
        "(P(persuadable | x) - P(sleeping dog | x))"
        if outcome_name is None
        else f"(the expected change of {outcome_name} given x, in outcome units)"
    )
    text = (
        f"The oracle ranks customers by their true effect given the features {effect}: the "
        "best ranking by effect any model of these features can reach."
    )
    if cost_model.incentive_on_success and cost_model.incentive_cost > 0:
        text += (
            " It is not always the most profitable ranking: the incentive is paid only by "
            "customers who stay, so contacting a sure thing costs more than contacting a lost "
            "cause, and a ranking that avoids sure things can earn more."
        )
    foresight = oracle.extra.get("profit_best_foresight")
    if foresight is not None:
        text += (
            f" Perfect foresight of each individual's reaction would earn {foresight:,.0f} "
            "(in the cost model's currency), but no model can reach it: the features only "
            "give probabilities."
        )
    notes.append(text)
    return notes


_ESTIMATED_NOTES = [
    "Profits are estimated from the randomized held-out rows: for the top k by a score, "
    "the favourable rates of its treated and of its control rows estimate the outcome "
    "with and without contact (Radcliffe 2007); the difference times k is the number "
    "of extra favourable outcomes.",
    "Customer types are estimated: within each contacted group the treated and control "
    "favourable rates identify persuadables minus sleeping dogs; the smaller of the two "
    "is assumed to be empty.",
]


def _framing_note(outcome_name, framing, nonzero_share, policies):
    """Which way the naive models rank a continuous outcome, and why."""
    share = f"{100 * nonzero_share:.0f}%"
    if framing == "churn":
        ranks = {p.extra.get("ranks_by") for p in policies.values() if p.is_naive}
        text = (
            f"Framing: {share} of the test customers have some {outcome_name}, so the naive "
            "models are used as a retention team measured in money uses them: "
        )
        if "outcome at risk" in ranks:
            return text + (
                f"they rank by the {outcome_name} at risk, P(no {outcome_name} | x) x the "
                f"expected {outcome_name} when some is kept (a classifier of any "
                f"{outcome_name} times a regression of it on the customers who have some), "
                "the largest expected loss first. It is the strongest honest naive ranking: "
                f"ranking by the lowest predicted {outcome_name} would contact the smallest "
                "spenders, and the chance of leaving alone ignores what is lost."
            )
        return text + (
            f"the customers with the lowest predicted {outcome_name} if nothing is done come "
            f"first (the {outcome_name} at risk could not be modelled: it needs an outcome "
            "that is never negative, with both zeros and positive amounts, and the default "
            "models)."
        )
    return (
        f"Framing: only {share} of the test customers have some {outcome_name}, so the naive "
        "models are used as a campaign team uses them: the customers with the highest "
        f"predicted {outcome_name} come first."
    )


def _continuous_notes(outcome_name, has_truth):
    """What changes with a continuous outcome: estimated profits, no types, no EMPC."""
    notes = []
    if not has_truth:
        notes.append(
            "Profits are estimated from the randomized held-out rows: for the top k by a "
            f"score, the mean {outcome_name} of its treated and of its control rows estimate "
            f"the {outcome_name} with and without contact; the difference times k is the "
            f"extra {outcome_name}, worth the value per unit each."
        )
    notes.append(
        f"Customer types (persuadables, sure things, lost causes, sleeping dogs) are defined "
        f"only for a yes/no outcome; {outcome_name} is an amount, so each customer's effect "
        "is an amount too and no types are estimated. For the same reason the cost-aware "
        "churn model (sized by EMPC, which assumes a yes/no churn outcome) is left out."
    )
    notes.append(
        f"The naive models are regressions of {outcome_name}; their outcome AUC is that of "
        "their score for the event named in the models table (e.g. no "
        f"{outcome_name} at all). The average effect is the mean {outcome_name} of the "
        "contacted held-out customers minus that of the others, with a bootstrap interval "
        "(resampled within each arm)."
    )
    return notes


def method_notes(
    policies,
    *,
    has_truth,
    uplift_model,
    confidence_level,
    n_bootstraps,
    cost_model,
    outcome_name=None,
    framing="churn",
    nonzero_share=None,
):
    """The notes of a paired result, after any the caller gives.

    Parameters
    ----------
    policies : dict of str to PolicyEvaluation
        The evaluated policies.
    has_truth : bool
        Whether potential outcomes were known.
    uplift_model : estimator
        The fitted uplift model (for the note on bounded predictions).
    confidence_level : float
        Coverage of the intervals.
    n_bootstraps : int
        Bootstrap resamples per interval.
    cost_model : CostModel
        The economics.
    outcome_name : str, default=None
        The name of a continuous outcome; ``None`` for a binary one.
    framing : {"churn", "response"}, default="churn"
        How the naive models rank (said for a continuous outcome).
    nonzero_share : float, default=None
        Share of the rows with a non-zero continuous outcome (the framing's reason).

    Returns
    -------
    list of str
    """
    level = f"{100 * confidence_level:.0f}%"
    notes = [_models_note(policies)]
    if has_truth:
        notes += _truth_notes(policies, cost_model, outcome_name)
    elif outcome_name is None:
        notes += list(_ESTIMATED_NOTES)
    if outcome_name is not None:
        if nonzero_share is not None:
            notes.append(_framing_note(outcome_name, framing, nonzero_share, policies))
        notes += _continuous_notes(outcome_name, has_truth)
    bound = _bound_note(uplift_model)
    if bound:
        notes.append(bound)
    notes.append(
        f"Intervals: {level} percentile bootstrap with {n_bootstraps:,} resamples of the "
        "held-out rows (stratified by treatment for profits); DeLong's interval for the AUC of "
        "the outcome. The difference between the uplift model's best profit and the strongest "
        "naive model's uses the same resamples for both (a paired interval); with ground truth "
        "it says how much the difference would vary on another sample of as many customers."
    )
    notes.append(
        "Each policy's best profit is the highest point of its own curve on the held-out rows, "
        "so every policy is judged at its most favourable size (slightly optimistic, for all "
        "alike). The strongest naive model is the one with the highest best profit."
    )
    if cost_model.capacity is not None:
        notes.append(f"Capacity: at most {cost_model.capacity} contacts.")
    return notes
