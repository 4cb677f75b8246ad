"""Input checks of tables: a column present, treatment labels read as 0/1 flags.

The companion of ``_validation`` (arrays and numbers) for pandas frames read from files:
messages name the file or the column, as the user wrote it. This module imports nothing
from the rest of the package.
"""

import numpy as np
import pandas as pd

_MSG_MISSING_COLUMN = "{what} {column!r} is missing from {where}; its columns are {columns}."
_MSG_LABEL_MISSING = (
    "{where} has a missing value at row {index}; every row must be treated or control."
)
_MSG_LABELS_UNEXPECTED = "{where} must contain only {treated!r} and {control!r}; found {values}."
_MSG_LABELS_MANY = (
    "{where} has {count} values {values}; exactly two are needed (treated {treated!r} and a "
    "control); filter the other arms first."
)
_MSG_LABEL_NO_TREATED = (
    "{where} has no treated rows: no value equals `treated` {treated!r} (values: {values})."
)
_MSG_LABEL_NO_CONTROL = (
    "{where} has no control rows: every row is {treated!r}; uplift needs a randomized control "
    "group."
)


def describe_values(values, limit=5):
    """``['a', 'b', ... (12 in all)]``: the first values of a list, for messages.

    Examples
    --------
    >>> describe_values(list("abcdefg"), limit=2)
    "['a', 'b', ... (7 in all)]"
    """
    shown = [str(v) for v in values[:limit]]
    more = f", ... ({len(values)} in all)" if len(values) > limit else ""
    return "[" + ", ".join(repr(v) for v in shown) + more + "]"


def check_columns(frame, required, *, where, what="column"):
    """Raise ``ValueError`` naming the first of the ``required`` columns absent from ``frame``.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), ["a", "b"], where="toy.csv")
    Traceback (most recent call last):
    ...
    ValueError: column 'b' is missing from toy.csv; its columns are ['a'].
    """
    for column in required:
        if column not in frame.columns:
            columns = describe_values(list(frame.columns), limit=8)
            raise ValueError(
                _MSG_MISSING_COLUMN.format(what=what, column=column, where=where, columns=columns)
            )


def matches_label(column, label):
    """Boolean mask of ``column == label``: as a number in a numeric column, as text otherwise.

    A label given as text (a command line, a TOML file) thus matches numbers and booleans.

    Examples
    --------
    >>> matches_label(pd.Series([1, 0, 1]), "1")
    array([ True, False,  True])
    """
    if pd.api.types.is_bool_dtype(column):
        text = str(label).strip().lower()
        if text in ("1", "true", "yes"):
            return column.to_numpy(dtype=bool)
        if text in ("0", "false", "no"):
            return ~column.to_numpy(dtype=bool)
        return np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column):
        try:
            number = float(label)
        except (TypeError, ValueError):
            return np.zeros(len(column), dtype=bool)
        return column.to_numpy(dtype=np.float64, na_value=np.nan) == number
    return (column.astype("string") == str(label)).fillna(False).to_numpy(dtype=bool)


def labelled_treatment_flags(column, treated, *, control=None, where):
    """Return 0/1 float flags of a labelled treatment column, with both arms present.

    Parameters
    ----------
    column : pandas.Series
        The treatment labels, no missing value.
    treated : object
        Label of the treated rows (matched by :func:`matches_label`).
    control : object, default=None
        Label of the control rows; ``None`` accepts any one other value.
    where : str
        The column as messages name it, e.g. ``"treatment column 'offer'"``.

    Examples
    --------
    >>> labelled_treatment_flags(pd.Series(["yes", "no"]), "yes", where="offer")
    array([1., 0.])
    """
    missing = column.isna().to_numpy()
    if missing.any():
        raise ValueError(_MSG_LABEL_MISSING.format(where=where, index=int(np.argmax(missing))))
    values = list(pd.unique(column))
    is_treated = matches_label(column, treated)
    if control is not None and not (is_treated | matches_label(column, control)).all():
        found = describe_values(sorted(map(str, values)))
        message = _MSG_LABELS_UNEXPECTED.format(
            where=where, treated=treated, control=control, values=found
        )
        raise ValueError(message)
    if len(values) > 2:
        message = _MSG_LABELS_MANY.format(
            where=where, count=len(values), values=describe_values(values), treated=treated
        )
        raise ValueError(message)
    if not is_treated.any():
        message = _MSG_LABEL_NO_TREATED.format(
            where=where, treated=treated, values=describe_values(values)
        )
        raise ValueError(message)
    if is_treated.all():
        raise ValueError(_MSG_LABEL_NO_CONTROL.format(where=where, treated=treated))
    return is_treated.astype(np.float64)
