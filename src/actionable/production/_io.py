"""Tables in, files out: one clear line per problem, and nothing half-written.

- :func:`read_table` reads CSV, gzip-compressed CSV or Parquet; a duplicated column
  name is caught in the file's own header (pandas would rename the second one).
- :func:`write_csv_atomically` and :func:`write_text_atomically` write through a
  temporary file renamed into place, removed on any failure or interruption
  (``KeyboardInterrupt`` and the ``SystemExit`` a terminating signal handler raises
  included). The result has the permissions the process's umask gives a new file,
  like any other file it creates.
- Operating-system errors (a full disk, a read-only folder) are reported with the
  path they concern.
"""

import csv
import gzip
import hashlib
from collections import deque
from pathlib import Path

import pandas as pd

from actionable._atomic import write_file_atomically
from actionable.exceptions import BatchReadingUnavailable

_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"
_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")


def _one_line(text):
    return " ".join(str(text).split())


# ---------------------------------------------------------------------- reading
def _raw_header(path, is_parquet, compressed):
    """Column names exactly as the file stores them (duplicates kept)."""
    if is_parquet:
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    opener = gzip.open if compressed else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        row = next(csv.reader(handle), [])
    return [name.lstrip("\ufeff").strip() for name in row]


def _check_header(names, where):
    seen = {}
    for position, name in enumerate(names):
        if name in seen:
            raise ValueError(
                f"{where} has the column name {name!r} twice (columns {seen[name] + 1} and "
                f"{position + 1}); rename one of them."
            )
        seen[name] = position


def _format_of(path, head, where):
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
    return is_parquet, head[:2] == _GZIP_MAGIC


def _open_file_format(path, where):
    """``(is_parquet, compressed)`` of an existing, non-empty file, or one clear error."""
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
    return _format_of(path, head, where)


# Rows per batch: small enough that a batch and its scores take a few tens of MB.
BATCH_ROWS = 100_000
# Bytes of CSV parsed at a time by pyarrow's streaming reader, regrouped into batches of
# BATCH_ROWS rows: larger blocks cost more memory (about 25 MB a MB) for no speed.
CSV_BLOCK_BYTES = 1 << 20
# pandas' default missing-value markers (``read_csv``'s ``na_values``), so that a file
# read in batches has the same missing values as the same file read whole.
PANDAS_NA_VALUES = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip


def iter_batches(path, columns, *, numeric=(), categorical=(), name="DATA"):
    """Read some columns of a CSV or Parquet file batch after batch, in bounded memory.

    A CSV (plain or gzip-compressed) is parsed by pyarrow's streaming reader, outside the
    interpreter lock, with fixed column types: the ``numeric`` columns as float64, the
    ``categorical`` ones as categories, the others as text, with pandas' missing-value
    markers; every number is parsed to the same float64 as pandas' parser gives. A
    Parquet file is read by pyarrow, batch after batch. Anything that cannot be read so
    (text in a numeric column, a token pyarrow reads as a number and pandas would not,
    such as ``NAN``, an odd header, a broken file) raises
    :class:`BatchReadingUnavailable`, possibly after some batches: the caller then reads
    the file whole, whose errors name the problem.

    Parameters
    ----------
    path : str or path-like
        File to read.
    columns : list of str
        Columns to read.
    numeric : collection of str, default=()
        Columns read as float64 (from a CSV).
    categorical : collection of str, default=()
        Columns read as pandas categoricals (their categories are the batch's values).
    name : str, default="DATA"
        How the file is called in error messages.

    Yields
    ------
    pandas.DataFrame
        One batch of at most ``BATCH_ROWS`` rows, ``columns`` only, indexed from 0
        within the batch.
    """
    path = Path(path)
    where = f"{name} {str(path)!r}"
    is_parquet, compressed = _open_file_format(path, where)
    try:
        header = _raw_header(path, is_parquet, compressed)
    except (OSError, UnicodeError, csv.Error) as exc:
        raise BatchReadingUnavailable(str(exc)) from None
    _check_header(header, where)
    if any(column not in header for column in columns):
        raise BatchReadingUnavailable("a column is missing")
    try:
        reader = _parquet_batches if is_parquet else _csv_batches
        yield from _in_batches_of_rows(reader(path, columns, numeric, categorical, compressed))
    except Exception as exc:  # pyarrow raises many types
        raise BatchReadingUnavailable(str(exc)) from None


def _in_batches_of_rows(blocks):
    """pyarrow record batches regrouped into frames of ``BATCH_ROWS`` rows (the last fewer)."""
    import pyarrow as pa

    pieces, n_rows = [], 0
    for block in blocks:
        start = 0
        while start < block.num_rows:
            piece = block.slice(start, BATCH_ROWS - n_rows)
            pieces.append(piece)
            n_rows += piece.num_rows
            start += piece.num_rows
            if n_rows == BATCH_ROWS:
                yield pa.Table.from_batches(pieces).to_pandas()
                pieces, n_rows = [], 0
    if n_rows:
        yield pa.Table.from_batches(pieces).to_pandas()


def _parquet_batches(path, columns, numeric, categorical, compressed):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from pyarrow import types

    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=columns):
        for column in categorical:
            index = batch.schema.get_field_index(column)
            kind = batch.schema.field(index).type
            if types.is_string(kind) or types.is_large_string(kind):
                encoded = pc.dictionary_encode(batch.column(index))
                batch = batch.set_column(index, column, encoded)
        yield batch


def _csv_batches(path, columns, numeric, categorical, compressed):
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as arrow_csv

    text = pa.dictionary(pa.int32(), pa.string())
    types = {
        column: pa.float64()
        if column in numeric
        else text
        if column in categorical
        else pa.string()
        for column in columns
    }
    options = {
        "read_options": arrow_csv.ReadOptions(block_size=CSV_BLOCK_BYTES),
        "parse_options": arrow_csv.ParseOptions(newlines_in_values=True),
        "convert_options": arrow_csv.ConvertOptions(
            include_columns=columns,
            column_types=types,
            null_values=list(PANDAS_NA_VALUES),
            strings_can_be_null=True,
        ),
    }
    numbers = [column for column in columns if column in numeric]
    with pa.input_stream(path, compression="gzip" if compressed else None) as stream:
        for batch in arrow_csv.open_csv(stream, **options):
            for column in numbers:  # pyarrow reads NAN, +nan as numbers, pandas refuses them
                if pc.any(pc.is_nan(batch.column(column))).as_py():
                    raise BatchReadingUnavailable(f"a token pandas does not read in {column!r}")
            yield batch


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
        unsupported suffix, a column name used twice in the header, or unparsable
        content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x,y\\n1,a\\n2,b\\n")
    >>> read_table(folder / "a.csv").shape
    (2, 2)
    >>> _ = (folder / "b.csv").write_text("age,plan,age\\n1,a,2\\n")
    >>> read_table(folder / "b.csv")
    Traceback (most recent call last):
    ...
    ValueError: DATA '...b.csv' has the column name 'age' twice (columns 1 and 3); ...
    """
    path = Path(path)
    where = f"{name} {str(path)!r}"
    is_parquet, compressed = _open_file_format(path, where)
    kind = "Parquet" if is_parquet else "CSV"
    try:
        _check_header(_raw_header(path, is_parquet, compressed), where)
        if is_parquet:
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, compression="gzip" if compressed else None, low_memory=False)
    except ValueError as exc:
        if str(exc).startswith(where):  # our own message
            raise
        raise ValueError(f"cannot read {where} as {kind}: {_one_line(exc)}.") from None
    except Exception as exc:  # pandas/pyarrow raise many types; report one line
        raise ValueError(
            f"cannot read {where} as {kind}: {_one_line(exc) or type(exc).__name__}."
        ) from None
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise ValueError(f"cannot read {where}: no data rows.")
    frame.columns = [str(c) for c in frame.columns]
    return frame


# ---------------------------------------------------------------------- writing
def check_outputs_are_not_inputs(outputs, inputs):
    """Refuse to write over an input: ``--out`` equal to ``DATA`` would destroy the data.

    Parameters
    ----------
    outputs : dict of str to path-like
        What will be written, by the name shown in the message.
    inputs : dict of str to path-like
        What is read, by the name shown in the message.

    Raises
    ------
    ValueError
        Naming the output that is also an input.
    """
    for out_name, out_path in outputs.items():
        target = Path(out_path).resolve()
        for in_name, in_path in inputs.items():
            source = Path(in_path).resolve()
            if target == source or source.is_relative_to(target):
                raise ValueError(
                    f"{out_name} {str(out_path)!r} is also {in_name}: writing it would destroy "
                    "the input; choose another output."
                )


def write_csv_atomically(frame, path, **to_csv):
    """Write ``frame`` to CSV through a temporary file renamed into place.

    A reader never sees a half-written file: until the rename, ``path`` holds its
    previous content (or does not exist). The file gets the permissions of any new
    file under the process's umask.

    Parameters
    ----------
    frame : pandas.DataFrame
        Table to write (without its index).
    path : str or path-like
        Destination file.
    **to_csv
        Passed to ``DataFrame.to_csv`` (e.g. ``float_format``).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    OSError
        Naming the path, when the system refuses (full disk, no permission).
    """
    if not to_csv:
        table = _arrow_table(frame)
        if table is not None:  # pyarrow's writer: several times faster than pandas'
            return write_file_atomically(
                path, lambda stream: _write_arrow_csv(table, stream), mode="wb"
            )
    return write_file_atomically(path, lambda stream: frame.to_csv(stream, index=False, **to_csv))


def _arrow_table(frame):
    """``frame`` as a pyarrow Table of plain columns (NaN as empty), or None if not plain."""
    import pyarrow as pa

    plain = all(
        dtype.kind in "iuf" or (dtype.kind == "O" and _all_strings(frame[name]))
        for name, dtype in frame.dtypes.items()
    )
    if not plain or not all(isinstance(name, str) for name in frame.columns):
        return None
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    strings = [frame[name] for name, dtype in frame.dtypes.items() if dtype.kind == "O"]
    special = _needs_quotes(pd.Series(frame.columns)) or any(map(_needs_quotes, strings))
    return table, "needed" if special else "none"


def _all_strings(column):
    return pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty")


def _needs_quotes(column):
    return bool(column.str.contains('[",\\r\\n]', regex=True).any())


# Rows formatted at a time when writing a CSV; slices are formatted on WRITE_THREADS
# threads (pyarrow releases the interpreter) and written in order.
WRITE_SLICE_ROWS = 200_000
WRITE_THREADS = 2


def _write_arrow_csv(table, stream):
    """Write with pyarrow; strings are quoted (all of them) only when one needs quotes.

    The table is formatted slice by slice, a few slices at a time on threads, so the
    memory held is a few formatted slices, not the whole text.
    """
    from concurrent.futures import ThreadPoolExecutor

    table, quoting = table
    if quoting == "none":  # pyarrow would quote the header anyway
        stream.write((",".join(table.column_names) + "\n").encode("utf-8"))
    starts = range(0, max(table.num_rows, 1), WRITE_SLICE_ROWS)
    with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
        pending = deque()
        for start in starts:
            header = start == 0 and quoting != "none"
            piece = table.slice(start, WRITE_SLICE_ROWS)
            pending.append(pool.submit(_csv_bytes, piece, quoting, header))
            while len(pending) > WRITE_THREADS:
                stream.write(pending.popleft().result())
        while pending:
            stream.write(pending.popleft().result())


def _csv_bytes(table, quoting, header):
    import pyarrow as pa
    from pyarrow import csv

    sink = pa.BufferOutputStream()
    options = csv.WriteOptions(quoting_style=quoting, include_header=header)
    csv.write_csv(table, sink, write_options=options)
    return memoryview(sink.getvalue())


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
    return write_file_atomically(path, lambda stream: stream.write(text))


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
