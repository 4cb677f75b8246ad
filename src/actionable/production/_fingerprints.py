"""Fingerprints of the training rows: a model recognizes the rows it was trained on.

``evaluate`` refuses data made of training rows (an in-sample score would flatter the
model); the rows are recognized by a 64-bit hash of their features, treatment, outcome
(and identifier), kept for at most ``FINGERPRINT_ROWS`` rows (a uniform sample beyond).
"""

import numpy as np
import pandas as pd

FINGERPRINT_ROWS = 1_000_000
"""At most this many training rows are fingerprinted (a uniform sample beyond)."""


def row_fingerprints(X, y, treatment, ids=None):
    """A 64-bit hash per row of its features, treatment, outcome (and identifier).

    Built from the features as the schema conforms them (numbers as float64,
    categories as text), so a table saved again in another format (CSV to Parquet)
    hashes the same.

    Parameters
    ----------
    X : pandas.DataFrame
        Conformed features.
    y, treatment : ndarray of shape (n_samples,)
        0/1 flags (``y``: a continuous outcome's values).
    ids : array-like of shape (n_samples,), default=None
        Identifiers, as text.

    Returns
    -------
    ndarray of uint64
    """
    canonical = pd.DataFrame(
        {
            name: (
                X[name].astype(object).where(X[name].notna(), "")
                if isinstance(X[name].dtype, pd.CategoricalDtype)
                else X[name].to_numpy(dtype=np.float64)
            )
            for name in X.columns
        }
    )
    canonical["__treatment"] = np.asarray(treatment, dtype=np.float64)
    canonical["__outcome"] = np.asarray(y, dtype=np.float64)
    if ids is not None:
        canonical["__id"] = pd.Series(ids).astype(str).to_numpy()
    return pd.util.hash_pandas_object(canonical, index=False).to_numpy()


def training_fingerprints(X, y, treatment, ids, seed):
    """Hashes of (a sample of) the training rows, and the share of rows they cover."""
    rows = np.arange(y.size)
    if rows.size > FINGERPRINT_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(rows, FINGERPRINT_ROWS, replace=False))
    hashes = row_fingerprints(
        X.iloc[rows], y[rows], treatment[rows], None if ids is None else np.asarray(ids)[rows]
    )
    return {"hashes": np.unique(hashes), "sampled_share": rows.size / y.size}
