"""The randomization check of ``evaluate`` on partitions: exact balance, the same classifier.

In memory (:func:`actionable.production.randomization_check`), the check fits a
classifier of the treatment on at most ``MAX_CHECK_ROWS`` rows (a uniform sample,
drawn with the model's seed, beyond that) and measures its held-out AUC; the
standardized mean differences of the features between the arms use every row.
On partitions:

* the **balance** comes from per-partition sums: for each numeric feature and arm,
  the count, mean and sum of squared deviations of its non-missing values (merged
  with Chan's formula), and for each categorical feature the count of each level
  per arm; the differences are those of every row, to rounding;
* the **classifier** sees the very rows the in-memory check would: the sample's row
  positions are drawn on the client with the same generator and seed from the
  total number of rows, and each partition returns its sampled rows' features. So
  the AUC, its interval, the importances and the verdict are the in-memory ones.

Memory: on the client, the sample (at most ``MAX_CHECK_ROWS`` rows of features) and
a few numbers per feature and level.
"""

import dataclasses

import numpy as np
import pandas as pd

from actionable.production import randomization_check
from actionable.production._propensity import (
    MAX_LEVELS,
    balance_table,
    largest_level_difference,
)
from actionable.production._randomization import MAX_CHECK_ROWS


def sample_positions(sizes, seed):
    """Row positions, within each partition, of the rows the in-memory check learns from.

    Parameters
    ----------
    sizes : list of int
        Rows of each partition, in order.
    seed : int
        The check's ``random_state``.

    Returns
    -------
    list of ndarray
        Sorted positions within each partition (all rows up to ``MAX_CHECK_ROWS``).

    Examples
    --------
    >>> [p.tolist() for p in sample_positions([2, 3], 0)]
    [[0, 1], [0, 1, 2]]
    """
    n = int(sum(sizes))
    if n > MAX_CHECK_ROWS:  # as randomization_check draws them
        rng = np.random.default_rng(seed)
        sampled = np.sort(rng.choice(n, MAX_CHECK_ROWS, replace=False))
    else:
        sampled = np.arange(n)
    starts = np.cumsum([0, *sizes])
    return [
        sampled[(sampled >= start) & (sampled < stop)] - start
        for start, stop in zip(starts[:-1], starts[1:], strict=True)
    ]


def _moments(values):
    """Count, mean and sum of squared deviations of the non-missing values."""
    values = values[~np.isnan(values)]
    if values.size == 0:
        return 0, 0.0, 0.0
    mean = float(values.mean())
    return int(values.size), mean, float(((values - mean) ** 2).sum())


def _merge_moments(a, b):
    (n_a, mean_a, m2_a), (n_b, mean_b, m2_b) = a, b
    n = n_a + n_b
    if n_a == 0 or n_b == 0:
        return a if n_b == 0 else b
    delta = mean_b - mean_a
    return n, mean_a + delta * n_b / n, m2_a + m2_b + delta * delta * n_a * n_b / n


def partition_balance(X, treated):
    """Per feature: the moments (numeric) or level counts (categorical) of each arm.

    Returns
    -------
    dict
        ``{feature: ("numeric", (treated, control)) or ("levels", (treated, control))}``
        and ``"_arms"``: the rows of each arm.
    """
    found = {"_arms": (int(treated.sum()), int((~treated).sum()))}
    for name in X.columns:
        column = X[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            found[name] = ("numeric", (_moments(values[treated]), _moments(values[~treated])))
        else:
            found[name] = (
                "levels",
                (_level_counts(column, treated), _level_counts(column, ~treated)),
            )
    return found


def _level_counts(column, rows):
    """Rows of each level (as text, as the in-memory check reads them) among ``rows``."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # counted on the codes: no text per row
        codes = column.cat.codes.to_numpy()[rows]
        counts = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories))
        levels = pd.Index(column.cat.categories).astype("string")
        counts = pd.Series(counts, index=levels)
        return counts[counts > 0].groupby(level=0).sum()
    return column[rows].astype("string").value_counts()


def _smd(treated, control):
    """As the in-memory check: (mean_t - mean_c) / sqrt((var_t + var_c) / 2)."""
    (n_t, mean_t, m2_t), (n_c, mean_c, m2_c) = treated, control
    if n_t == 0 or n_c == 0:
        return np.nan
    spread = np.sqrt((m2_t / n_t + m2_c / n_c) / 2)
    if not np.isfinite(spread) or spread == 0:
        return 0.0 if mean_t == mean_c else np.nan
    return float((mean_t - mean_c) / spread)


def _level_smd(count_t, count_c, n_t, n_c):
    """The difference of a 0/1 column (one level against the rest, missing counted as 0)."""
    p_t, p_c = count_t / n_t, count_c / n_c
    return _smd((n_t, p_t, n_t * p_t * (1 - p_t)), (n_c, p_c, n_c * p_c * (1 - p_c)))


def merge_balance(parts):
    """The standardized differences of all rows from :func:`partition_balance` of each part.

    Returns
    -------
    pandas.DataFrame
        As :func:`actionable.production.standardized_differences`: ``feature``,
        ``level`` and ``smd``, by decreasing absolute ``smd``.
    """
    n_t = sum(part["_arms"][0] for part in parts)
    n_c = sum(part["_arms"][1] for part in parts)
    rows = []
    for name, (kind, _) in parts[0].items():
        if name == "_arms":
            continue
        arms = [part[name][1] for part in parts]
        if kind == "numeric":
            treated, control = (0, 0.0, 0.0), (0, 0.0, 0.0)
            for part_t, part_c in arms:
                treated, control = _merge_moments(treated, part_t), _merge_moments(control, part_c)
            rows.append((str(name), None, _smd(treated, control)))
            continue
        counts_t = pd.concat([t for t, _ in arms]).groupby(level=0).sum()
        counts_c = pd.concat([c for _, c in arms]).groupby(level=0).sum()
        total = counts_t.add(counts_c, fill_value=0).sort_values(ascending=False, kind="stable")
        found = [
            (str(level), _level_smd(counts_t.get(level, 0), counts_c.get(level, 0), n_t, n_c))
            for level in total.index[:MAX_LEVELS]
        ]
        rows.append(largest_level_difference(name, found))
    return balance_table(rows)


def check_at_scale(sample_X, sample_treatment, balance, *, n_rows, n_treated, seed):
    """The in-memory :func:`randomization_check` of the sample, with the balance of all rows.

    Returns
    -------
    RandomizationCheck
    """
    check = randomization_check(sample_X, sample_treatment, random_state=seed)
    return dataclasses.replace(
        check, n_rows=int(n_rows), treated_share=float(n_treated / n_rows), balance=balance
    )
