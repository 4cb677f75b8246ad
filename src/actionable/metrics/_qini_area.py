"""The Qini area of distinct scores without the curve: ``qini_auc_score``'s fast path.

For a binary outcome, no weights and no tied scores (continuous model outputs),
rank the rows by decreasing score. After ``k`` rows the Qini gain is
``q(k) = Y_t(k) - Y_c(k) r(k)``, with ``r(k) = N_t(k) / N_c(k)`` (0 while no
control row is in). The area from the origin, ``sum_k q(k) - q(n) / 2``, splits
into two sums that need neither the curve nor a cumulative count over all rows:

* ``sum_k Y_t(k)``: a treated success ranked ``i``-th (from 1) counts in every
  ``k >= i``, so the sum is ``sum (n - i + 1)`` over the treated successes;
* ``sum_k Y_c(k) r(k)``: between two consecutive control rows ``N_c = c`` and
  ``Y_c`` are constant and ``N_t(k) = k - c``, so each run of points adds an
  arithmetic series; one pass over the control rows, in chunks that stay in the
  processor's cache, adds them up (see :func:`_control_sum`).

Beyond the one sort (:func:`~actionable.metrics._kernel.labels_by_distinct_score`),
that is two ``np.flatnonzero`` over the ranked labels and arithmetic on the
control rows. Inputs are checked cheaply in their own dtype; anything the fast
path does not cover (weights, a continuous or invalid outcome, an invalid
treatment, tied scores) returns None, and the caller's general path, with its
full validation and error messages, takes over. Both paths agree to about 1e-12.
"""

from typing import NamedTuple

import numpy as np

from actionable._validation import as_1d_float

from ._common import ratio_to_perfect, undefined_auc_message, warn_undefined
from ._curves import perfect_gain_from_totals
from ._kernel import labels_by_distinct_score, pair_labels, probably_tied

# Control rows per chunk of the area's sums: arrays of 128 KiB, which stay in cache.
_CHUNK_ROWS = 1 << 14


class QiniArea(NamedTuple):
    """The model's Qini area and what the perfect curve needs (the four group counts)."""

    area: float
    """Area under the model's Qini curve from the origin (trapezoids of unit width)."""
    treated_positive: int
    treated_negative: int
    control_positive: int
    control_negative: int


def qini_score_of_distinct_scores(y_true, uplift, treatment, negative_effect, *, stacklevel=4):
    """``qini_auc_score`` of untied scores of a binary outcome, or None where it does not apply.

    ``stacklevel`` makes an undefined score's warning point at the public function's
    caller (4: called by the public function itself).
    """
    fast = qini_area_of_distinct_scores(y_true, uplift, treatment)
    if fast is None:
        return None
    totals = tuple(
        float(count)
        for count in (
            fast.treated_positive,
            fast.treated_negative,
            fast.control_positive,
            fast.control_negative,
        )
    )
    perfect = perfect_gain_from_totals(totals, "qini", negative_effect)
    ratio, undefined = ratio_to_perfect(fast.area, perfect)
    if undefined:
        message = undefined_auc_message("qini", perfect, negative_effect)
        warn_undefined(message, stacklevel=stacklevel)
    return float(ratio)


def qini_area_of_distinct_scores(y_true, uplift, treatment):
    """The Qini area of untied scores of a binary outcome, or None where it does not apply.

    Parameters
    ----------
    y_true, uplift, treatment : array-like of shape (n_samples,)
        As given to ``qini_auc_score`` (no weights).

    Returns
    -------
    QiniArea or None
        None when an input is not a plain 1-D array of 0/1 values (outcome and
        treatment), the lengths differ, one arm is empty or two scores are tied.

    Raises
    ------
    ValueError
        For a NaN or infinite score, with the general path's message (the other
        inputs are then valid, so the general path would raise the same).
    """
    labels = _binary_labels(y_true, treatment)
    if labels is None or uplift is None or np.ndim(uplift) != 1 or len(uplift) != labels.size:
        return None  # the general path checks these in its own order, with its messages
    score = as_1d_float(uplift, "uplift")
    if probably_tied(score):
        return None
    ranked = labels_by_distinct_score(score, labels)
    if ranked is None:
        return None
    return _area_of_ranked_labels(ranked)


def _binary_labels(y_true, treatment):
    """``2 * treatment + y_true`` as uint8 when both are 1-D arrays of 0/1 of one length."""
    arrays = [np.asarray(y_true), np.asarray(treatment)]
    if any(a.ndim != 1 or a.size == 0 for a in arrays) or arrays[0].size != arrays[1].size:
        return None
    for values in arrays:
        if not values.dtype.isnative:  # the check below reads the bytes in native order
            return None
        if values.dtype.kind in "iu":
            unsigned = values.view(np.dtype(f"u{values.dtype.itemsize}"))
            if np.bitwise_or.reduce(unsigned) > 1:  # a negative integer sets high bits
                return None
        elif values.dtype.kind == "f":
            if not ((values == 0.0) | (values == 1.0)).all():
                return None
        elif values.dtype.kind != "b":
            return None
    return pair_labels(*arrays)


def _area_of_ranked_labels(labels):
    n = labels.size
    control_rows = np.flatnonzero(labels < 2)  # 0-based ranks of the control rows
    n_control = control_rows.size
    if n_control in (0, n):
        return None  # one arm is empty: the general path raises
    control_sum, n_control_successes = _control_sum(labels, control_rows)
    treated_successes = np.flatnonzero(labels == 3)
    # a treated success at 0-based rank i counts in the n - i points from i on
    ranks = treated_successes.sum(dtype=_exact_type(n))
    treated_sum = float(n) * treated_successes.size - float(ranks)
    n_treated = n - n_control
    last_gain = treated_successes.size - n_control_successes * n_treated / n_control
    return QiniArea(
        area=treated_sum - control_sum - last_gain / 2.0,
        treated_positive=treated_successes.size,
        treated_negative=n_treated - treated_successes.size,
        control_positive=n_control_successes,
        control_negative=n_control - n_control_successes,
    )


def _control_sum(labels, control_rows):
    """``sum_k Y_c(k) r(k)`` and the number of control successes, control row by control row.

    The points where ``c`` control rows are in run from ``k = P`` to ``E`` (1-based):
    ``P`` is the ``c``-th control row's rank + 1, ``E`` the next one's rank (``n``
    after the last). There ``N_t(k) = k - c``, so ``r`` sums to ``(L (P + E) / 2 - c L)
    / c`` over those ``L = E - P + 1`` points, and ``Y_c`` is the number of control
    successes among the first ``c`` control rows. Chunks of control rows keep every
    temporary array in the processor's cache.
    """
    total, successes = 0.0, 0
    n_control = control_rows.size
    product_type = _exact_type(labels.size)
    for first in range(0, n_control, _CHUNK_ROWS):
        last = min(first + _CHUNK_ROWS, n_control)
        starts = control_rows[first:last]
        ends = control_rows[first + 1 : last + 1]
        if last == n_control:
            ends = np.append(ends, labels.size)
        lengths = ends - starts
        ratio_sums = ends + starts
        ratio_sums += 1
        # L (P + E) <= 2 n^2
        ratio_sums = np.multiply(ratio_sums, lengths, dtype=product_type)
        ratio_sums = np.divide(ratio_sums, np.arange(2.0 * first + 2.0, 2.0 * last + 1.0, 2.0))
        ratio_sums -= lengths
        successes_so_far = np.cumsum(labels[starts], dtype=np.int64)  # 1 = control success
        successes_so_far += successes
        successes = int(successes_so_far[-1])
        total += float(np.dot(successes_so_far.astype(np.float64), ratio_sums))
    return total, successes


def _exact_type(n):
    """int64 where sums and products of ranks (at most 2 n^2) cannot overflow, else float64."""
    return np.int64 if n < 2**31 else np.float64
