"""Inverse-propensity weights and the balance of the features between arms.

A targeted campaign whose contact probabilities are known (logged) can be analysed as a
randomized experiment after weighting each row by the inverse of the probability of the
arm it got: the Hajek form of inverse probability weighting (Horvitz & Thompson 1952;
Hajek 1971), normalized so that the weights sum to about the number of rows and the
weighted treated share is the observed one in every region of the features. Extreme
probabilities are clipped, which trades a little bias for a bounded variance, and the
effective number of rows the weights are worth (Kish 1965) is reported.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

LOGGED_CLIP = (0.01, 0.99)
"""Logged propensities are clipped to this range before weighting."""
ESTIMATED_CLIP = (0.05, 0.95)
"""Propensities estimated from the features are clipped to this narrower range."""
MAX_LEVELS = 50
"""Categorical features: the standardized difference of at most this many levels."""


@dataclass(frozen=True)
class PropensityWeights:
    """Inverse-propensity weights that turn a targeted campaign into a pseudo-experiment.

    Parameters
    ----------
    weights : ndarray of shape (n_samples,)
        ``share / e`` for treated rows, ``(1 - share) / (1 - e)`` for control rows,
        with ``share`` the treated share and ``e`` the clipped propensity: they sum to
        about the number of rows, and in every region of the features the weighted
        treated share is ``share``, as in a randomized experiment.
    propensity : ndarray of shape (n_samples,)
        The clipped propensities.
    source : {"logged", "estimated"}
        Whether the propensities were logged by the campaign or estimated from the
        features (``assume_recorded_selection``).
    clip : tuple of float
        The range the propensities were clipped to.
    n_clipped : int
        Rows whose propensity was outside ``clip``.
    effective_rows : float
        Kish's effective sample size of the weights, ``(sum w)^2 / sum w^2``.
    """

    weights: np.ndarray
    propensity: np.ndarray
    source: str
    clip: tuple
    n_clipped: int
    effective_rows: float

    def to_dict(self):
        """Overlap diagnostics as a JSON-serializable dict.

        Returns
        -------
        dict
        """
        return {
            "source": self.source,
            "clip": list(self.clip),
            "n_rows": int(self.weights.size),
            "n_clipped": int(self.n_clipped),
            "effective_rows": float(self.effective_rows),
            "propensity_min": float(self.propensity.min()),
            "propensity_max": float(self.propensity.max()),
            "max_weight": float(self.weights.max()),
        }

    def describe(self):
        """One sentence on the weights: where they come from, clipping, effective rows."""
        return (
            f"rows weighted by the inverse of their {self.source} propensity (clipped to "
            f"[{self.clip[0]:g}, {self.clip[1]:g}]: {self.n_clipped:,} of "
            f"{self.weights.size:,} rows); the weights are worth "
            f"{self.effective_rows:,.0f} rows of a randomized experiment"
        )


def read_propensity(frame, column):
    """The logged propensities in ``frame[column]``, checked to be probabilities.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    column : str
        Column holding each row's probability of being treated.

    Returns
    -------
    ndarray of shape (n_samples,)

    Raises
    ------
    ValueError
        One line naming the column and the first bad row: missing, not numeric, or
        not strictly between 0 and 1 (a row that could not have been in both arms).
    """
    if column not in frame.columns:
        raise ValueError(
            f"propensity column {column!r} is missing from DATA; its columns are "
            f"{', '.join(map(repr, list(frame.columns)[:8]))}."
        )
    series = frame[column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise ValueError(
            f"propensity column {column!r} is not numeric ({series.dtype}): it must hold "
            "each row's probability of being treated."
        )
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return check_propensity(values, values.size, name=f"propensity column {column!r}")


def check_propensity(propensity, n_samples, *, name="propensity"):
    """Return ``propensity`` as float64, checking its length and that each is in (0, 1)."""
    values = np.asarray(propensity, dtype=np.float64).reshape(-1)
    if values.size != n_samples:
        raise ValueError(
            f"{name} has {values.size:,} values for {n_samples:,} rows: one per row is needed."
        )
    bad = ~((values > 0) & (values < 1))
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(
            f"{name} has {float(values[row])!r} at row {row}: a propensity must be strictly "
            "between 0 and 1 (a row that could only have been in one arm says nothing about "
            "the other)."
        )
    return values


def balancing_weights(treatment, propensity, *, source="logged", clip=None):
    """Inverse-propensity weights emulating a randomized experiment with the same treated share.

    Parameters
    ----------
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control.
    propensity : array-like of shape (n_samples,)
        Each row's probability of being treated.
    source : {"logged", "estimated"}, default="logged"
        Where the propensities come from (sets the default clipping).
    clip : tuple of float, default=None
        Range the propensities are clipped to; ``None``: ``LOGGED_CLIP`` or
        ``ESTIMATED_CLIP``.

    Returns
    -------
    PropensityWeights

    Examples
    --------
    >>> w = balancing_weights([1, 0, 1, 0], [0.8, 0.8, 0.2, 0.2])
    >>> w.weights.round(3).tolist(), w.n_clipped
    ([0.625, 2.5, 2.5, 0.625], 0)
    """
    treatment = np.asarray(treatment, dtype=np.float64)
    raw = check_propensity(propensity, treatment.size)
    clip = tuple(clip or (LOGGED_CLIP if source == "logged" else ESTIMATED_CLIP))
    clipped = np.clip(raw, *clip)
    share = float(treatment.mean())
    weights = np.where(treatment == 1, share / clipped, (1 - share) / (1 - clipped))
    return PropensityWeights(
        weights=weights,
        propensity=clipped,
        source=source,
        clip=clip,
        n_clipped=int(np.count_nonzero(clipped != raw)),
        effective_rows=float(weights.sum() ** 2 / np.sum(weights**2)),
    )


def _weighted_moments(values, weights):
    keep = ~np.isnan(values)
    if not keep.any() or weights[keep].sum() <= 0:
        return np.nan, np.nan
    mean = np.average(values[keep], weights=weights[keep])
    return mean, np.average((values[keep] - mean) ** 2, weights=weights[keep])


def _smd(values, treated, weights):
    mean_t, var_t = _weighted_moments(values[treated], weights[treated])
    mean_c, var_c = _weighted_moments(values[~treated], weights[~treated])
    spread = np.sqrt((var_t + var_c) / 2)
    if not np.isfinite(spread) or spread == 0:
        return 0.0 if mean_t == mean_c else np.nan
    return float((mean_t - mean_c) / spread)


def standardized_differences(X, treatment, *, sample_weight=None):
    """Standardized mean difference of each feature between treated and control rows.

    ``(mean_treated - mean_control) / sqrt((var_treated + var_control) / 2)`` (Austin
    2009), weighted when ``sample_weight`` is given. A categorical feature counts
    each of its ``MAX_LEVELS`` most frequent levels as a 0/1 column and reports the
    level with the largest absolute difference.

    Parameters
    ----------
    X : pandas.DataFrame
        Features.
    treatment : array-like of shape (n_samples,)
        1 treated, 0 control.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights (e.g. ``balancing_weights(...).weights``).

    Returns
    -------
    pandas.DataFrame
        Columns ``feature``, ``level`` (``None`` for numeric features) and ``smd``,
        sorted by decreasing absolute ``smd``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [20, 30, 40, 50], "plan": ["a", "b", "a", "b"]})
    >>> standardized_differences(X, [1, 1, 0, 0])[["feature", "smd"]].round(2).values.tolist()
    [['age', -4.0], ['plan', 0.0]]
    """
    treated = np.asarray(treatment, dtype=np.float64) == 1
    weights = np.ones(treated.size) if sample_weight is None else np.asarray(sample_weight, float)
    rows = []
    for name in X.columns:
        column = X[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            rows.append((str(name), None, _smd(values, treated, weights)))
            continue
        levels = column.astype("string").value_counts().index[:MAX_LEVELS]
        text = column.astype("string").to_numpy(dtype=object, na_value=None)
        found = [(str(level), _smd((text == level).astype(float), treated, weights))
                 for level in levels]  # fmt: skip
        rows.append(largest_level_difference(name, found))
    return balance_table(rows)


def largest_level_difference(feature, found):
    """``(feature, level, smd)`` of the level whose difference is largest in absolute value.

    ``found`` holds ``(level, smd)`` pairs; with none (every value missing), the row has no
    level and a NaN difference.
    """
    if not found:
        return (str(feature), None, np.nan)
    level, smd = max(found, key=lambda item: abs(item[1]) if np.isfinite(item[1]) else -1)
    return (str(feature), level, smd)


def balance_table(rows):
    """``(feature, level, smd)`` rows as a table, by decreasing absolute ``smd`` (NaN last)."""
    table = pd.DataFrame(rows, columns=["feature", "level", "smd"])
    order = np.argsort(-np.nan_to_num(table["smd"].abs().to_numpy(), nan=-1.0), kind="stable")
    return table.iloc[order].reset_index(drop=True)
