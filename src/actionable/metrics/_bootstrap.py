"""Percentile-bootstrap confidence intervals for the AUC scores and uplift at k.

Resampling is stratified by treatment: every replicate draws, with replacement,
as many treated rows as there are treated rows and as many control rows as
there are control rows. A replicate is a vector of multinomial counts used as
weights, so the scores are never re-sorted: the ranking is computed once and
each block of replicates is a few vectorized cumulative sums. For a binary
outcome without weights and with tied scores, the counts are drawn directly per
(score, treatment, outcome) cell, which costs O(cells) instead of O(samples).
"""

import numpy as np

from actionable._interval import Interval
from actionable._resampling import (
    DEFAULT_N_BOOTSTRAPS,
    draw_cell_counts,
    draw_counts,
    percentile_interval,
    replicates_in_blocks,
    strata_of,
)
from actionable._validation import check_bootstrap_parameters

from ._common import (
    UndefinedUpliftMetricWarning,
    check_bool,
    check_inputs,
    check_strategy,
    gain_from_counts,
    normalized_area,
)
from ._curves import MSG_NO_NEGATIVE_EFFECT_CONTINUOUS, perfect_gain_from_counts
from ._kernel import CumulativeCounts, TieGroups, is_binary
from ._ranked import RankedSamples
from ._scores import auc_score, uplift_at_k

__all__ = ["qini_auc_score_ci", "uplift_auc_score_ci", "uplift_at_k_ci"]


def qini_auc_score_ci(
    y_true,
    uplift,
    treatment,
    negative_effect=True,
    *,
    sample_weight=None,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
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
    Interval
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
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
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
    Interval
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
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
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
    Interval
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
        return Interval(float(estimate), np.nan, np.nan, confidence_level, "bootstrap")
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    ranked = RankedSamples(y_true, uplift, treatment, sample_weight)
    strata = strata_of(ranked.treatment)

    def replicates(size):
        weights = draw_counts(rng, strata, ranked.n_samples, size)
        if ranked.weighted:
            weights = weights * ranked.weight
        treated_mean, control_mean = ranked.means_at_k(weights, strategy, k)
        return treated_mean - control_mean

    values = replicates_in_blocks(replicates, n_bootstraps, ranked.n_samples)
    return _interval(estimate, values, confidence_level)


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
        raise ValueError(MSG_NO_NEGATIVE_EFFECT_CONTINUOUS)
    estimate = auc_score(y_true, uplift, treatment, sample_weight, kind, negative_effect)
    if np.isnan(estimate):
        return Interval(float(estimate), np.nan, np.nan, confidence_level, "bootstrap")

    ranking = TieGroups(uplift, y_true, treatment)
    base_weight = None if sample_weight is None else sample_weight[ranking.order]
    draw = _replicate_draws(rng, ranking, base_weight, binary)
    if binary:

        def perfect_of(counts, weights):
            return perfect_gain_from_counts(counts, kind, negative_effect)

    else:
        oracle_score = np.where(ranking.treatment == 1.0, ranking.y, -ranking.y)
        oracle = TieGroups(oracle_score, ranking.y, ranking.treatment)

        def perfect_of(counts, weights):
            return gain_from_counts(oracle.counts(weights[:, oracle.order]), kind)

    def replicates(size):
        counts, weights = draw(size)
        actual = gain_from_counts(counts, kind, origin=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio, _ = normalized_area(actual, perfect_of(counts, weights), actual_from_origin=True)
        return ratio

    values = replicates_in_blocks(replicates, n_bootstraps, y_true.size)
    return _interval(estimate, values, confidence_level)


def _replicate_draws(rng, ranking, base_weight, binary):
    """Return ``draw(size) -> (cumulative counts, ranked weights or None)`` for one block."""
    n_samples = ranking.y.size
    if base_weight is None and binary and ranking.n_thresholds * 4 < n_samples:
        cells = _Cells(ranking)
        return lambda size: (cells.counts(rng, size), None)

    strata = strata_of(ranking.treatment)

    def draw(size):
        weights = draw_counts(rng, strata, n_samples, size)
        if base_weight is not None:
            weights = weights * base_weight
        return ranking.counts(weights), weights

    return draw


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
        self.sizes = [sizes[:, :2].ravel(), sizes[:, 2:].ravel()]  # control cells, treated cells

    def counts(self, rng, size):
        shape = (size, self.n_thresholds, 2)
        control, treated = (
            cells.reshape(shape) for cells in draw_cell_counts(rng, self.sizes, size)
        )

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


def _interval(estimate, values, confidence_level):
    """The percentile interval; undefined replicates warn as undefined metrics do."""
    return percentile_interval(
        estimate,
        values,
        confidence_level,
        undefined_warning=UndefinedUpliftMetricWarning,
        stacklevel=5,
    )
