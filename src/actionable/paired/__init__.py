"""Paired experiments: the naive outcome model and an uplift model, on the same rows.

``PairedExperiment`` splits a randomized experiment once (stratified on treatment x
outcome), fits the naive ``OutcomeClassifier`` (trained, as a churn team trains it, on
the customers nobody contacted; variants on other rows beside it) and an uplift learner
on the same training rows, and scores the same held-out rows. ``evaluate_paired`` does
the second half alone, for models that are already fitted. Both return a
``PairedResult``: the outcome AUC, Qini and uplift AUCs, uplift at 30 %, profit curves
and best profits, and which kinds of customers (persuadables, sure things, lost causes,
sleeping dogs) each model would contact, and who the uplift model contacts in a few
rules over the features (``describe_targeted_group``). ``risk_uplift_sweep`` maps,
across simulated businesses, when targeting by churn risk earns as much as targeting
by uplift.
"""

from actionable.exceptions import UntrustedResultWarning
from actionable.paired._evaluate import evaluate_paired
from actionable.paired._experiment import PairedExperiment
from actionable.paired._group import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MIN_LEAF_SHARE,
    GroupDescription,
    GroupLeaf,
    describe_targeted_group,
)
from actionable.paired._landscape import (
    DEFAULT_RISK_ALIGNMENTS,
    DEFAULT_SWEEP_MIXES,
    locate_world,
    risk_uplift_sweep,
)
from actionable.paired._notes import MIN_ROWS_PER_ARM, small_arms_note
from actionable.paired._policies import framing_of
from actionable.paired._result import (
    CUSTOMER_TYPES,
    TRAINING_ROWS,
    Interval,
    PairedResult,
    PolicyEvaluation,
    training_rows,
)
from actionable.paired._statistics import (
    auc_interval,
    customer_types_of,
    estimate_customer_types,
)

__all__ = [
    "CUSTOMER_TYPES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MIN_LEAF_SHARE",
    "DEFAULT_RISK_ALIGNMENTS",
    "DEFAULT_SWEEP_MIXES",
    "GroupDescription",
    "GroupLeaf",
    "MIN_ROWS_PER_ARM",
    "TRAINING_ROWS",
    "Interval",
    "PairedExperiment",
    "PairedResult",
    "PolicyEvaluation",
    "UntrustedResultWarning",
    "auc_interval",
    "customer_types_of",
    "describe_targeted_group",
    "estimate_customer_types",
    "evaluate_paired",
    "framing_of",
    "locate_world",
    "risk_uplift_sweep",
    "small_arms_note",
    "training_rows",
]
