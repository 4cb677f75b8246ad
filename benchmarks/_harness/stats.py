"""Summaries over repeated splits and paired differences with a corrected resampled t interval.

Repeated random 70/30 splits share training rows, so the naive paired t interval is too narrow.
We use the corrected resampled t interval of Nadeau & Bengio (2003), "Inference for the
generalization error", Machine Learning 52: the variance of the mean difference is
``sd**2 * (1 / k + n_test / n_train)`` instead of ``sd**2 / k``.
"""

import math

import numpy as np
from scipy import stats


def summarize(values):
    """Mean, sample standard deviation and count of the finite values."""
    array = np.asarray([v for v in values if v is not None], dtype=np.float64)
    array = array[np.isfinite(array)]
    if array.size == 0:
        return {"mean": None, "sd": None, "n": 0}
    sd = float(array.std(ddof=1)) if array.size > 1 else None
    return {"mean": float(array.mean()), "sd": sd, "n": int(array.size)}


def paired_difference(a, b, *, test_fraction, confidence=0.95):
    """Mean and corrected interval of ``a - b`` over the same splits (``None`` pairs dropped)."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if len(pairs) < 2:
        return None
    diff = np.array([x - y for x, y in pairs], dtype=np.float64)
    k = diff.size
    mean = float(diff.mean())
    sd = float(diff.std(ddof=1))
    ratio = test_fraction / (1.0 - test_fraction)
    half = float(stats.t.ppf(0.5 + confidence / 2, k - 1)) * sd * math.sqrt(1.0 / k + ratio)
    return {
        "mean": mean,
        "sd": sd,
        "n_splits": k,
        "ci_low": mean - half,
        "ci_high": mean + half,
        "confidence": confidence,
        "wins": int((diff > 0).sum()),
        "interval": "corrected resampled t (Nadeau & Bengio 2003)",
    }
