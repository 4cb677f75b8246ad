"""Percentile-bootstrap confidence intervals for the AUC scores and uplift at k.

Resampling is stratified by treatment: every replicate draws, with replacement,
as many treated rows as there are treated rows and as many control rows as
there are control rows. A replicate is a vector of multinomial counts used as
weights, so the scores are never re-sorted: the ranking is computed once and
each block of replicates is a few vectorized cumulative sums. For a binary
outcome without weights and with tied scores, the counts are drawn directly per
(score, treatment, outcome) cell, which costs O(cells) instead of O(samples).
"""

from typing import NamedTuple

import numpy as np

from actionable._validation import check_bootstrap_parameters

from ._common import check_bool, check_inputs, check_strategy, gain_from_counts, normalized_area
from ._common import warn_undefined as _warn_undefined
from ._curves import _MSG_NO_NEGATIVE_EFFECT_CONTINUOUS, perfect_gain_from_counts
from ._kernel import CumulativeCounts, is_binary
from ._scores import RankedSamples, _auc_score, uplift_at_k

__all__ = ["ConfidenceInterval", "qini_auc_score_ci", "uplift_auc_score_ci", "uplift_at_k_ci"]

_MSG_UNDEFINED_REPLICATES = (
    "{count} of {total} bootstrap replicates were undefined (NaN) and were left out of the "
    "interval."
)
# Entries of one (n_replicates, n_samples) block of bootstrap weights.
_BLOCK_ENTRIES = 2**21


class ConfidenceInterval(NamedTuple):
    """A point estimate with a percentile-bootstrap confidence interval.

    Returned by every ``*_ci`` function; unpacks like a tuple
    ``(estimate, low, high, confidence_level)``.

    Parameters
    ----------
    estimate : float
        The score on the original data.
    low : float
        Lower bound of the interval.
    high : float
        Upper bound of the interval.
    confidence_level : float
        Nominal coverage of ``[low, high]``, e.g. 0.95.

    See Also
    --------
    qini_auc_score_ci : Qini coefficient with its interval.

    Examples
    --------
    >>> from actionable.metrics import ConfidenceInterval
    >>> ci = ConfidenceInterval(estimate=0.2, low=0.1, high=0.3, confidence_level=0.95)
    >>> ci.high - ci.low
    0.19999999999999998
    """

    estimate: float
    low: float
    high: float
    confidence_level: float


def qini_auc_score_ci(
    y_true,
    uplift,
    treatment,
    negative_effect=True,
    *,
    sample_weight=None,
    n_bootstraps=1000,
    confidence_level=0.95,
    random_state=None,
):
    """Compute the Qini coefficient with a bootstrap confidence interval.

    Rows are resampled with replacement within the treated and within the
    control group (so each replicate keeps both group sizes); the interval is
    the pair of percentiles of the replicated scores that leaves
    ``(1 - confidence_level) / 2`` on each side. The ranking is computed once.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous (e.g. spend).
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    negative_effect : bool, default=True
        Whether the perfect curve may contain negative effects.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; resampled rows keep their weight.
    n_bootstraps : int, default=1000
        Number of bootstrap replicates.
    confidence_level : float, default=0.95
        Nominal coverage of the interval.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator for the resampling.

    Returns
    -------
    ConfidenceInterval
        ``estimate`` is :func:`qini_auc_score` on the original data; ``low`` and
        ``high`` are percentiles of the replicates, resampled within the treated
        and within the control group.

    See Also
    --------
    qini_auc_score : The point estimate alone.

    References
    ----------
    .. [1] Efron, B. and Tibshirani, R. J. (1993). "An Introduction to the
       Bootstrap", chapter 13 (percentile intervals). Chapman & Hall.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.metrics import qini_auc_score_ci
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 2000)
    >>> score = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 0.3 + 0.2 * t * (score > 0)).astype(int)
    >>> ci = qini_auc_score_ci(y, score, t, n_bootstraps=200, random_state=0)
    >>> bool(ci.low < ci.estimate < ci.high)
    True
    """
    negative_effect = check_bool(negative_effect, "negative_effect")
    return _auc_interval(
        "qini",
        negative_effect,
        y_true,
        uplift,
        treatment,
        sample_weight,
        n_bootstraps,
        confidence_level,
        random_state,
    )


def uplift_auc_score_ci(
    y_true,
    uplift,
    treatment,
    *,
    sample_weight=None,
    n_bootstraps=1000,
    confidence_level=0.95,
    random_state=None,
):
    """Compute the normalized uplift-curve area with a bootstrap confidence interval.

    Resampling is stratified by treatment and the interval is a percentile
    interval, as in :func:`qini_auc_score_ci`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous (e.g. spend).
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; resampled rows keep their weight.
    n_bootstraps : int, default=1000
        Number of bootstrap replicates.
    confidence_level : float, default=0.95
        Nominal coverage of the interval.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator for the resampling.

    Returns
    -------
    ConfidenceInterval
        ``estimate`` is :func:`uplift_auc_score` on the original data; ``low``
        and ``high`` are percentiles of the stratified bootstrap replicates.

    See Also
    --------
    uplift_auc_score : The point estimate alone.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.metrics import uplift_auc_score_ci
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 2000)
    >>> score = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 0.3 + 0.2 * t * (score > 0)).astype(int)
    >>> ci = uplift_auc_score_ci(y, score, t, n_bootstraps=200, random_state=0)
    >>> ci.confidence_level, bool(ci.low < ci.high)
    (0.95, True)
    """
    return _auc_interval(
        "uplift",
        True,
        y_true,
        uplift,
        treatment,
        sample_weight,
        n_bootstraps,
        confidence_level,
        random_state,
    )


def uplift_at_k_ci(
    y_true,
    uplift,
    treatment,
    strategy="overall",
    k=0.3,
    *,
    sample_weight=None,
    n_bootstraps=1000,
    confidence_level=0.95,
    random_state=None,
):
    """Compute uplift at k with a bootstrap confidence interval.

    Resampling is stratified by treatment and the interval is a percentile
    interval, as in :func:`qini_auc_score_ci`; each replicate targets the same
    fraction (or number) of samples as the estimate.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous.
    uplift : array-like of shape (n_samples,)
        Predicted uplift; higher means target first.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    strategy : {'overall', 'by_group'}, default='overall'
        See :func:`uplift_at_k`.
    k : float or int, default=0.3
        Fraction or number of samples targeted (see :func:`uplift_at_k`).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; resampled rows keep their weight.
    n_bootstraps : int, default=1000
        Number of bootstrap replicates.
    confidence_level : float, default=0.95
        Nominal coverage of the interval.
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Seed or generator for the resampling.

    Returns
    -------
    ConfidenceInterval
        ``estimate`` is :func:`uplift_at_k` on the original data; ``low`` and
        ``high`` are percentiles of the stratified bootstrap replicates
        (replicates whose top k lacks a group are left out, with a warning).

    See Also
    --------
    uplift_at_k : The point estimate alone.

    Examples
    --------
    >>> import numpy as np
    >>> from actionable.metrics import uplift_at_k_ci
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 2000)
    >>> score = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 0.3 + 0.2 * t * (score > 0)).astype(int)
    >>> ci = uplift_at_k_ci(y, score, t, k=0.3, n_bootstraps=200, random_state=0)
    >>> bool(0.0 < ci.low < ci.estimate < ci.high)
    True
    """
    check_strategy(strategy)
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    estimate = uplift_at_k(y_true, uplift, treatment, strategy, k, sample_weight=sample_weight)
    if np.isnan(estimate):
        return ConfidenceInterval(estimate, np.nan, np.nan, confidence_level)
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    ranked = RankedSamples(y_true, uplift, treatment, sample_weight)
    strata = _strata(ranked.treatment)

    def replicates(size):
        weights = _row_weights(rng, strata, ranked.n_samples, size)
        if ranked.weighted:
            weights = weights * ranked.weight
        treated_mean, control_mean = ranked.means_at_k(weights, strategy, k)
        return treated_mean - control_mean

    values = _run_blocks(replicates, n_bootstraps, ranked.n_samples)
    return _percentile_interval(estimate, values, confidence_level)


def _auc_interval(
    kind,
    negative_effect,
    y_true,
    uplift,
    treatment,
    sample_weight,
    n_bootstraps,
    confidence_level,
    random_state,
):
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    binary = is_binary(y_true)
    if not binary and not negative_effect:
        raise ValueError(_MSG_NO_NEGATIVE_EFFECT_CONTINUOUS)
    estimate = _auc_score(y_true, uplift, treatment, sample_weight, kind, negative_effect)
    if np.isnan(estimate):
        return ConfidenceInterval(estimate, np.nan, np.nan, confidence_level)

    ranking = _TieGroups(uplift, y_true, treatment)
    base_weight = None if sample_weight is None else sample_weight[ranking.order]
    draw = _replicate_draws(rng, ranking, base_weight, binary)
    if binary:

        def perfect_of(counts, weights):
            return perfect_gain_from_counts(counts, kind, negative_effect)

    else:
        oracle_score = np.where(ranking.treatment == 1.0, ranking.y, -ranking.y)
        oracle = _TieGroups(oracle_score, ranking.y, ranking.treatment)

        def perfect_of(counts, weights):
            return gain_from_counts(oracle.counts(weights[:, oracle.order]), kind)

    def replicates(size):
        counts, weights = draw(size)
        actual = gain_from_counts(counts, kind, origin=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio, _ = normalized_area(actual, perfect_of(counts, weights), actual_from_origin=True)
        return ratio

    values = _run_blocks(replicates, n_bootstraps, y_true.size)
    return _percentile_interval(estimate, values, confidence_level)


def _replicate_draws(rng, ranking, base_weight, binary):
    """Return ``draw(size) -> (cumulative counts, ranked weights or None)`` for one block."""
    n_samples = ranking.y.size
    if base_weight is None and binary and ranking.n_thresholds * 4 < n_samples:
        cells = _Cells(ranking)
        return lambda size: (cells.counts(rng, size), None)

    strata = _strata(ranking.treatment)

    def draw(size):
        weights = _row_weights(rng, strata, n_samples, size)
        if base_weight is not None:
            weights = weights * base_weight
        return ranking.counts(weights), weights

    return draw


class _TieGroups:
    """Samples ranked by decreasing score, with the runs of tied scores marked.

    ``counts`` takes weights in this ranked order, shape (n_replicates, n_samples).
    Integer weights (unweighted bootstrap counts) keep integer cumulative sums,
    which numpy computes several times faster than float ones; they are exact.
    """

    def __init__(self, score, y_true, treatment):
        self.order = np.argsort(score)[::-1]
        sorted_score = score[self.order]
        self.last = np.append(np.flatnonzero(np.diff(sorted_score)), score.size - 1)
        self.n_thresholds = self.last.size
        self.y = y_true[self.order]
        self.treatment = treatment[self.order]
        self.binary = is_binary(self.y)
        self._treatment_int = self.treatment.astype(np.int64)
        self._y_int = self.y.astype(np.int64) if self.binary else None

    def counts(self, weights):
        integral = weights.dtype.kind in "iu"
        treatment = self._treatment_int if integral else self.treatment
        y = self._y_int if integral and self.binary else self.y
        weighted_treated = weights * treatment

        def at_or_above(values):
            cumulative = np.cumsum(values, axis=-1)
            if self.n_thresholds < values.shape[-1]:
                cumulative = cumulative[..., self.last]
            return cumulative.astype(np.float64, copy=False)

        n = at_or_above(weights)
        n_treated = at_or_above(weighted_treated)
        y_treated = at_or_above(weighted_treated * y)
        y_all = at_or_above(weights * y)
        return CumulativeCounts(
            threshold=None,
            index=None,
            n=n,
            n_treated=n_treated,
            n_control=n - n_treated,
            y_treated=y_treated,
            y_control=y_all - y_treated,
        )


class _Cells:
    """Row counts per (distinct score, treatment, outcome) cell of a binary outcome.

    A stratified bootstrap draws, within each treatment group, a multinomial
    number of rows per cell, so one replicate costs O(cells), not O(samples).
    """

    def __init__(self, ranking):
        n_thresholds = ranking.n_thresholds
        group = np.zeros(ranking.y.size, dtype=np.intp)
        group[ranking.last[:-1] + 1] = 1
        group = np.cumsum(group)
        category = (2 * ranking.treatment + ranking.y).astype(np.intp)  # C0, C1, T0, T1
        sizes = np.bincount(group * 4 + category, minlength=4 * n_thresholds)
        sizes = sizes.reshape(n_thresholds, 4)
        self.n_thresholds = n_thresholds
        self.n_control = int(sizes[:, :2].sum())
        self.n_treated = int(sizes[:, 2:].sum())
        self.p_control = (sizes[:, :2] / self.n_control).ravel()
        self.p_treated = (sizes[:, 2:] / self.n_treated).ravel()

    def counts(self, rng, size):
        shape = (size, self.n_thresholds, 2)
        control = rng.multinomial(self.n_control, self.p_control, size=size).reshape(shape)
        treated = rng.multinomial(self.n_treated, self.p_treated, size=size).reshape(shape)

        def cumulative(values):
            return np.cumsum(values, axis=-1).astype(np.float64)

        n_treated = cumulative(treated.sum(axis=-1))
        n_control = cumulative(control.sum(axis=-1))
        return CumulativeCounts(
            threshold=None,
            index=None,
            n=n_treated + n_control,
            n_treated=n_treated,
            n_control=n_control,
            y_treated=cumulative(treated[..., 1]),
            y_control=cumulative(control[..., 1]),
        )


def _strata(treatment):
    return np.flatnonzero(treatment == 1.0), np.flatnonzero(treatment == 0.0)


def _row_weights(rng, strata, n_samples, size):
    """Stratified bootstrap counts per row (int64), shape (size, n_samples)."""
    offsets = (np.arange(size, dtype=np.int64) * n_samples)[:, np.newaxis]
    drawn = np.concatenate(
        [rows[rng.integers(0, rows.size, size=(size, rows.size))] + offsets for rows in strata],
        axis=1,
    )
    return np.bincount(drawn.ravel(), minlength=size * n_samples).reshape(size, n_samples)


def _run_blocks(replicates, n_bootstraps, n_samples):
    block = max(1, min(n_bootstraps, _BLOCK_ENTRIES // max(n_samples, 1)))
    values = []
    done = 0
    while done < n_bootstraps:
        size = min(block, n_bootstraps - done)
        values.append(np.asarray(replicates(size), dtype=np.float64))
        done += size
    return np.concatenate(values)


def _percentile_interval(estimate, values, confidence_level):
    undefined = np.isnan(values)
    if undefined.any():
        _warn_undefined(
            _MSG_UNDEFINED_REPLICATES.format(count=int(undefined.sum()), total=values.size),
            stacklevel=4,
        )
    if undefined.all():
        return ConfidenceInterval(float(estimate), np.nan, np.nan, confidence_level)
    alpha = 1.0 - confidence_level
    low, high = np.quantile(values[~undefined], [alpha / 2.0, 1.0 - alpha / 2.0])
    return ConfidenceInterval(float(estimate), float(low), float(high), confidence_level)
