"""Helpers shared by the metric modules: input checks, curve arithmetic, areas, warnings.

Curve arithmetic works on the last axis, so the same code serves one curve and a
batch of bootstrap curves.
"""

import warnings

import numpy as np

from .._validation import MSG_NO_CONTROL, MSG_NO_TREATED, check_uplift_inputs
from ..exceptions import UndefinedUpliftMetricWarning


def targeting_score(estimator, X):
    """The score a fitted model ranks customers by, "target first" highest.

    A naive outcome model (one with ``predict_risk``, such as ``OutcomeClassifier``)
    ranks by its risk; any other model by ``predict(X)``, the predicted uplift. An
    outcome model's ``predict`` returns classes, which cannot rank anyone.
    """
    if hasattr(estimator, "predict_risk"):
        return np.asarray(estimator.predict_risk(X))
    return np.asarray(estimator.predict(X))


_STRATEGIES = ("overall", "by_group")
_MSG_STRATEGY = "strategy must be 'overall' or 'by_group'; got {value!r}."
_MSG_BOOL = "{name} must be True or False; got {value!r}."
_MSG_ONLY_ZERO_WEIGHT = " (every such row has sample_weight 0)"
MSG_UNDEFINED_AUC = (
    "The perfect {kind} curve encloses no area above the random curve (for example, all "
    "outcomes are equal), so the normalized area is undefined; returning NaN."
)
MSG_UNDEFINED_WITHOUT_NEGATIVE_EFFECT = (
    "The treated samples' outcome is below the control samples' overall, so a perfect Qini "
    "curve in which the intervention harms no one (negative_effect=False) lies below the "
    "random curve and the Qini coefficient is undefined; returning NaN. Use "
    "negative_effect=True."
)


def warn_undefined(message, stacklevel=3):
    """Emit an :class:`UndefinedUpliftMetricWarning`."""
    warnings.warn(message, UndefinedUpliftMetricWarning, stacklevel=stacklevel)


def check_inputs(y_true, uplift, treatment, sample_weight=None):
    """Validate inputs and drop rows whose weight is zero.

    Zero-weight rows carry no information; removing them makes integer weights
    exactly equivalent to repeating rows (a weight of 0 removes the row).
    """
    y_true, uplift, treatment, sample_weight = check_uplift_inputs(
        y_true, uplift, treatment, sample_weight
    )
    if sample_weight is not None:
        keep = sample_weight > 0
        if not keep.all():
            y_true, uplift, treatment, sample_weight = (
                y_true[keep],
                uplift[keep],
                treatment[keep],
                sample_weight[keep],
            )
            n_treated = int(np.count_nonzero(treatment))
            if n_treated == 0:
                raise ValueError(MSG_NO_TREATED + _MSG_ONLY_ZERO_WEIGHT)
            if n_treated == treatment.size:
                raise ValueError(MSG_NO_CONTROL + _MSG_ONLY_ZERO_WEIGHT)
    return y_true, uplift, treatment, sample_weight


def check_bool(value, name):
    """Return ``value`` as a bool, or raise ``TypeError`` (as scikit-uplift does)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(_MSG_BOOL.format(name=name, value=value))
    return bool(value)


def check_strategy(strategy):
    """Raise ``ValueError`` unless ``strategy`` is 'overall' or 'by_group'."""
    if not isinstance(strategy, str) or strategy not in _STRATEGIES:
        raise ValueError(_MSG_STRATEGY.format(value=strategy))
    return strategy


def safe_divide(numerator, denominator):
    """``numerator / denominator``, with 0 where the denominator is 0 (scikit-uplift's rule)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(numerator.shape, denominator.shape))
    return np.divide(numerator, denominator, out=out, where=denominator != 0)


def qini_gain(n_treated, n_control, y_treated, y_control):
    """Qini gain ``Y_t - Y_c * N_t / N_c`` (``0`` for the ratio while ``N_c`` is 0)."""
    gain = safe_divide(n_treated, n_control)
    if gain.shape != np.shape(y_treated) or gain.shape != np.shape(y_control):
        return y_treated - y_control * gain
    np.multiply(gain, y_control, out=gain)  # in place: no new array per step (long curves)
    return np.subtract(y_treated, gain, out=gain)


def uplift_gain(n, n_treated, n_control, y_treated, y_control):
    """Uplift gain ``(Y_t / N_t - Y_c / N_c) * N`` (a mean is 0 while its group is empty)."""
    return (safe_divide(y_treated, n_treated) - safe_divide(y_control, n_control)) * n


def gain_from_counts(counts, kind, *, origin=True):
    """Curve points ``(n_targeted, gain)`` from cumulative counts, starting at the origin.

    With ``origin=False`` the leading ``(0, 0)`` point is left out (it is implied).
    """
    if kind == "qini":
        gain = qini_gain(counts.n_treated, counts.n_control, counts.y_treated, counts.y_control)
    else:
        gain = uplift_gain(
            counts.n, counts.n_treated, counts.n_control, counts.y_treated, counts.y_control
        )
    if not origin:
        return counts.n, gain
    return with_origin(counts.n), with_origin(gain)


def with_origin(values):
    """Prepend 0 along the last axis."""
    values = np.asarray(values, dtype=np.float64)
    zeros = np.zeros((*values.shape[:-1], 1))
    return np.concatenate([zeros, values], axis=-1)


def area(x, y, *, from_origin=False, unit_steps=False):
    """Trapezoidal area under ``y(x)`` along the last axis.

    With ``from_origin=True`` the curve is taken to start at an implied ``(0, 0)``.
    ``unit_steps=True`` says that ``x`` is 1, 2, ..., n (one row per point, from the
    origin): the area is then the sum of ``y`` less half its last value.
    """
    if unit_steps and from_origin:
        return np.sum(y, axis=-1) - y[..., -1] / 2.0
    inner = np.sum(np.diff(x, axis=-1) * (y[..., 1:] + y[..., :-1]), axis=-1)
    if from_origin:
        inner = inner + x[..., 0] * y[..., 0]
    return inner / 2.0


def normalized_area(actual, perfect, *, actual_from_origin=False, unit_steps=False):
    """``(area(actual) - area(random)) / (area(perfect) - area(random))``.

    ``actual`` and ``perfect`` are ``(x, y)`` pairs; the random curve is the
    straight line from the origin to the perfect curve's last point. Returns the
    ratio (NaN where undefined) and a boolean mask of undefined entries.
    ``actual_from_origin`` says the actual curve leaves its ``(0, 0)`` implied;
    ``unit_steps``, that its ``x`` is 1, 2, ..., n (see :func:`area`).
    """
    actual_area = area(*actual, from_origin=actual_from_origin, unit_steps=unit_steps)
    return ratio_to_perfect(actual_area, perfect)


def ratio_to_perfect(actual_area, perfect):
    """:func:`normalized_area` from the actual curve's area and the perfect curve ``(x, y)``."""
    x_perfect, y_perfect = perfect
    return area_ratio(
        actual_area,
        area(x_perfect, y_perfect),
        x_perfect[..., -1],
        y_perfect[..., -1],
        np.max(np.abs(y_perfect), axis=-1),
    )


def area_ratio(actual_area, perfect_area, x_end, y_end, peak):
    """:func:`normalized_area` from the two areas, the curves' last point and the peak.

    ``peak`` is the largest absolute gain of the perfect curve: with ``x_end`` it sets
    the scale below which the perfect curve's margin over the random line counts as none.
    """
    actual_area, perfect_area, x_end, y_end, peak = (
        np.asarray(value, dtype=np.float64)
        for value in (actual_area, perfect_area, x_end, y_end, peak)
    )
    random_area = x_end * y_end / 2.0
    numerator = actual_area - random_area
    denominator = perfect_area - random_area
    scale = x_end * peak
    # A perfect curve at or below the random line (no outcome to gain, or, for the Qini
    # curve without negative effects, a negative total gain) leaves the score undefined:
    # dividing by a negative area would rank a better model lower.
    undefined = ~(denominator > 1e-12 * scale) | ~np.isfinite(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(undefined, np.nan, numerator / np.where(undefined, 1.0, denominator))
    return ratio, undefined


def undefined_auc_message(kind, perfect, negative_effect):
    """Why a normalized area is undefined, given its perfect curve ``(x, gain)``."""
    if kind == "qini" and not negative_effect and perfect[1][-1] < 0:
        return MSG_UNDEFINED_WITHOUT_NEGATIVE_EFFECT
    return MSG_UNDEFINED_AUC.format(kind=kind.capitalize() if kind == "qini" else kind)
