"""The checked inputs of ``evaluate_paired``: costs, baseline models and the held-out rows."""

from dataclasses import dataclass

import numpy as np

from actionable.paired._policies import check_outcome

MSG_BASELINES = (
    "baseline_models must be a dict of train_on ('all', 'treated' or 'control') -> fitted "
    "model; got {value!r}."
)


@dataclass(frozen=True)
class CheckedRows:
    """The held-out rows as float arrays, and whether the outcome is continuous."""

    y: np.ndarray
    treatment: np.ndarray
    y0: np.ndarray | None
    y1: np.ndarray | None
    true_effect: np.ndarray | None
    sample_weight: np.ndarray | None
    continuous: bool


def check_costs_and_baselines(cost_model, baseline_models):
    """Refuse a cost model that is not a ``CostModel`` and baseline models not in a dict."""
    from actionable.economics import CostModel

    if not isinstance(cost_model, CostModel):
        raise ValueError(f"cost_model must be a CostModel; got {type(cost_model).__name__}.")
    if baseline_models is not None and not isinstance(baseline_models, dict):
        raise ValueError(MSG_BASELINES.format(value=baseline_models))


def check_costs_for_outcome(cost_model, y, continuous):
    """Refuse to value a continuous outcome per success: it has units, not successes."""
    from actionable._validation import first_non_binary

    if not continuous or getattr(cost_model, "per_unit", True):
        return
    found = first_non_binary(y)
    where = "" if found is None else f" (y is {found[1]} at position {found[0]})"
    raise ValueError(
        f"The outcome is continuous{where}: value its units with "
        "CostModel(value_per_unit=...), not value_per_success (a continuous outcome has no "
        "successes to count)."
    )


def _check_potential_outcomes(y0, y1, continuous):
    """``(y0, y1, continuous)``: both or neither, finite; continuous if any of them is."""
    if (y0 is None) != (y1 is None):
        raise ValueError("y0 and y1 must be given together (both potential outcomes).")
    if y0 is None:
        return None, None, continuous
    y0, continuous_y0 = check_outcome(y0, "y0")
    y1, continuous_y1 = check_outcome(y1, "y1")
    return y0, y1, continuous or continuous_y0 or continuous_y1


def checked_rows(X, y, treatment, *, y0, y1, true_effect, sample_weight):
    """The rows of ``evaluate_paired``, checked, as a :class:`CheckedRows`.

    The outcome is binary (0/1) or continuous (any finite amounts: revenue, spend;
    zeros and negative values allowed). The weights are rescaled to sum to the number
    of rows, so that sizes stay in rows.
    """
    from actionable._validation import (
        check_binary_treatment,
        check_consistent_length,
        rows_scaled_weights,
    )

    check_consistent_length(X=X, y=y, treatment=treatment, y0=y0, y1=y1, true_effect=true_effect)
    y, continuous = check_outcome(y)
    treatment = check_binary_treatment(treatment)
    y0, y1, continuous = _check_potential_outcomes(y0, y1, continuous)
    if true_effect is not None:
        true_effect = np.asarray(true_effect, dtype=np.float64)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        check_consistent_length(X=X, sample_weight=sample_weight)
        if not (np.isfinite(sample_weight).all() and (sample_weight > 0).all()):
            raise ValueError("sample_weight must be finite and positive on every row.")
        sample_weight = rows_scaled_weights(sample_weight, sample_weight.size)
    return CheckedRows(y, treatment, y0, y1, true_effect, sample_weight, continuous)
