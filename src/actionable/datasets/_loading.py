"""What every ``fetch_*`` loader shares: compact dtypes, the treatment flags, the result.

All loaders keep a fresh ``RangeIndex`` on ``X``, ``y`` and ``treatment`` and put
identifiers (never features) in ``extra``.
"""

import pandas as pd

from actionable._validation import labelled_treatment_flags
from actionable.datasets._dataset import UpliftDataset
from actionable.datasets._registry import DATASETS, get_remote_file


def treatment_of(frame, column, treated, control, key):
    """The 0/1 ``treatment`` Series of a file's column holding two labels, both present."""
    flags = labelled_treatment_flags(
        frame[column], treated, control=control, where=f"{key}: column {column!r}"
    )
    return pd.Series(flags.astype("int64"), index=frame.index, name="treatment")


def describe(name, summary, remote_keys):
    """The ``DESCR`` of a dataset: title, summary, each file's URL and checksum, terms."""
    info = DATASETS[name]
    lines = [info.title + ".", "", summary, ""]
    for key in remote_keys:
        remote = get_remote_file(key)
        lines.append(f"File: {key} from {remote.url} ({remote.algorithm} {remote.checksum}).")
    lines += [f"Citation: {info.citation}", f"Terms: {info.terms}."]
    return "\n".join(lines)


def finish(name, X, y, treatment, description, return_X_y_treatment, **kwargs):
    """``(X, y, treatment)`` or the ``UpliftDataset``, each with a fresh ``RangeIndex``."""
    X = X.reset_index(drop=True)
    y = y.reset_index(drop=True)
    treatment = treatment.reset_index(drop=True)
    if return_X_y_treatment:
        return X, y, treatment
    return UpliftDataset(
        X=X,
        y=y,
        treatment=treatment,
        name=name,
        description=description,
        terms=DATASETS[name].terms,
        **kwargs,
    )


def compact_dtypes(path, *, keep, sample_rows=10_000):
    """dtypes for ``read_csv``: float32 for numeric columns, category for text columns.

    Inferred from the first ``sample_rows`` rows; columns in ``keep`` are left to pandas.
    """
    head = pd.read_csv(path, nrows=sample_rows)
    dtypes = {}
    for column in head.columns:
        if column in keep:
            continue
        if pd.api.types.is_numeric_dtype(head[column]) and not pd.api.types.is_bool_dtype(
            head[column]
        ):
            dtypes[column] = "float32"
        else:
            dtypes[column] = "category"
    return dtypes
