"""Scalar uplift scores (areas, uplift at k) and the uplift-by-percentile table.

``*auc_score`` and the curves share :func:`actionable.metrics._kernel.cumulative_counts`;
the Qini area of untied scores of a binary outcome without weights skips the curve
(:mod:`actionable.metrics._qini_area`).
``uplift_at_k`` and ``uplift_by_percentile`` cut the ranking at a number of
samples, which can split tied scores; like scikit-uplift, they rank samples by
decreasing score and, among equal scores, by decreasing row position.
"""

import numbers

import numpy as np

from ._common import (
    check_bool,
    check_inputs,
    check_strategy,
    gain_from_counts,
    normalized_area,
    undefined_auc_message,
    warn_undefined,
)
from ._curves import (
    MSG_NO_NEGATIVE_EFFECT_CONTINUOUS,
    perfect_counts,
    perfect_gain_from_counts,
)
from ._kernel import counts_with_outcome_type, is_binary
from ._qini_area import qini_score_of_distinct_scores
from ._ranked import RankedSamples

__all__ = [
    "uplift_auc_score",
    "qini_auc_score",
    "uplift_at_k",
    "uplift_by_percentile",
    "weighted_average_uplift",
]

_MSG_BINS = (
    "bins must be an integer between 1 and {limit} (one less than n_samples); got {value!r}."
)
_MSG_UNDEFINED_AT_K = (
    "The top {k!r} targeted samples contain no {group} sample, so uplift_at_k is undefined; "
    "returning NaN."
)
_MSG_EMPTY_BINS = (
    "{count} of {bins} bins contain no {group} sample; their response rate and uplift are NaN."
)


def qini_auc_score(y_true, uplift, treatment, negative_effect=True, *, sample_weight=None):
    """Compute the normalized area under the Qini curve (the Qini coefficient).

    The area between the model's Qini curve and the random-targeting line,
    divided by the same area for the perfect Qini curve: 1 is the oracle, 0 is
    random targeting, negative is worse than random.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous (e.g. spend).
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    negative_effect : bool, default=True
        Whether the perfect curve may contain negative effects (see
        :func:`perfect_qini_curve`); ``False`` needs a binary outcome, and where
        the treated samples' outcome is below the control samples' overall, the
        score is NaN with an :class:`UndefinedUpliftMetricWarning` (such a perfect
        curve lies below the random line).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; rows of weight 0 are ignored.

    Returns
    -------
    float
        The Qini coefficient; NaN (with an :class:`UndefinedUpliftMetricWarning`)
        when the perfect curve encloses no area above the random line.

    See Also
    --------
    qini_curve : The curve whose area this is.
    qini_auc_score_ci : The same score with a bootstrap confidence interval.
    uplift_auc_score : The uplift-curve variant.

    References
    ----------
    .. [1] Radcliffe, N. J. (2007). "Using control groups to target on predicted
       lift: building and assessing uplift models". Direct Marketing Analytics
       Journal, 3, 14-21.

    Examples
    --------
    >>> from actionable.metrics import qini_auc_score
    >>> y = [1, 0, 1, 0, 1, 0]
    >>> t = [1, 1, 1, 0, 0, 0]
    >>> round(qini_auc_score(y, [0.9, 0.1, 0.8, 0.7, 0.2, 0.3], t), 4)
    0.8974
    """
    negative_effect = check_bool(negative_effect, "negative_effect")
    if sample_weight is None:
        score = qini_score_of_distinct_scores(y_true, uplift, treatment, negative_effect)
        if score is not None:
            return score
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    return auc_score(
        y_true, uplift, treatment, sample_weight, "qini", negative_effect, fast_path=False
    )


def uplift_auc_score(y_true, uplift, treatment, *, sample_weight=None):
    """Compute the normalized area under the uplift curve.

    The area between the model's uplift curve and the random-targeting line,
    divided by the same area for the perfect uplift curve.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous (e.g. spend).
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; rows of weight 0 are ignored.

    Returns
    -------
    float
        The normalized area; NaN (with an :class:`UndefinedUpliftMetricWarning`)
        when the perfect curve encloses no area above the random line.

    See Also
    --------
    uplift_curve : The curve whose area this is.
    uplift_auc_score_ci : The same score with a bootstrap confidence interval.
    qini_auc_score : The Qini-curve variant.

    Examples
    --------
    >>> from actionable.metrics import uplift_auc_score
    >>> y = [1, 0, 1, 0, 1, 0]
    >>> t = [1, 1, 1, 0, 0, 0]
    >>> uplift_auc_score(y, [0.9, 0.1, 0.8, 0.7, 0.2, 0.3], t)
    1.0
    """
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    return auc_score(y_true, uplift, treatment, sample_weight, "uplift", True)


def auc_score(y_true, uplift, treatment, sample_weight, kind, negative_effect, *, fast_path=True):
    """The normalized area of validated input.

    With ``fast_path``, the Qini area of untied scores skips the curve (see
    :mod:`actionable.metrics._qini_area`); ``qini_auc_score`` tries that before
    validating, and says so with ``fast_path=False``.
    """
    if fast_path and kind == "qini" and sample_weight is None:
        score = qini_score_of_distinct_scores(
            y_true, uplift, treatment, negative_effect, stacklevel=5
        )
        if score is not None:
            return score
    _, _, score = curves_and_score(
        y_true, uplift, treatment, sample_weight, kind, negative_effect, origin=False
    )
    return score


def curves_and_score(
    y_true, uplift, treatment, sample_weight, kind, negative_effect, *, origin=True
):
    """Model curve, perfect curve and normalized area from one kernel pass (validated input).

    With ``origin=False`` the model curve leaves out its leading ``(0, 0)``
    point, which saves two copies of the curve when only the area is wanted.
    """
    binary = is_binary(y_true)
    counts = counts_with_outcome_type(
        y_true, uplift, treatment, sample_weight, binary, thresholds=False
    )
    actual = gain_from_counts(counts, kind, origin=origin)
    if binary:
        perfect = perfect_gain_from_counts(counts, kind, negative_effect)
    else:
        if not negative_effect:
            raise ValueError(MSG_NO_NEGATIVE_EFFECT_CONTINUOUS)
        perfect = gain_from_counts(perfect_counts(y_true, treatment, sample_weight, kind), kind)
    # Unweighted with no tie, the curve has a point per row: its x is 1, 2, ..., n.
    unit_steps = not origin and sample_weight is None and actual[0].size == actual[0][-1]
    ratio, undefined = normalized_area(
        actual, perfect, actual_from_origin=not origin, unit_steps=unit_steps
    )
    if undefined:
        warn_undefined(undefined_auc_message(kind, perfect, negative_effect), stacklevel=5)
    return actual, perfect, float(ratio)


def uplift_at_k(y_true, uplift, treatment, strategy="overall", k=0.3, *, sample_weight=None):
    """Compute the uplift among the top ``k`` samples ranked by predicted uplift.

    The difference between the mean outcome of the treated and of the control
    samples among those targeted.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous.
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    strategy : {'overall', 'by_group'}, default='overall'
        ``'overall'`` takes the top ``k`` of all samples and compares the two
        groups inside it; ``'by_group'`` takes the top ``k`` of the treated and
        the top ``k`` of the control samples separately.
    k : float or int, default=0.3
        A fraction in (0, 1] of the samples (of each group with ``'by_group'``),
        or a number of samples. A fraction selects ``int(k * n)`` samples, as in
        scikit-uplift. With ``sample_weight``, ``k`` counts units of weight: the
        cut falls at ``int(k * total weight)`` when every weight is a whole
        number (frequency weights) and at ``k * total weight`` otherwise; the
        row at the cut then counts in part.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; rows of weight 0 are ignored.

    Returns
    -------
    float
        Treated mean minus control mean among the targeted samples; NaN (with
        an :class:`UndefinedUpliftMetricWarning`) when either group is absent.

    See Also
    --------
    uplift_at_k_ci : The same score with a bootstrap confidence interval.
    uplift_by_percentile : Uplift in every decile instead of the top one.

    Notes
    -----
    A cut can fall inside a run of tied scores. Tied samples are then taken in
    decreasing row order, which reproduces scikit-uplift's results.

    Examples
    --------
    >>> from actionable.metrics import uplift_at_k
    >>> y = [1, 0, 1, 0, 0, 1, 0, 0]
    >>> t = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> uplift_at_k(y, [8, 7, 6, 5, 4, 3, 2, 1], t, strategy="overall", k=0.5)
    1.0
    >>> uplift_at_k(y, [8, 7, 6, 5, 4, 3, 2, 1], t, strategy="by_group", k=2)
    1.0
    """
    check_strategy(strategy)
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    ranked = RankedSamples(y_true, uplift, treatment, sample_weight)
    treated_mean, control_mean = ranked.means_at_k(
        ranked.weight[np.newaxis], strategy, ranked.check_k(k, strategy)
    )
    for group, mean in (("treated", treated_mean[0]), ("control", control_mean[0])):
        if np.isnan(mean):
            warn_undefined(_MSG_UNDEFINED_AT_K.format(k=k, group=group))
            return float("nan")
    return float(treated_mean[0] - control_mean[0])


def uplift_by_percentile(
    y_true,
    uplift,
    treatment,
    strategy="overall",
    bins=10,
    std=False,
    total=False,
    string_percentiles=True,
    *,
    sample_weight=None,
):
    """Compute group sizes, response rates and uplift in each percentile bin.

    Samples are ranked by decreasing ``uplift`` and split into ``bins`` bins of
    (almost) equal size, as ``numpy.array_split`` does.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous.
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    strategy : {'overall', 'by_group'}, default='overall'
        ``'overall'`` bins all samples together; ``'by_group'`` bins the treated
        and the control samples separately.
    bins : int, default=10
        Number of bins, at least 1 and less than the number of samples.
    std : bool, default=False
        If True, add ``std_treatment``, ``std_control`` and ``std_uplift``: the
        standard errors ``sqrt(var(y) / n)`` of the rates and of their difference.
    total : bool, default=False
        If True, add a last row ``'total'`` computed on all samples. Its
        standard errors are those of the overall rates (scikit-uplift instead
        reports the sum of the per-bin values).
    string_percentiles : bool, default=True
        Label bins ``'0-10'``, ``'10-20'``, ... instead of ``10``, ``20``, ...
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; bins then hold equal shares of the total weight
        (the row at a cut counts in part) and the sizes are total weights.

    Returns
    -------
    pandas.DataFrame
        One row per bin, indexed by ``percentile``, with columns
        ``n_treatment``, ``n_control``, ``response_rate_treatment``,
        ``response_rate_control``, ``uplift`` and, with ``std=True``, the three
        standard errors.

    See Also
    --------
    weighted_average_uplift : A single number summarizing this table.
    uplift_at_k : Uplift among the top fraction of samples.

    Examples
    --------
    >>> from actionable.metrics import uplift_by_percentile
    >>> y = [1, 1, 0, 0, 1, 0, 0, 0]
    >>> t = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> uplift_by_percentile(y, [8, 7, 6, 5, 4, 3, 2, 1], t, bins=2)
                n_treatment  n_control  ...  response_rate_control  uplift
    percentile                          ...
    0-50                  2          2  ...                    0.5     0.0
    50-100                2          2  ...                    0.0     0.5
    <BLANKLINE>
    [2 rows x 5 columns]
    """
    import pandas as pd

    check_strategy(strategy)
    std = check_bool(std, "std")
    total = check_bool(total, "total")
    string_percentiles = check_bool(string_percentiles, "string_percentiles")
    ranked, table = _checked_percentile_table(
        y_true, uplift, treatment, sample_weight, strategy, bins
    )

    percentiles = [round(p * 100 / bins) for p in range(1, bins + 1)]
    if string_percentiles:
        percentiles = [
            f"{low}-{high}" for low, high in zip([0, *percentiles[:-1]], percentiles, strict=True)
        ]
    columns = _percentile_columns(table, std)
    if total:
        percentiles = [*percentiles, "total"]
        summary = _percentile_columns(_percentile_table(ranked, "overall", 1), std)
        columns = {name: np.append(values, summary[name]) for name, values in columns.items()}
    frame = pd.DataFrame(columns, index=pd.Index(percentiles, name="percentile"))
    if sample_weight is None:
        frame = frame.astype({"n_treatment": "int32", "n_control": "int32"})
    return frame


def weighted_average_uplift(
    y_true, uplift, treatment, strategy="overall", bins=10, *, sample_weight=None
):
    """Average the per-bin uplift, weighted by the number of treated samples in each bin.

    The bins are those of :func:`uplift_by_percentile` with the same
    ``strategy`` and ``bins``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous.
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    strategy : {'overall', 'by_group'}, default='overall'
        How bins are formed (see :func:`uplift_by_percentile`).
    bins : int, default=10
        Number of bins, at least 1 and less than the number of samples.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; rows of weight 0 are ignored.

    Returns
    -------
    float
        The weighted average uplift; NaN (with an
        :class:`UndefinedUpliftMetricWarning`) when a bin lacks a group.

    See Also
    --------
    uplift_by_percentile : The per-bin table this averages.

    Examples
    --------
    >>> from actionable.metrics import weighted_average_uplift
    >>> y = [1, 1, 0, 0, 1, 0, 0, 0]
    >>> t = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> weighted_average_uplift(y, [8, 7, 6, 5, 4, 3, 2, 1], t, bins=2)
    0.25
    """
    check_strategy(strategy)
    ranked, table = _checked_percentile_table(
        y_true, uplift, treatment, sample_weight, strategy, bins
    )
    bin_uplift = table["rate_treatment"] - table["rate_control"]
    return float(np.dot(table["n_treatment"], bin_uplift) / np.sum(table["n_treatment"]))


def _checked_percentile_table(y_true, uplift, treatment, sample_weight, strategy, bins):
    """Check the inputs and ``bins``, rank the samples and sum them by percentile bin."""
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    _check_bins(bins, y_true.size)
    ranked = RankedSamples(y_true, uplift, treatment, sample_weight)
    table = _percentile_table(ranked, strategy, bins)
    _warn_empty_bins(table, bins)
    return ranked, table


def _check_bins(bins, n_samples):
    if (
        isinstance(bins, bool)
        or not isinstance(bins, numbers.Integral)
        or not 1 <= bins < n_samples
    ):
        raise ValueError(_MSG_BINS.format(limit=n_samples - 1, value=bins))


def _percentile_table(ranked, strategy, bins):
    sums = ranked.binned(ranked.weight, strategy, bins)
    table = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for group in ("treatment", "control"):
            n = sums[f"n_{group}"]
            rate = np.where(n > 0, sums[f"y_{group}"] / n, np.nan)
            second_moment = np.where(n > 0, sums[f"y2_{group}"] / n, np.nan)
            table[f"n_{group}"] = n
            table[f"rate_{group}"] = rate
            table[f"var_{group}"] = np.maximum(second_moment - rate**2, 0.0) / n
    return table


def _percentile_columns(table, std):
    """The columns of ``uplift_by_percentile`` read off a ``_percentile_table``."""
    columns = {
        "n_treatment": table["n_treatment"],
        "n_control": table["n_control"],
        "response_rate_treatment": table["rate_treatment"],
        "response_rate_control": table["rate_control"],
        "uplift": table["rate_treatment"] - table["rate_control"],
    }
    if std:
        columns["std_treatment"] = np.sqrt(table["var_treatment"])
        columns["std_control"] = np.sqrt(table["var_control"])
        columns["std_uplift"] = np.sqrt(table["var_treatment"] + table["var_control"])
    return columns


def _warn_empty_bins(table, bins):
    # stacklevel: warn_undefined, here, _checked_percentile_table, the public function, its caller
    for group in ("treatment", "control"):
        empty = int(np.count_nonzero(table[f"n_{group}"] == 0))
        if empty:
            warn_undefined(
                _MSG_EMPTY_BINS.format(count=empty, bins=bins, group=group), stacklevel=5
            )
