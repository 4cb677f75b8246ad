"""Saved models and the data that goes in and out of them.

- :func:`read_table` reads CSV, gzip-compressed CSV or Parquet with one clear error.
- :class:`ColumnRoles` says which columns hold the treatment, the outcome and the
  identifier, and turns them into validated 0/1 arrays.
- :class:`FeatureSchema` records the features a model was trained on (names, kinds,
  dtypes, categories) and conforms new data to them, rejecting mismatches by name.
- :func:`save_model_directory` / :func:`load_model_directory` write and read a model
  directory: joblib files, JSON and text documents, the package versions, and a
  ``manifest.json`` of sha256 hashes that is checked **before** anything is unpickled.

The manifest detects files that are missing, added or changed (corruption, a partial
copy, an edit). It is not a signature: whoever can rewrite the directory can rewrite
the manifest too, so only load model directories from places you trust.
"""

import hashlib
import io
import json
import math
import os
import platform
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ColumnRoles",
    "FeatureSchema",
    "LoadedModelDirectory",
    "ModelIntegrityError",
    "ModelVersionWarning",
    "dumps_json",
    "file_sha256",
    "load_model_directory",
    "package_versions",
    "read_table",
    "save_model_directory",
    "write_csv_atomically",
    "write_text_atomically",
]

MANIFEST = "manifest.json"
VERSIONS = "versions.json"
FORMAT_NAME = "actionable-model"
FORMAT_VERSION = 1
# Packages whose version changes what an unpickled model computes.
_TRACKED_PACKAGES = ("actionable", "scikit-learn", "lightgbm", "numpy", "pandas", "joblib", "scipy")
_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"
_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")


class ModelIntegrityError(ValueError):
    """A model directory is incomplete, tampered with, or not a model directory."""


class ModelVersionWarning(UserWarning):
    """A model was saved with other package versions than the ones installed."""


def _one_line(text):
    return " ".join(str(text).split())


# ---------------------------------------------------------------------- tables
def read_table(path, *, name="DATA"):
    """Read a CSV, gzip-compressed CSV or Parquet file into a DataFrame.

    The format is recognized by the file's first bytes (``PAR1`` for Parquet, the
    gzip magic number for compressed CSV), so a misnamed file is still read.

    Parameters
    ----------
    path : str or path-like
        File to read.
    name : str, default="DATA"
        How the file is called in error messages.

    Returns
    -------
    pandas.DataFrame
        The table, with column names as strings.

    Raises
    ------
    ValueError
        One line naming the file and the problem: not found, a directory, empty,
        unsupported suffix, or unparsable content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x,y\\n1,a\\n2,b\\n")
    >>> read_table(folder / "a.csv").shape
    (2, 2)
    >>> read_table(folder / "missing.csv")
    Traceback (most recent call last):
    ...
    ValueError: cannot read DATA '...missing.csv': file not found.
    """
    path = Path(path)
    where = f"{name} {str(path)!r}"
    if not path.exists():
        raise ValueError(f"cannot read {where}: file not found.")
    if path.is_dir():
        raise ValueError(f"cannot read {where}: it is a directory, not a file.")
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise ValueError(f"cannot read {where}: {_one_line(exc.strerror or exc)}.") from None
    if not head:
        raise ValueError(f"cannot read {where}: the file is empty.")
    suffix = "".join(path.suffixes[-2:]).lower() if len(path.suffixes) > 1 else path.suffix.lower()
    is_parquet = head == _PARQUET_MAGIC
    if not is_parquet and path.suffix.lower() in _PARQUET_SUFFIXES:
        raise ValueError(f"cannot read {where}: it is named Parquet but is not a Parquet file.")
    if not is_parquet and not (
        suffix in _CSV_SUFFIXES or path.suffix.lower() in (".csv", ".gz", ".txt")
    ):
        raise ValueError(
            f"cannot read {where}: unsupported file type {path.suffix or '(no suffix)'!r}; "
            "use CSV (.csv), gzip-compressed CSV (.csv.gz) or Parquet (.parquet)."
        )
    try:
        if is_parquet:
            frame = pd.read_parquet(path)
        else:
            compression = "gzip" if head[:2] == _GZIP_MAGIC else None
            frame = pd.read_csv(path, compression=compression, low_memory=False)
    except Exception as exc:  # pandas/pyarrow raise many types; report one line
        kind = "Parquet" if is_parquet else "CSV"
        raise ValueError(
            f"cannot read {where} as {kind}: {_one_line(exc) or type(exc).__name__}."
        ) from None
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise ValueError(f"cannot read {where}: no data rows.")
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise ValueError(f"{where} has duplicated column {str(duplicated[0])!r}.")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _write_atomically(path, write):
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"cannot write {str(path)!r}: it is a directory.")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_csv_atomically(frame, path):
    """Write ``frame`` to CSV through a temporary file renamed into place.

    A reader never sees a half-written file: until the rename, ``path`` holds its
    previous content (or does not exist).

    Parameters
    ----------
    frame : pandas.DataFrame
        Table to write (without its index).
    path : str or path-like
        Destination file.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return _write_atomically(path, lambda stream: frame.to_csv(stream, index=False))


def write_text_atomically(text, path):
    """Write ``text`` (UTF-8) through a temporary file renamed into place.

    Parameters
    ----------
    text : str
        Content to write.
    path : str or path-like
        Destination file.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return _write_atomically(path, lambda stream: stream.write(text))


def file_sha256(path, *, chunk_size=1 << 20):
    """Return the hex sha256 of a file, read in chunks.

    Parameters
    ----------
    path : str or path-like
        File to hash.
    chunk_size : int, default=1 MiB
        Bytes read at a time.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while chunk := stream.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- column roles
def _matches(column, value):
    """Boolean mask of ``column == value``, with ``value`` given as text (CLI)."""
    if pd.api.types.is_bool_dtype(column):
        text = str(value).strip().lower()
        if text in ("1", "true", "yes"):
            return column.to_numpy(dtype=bool)
        if text in ("0", "false", "no"):
            return ~column.to_numpy(dtype=bool)
        return np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return np.zeros(len(column), dtype=bool)
        return column.to_numpy(dtype=np.float64, na_value=np.nan) == number
    return (column.astype("string") == str(value)).fillna(False).to_numpy(dtype=bool)


def _describe_values(values, limit=5):
    shown = [str(v) for v in values[:limit]]
    more = f", ... ({len(values)} in all)" if len(values) > limit else ""
    return "[" + ", ".join(repr(v) for v in shown) + more + "]"


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
        Outcome column; at most two values.
    favorable : str, default=None
        Outcome value that is favourable; ``None`` means ``1``.
    id_column : str, default=None
        Identifier column, copied to outputs and never used as a feature.
    drop : tuple of str, default=()
        Other columns that are not features.

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

    def __post_init__(self):
        object.__setattr__(self, "drop", tuple(self.drop or ()))
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
        if column not in frame.columns:
            raise ValueError(
                f"{role} column {column!r} is missing from DATA; its columns are "
                f"{_describe_values(list(frame.columns), limit=8)}."
            )
        return frame[column]

    def check_columns(self, frame, *, labels=True):
        """Raise ``ValueError`` naming the first role column absent from ``frame``.

        Parameters
        ----------
        frame : pandas.DataFrame
        labels : bool, default=True
            Whether the treatment and outcome columns are required.
        """
        if labels:
            self._require(frame, self.treatment, "treatment")
            self._require(frame, self.outcome, "outcome")
        if self.id_column is not None:
            self._require(frame, self.id_column, "id")
        for column in self.drop:
            if column not in frame.columns and labels:
                raise ValueError(f"--drop column {column!r} is missing from DATA.")

    def feature_names(self, frame):
        """Columns of ``frame`` used as features (all but the role columns).

        Parameters
        ----------
        frame : pandas.DataFrame

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
        missing = column.isna().to_numpy()
        if missing.any():
            raise ValueError(
                f"treatment column {self.treatment!r} has a missing value at row "
                f"{int(np.argmax(missing))}; every row must be treated or control."
            )
        values = pd.unique(column)
        if len(values) > 2:
            raise ValueError(
                f"treatment column {self.treatment!r} has {len(values)} values "
                f"{_describe_values(list(values))}; exactly two are needed (treated "
                f"{self.treated!r} and a control); filter the other arms first."
            )
        treated = _matches(column, self.treated)
        if not treated.any():
            raise ValueError(
                f"treatment column {self.treatment!r} has no treated rows: no value equals "
                f"--treated {self.treated!r} (values: {_describe_values(list(values))})."
            )
        if treated.all():
            raise ValueError(
                f"treatment column {self.treatment!r} has no control rows: every row is "
                f"{self.treated!r}; uplift needs a randomized control group."
            )
        return treated.astype(np.float64)

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
            raise ValueError(
                f"outcome column {self.outcome!r} has {len(values)} values "
                f"{_describe_values(list(values))}; a binary outcome is needed."
            )
        favorable = "1" if self.favorable is None else self.favorable
        flags = _matches(column, favorable)
        if self.favorable is None:
            zero = _matches(column, "0")
            if not (flags | zero).all():
                raise ValueError(
                    f"outcome column {self.outcome!r} has values "
                    f"{_describe_values(list(values))}, not 0/1; give --favorable VALUE."
                )
        elif len(values) == 2 and not flags.any():
            raise ValueError(
                f"outcome column {self.outcome!r}: no value equals --favorable "
                f"{self.favorable!r} (values: {_describe_values(list(values))})."
            )
        return flags.astype(np.float64)

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
        }

    @classmethod
    def from_dict(cls, data):
        """Build roles from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict

        Returns
        -------
        ColumnRoles
        """
        return cls(**{**data, "drop": tuple(data.get("drop", ()))})


# -------------------------------------------------------------- feature schema
def _kind(series):
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return "numeric"
    return "categorical"


def _as_text(series):
    text = series.astype("string")
    return text.where(series.notna())


@dataclass(frozen=True)
class FeatureSchema:
    """The features a model was trained on, and how new data is made to match them.

    Numeric columns (numbers, booleans) are stored as float64; every other column is
    categorical, with the categories seen in training (as text). New data must have
    every feature; a numeric feature that arrives as text is rejected by name. A
    category never seen in training becomes missing, with a warning.

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
    >>> schema.transform(pd.DataFrame({"age": ["old"], "plan": ["pro"]}))
    Traceback (most recent call last):
    ...
    ValueError: column 'age' must be numeric, as in training (int64); got text such as 'old'.
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
        """
        if features.shape[1] == 0:
            raise ValueError("no feature columns left: DATA needs at least one feature.")
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

    def transform(self, frame):
        """Return the features of ``frame`` in training order, with training dtypes.

        Parameters
        ----------
        frame : pandas.DataFrame
            New data; extra columns are ignored.

        Returns
        -------
        pandas.DataFrame
            Numeric features as float64, categorical ones as pandas categoricals with
            the training categories.

        Raises
        ------
        ValueError
            Naming the first feature that is missing or has an incompatible dtype.
        """
        missing = [c for c in self.names if c not in frame.columns]
        if missing:
            raise ValueError(
                f"column {missing[0]!r} is missing: the model was trained with it "
                f"({len(missing)} of {len(self.names)} features missing)."
            )
        out = {}
        for column in self.columns:
            name = column["name"]
            series = frame[name]
            if column["kind"] == "numeric":
                if _kind(series) != "numeric":
                    example = _as_text(series).dropna()
                    example = example.iloc[0] if len(example) else ""
                    raise ValueError(
                        f"column {name!r} must be numeric, as in training "
                        f"({column['dtype']}); got text such as {example!r}."
                    )
                out[name] = series.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                text = _as_text(series)
                categories = column["categories"]
                unseen = ~text.isin(categories) & text.notna()
                if unseen.any():
                    warnings.warn(
                        f"column {name!r} has {int(unseen.sum())} value(s) never seen in "
                        f"training (e.g. {text[unseen].iloc[0]!r}); they are treated as "
                        "missing.",
                        UserWarning,
                        stacklevel=2,
                    )
                out[name] = pd.Categorical(text.where(~unseen), categories=categories)
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

        Returns
        -------
        FeatureSchema
        """
        return cls(columns=tuple(dict(c) for c in data["features"]))


# ------------------------------------------------------------ model directory
def package_versions():
    """Return the versions of Python and of the packages a saved model depends on.

    Returns
    -------
    dict of str to str
        ``"python"`` and each tracked package (``None`` when not installed).

    Examples
    --------
    >>> sorted(package_versions())[:3]
    ['actionable', 'joblib', 'lightgbm']
    """
    versions = {"python": platform.python_version()}
    for package in _TRACKED_PACKAGES:
        try:
            versions[package] = importlib_metadata.version(package)
        except importlib_metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in JSON")


def _clean_floats(value):
    """Replace NaN/inf by None so the JSON is standard (RFC 8259)."""
    if isinstance(value, dict):
        return {k: _clean_floats(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_floats(v) for v in value]
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        return None
    return value


def dumps_json(document):
    """Serialize ``document`` as standard, indented JSON (NaN becomes null).

    Parameters
    ----------
    document : dict
        JSON-like content; numpy scalars and arrays are converted.

    Returns
    -------
    str
        Indented JSON ending with a newline.
    """
    document = json.loads(json.dumps(document, default=_json_default))
    return json.dumps(_clean_floats(document), indent=2, allow_nan=False) + "\n"


def save_model_directory(directory, *, objects, documents=None, texts=None):
    """Write a model directory with a manifest of sha256 hashes, atomically.

    The files are written into a temporary sibling directory which then replaces
    ``directory``: a reader never sees a half-written model. An existing model
    directory is replaced; any other non-empty directory is left alone.

    Parameters
    ----------
    directory : str or path-like
        Directory to (re)create.
    objects : dict of str to object
        Picklable objects, each written with joblib as ``<name>.joblib``.
    documents : dict of str to dict, default=None
        JSON documents, each written as ``<name>.json``.
    texts : dict of str to str, default=None
        Text files, written under their own file name (e.g. ``"decision.toml"``).

    Returns
    -------
    pathlib.Path
        The model directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "model"
    >>> _ = save_model_directory(folder, objects={"model": [1, 2]},
    ...                          documents={"rule": {"threshold": 0.5}})
    >>> sorted(p.name for p in folder.iterdir())
    ['manifest.json', 'model.joblib', 'rule.json', 'versions.json']
    >>> load_model_directory(folder).objects["model"]
    [1, 2]
    """
    import joblib

    directory = Path(directory)
    documents = dict(documents or {})
    texts = dict(texts or {})
    if VERSIONS.removesuffix(".json") in documents:
        raise ValueError(f"{VERSIONS!r} is written by save_model_directory itself.")
    if directory.exists():
        if not directory.is_dir():
            raise ValueError(f"cannot write model directory {str(directory)!r}: it is a file.")
        if any(directory.iterdir()) and not (directory / MANIFEST).is_file():
            raise ValueError(
                f"refusing to overwrite {str(directory)!r}: it is not empty and is not a "
                "model directory (no manifest.json)."
            )
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".part", dir=directory.parent)
    )
    try:
        payloads = {}
        for name, value in objects.items():
            buffer = io.BytesIO()
            joblib.dump(value, buffer)
            payloads[f"{name}.joblib"] = buffer.getvalue()
        for name, document in {**documents, "versions": package_versions()}.items():
            payloads[f"{name}.json"] = dumps_json(document).encode("utf-8")
        for name, text in texts.items():
            payloads[name] = text.encode("utf-8")
        if MANIFEST in payloads:
            raise ValueError(f"{MANIFEST!r} is written by save_model_directory itself.")
        for name, payload in payloads.items():
            (staging / name).write_bytes(payload)
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "files": {
                name: hashlib.sha256(payload).hexdigest()
                for name, payload in sorted(payloads.items())
            },
        }
        (staging / MANIFEST).write_text(dumps_json(manifest), encoding="utf-8")
        if directory.exists():
            retired = directory.with_name(f".{directory.name}.old-{os.getpid()}")
            os.replace(directory, retired)
            os.replace(staging, directory)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


@dataclass
class LoadedModelDirectory:
    """Content of a verified model directory.

    Attributes
    ----------
    path : pathlib.Path
    objects : dict of str to object
        Unpickled ``<name>.joblib`` files.
    documents : dict of str to dict
        Parsed ``<name>.json`` files (including ``versions``).
    texts : dict of str to str
        Other files, as text.
    """

    path: Path
    objects: dict
    documents: dict
    texts: dict


def _read_manifest(directory):
    where = str(directory)
    if not directory.is_dir():
        raise ModelIntegrityError(f"model directory {where!r} does not exist.")
    path = directory / MANIFEST
    if not path.is_file():
        raise ModelIntegrityError(
            f"{where!r} is not an actionable model directory: manifest.json is missing."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest.get("format") != FORMAT_NAME or not isinstance(files, dict):
            raise KeyError("format")
    except (ValueError, KeyError, TypeError):
        raise ModelIntegrityError(
            f"{where!r}: manifest.json is damaged or not an actionable manifest."
        ) from None
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise ModelIntegrityError(
            f"{where!r} was saved in model format {manifest['format_version']}; this "
            f"version of actionable reads format {FORMAT_VERSION}: upgrade actionable."
        )
    return files


def load_model_directory(directory, *, check_versions=True):
    """Verify a model directory against its manifest, then load it.

    Every file listed in ``manifest.json`` must exist with the recorded sha256, and
    no other (non-hidden) file may be present; only then is anything unpickled.
    Files are hashed from the same bytes that are then parsed.

    Parameters
    ----------
    directory : str or path-like
        A directory written by :func:`save_model_directory`.
    check_versions : bool, default=True
        Warn (:class:`ModelVersionWarning`) when the model was saved with other
        versions of actionable, scikit-learn, LightGBM, numpy, pandas, joblib or
        scipy than the installed ones.

    Returns
    -------
    LoadedModelDirectory
        Unpickled objects, parsed JSON documents and texts.

    Raises
    ------
    ModelIntegrityError
        A ``ValueError`` naming the missing, unexpected or changed file.
    """
    import joblib

    directory = Path(directory)
    listed = _read_manifest(directory)
    present = {p.name for p in directory.iterdir() if not p.name.startswith(".")}
    present.discard(MANIFEST)
    for name in sorted(listed):
        if name not in present:
            raise ModelIntegrityError(
                f"model directory {str(directory)!r} is incomplete or was tampered with: "
                f"{name!r} is listed in manifest.json but missing."
            )
    unexpected = sorted(present - set(listed))
    if unexpected:
        raise ModelIntegrityError(
            f"model directory {str(directory)!r} was tampered with: {unexpected[0]!r} is "
            "not listed in manifest.json (remove it, or save the model again)."
        )
    payloads = {}
    for name, expected in listed.items():
        payload = (directory / name).read_bytes()
        if hashlib.sha256(payload).hexdigest() != expected:
            raise ModelIntegrityError(
                f"model directory {str(directory)!r} was tampered with: {name!r} changed "
                "after it was saved (sha256 differs from manifest.json)."
            )
        payloads[name] = payload
    documents, texts, objects = {}, {}, {}
    for name, payload in payloads.items():
        if name.endswith(".json"):
            documents[name.removesuffix(".json")] = json.loads(payload.decode("utf-8"))
        elif not name.endswith(".joblib"):
            texts[name] = payload.decode("utf-8")
    if check_versions:
        _warn_on_version_change(documents.get("versions", {}), directory)
    for name, payload in payloads.items():
        if name.endswith(".joblib"):
            objects[name.removesuffix(".joblib")] = joblib.load(io.BytesIO(payload))
    return LoadedModelDirectory(path=directory, objects=objects, documents=documents, texts=texts)


def _warn_on_version_change(saved, directory):
    current = package_versions()
    changed = [
        f"{package} {saved.get(package)} -> {current.get(package)}"
        for package in _TRACKED_PACKAGES
        if package in saved and saved.get(package) != current.get(package)
    ]
    if changed:
        warnings.warn(
            f"model {str(directory)!r} was saved with other package versions "
            f"({'; '.join(changed)}); predictions may differ. Refit it, or install the "
            "versions in versions.json.",
            ModelVersionWarning,
            stacklevel=3,
        )
