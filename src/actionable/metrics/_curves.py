"""Uplift and Qini curves, and their perfect (oracle) counterparts.

Every curve comes from :func:`actionable.metrics._kernel.cumulative_counts`; the
perfect curves of a binary outcome need no sort at all, because they depend
only on the weights of the four (treatment, outcome) groups.
"""

import numpy as np

from .._validation import check_consistent_length
from ._common import check_bool, check_inputs, gain_from_counts
from ._kernel import CumulativeCounts, cumulative_counts, is_binary

__all__ = ["uplift_curve", "qini_curve", "perfect_uplift_curve", "perfect_qini_curve"]

MSG_NO_NEGATIVE_EFFECT_CONTINUOUS = (
    "negative_effect=False needs a binary y_true (0/1): the perfect curve without negative "
    "effects counts one incremental success per targeted sample. Use negative_effect=True "
    "for continuous outcomes."
)


def uplift_curve(y_true, uplift, treatment, *, sample_weight=None):
    """Compute the uplift curve.

    Samples are ranked by decreasing ``uplift``; tied scores form one threshold.
    At each threshold the gain is the difference between the treated and the
    control mean outcomes among the samples targeted so far, times their number:
    ``(Y_t / N_t - Y_c / N_c) * N``. A mean is taken as 0 while its group is
    still empty, as in scikit-uplift.

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
    n_targeted : ndarray of shape (n_thresholds + 1,)
        Number (total weight) of samples targeted; starts at 0.
    gain : ndarray of shape (n_thresholds + 1,)
        Incremental outcomes at each threshold; starts at 0.

    See Also
    --------
    uplift_auc_score : Normalized area under this curve.
    qini_curve : The Qini variant, which rescales the control outcomes.

    References
    ----------
    .. [1] Devriendt, F., Guns, T. and Verbeke, W. (2020). "Learning to rank for
       uplift modeling". arXiv:2002.05897.

    Examples
    --------
    >>> from actionable.metrics import uplift_curve
    >>> uplift_curve([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])
    (array([0., 1., 2., 3., 4.]), array([ 0. ,  1. ,  1. , -1.5,  0. ]))
    """
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    return gain_from_counts(cumulative_counts(y_true, uplift, treatment, sample_weight), "uplift")


def qini_curve(y_true, uplift, treatment, *, sample_weight=None):
    """Compute the Qini curve.

    Samples are ranked by decreasing ``uplift``; tied scores form one threshold.
    At each threshold the gain is the number of incremental outcomes among the
    samples targeted so far, ``Y_t - Y_c * N_t / N_c`` (the ratio is 0 while no
    control sample is targeted, as in scikit-uplift).

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
    n_targeted : ndarray of shape (n_thresholds + 1,)
        Number (total weight) of samples targeted; starts at 0.
    gain : ndarray of shape (n_thresholds + 1,)
        Incremental outcomes ``Y_t - Y_c * N_t / N_c``; starts at 0.

    See Also
    --------
    qini_auc_score : Normalized area under this curve.
    perfect_qini_curve : The best curve achievable on the same data.

    References
    ----------
    .. [1] Radcliffe, N. J. (2007). "Using control groups to target on predicted
       lift: building and assessing uplift models". Direct Marketing Analytics
       Journal, 3, 14-21.

    Examples
    --------
    >>> from actionable.metrics import qini_curve
    >>> qini_curve([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])
    (array([0., 1., 2., 3., 4.]), array([ 0.,  1.,  1., -1.,  0.]))

    Tied scores form one threshold:

    >>> qini_curve([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])
    (array([0., 1., 3., 4.]), array([ 0.,  1., -1.,  0.]))
    """
    y_true, uplift, treatment, sample_weight = check_inputs(
        y_true, uplift, treatment, sample_weight
    )
    return gain_from_counts(cumulative_counts(y_true, uplift, treatment, sample_weight), "qini")


def perfect_uplift_curve(y_true, treatment, *, sample_weight=None):
    """Compute the perfect (oracle) uplift curve.

    For a binary outcome the samples are ordered as scikit-uplift does: treated
    successes, control failures, then control successes and treated failures
    (whichever group weighs more first). No sort is needed: the curve depends
    only on the weights of these four groups. For a continuous outcome, treated
    samples are ranked by ``y_true`` and control samples by ``-y_true``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; rows of weight 0 are ignored.

    Returns
    -------
    n_targeted : ndarray of shape (n_thresholds + 1,)
        Number (total weight) of samples targeted; starts at 0.
    gain : ndarray of shape (n_thresholds + 1,)
        Uplift gain of the oracle ordering; starts at 0.

    See Also
    --------
    uplift_curve : The curve of a model's scores.
    uplift_auc_score : Uses this curve to normalize the area.

    Examples
    --------
    >>> from actionable.metrics import perfect_uplift_curve
    >>> perfect_uplift_curve([1, 0, 1, 0], [1, 1, 0, 0])
    (array([0., 1., 2., 3., 4.]), array([0. , 1. , 2. , 1.5, 0. ]))
    """
    y_true, treatment, sample_weight = _check_outcome_inputs(y_true, treatment, sample_weight)
    return gain_from_counts(perfect_counts(y_true, treatment, sample_weight, "uplift"), "uplift")


def perfect_qini_curve(y_true, treatment, negative_effect=True, *, sample_weight=None):
    """Compute the perfect (oracle) Qini curve.

    With ``negative_effect=True`` the oracle targets treated successes first and
    control successes last, so the curve rises to its maximum and then falls
    back to the total gain. For a binary outcome this takes no sort (it depends
    only on the four group weights); for a continuous outcome, treated samples
    are ranked by ``y_true`` and control samples by ``-y_true``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed outcomes: binary (1 = favourable) or continuous.
    treatment : array-like of shape (n_samples,)
        1 for treated, 0 for control.
    negative_effect : bool, default=True
        If False, assume the intervention harms no one: the curve rises with
        slope 1 to the total gain and stays there (binary outcomes only; the
        point where it levels off is clipped at 0 when the total gain is
        negative).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; rows of weight 0 are ignored.

    Returns
    -------
    n_targeted : ndarray
        Number (total weight) of samples targeted; starts at 0.
    gain : ndarray
        Qini gain of the oracle ordering; starts at 0.

    See Also
    --------
    qini_curve : The curve of a model's scores.
    qini_auc_score : Uses this curve to normalize the area.

    Examples
    --------
    >>> from actionable.metrics import perfect_qini_curve
    >>> perfect_qini_curve([1, 0, 1, 0], [1, 1, 0, 0])
    (array([0., 1., 3., 4.]), array([0., 1., 1., 0.]))
    >>> perfect_qini_curve([1, 1, 1, 0], [1, 1, 0, 0], negative_effect=False)
    (array([0., 1., 4.]), array([0., 1., 1.]))
    """
    negative_effect = check_bool(negative_effect, "negative_effect")
    y_true, treatment, sample_weight = _check_outcome_inputs(y_true, treatment, sample_weight)
    if negative_effect:
        return gain_from_counts(perfect_counts(y_true, treatment, sample_weight, "qini"), "qini")
    if not is_binary(y_true):
        raise ValueError(MSG_NO_NEGATIVE_EFFECT_CONTINUOUS)
    return perfect_qini_without_negative_effect(*group_totals(y_true, treatment, sample_weight))


def _check_outcome_inputs(y_true, treatment, sample_weight):
    if np.ndim(y_true) == 1 and np.ndim(treatment) == 1:
        check_consistent_length(y_true=y_true, treatment=treatment, sample_weight=sample_weight)
    # the scores are irrelevant to the perfect curves; a placeholder keeps one check path
    placeholder = np.zeros(np.shape(y_true)[:1]) if y_true is not None else None
    y_true, _, treatment, sample_weight = check_inputs(
        y_true, placeholder, treatment, sample_weight
    )
    return y_true, treatment, sample_weight


def group_totals(y_true, treatment, sample_weight):
    """Weights of treated successes, treated failures, control successes, control failures."""
    weight = np.ones_like(y_true) if sample_weight is None else sample_weight
    treated_weight = weight * treatment
    treated = np.sum(treated_weight)
    control = np.sum(weight) - treated
    treated_positive = np.dot(treated_weight, y_true)
    control_positive = np.dot(weight, y_true) - treated_positive
    return (
        treated_positive,
        treated - treated_positive,
        control_positive,
        control - control_positive,
    )


def totals_from_counts(counts):
    """The four group weights, read off the last threshold of binary-outcome counts."""
    return (
        counts.y_treated[..., -1],
        counts.n_treated[..., -1] - counts.y_treated[..., -1],
        counts.y_control[..., -1],
        counts.n_control[..., -1] - counts.y_control[..., -1],
    )


def perfect_gain_from_counts(counts, kind, negative_effect):
    """Perfect curve ``(x, gain)`` of binary-outcome counts (one or a batch of replicates)."""
    return perfect_gain_from_totals(totals_from_counts(counts), kind, negative_effect)


def perfect_gain_from_totals(totals, kind, negative_effect):
    """Perfect curve ``(x, gain)`` from the four group weights (see :func:`group_totals`)."""
    if kind == "qini" and not negative_effect:
        return perfect_qini_without_negative_effect(*totals)
    return gain_from_counts(perfect_counts_from_totals(*totals, kind), kind)


def perfect_counts(y_true, treatment, sample_weight, kind):
    """Cumulative counts of the oracle ordering for ``kind`` in {'qini', 'uplift'}."""
    if is_binary(y_true):
        counts = perfect_counts_from_totals(*group_totals(y_true, treatment, sample_weight), kind)
        return _drop_empty_groups(counts)
    oracle_score = np.where(treatment == 1.0, y_true, -y_true)
    return cumulative_counts(y_true, oracle_score, treatment, sample_weight)


def perfect_counts_from_totals(
    treated_positive, treated_negative, control_positive, control_negative, kind
):
    """Oracle cumulative counts of a binary outcome from the four group weights.

    Works element-wise on arrays of group weights (one set per bootstrap
    replicate); groups of weight 0 stay in as repeated points, which add no area.
    """
    treated_positive, treated_negative, control_positive, control_negative = np.broadcast_arrays(
        *(
            np.asarray(v, dtype=np.float64)
            for v in (treated_positive, treated_negative, control_positive, control_negative)
        )
    )
    zero = np.zeros_like(treated_positive)
    if kind == "qini":
        # scikit-uplift's oracle score: +1 treated success, 0 failures, -1 control success
        n = (treated_positive, treated_negative + control_negative, control_positive)
        n_treated = (treated_positive, treated_negative, zero)
        y_treated = (treated_positive, zero, zero)
        y_control = (zero, zero, control_positive)
    else:
        control_success_first = control_positive > treated_negative
        third_treated = np.where(control_success_first, zero, treated_negative)
        fourth_treated = np.where(control_success_first, treated_negative, zero)
        third_control_positive = np.where(control_success_first, control_positive, zero)
        fourth_control_positive = np.where(control_success_first, zero, control_positive)
        n = (
            treated_positive,
            control_negative,
            third_treated + third_control_positive,
            fourth_treated + fourth_control_positive,
        )
        n_treated = (treated_positive, zero, third_treated, fourth_treated)
        y_treated = (treated_positive, zero, zero, zero)
        y_control = (zero, zero, third_control_positive, fourth_control_positive)

    def cumulative(parts):
        return np.cumsum(np.stack(parts, axis=-1), axis=-1)

    n, n_treated = cumulative(n), cumulative(n_treated)
    return CumulativeCounts(
        threshold=None,
        index=None,
        n=n,
        n_treated=n_treated,
        n_control=n - n_treated,
        y_treated=cumulative(y_treated),
        y_control=cumulative(y_control),
    )


def _drop_empty_groups(counts):
    keep = np.diff(counts.n, prepend=0.0) > 0
    return CumulativeCounts(*(None if values is None else values[keep] for values in counts))


def perfect_qini_without_negative_effect(
    treated_positive, treated_negative, control_positive, control_negative
):
    """Perfect Qini curve when the intervention harms no one (binary outcome)."""
    treated = treated_positive + treated_negative
    control = control_positive + control_negative
    gain = treated_positive - treated * control_positive / control
    n = treated + control
    knee = np.clip(gain, 0.0, n)
    zero = np.zeros_like(gain)
    return np.stack([zero, knee, n], axis=-1), np.stack([zero, gain, gain], axis=-1)
