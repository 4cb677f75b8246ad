"""Input checks of the uplift learners: features, outcome, treatment arms.

Pandas frames pass through so LightGBM sees categorical columns (string columns become
categories); the outcome must be 0/1 when a classifier models it; the treatment is
binary, or arm labels around a ``control_label``.
"""

import numpy as np
import pandas as pd
from sklearn.base import is_classifier, is_regressor
from sklearn.utils.validation import check_array

from actionable._compat import validate_data
from actionable._validation import (
    as_1d_float,
    check_binary,
    check_binary_treatment,
    check_consistent_length,
    check_control_label,
)


def check_outcome(y, n_samples, *, binary, purpose=" for a classifier"):
    """Return ``y`` as float64; check it is 0/1 when a classifier models it.

    ``purpose`` says why a 0/1 outcome is needed, in the message of a non-binary ``y``.
    """
    y = as_1d_float(y, "y")
    check_consistent_length(X=range(n_samples), y=y)
    if binary:
        check_binary(y, "y", meaning="1 = favourable outcome", purpose=purpose)
    return y


def models_binary_outcome(estimator):
    """Whether an outcome model needs a 0/1 y: a passed classifier (the default adapts)."""
    if estimator is None:
        return False
    return is_classifier(estimator) or not is_regressor(estimator)


def check_features(estimator, X, *, reset):
    """Validate ``X``: keep pandas frames (categoricals reach LightGBM), check arrays.

    String (object or ``str`` dtype) columns of a frame become categorical columns with
    the categories seen in ``fit``, so ``fit`` and ``predict`` encode them identically;
    values unseen in ``fit`` become missing. Characters LightGBM rejects in feature
    names (``[]{}":,``) are replaced by ``_`` in the frame handed to inner models
    (``feature_names_in_`` keeps the original names).
    """
    if isinstance(X, pd.DataFrame):
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        X = _with_safe_column_names(X)
        if reset:
            estimator.string_categories_ = {
                column: pd.Index(sorted(X[column].dropna().unique()))
                for column in X.columns
                if _is_string_column(X[column])
            }
        categories = getattr(estimator, "string_categories_", {})
        if categories:
            X = X.assign(
                **{
                    column: pd.Categorical.from_codes(
                        values.get_indexer(X[column]), categories=values
                    )
                    for column, values in categories.items()
                }
            )
        return X
    X = check_array(X, dtype="numeric", ensure_all_finite="allow-nan", estimator=estimator)
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    if reset:
        estimator.string_categories_ = {}
    return X


_UNSAFE_NAME_CHARACTERS = str.maketrans(dict.fromkeys('[]{}":,', "_"))


def _with_safe_column_names(X):
    """Replace the characters LightGBM rejects in column names (keeping names unique)."""
    names = [str(name) for name in X.columns]
    safe = [name.translate(_UNSAFE_NAME_CHARACTERS) for name in names]
    if safe == names:
        return X
    seen = set(names)
    unique = []
    for name, new in zip(names, safe, strict=True):
        if new != name:
            while new in seen:
                new += "_"
            seen.add(new)
        unique.append(new)
    return X.set_axis(unique, axis=1)


def _is_string_column(series):
    return pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)


def split_arms(treatment, control_label, n_samples):
    """Return ``(labels, arm_of_row)``: the treatment arms and each row's arm index.

    With ``control_label=None`` the treatment must be binary (0 control, 1 treated).
    Otherwise rows equal to ``control_label`` are the control and every other distinct
    value is an arm; ``arm_of_row`` is -1 for control rows.
    """
    if control_label is None:
        flags = check_binary_treatment(treatment)
        check_consistent_length(X=range(n_samples), treatment=flags)
        return np.array([1]), np.where(flags == 1.0, np.int8(0), np.int8(-1))
    values = treatment.to_numpy() if isinstance(treatment, pd.Series) else np.asarray(treatment)
    is_control = check_control_label(values, control_label)
    check_consistent_length(X=range(n_samples), treatment=values)
    labels = pd.unique(values[~is_control])
    try:
        labels = np.array(sorted(labels), dtype=values.dtype)
    except TypeError:  # mixed types cannot be sorted; keep order of appearance
        labels = np.asarray(labels, dtype=object)
    # one byte a row up to 127 arms: the index lives as long as the fit
    arm_of_row = np.full(values.shape[0], -1, dtype=np.int8 if len(labels) < 128 else np.int32)
    for index, label in enumerate(labels):
        arm_of_row[values == label] = index
    return labels, arm_of_row
