"""``summary.json``: the machine-readable headline numbers of a paired report.

The schema (docs/summary-json.md) is the contract (``dataset``, ``n_train``, ``n_test``, ``costs``,
``models.outcome``/``models.uplift`` with eight keys each, ``random.profit_best``, and
``oracle.profit_best`` where ground truth is known). Everything else is additive.
"""

import math
import numbers

from actionable import __version__
from actionable.paired import CUSTOMER_TYPES, training_rows
from actionable.report._measures import MEASURES

MODEL_KEYS = (
    "learner",
    "auc_outcome",
    "qini_auc",
    "uplift_auc",
    "uplift_at_30",
    "profit_best",
    "best_fraction",
    "profit_at_capacity",
)
"""The keys each model must have in ``summary.json`` (docs/summary-json.md)."""


def _number(value):
    """A finite float, or ``None`` (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _bounds(interval):
    if interval is None or interval.is_exact:
        return None
    return [_number(interval.low), _number(interval.high)]


def _estimate(interval):
    return None if interval is None else _number(interval.estimate)


def _value(value):
    """A measure's number: an interval's estimate, or the number itself."""
    return _estimate(value) if hasattr(value, "is_exact") else _number(value)


def _with_bounds(entry, key, value):
    """``entry[key]`` and, for an interval that is not exact, ``entry[key + "_ci"]``."""
    entry[key] = _value(value)
    if hasattr(value, "is_exact") and _bounds(value) is not None:
        entry[f"{key}_ci"] = _bounds(value)


def _customer_types(policy):
    return {kind: _number(policy.customer_types[kind].estimate) for kind in CUSTOMER_TYPES}


def _model_summary(policy, per_customer):
    entry = {"learner": policy.learner or policy.label}
    for measure in MEASURES:  # the measures of the models table, under their names
        _with_bounds(entry, measure.key, getattr(policy, measure.key))
    entry.update(
        {
            "label": policy.label,
            "profit_exact": bool(policy.profit_exact),
            "profit_best_per_1000": _number(1000.0 * policy.profit_best.estimate * per_customer),
            "trained_on": policy.trained_on,
            "n_trained": policy.n_trained,
            "trained_on_rows": training_rows(policy) if policy.trained_on else None,
        }
    )
    if policy.customer_types is not None:
        entry["customer_types"] = _customer_types(policy)
    if policy.promised_profit is not None:
        _with_bounds(entry, "promised_profit", policy.promised_profit)
        entry["promised_by"] = policy.promised_by
    if policy.realized_profit is not None:
        _with_bounds(entry, "realized_profit", policy.realized_profit)
    for key, value in policy.extra.items():
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            entry[key] = _number(value)
        elif hasattr(value, "is_exact"):
            _with_bounds(entry, key, value)
        elif isinstance(value, str):  # e.g. ranks_by: what a naive score ranks by
            entry[key] = value
    return entry


def _reference_summary(policy):
    entry = {
        "profit_best": _estimate(policy.profit_best),
        "best_fraction": _number(policy.best_fraction),
        "profit_at_capacity": _estimate(policy.profit_at_capacity),
        "profit_at_k": _estimate(policy.profit_at_k),
    }
    if _bounds(policy.profit_best) is not None:
        entry["profit_best_ci"] = _bounds(policy.profit_best)
    if policy.customer_types is not None:
        entry["customer_types"] = _customer_types(policy)
    return entry


def costs_dict(cost_model):
    """The cost model as a JSON-ready dict (``CostModel.to_dict()`` when available)."""
    raw = cost_model.to_dict() if hasattr(cost_model, "to_dict") else dict(vars(cost_model))
    return {
        key: (
            _number(value)
            if isinstance(value, numbers.Real) and not isinstance(value, bool)
            else value
        )
        for key, value in raw.items()
    }


def _comparison(result, base):
    advantage = result.advantage
    if advantage is None:
        return None
    scale = base / result.n_test
    return {
        "uplift_vs": result.advantage_over,
        "difference": _number(advantage.estimate),
        "difference_ci": _bounds(advantage),
        "difference_per_1000": _number(1000.0 * advantage.estimate / result.n_test),
        "difference_for_customer_base": _number(advantage.estimate * scale),
        "method": advantage.method,
        "meaning": (
            "best profit of the uplift model minus that of the strongest naive model (the "
            "one with the highest best profit), each at its own best size, on the n_test "
            "rows; the interval is a paired bootstrap"
        ),
    }


def _continuous_fields(result):
    """The optional fields of a continuous outcome (absent for a binary one)."""
    fields = {
        "outcome_type": "continuous",
        "outcome_name": result.outcome_name,
        "outcome_unit": (
            "uplift_at_30, uplift_auc, qini gains and average_effect are in units of the "
            "outcome; profits in the cost model's currency (value_per_unit per unit)"
        ),
        "outcome_event": result.outcome_event,
    }
    effect = result.average_effect
    if effect is not None:
        value = result.cost_model.outcome_value
        fields["average_effect"] = {
            "estimate": _number(effect.estimate),
            "ci": _bounds(effect),
            "money_per_customer": _number(effect.estimate * value),
            "money_per_customer_ci": (
                None
                if _bounds(effect) is None
                else [_number(effect.low * value), _number(effect.high * value)]
            ),
            "method": effect.method,
            "meaning": (
                "mean outcome of the treated held-out rows minus that of the control ones "
                "(outcome units), with a stratified bootstrap interval; money_per_customer "
                "is it times the value per unit, before contact and incentive costs"
            ),
        }
    return fields


def summary_dict(result, *, customer_base=None, landscape=None):
    """Build the ``summary.json`` content of a ``PairedResult``.

    Parameters
    ----------
    result : PairedResult
        A paired experiment's result.
    customer_base : int, default=None
        Customers the money is scaled to (``None``: training plus test rows).
    landscape : pandas.DataFrame, default=None
        A ``risk_uplift_sweep``, included as a list of worlds.

    Returns
    -------
    dict
        JSON-ready (no NaN: missing values are ``None``), valid for ``validate_summary``.
    """
    from actionable.report._verdict import money_scale

    base = money_scale(result, customer_base=customer_base).base
    per_customer = 1.0 / result.n_test if result.n_test else float("nan")
    models = {key: _model_summary(policy, per_customer) for key, policy in result.models.items()}
    summary = {
        "dataset": result.dataset,
        "n_train": int(result.n_train),
        "n_test": int(result.n_test),
        "costs": costs_dict(result.cost_model),
        "models": models,
        "random": _reference_summary(result.random),
    }
    if result.oracle is not None:
        summary["oracle"] = _reference_summary(result.oracle)
    summary.update(
        {
            "framing": result.framing,
            "k": _number(result.k),
            "n_contacted": int(result.n_contacted),
            "profit_exact": bool(result.has_truth),
            "profit_unit": (
                "total over the n_test test rows (held out from training), in the cost "
                "model's currency, relative to contacting no one; *_per_1000 per 1,000 of them"
            ),
            "confidence_level": _number(result.confidence_level),
            "n_bootstraps": int(result.n_bootstraps),
            "customer_base": base,
            "strongest_naive": result.strongest_naive.key,
            "comparison": _comparison(result, base),
            "actionable_version": __version__,
        }
    )
    group = getattr(result, "targeted_group", None)
    if group is not None:
        summary["targeted_group"] = group.to_dict()
    drivers = getattr(result, "drivers", None)
    if drivers is not None:
        scale = "outcome units" if result.continuous else "probability scale"
        summary["drivers"] = {
            "mean_abs_contribution": {str(k): _number(v) for k, v in drivers.items()},
            "meaning": (
                "mean absolute contribution of each feature to the uplift model's predicted "
                f"uplift ({scale}) over the n_test rows, largest first"
            ),
        }
    if result.continuous:
        summary.update(_continuous_fields(result))
    if result.world is not None:
        summary["world"] = result.world
    if result.costs_note:
        summary["costs_note"] = result.costs_note
    if landscape is not None:
        summary["landscape"] = [
            {key: (_number(v) if isinstance(v, numbers.Real) else v) for key, v in row.items()}
            for row in landscape.to_dict(orient="records")
        ]
    return summary


def _fail(path, problem):
    raise ValueError(f"summary.json: {path} {problem}")


def _check_float(value, path, *, nullable=False):
    if value is None and nullable:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _fail(path, f"must be a number; got {value!r}")
    if not math.isfinite(value):
        _fail(path, f"must be finite; got {value!r}")


def _check_count(value, path):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        _fail(path, f"must be a non-negative integer; got {value!r}")


def validate_summary(summary):
    """Check a ``summary.json`` dict against its schema (docs/summary-json.md).

    Parameters
    ----------
    summary : dict
        Parsed ``summary.json``.

    Raises
    ------
    ValueError
        Naming the first key that is missing or has the wrong type.

    Examples
    --------
    >>> validate_summary({"dataset": "x"})
    Traceback (most recent call last):
    ...
    ValueError: summary.json: n_train is missing
    """
    if not isinstance(summary, dict):
        raise ValueError(f"summary.json must be an object; got {type(summary).__name__}")
    for key in ("dataset", "n_train", "n_test", "costs", "models", "random"):
        if key not in summary:
            _fail(key, "is missing")
    if not isinstance(summary["dataset"], str):
        _fail("dataset", f"must be a string; got {summary['dataset']!r}")
    _check_count(summary["n_train"], "n_train")
    _check_count(summary["n_test"], "n_test")
    if not isinstance(summary["costs"], dict):
        _fail("costs", "must be an object")
    models = summary["models"]
    if not isinstance(models, dict):
        _fail("models", "must be an object")
    for name in ("outcome", "uplift"):
        if name not in models:
            _fail(f"models.{name}", "is missing")
    for name, entry in models.items():
        if not isinstance(entry, dict):
            _fail(f"models.{name}", "must be an object")
        for key in MODEL_KEYS:
            if key not in entry:
                _fail(f"models.{name}.{key}", "is missing")
        if not isinstance(entry["learner"], str):
            _fail(f"models.{name}.learner", f"must be a string; got {entry['learner']!r}")
        for key in MODEL_KEYS[1:-1]:
            _check_float(entry[key], f"models.{name}.{key}")
        _check_float(
            entry["profit_at_capacity"], f"models.{name}.profit_at_capacity", nullable=True
        )
    for name in ("random", "oracle"):
        if name == "oracle" and name not in summary:
            continue
        if not isinstance(summary[name], dict) or "profit_best" not in summary[name]:
            _fail(f"{name}.profit_best", "is missing")
        _check_float(summary[name]["profit_best"], f"{name}.profit_best")
    if "targeted_group" in summary:
        _check_group(summary["targeted_group"])


def _check_group(group):
    """The additive ``targeted_group`` key, when present: groups that add up to the rows."""
    if not isinstance(group, dict) or not isinstance(group.get("leaves"), list):
        _fail("targeted_group.leaves", "must be a list")
    _check_count(group.get("n_customers"), "targeted_group.n_customers")
    for i, leaf in enumerate(group["leaves"]):
        if not isinstance(leaf, dict) or not isinstance(leaf.get("rule"), str):
            _fail(f"targeted_group.leaves[{i}].rule", "must be a string")
        _check_count(leaf.get("n_customers"), f"targeted_group.leaves[{i}].n_customers")
        _check_float(leaf.get("share_contacted"), f"targeted_group.leaves[{i}].share_contacted")
    total = sum(leaf["n_customers"] for leaf in group["leaves"])
    if total != group["n_customers"]:
        _fail("targeted_group.leaves", f"count {total} rows, not n_customers")
