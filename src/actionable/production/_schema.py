"""The features a model was trained on, and how new data is made to match them."""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

UNSEEN_SHARE_ERROR = 0.5
"""A categorical feature whose values were mostly never seen in training (more than this
share of its non-missing values) is an error, not a warning: the column is almost
certainly not the one the model learned from (e.g. codes where training had labels)."""

_TRUE = ("true", "yes", "t", "y")
_FALSE = ("false", "no", "f", "n")


def _kind(series):
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return "numeric"
    return "categorical"


def _as_text(series):
    text = series.astype("string")
    return text.where(series.notna())


def _found(series):
    """Plain words for what a column holds: ``numbers``, ``text``, ``true/false values``."""
    if pd.api.types.is_bool_dtype(series):
        return "true/false values"
    if pd.api.types.is_numeric_dtype(series):
        return "numbers"
    return "text"


def check_finite(frame, names):
    """Refuse an infinite value (``inf``, ``-inf``) in a numeric feature, naming column and row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    names : iterable of str
        The feature columns.

    Raises
    ------
    ValueError
        ``column 'x' has an infinite value (inf) at row 12; ...``.
    """
    for name in names:
        series = frame[name]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        _refuse_infinite(series.to_numpy(dtype=np.float64, na_value=np.nan), name)


def _refuse_infinite(values, name, first_row=0):
    """Raise ``ValueError`` at the first infinite value of column ``name``."""
    infinite = np.isinf(values)
    if infinite.any():
        row = int(np.argmax(infinite))
        raise ValueError(
            f"column {name!r} has an infinite value ({values[row]:g}) at row {first_row + row}; "
            "replace it by a number, or leave it empty (missing)."
        )


def _to_numbers(series, column, first_row=0):
    """A column trained as numbers, converted to float64 or refused with the first bad value."""
    name, dtype = column["name"], column["dtype"]
    if _kind(series) == "numeric":
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    text = _as_text(series).str.strip()
    lowered = text.str.lower()
    booleans = lowered.isin(_TRUE + _FALSE)
    numbers = pd.to_numeric(text.where(~booleans), errors="coerce")
    numbers = numbers.where(~booleans, lowered.isin(_TRUE).astype(float))
    blank = text.isna() | (text == "")
    bad = numbers.isna() & ~blank
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise ValueError(
            f"column {name!r} must hold numbers, as in training ({dtype}); found text: "
            f"{text.iloc[row]!r} at row {first_row + row} ({int(bad.sum()):,} such value(s))."
        )
    return numbers.to_numpy(dtype=np.float64, na_value=np.nan)


def warn_unseen(unseen_found, stacklevel=3):
    """One warning per column holding categories never seen in training."""
    for name, (count, example) in unseen_found.items():
        warnings.warn(
            f"column {name!r} has {count:,} value(s) never seen in training (e.g. "
            f"{example!r}); they are treated as missing.",
            UserWarning,
            stacklevel=stacklevel,
        )


def _to_categories(series, column, first_row=0, unseen_found=None):
    """A categorical column with the training categories; unseen values become missing.

    The unseen values are warned about, or counted in ``unseen_found`` (column name ->
    ``[count, first value]``) when it is given. A pandas categorical is mapped through
    its categories (one text conversion per category, not per row).
    """
    name, categories = column["name"], column["categories"]
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        labels = series.cat.categories.astype("string")
        # each category's training code, and -1 last: the code of a missing value (-1)
        trained = np.append(pd.Index(categories).get_indexer(labels), -1)
        present = codes >= 0
        new_codes = trained[codes]
        unseen = present & (new_codes < 0)

        def value_at(row):
            return labels[codes[row]]
    else:
        text = _as_text(series)
        present = text.notna().to_numpy()
        unseen = (~text.isin(categories)).to_numpy() & present

        def value_at(row):
            return text.iloc[row]

    n_unseen, n_present = int(unseen.sum()), int(present.sum())
    if n_unseen and n_unseen > UNSEEN_SHARE_ERROR * n_present:
        row = int(np.argmax(unseen))
        examples = ", ".join(repr(c) for c in categories[:3])
        raise ValueError(
            f"column {name!r} does not match training: it held text categories "
            f"({examples}, ...), here {_found(series)} never seen in training in "
            f"{n_unseen:,} of {n_present:,} rows (the first, {value_at(row)!r}, at row "
            f"{first_row + row})."
        )
    if n_unseen:
        first = value_at(int(np.argmax(unseen)))
        if unseen_found is not None:
            unseen_found.setdefault(name, [0, first])[0] += n_unseen
        else:
            warn_unseen({name: [n_unseen, first]}, stacklevel=4)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(new_codes, categories=categories)
    return pd.Categorical(text.where(~unseen), categories=categories)


@dataclass(frozen=True)
class FeatureSchema:
    """The features a model was trained on, and how new data is made to match them.

    Numeric columns (numbers, booleans) are stored as float64; every other column is
    categorical, with the categories seen in training (as text). New data must have
    every feature. A numeric feature may arrive as text holding numbers or
    true/false values (a CSV with a blank in a boolean column reads so), but any
    other text is refused, naming the first bad value and its row. A category never
    seen in training becomes missing, with a warning; when most values are unseen,
    the column is refused (it is not the column the model learned from). Infinite
    values are refused.

    Parameters
    ----------
    columns : tuple of dict
        One dict per feature: ``name``, ``kind`` (``"numeric"`` or
        ``"categorical"``), ``dtype`` (as read in training) and ``categories``.

    Examples
    --------
    >>> import pandas as pd
    >>> train = pd.DataFrame({"age": [30, 41], "plan": ["basic", "pro"]})
    >>> schema = FeatureSchema.from_frame(train)
    >>> [c["kind"] for c in schema.columns]
    ['numeric', 'categorical']
    >>> schema.transform(pd.DataFrame({"plan": ["pro"], "age": [25.0]})).dtypes.tolist()
    [dtype('float64'), CategoricalDtype(categories=['basic', 'pro'], ordered=False, ...)]
    >>> schema.transform(pd.DataFrame({"age": ["31", "old"], "plan": ["pro", "pro"]}))
    Traceback (most recent call last):
    ...
    ValueError: column 'age' must hold numbers, as in training (int64); found text: 'old' ...
    """

    columns: tuple = field(default_factory=tuple)

    @classmethod
    def from_frame(cls, features):
        """Record the schema of training features.

        Parameters
        ----------
        features : pandas.DataFrame
            Feature columns only.

        Returns
        -------
        FeatureSchema

        Raises
        ------
        ValueError
            If there is no feature, or a numeric feature holds an infinite value.
        """
        if features.shape[1] == 0:
            raise ValueError("no feature columns left: DATA needs at least one feature.")
        check_finite(features, features.columns)
        columns = []
        for name in features.columns:
            series = features[name]
            kind = _kind(series)
            categories = None
            if kind == "categorical":
                categories = sorted(_as_text(series).dropna().unique().tolist())
            columns.append(
                {
                    "name": str(name),
                    "kind": kind,
                    "dtype": str(series.dtype),
                    "categories": categories,
                }
            )
        return cls(columns=tuple(columns))

    @property
    def names(self):
        """Feature names, in training order."""
        return [c["name"] for c in self.columns]

    @property
    def categorical(self):
        """Names of the categorical features."""
        return [c["name"] for c in self.columns if c["kind"] == "categorical"]

    def transform(self, frame, *, first_row=0, unseen_found=None):
        """Return the features of ``frame`` in training order, with training dtypes.

        Parameters
        ----------
        frame : pandas.DataFrame
            New data; extra columns are ignored.
        first_row : int, default=0
            Row number of ``frame``'s first row in its file (errors name file rows).
        unseen_found : dict, default=None
            Collects the categories never seen in training (column name ->
            ``[count, first value]``) instead of warning about them, for data scored
            in batches.

        Returns
        -------
        pandas.DataFrame
            Numeric features as float64, categorical ones as pandas categoricals with
            the training categories.

        Raises
        ------
        ValueError
            Naming the first feature that is missing, holds values of the wrong kind
            (with the first bad value and its row) or an infinite value.
        """
        missing = [c for c in self.names if c not in frame.columns]
        if missing:
            raise ValueError(
                f"column {missing[0]!r} is missing: the model was trained with it "
                f"({len(missing)} of {len(self.names)} features missing)."
            )
        out = {}
        for column in self.columns:
            series = frame[column["name"]]
            if column["kind"] == "numeric":
                values = _to_numbers(series, column, first_row)
                _refuse_infinite(values, column["name"], first_row)
                out[column["name"]] = values
            else:
                out[column["name"]] = _to_categories(series, column, first_row, unseen_found)
        return pd.DataFrame(out, index=frame.index)

    def to_dict(self):
        """Return the schema as a JSON-serializable dict.

        Returns
        -------
        dict
        """
        return {"features": [dict(c) for c in self.columns]}

    @classmethod
    def from_dict(cls, data):
        """Build a schema from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict
            Output of :meth:`to_dict`.

        Returns
        -------
        FeatureSchema
        """
        return cls(columns=tuple(dict(c) for c in data["features"]))
