"""Rows of a feature matrix: selecting them, appending the treatment, scoring in chunks."""

import numpy as np
import pandas as pd

# Rows scored at a time: a frame is converted to numbers chunk by chunk, so scoring
# never holds a second copy of a large input.
PREDICT_CHUNK_ROWS = 100_000
_TREATMENT_COLUMN = "treatment_indicator_"


def take_rows(X, rows):
    """Rows of an array or a frame, selected by a boolean mask or integer indices."""
    rows = np.asarray(rows)
    if rows.dtype == bool:
        rows = np.flatnonzero(rows)
    if isinstance(X, pd.DataFrame):
        return X.iloc[rows]
    return X[rows]


def with_treatment(X, value):
    """Append the treatment indicator (a scalar or one value per row) as the last feature."""
    if isinstance(X, pd.DataFrame):
        column = _TREATMENT_COLUMN
        while column in X.columns:
            column += "_"
        return X.assign(**{column: np.broadcast_to(np.asarray(value, float), X.shape[0])})
    flags = np.broadcast_to(np.asarray(value, dtype=X.dtype), (X.shape[0],))
    return np.column_stack([X, flags])


def predict_in_chunks(predict, X, rows=None, chunk_rows=None):
    """``predict(chunk)`` over consecutive chunks of rows of ``X``, concatenated as float64.

    ``rows`` (int indices, ``None`` for all) selects the rows scored, chunk by chunk,
    so that only one chunk is ever copied.
    """
    chunk_rows = chunk_rows or PREDICT_CHUNK_ROWS
    n = X.shape[0] if rows is None else len(rows)
    if n <= chunk_rows:
        chunk = X if rows is None else take_rows(X, rows)
        return np.asarray(predict(chunk), dtype=np.float64)
    out = None
    for start in range(0, n, chunk_rows):
        if rows is None:
            chunk = (
                X.iloc[start : start + chunk_rows]
                if isinstance(X, pd.DataFrame)
                else (X[start : start + chunk_rows])
            )
        else:
            chunk = take_rows(X, rows[start : start + chunk_rows])
        values = np.asarray(predict(chunk), dtype=np.float64)
        if out is None:
            out = np.empty((n, *values.shape[1:]))
        out[start : start + values.shape[0]] = values
    return out
