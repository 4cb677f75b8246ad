"""The churn score of a continuous outcome: the expected outcome at risk.

A retention team that measures its customers in money (the revenue each keeps
paying, 0 once gone) does not contact the smallest spenders first: it contacts the
revenue most likely to be lost, the chance of losing the customer times what the
customer is worth when kept. :class:`OutcomeRegressor` ranks by that score in the
churn framing when the outcome allows it (see :func:`at_risk_applies`).
"""

import numpy as np

from actionable.models._base import fit_model, rows_of_fit_params, scores_of
from actionable.models._rows import take_rows

AT_RISK_MIN_SHARE = 0.01
"""The outcome at risk needs at least this share of zero and of positive training rows."""

AT_RISK_MIN_ROWS = 20
"""... and at least this many of each, to fit the chance of a zero and the amount kept."""

AT_RISK = "outcome at risk"
LOWEST = "lowest predicted outcome"
HIGHEST = "highest predicted outcome"


def at_risk_applies(y):
    """Whether the outcome at risk can be estimated from the training outcomes ``y``.

    It needs an outcome that is never negative (an amount kept, 0 when lost) with
    enough zeros and enough positive values: each at least ``AT_RISK_MIN_SHARE`` of
    the rows and at least ``AT_RISK_MIN_ROWS`` rows.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The outcomes of the training rows.

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> at_risk_applies(np.r_[np.zeros(30), np.full(70, 12.5)])
    True
    >>> at_risk_applies(np.r_[np.zeros(30), np.full(70, -12.5)])  # a negative outcome
    False
    >>> at_risk_applies(np.full(100, 12.5))  # nobody loses anything
    False
    """
    y = np.asarray(y, dtype=np.float64)
    if y.size == 0 or y.min() < 0.0:
        return False
    zeros = int(np.count_nonzero(y == 0.0))
    needed = max(AT_RISK_MIN_ROWS, AT_RISK_MIN_SHARE * y.size)
    return min(zeros, y.size - zeros) >= needed


def fit_at_risk(X, y, rows, *, seeds, n_jobs, fit_params):
    """Fit the two parts of the outcome at risk on the rows ``rows`` (``None``: all).

    Returns ``(kept_model, amount_model)``: the default classifier of ``y > 0`` and
    the default regressor of ``y`` on the rows where it is positive (whose objective
    follows those positive amounts only).
    """
    rows = np.arange(y.shape[0]) if rows is None else np.asarray(rows)
    kept_model = fit_model(
        None,
        X,
        (y > 0.0).astype(int),
        kind="classifier",
        rows=rows,
        seed=seeds[0],
        n_jobs=n_jobs,
        fit_params=fit_params,
    )
    positive = rows[y[rows] > 0.0]
    amount_model = fit_model(
        None,
        take_rows(X, positive),
        y[positive],
        kind="outcome",
        seed=seeds[1],
        n_jobs=n_jobs,
        fit_params=rows_of_fit_params(fit_params, positive),
    )
    return kept_model, amount_model


def outcome_at_risk(kept_model, amount_model, X):
    """P(y = 0 | x) x E[y | y > 0, x] from the two fitted parts, for checked ``X``."""
    return (1.0 - scores_of(kept_model, X)) * scores_of(amount_model, X)
