"""Which columns of a table are the treatment, the outcome, the identifier, the features.

Messages name the parameters of :class:`ColumnRoles` in backticks (`treated`,
`id_column`, `drop`, ...); the command line shows its own option names instead.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from actionable._validation import (
    check_columns,
    describe_values,
    first_non_binary,
    labelled_treatment_flags,
    matches_label,
)

IDENTIFIER_MIN_ROWS = 50
"""Below this many rows, a column unique per row is not taken for an identifier."""
TEXT_DISTINCT_SHARE = 0.5
"""A text feature with more distinct values than this share of the rows is refused: it
behaves like an identifier (each value seen once, every new value unseen at scoring)."""
TEXT_MIN_DISTINCT = 100
"""...provided it has at least this many distinct values."""
OUTCOME_TYPES = ("binary", "continuous")


@dataclass(frozen=True)
class ColumnRoles:
    """Which columns of a table are the treatment, the outcome and the identifier.

    Parameters
    ----------
    treatment : str
        Treatment column; exactly two values, one of them ``treated``.
    treated : str
        Value of ``treatment`` that means treated (compared as a number when the
        column is numeric, as text otherwise).
    outcome : str
        Outcome column: binary (at most two values), or continuous (any number).
    favorable : str, default=None
        Outcome value that is favourable; ``None`` means ``1``. Binary outcomes only.
    id_column : str, default=None
        Identifier column, copied to outputs and never used as a feature.
    drop : tuple of str, default=()
        Other columns that are not features.
    outcome_type : {"binary", "continuous"}, default=None
        How the outcome is read: 1 = favourable (binary), or its numeric value in its
        own units (continuous: spend, revenue). ``None`` leaves it to
        :meth:`with_outcome_type`, which applies the rule of ``actionable fit``.

    Examples
    --------
    >>> import pandas as pd
    >>> roles = ColumnRoles(treatment="offer", treated="yes", outcome="bought")
    >>> frame = pd.DataFrame({"offer": ["yes", "no"], "bought": [1, 0], "age": [30, 40]})
    >>> roles.treatment_flags(frame), roles.outcome_flags(frame), roles.feature_names(frame)
    (array([1., 0.]), array([1., 0.]), ['age'])
    >>> roles.outcome_flags(frame.assign(bought=[1, None]))
    Traceback (most recent call last):
    ...
    ValueError: outcome column 'bought' has a missing value (NaN) at row 1; ...
    """

    treatment: str
    treated: str
    outcome: str
    favorable: str | None = None
    id_column: str | None = None
    drop: tuple = ()
    outcome_type: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "drop", tuple(self.drop or ()))
        if self.outcome_type not in (None, *OUTCOME_TYPES):
            raise ValueError(
                f"outcome_type must be 'binary', 'continuous' or None; got {self.outcome_type!r}."
            )
        if self.outcome_type == "continuous" and self.favorable is not None:
            raise ValueError(
                f"outcome column {self.outcome!r}: `favorable` ({self.favorable!r}) names the "
                "favourable value of a binary outcome; a continuous outcome has none."
            )
        names = [self.treatment, self.outcome, self.id_column]
        present = [n for n in names if n is not None]
        if len(set(present)) != len(present):
            raise ValueError(
                f"the treatment ({self.treatment!r}), outcome ({self.outcome!r}) and id "
                f"({self.id_column!r}) columns must be different columns."
            )

    @property
    def non_features(self):
        """Columns never used as features."""
        names = [self.treatment, self.outcome, *self.drop]
        if self.id_column is not None:
            names.append(self.id_column)
        return tuple(names)

    def _require(self, frame, column, role):
        check_columns(frame, [column], where="DATA", what=f"{role} column")
        return frame[column]

    def check_columns(self, frame, *, labels=True, training=False):
        """Raise ``ValueError`` naming the first role column absent from ``frame``.

        Parameters
        ----------
        frame : pandas.DataFrame
            The table.
        labels : bool, default=True
            Whether the treatment and outcome columns are required.
        training : bool, default=False
            Whether the columns to ``drop`` are required: only in the training data,
            where a name the data lacks is a typo; later data need not carry them.
        """
        if labels:
            self._require(frame, self.treatment, "treatment")
            self._require(frame, self.outcome, "outcome")
        if self.id_column is not None:
            self._require(frame, self.id_column, "id")
        for column in self.drop:
            if column not in frame.columns and training:
                raise ValueError(f"column {column!r} in `drop` is missing from DATA.")

    def feature_names(self, frame):
        """Columns of ``frame`` used as features (all but the role columns).

        Parameters
        ----------
        frame : pandas.DataFrame
            The table.

        Returns
        -------
        list of str
        """
        excluded = set(self.non_features)
        return [c for c in frame.columns if c not in excluded]

    def treatment_flags(self, frame):
        """Return the treatment as 0/1 floats, checking it is binary with both groups.

        Parameters
        ----------
        frame : pandas.DataFrame
            Table holding the treatment column.

        Returns
        -------
        ndarray of shape (n_samples,)
            1.0 for treated rows, 0.0 for control rows.

        Raises
        ------
        ValueError
            If the column is missing, has missing values, has more than two values,
            or has no treated or no control rows.
        """
        column = self._require(frame, self.treatment, "treatment")
        return labelled_treatment_flags(
            column, self.treated, where=f"treatment column {self.treatment!r}"
        )

    def outcome_flags(self, frame):
        """Return the outcome as 1 = favourable, 0 = not, checking it is binary.

        Parameters
        ----------
        frame : pandas.DataFrame
            Table holding the outcome column.

        Returns
        -------
        ndarray of shape (n_samples,)
            1.0 for favourable outcomes, 0.0 otherwise.

        Raises
        ------
        ValueError
            If the column is missing, has a missing value, has more than two values,
            or (without ``favorable``) is not coded 0/1.
        """
        column = self._require(frame, self.outcome, "outcome")
        missing = column.isna().to_numpy()
        if missing.any():
            raise ValueError(
                f"outcome column {self.outcome!r} has a missing value (NaN) at row "
                f"{int(np.argmax(missing))}; remove unlabelled rows first."
            )
        values = pd.unique(column)
        if len(values) > 2:
            hint = (
                "; for a continuous outcome leave out `favorable`"
                if _is_numeric(column) and self.favorable is not None
                else ""
            )
            raise ValueError(
                f"outcome column {self.outcome!r} has {len(values)} values "
                f"{describe_values(list(values))}; a binary outcome is needed{hint}."
            )
        favorable = "1" if self.favorable is None else self.favorable
        flags = matches_label(column, favorable)
        if self.favorable is None:
            zero = matches_label(column, "0")
            if not (flags | zero).all():
                raise ValueError(
                    f"outcome column {self.outcome!r} has values "
                    f"{describe_values(list(values))}, not 0/1; say which one is favourable "
                    "(`favorable`)."
                )
        elif len(values) == 2 and not flags.any():
            raise ValueError(
                f"outcome column {self.outcome!r}: no value equals `favorable` "
                f"{self.favorable!r} (values: {describe_values(list(values))})."
            )
        return flags.astype(np.float64)

    @property
    def is_continuous(self):
        """Whether the outcome is continuous (read as numbers, not as 0/1 flags)."""
        return self.outcome_type == "continuous"

    def outcome_values(self, frame):
        """Return a continuous outcome as float64 numbers, in its own units.

        Parameters
        ----------
        frame : pandas.DataFrame
            Table holding the outcome column.

        Returns
        -------
        ndarray of shape (n_samples,)

        Raises
        ------
        ValueError
            If the column is missing, not numeric, or has a missing or infinite value.

        Examples
        --------
        >>> import pandas as pd
        >>> roles = ColumnRoles("offer", "1", "spend", outcome_type="continuous")
        >>> roles.outcome_values(pd.DataFrame({"spend": [0, 12.5, -3]}))
        array([ 0. , 12.5, -3. ])
        """
        column = self._require(frame, self.outcome, "outcome")
        if not _is_numeric(column):
            raise ValueError(
                f"outcome column {self.outcome!r} is not numeric (values "
                f"{describe_values(list(pd.unique(column)))}): a continuous outcome needs "
                "numbers; for a binary outcome say which value is favourable (`favorable`)."
            )
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(values)
        if bad.any():
            row = int(np.argmax(bad))
            what = "a missing value (NaN)" if np.isnan(values[row]) else "an infinite value"
            raise ValueError(
                f"outcome column {self.outcome!r} has {what} at row {row}; remove unlabelled "
                "rows first."
            )
        return values

    def outcomes(self, frame):
        """The outcome as models read it: 0/1 flags (binary) or numbers (continuous).

        Parameters
        ----------
        frame : pandas.DataFrame
            Table holding the outcome column.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        if self.is_continuous:
            return self.outcome_values(frame)
        return self.outcome_flags(frame)

    def with_outcome_type(self, frame, *, value_per_unit=None, value_per_success=None,
                          incentive_paid=None):  # fmt: skip
        """These roles with the outcome type decided, as ``actionable fit`` decides it.

        The outcome is **continuous** when ``value_per_unit`` is given, or when the
        outcome column is numeric, holds a value other than 0 and 1 and ``favorable``
        is not given (with a warning when it has only two values, such as 1 and 2);
        **binary** otherwise. An outcome type set already is kept.

        Parameters
        ----------
        frame : pandas.DataFrame
            The training table.
        value_per_unit, value_per_success : float, default=None
            The money of one unit of the outcome, and of one favourable outcome (the
            decision card's); at most one of them.
        incentive_paid : {"on_contact", "on_success"}, default=None
            When the incentive is paid: ``"on_success"`` needs a binary outcome.

        Returns
        -------
        ColumnRoles

        Raises
        ------
        ValueError
            When the flags contradict each other or the column, naming both.

        Examples
        --------
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"spend": [0.0, 12.5, 3.0], "bought": [0, 1, 1]})
        >>> ColumnRoles("offer", "1", "spend").with_outcome_type(frame).outcome_type
        'continuous'
        >>> ColumnRoles("offer", "1", "bought").with_outcome_type(frame).outcome_type
        'binary'
        >>> ColumnRoles("offer", "1", "spend").with_outcome_type(frame, value_per_success=5.0)
        Traceback (most recent call last):
        ...
        ValueError: outcome column 'spend' is continuous (numbers other than 0 and 1, e.g. ...
        """
        from dataclasses import replace

        column = self._require(frame, self.outcome, "outcome")
        where = f"outcome column {self.outcome!r}"
        if value_per_unit is not None and value_per_success is not None:
            raise ValueError(
                f"{where}: give `value_per_unit` (a continuous outcome) or `value_per_success` "
                "(a binary one), not both."
            )
        outcome_type = self.outcome_type
        if outcome_type is None and value_per_unit is not None:
            if self.favorable is not None:
                raise ValueError(
                    f"{where}: `favorable` makes the outcome binary and `value_per_unit` "
                    "makes it continuous; give `favorable` with `value_per_success` for a "
                    "binary outcome, or `value_per_unit` alone for a continuous one."
                )
            outcome_type = "continuous"
        elif outcome_type is None:
            found = None
            if self.favorable is None and _is_numeric(column):
                values = column.to_numpy(dtype=np.float64, na_value=np.nan)
                found = first_non_binary(values[~np.isnan(values)])
            if found is not None and value_per_success is not None:
                raise ValueError(
                    f"{where} is continuous (numbers other than 0 and 1, e.g. {found[1]!r}): "
                    "`value_per_success` values a favourable outcome; give `value_per_unit` "
                    f"(the money of one unit of {self.outcome}), or `favorable` for a binary "
                    "outcome."
                )
            outcome_type = "binary" if found is None else "continuous"
            distinct = pd.unique(column.dropna())
            if found is not None and len(distinct) == 2:
                warnings.warn(
                    f"{where} has two values {describe_values(sorted(distinct))}: it is read "
                    "as a continuous outcome; to read it as binary, say which value is "
                    "favourable (`favorable`).",
                    UserWarning,
                    stacklevel=3,
                )
        if outcome_type == "continuous" and incentive_paid == "on_success":
            raise ValueError(
                f"{where} is continuous: an incentive paid on success (`incentive_paid` "
                "'on_success') needs a binary outcome; use 'on_contact'."
            )
        return replace(self, outcome_type=outcome_type)

    def check_features_are_not_identifiers(self, frame, features):
        """Refuse features that behave like identifiers.

        A column is taken for an identifier when its values are whole numbers or
        text, different on every one of at least ``IDENTIFIER_MIN_ROWS`` rows; a text
        column when it has more distinct values than ``TEXT_DISTINCT_SHARE`` of the
        rows (and at least ``TEXT_MIN_DISTINCT``). As a feature, such a column only
        memorizes the training rows: every value is unseen when new customers are
        scored. Continuous measurements (fractional numbers) are never refused.

        Parameters
        ----------
        frame : pandas.DataFrame
            Training data.
        features : list of str
            The columns about to be used as features.

        Raises
        ------
        ValueError
            One line naming the column and the fix (`id_column` or `drop`).
        """
        n_rows = len(frame)
        for name in features:
            series = frame[name]
            if pd.api.types.is_bool_dtype(series):
                continue
            values = series.dropna()
            n_distinct = values.nunique()
            numeric = pd.api.types.is_numeric_dtype(series)
            if numeric:
                finite = values.to_numpy(dtype=float)
                finite = finite[np.isfinite(finite)]
            whole = not numeric or bool(np.all(np.mod(finite, 1) == 0))
            if whole and n_rows >= IDENTIFIER_MIN_ROWS and n_distinct == n_rows:
                raise ValueError(
                    f"column {name!r} has a different value on every row, like an identifier: "
                    "it cannot be a feature (a model would memorize the rows); declare it as "
                    "`id_column`, or list it in `drop`."
                )
            high = n_distinct > max(TEXT_DISTINCT_SHARE * n_rows, TEXT_MIN_DISTINCT - 1)
            if not numeric and high:
                raise ValueError(
                    f"text column {name!r} has {n_distinct:,} distinct values for {n_rows:,} "
                    "rows: as a feature almost every value would be new when customers are "
                    "scored; declare it as `id_column`, list it in `drop`, or group its values."
                )

    def to_dict(self):
        """Return the roles as a JSON-serializable dict.

        Returns
        -------
        dict
        """
        return {
            "treatment": self.treatment,
            "treated": self.treated,
            "outcome": self.outcome,
            "favorable": self.favorable,
            "id_column": self.id_column,
            "drop": list(self.drop),
            "outcome_type": self.outcome_type,
        }

    @classmethod
    def from_dict(cls, data):
        """Build roles from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict
            Output of :meth:`to_dict`.

        Returns
        -------
        ColumnRoles
            Roles saved before continuous outcomes existed have ``outcome_type`` None.
        """
        return cls(**{**data, "drop": tuple(data.get("drop", ()))})


def _is_numeric(column):
    """Numbers, not booleans nor text."""
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
