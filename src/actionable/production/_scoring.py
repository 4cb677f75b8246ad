"""Scoring a large file in batches: bounded memory, the list of scoring it whole.

``actionable target`` reads only the columns the model needs, batch after batch
(:func:`actionable.production._io.iter_batches`), conforms and scores each batch, and
keeps only the identifiers and the scores; the memory held is a few batches plus the
list, not the file. A file that cannot be read in batches with fixed column types (text
in a numeric column, ...) is scored whole, with the errors that name its problem.
"""

import contextlib
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from actionable._validation import threads_for
from actionable.exceptions import BatchReadingUnavailable
from actionable.production._io import iter_batches
from actionable.production._progress import LARGE_FILE_BYTES, LARGE_ROWS
from actionable.production._reasons import candidate_reasons
from actionable.production._schema import warn_unseen

REPORT_SECONDS = 10.0


def scoring_threads(n_jobs):
    """Threads for a checked ``n_jobs`` (:func:`actionable._validation.threads_for`).

    Parameters
    ----------
    n_jobs : int or None
        Requested threads.

    Returns
    -------
    int

    Examples
    --------
    >>> scoring_threads(None), scoring_threads(3)
    (1, 3)
    """
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0
    ):
        raise ValueError(f"n_jobs must be a non-zero integer or None; got {n_jobs!r}.")
    return threads_for(n_jobs)


def score_in_batches(
    model, path, *, capacity=None, progress=None, n_jobs=None, name="DATA", reasons=0
):
    """Score a file batch after batch, as ``model.score`` scores the whole file.

    Parameters
    ----------
    model : SavedModel
        The model.
    path : str or path-like
        Customers to score (CSV, gzip-compressed CSV or Parquet).
    capacity : int, default=None
        Overrides the model's capacity.
    progress : Progress, default=None
        Reports the batches scored.
    n_jobs : int, default=None
        Threads scoring at once.
    name : str, default="DATA"
        How the file is called in error messages.
    reasons : int, default=0
        Reasons per customer to contact (see ``SavedModel.score``).

    Returns
    -------
    pandas.DataFrame or None
        The list, as ``model.score`` returns it (index 0 to n - 1); ``None`` when the
        file cannot be read in batches (the caller then scores it whole).

    Raises
    ------
    ValueError
        A missing column, or a value the model's schema refuses (naming its row).
    """
    id_column = model.roles.id_column
    columns = list(dict.fromkeys(([id_column] if id_column else []) + model.schema.names))
    numeric = {c["name"] for c in model.schema.columns if c["kind"] == "numeric"}
    categorical = set(model.schema.categorical)
    numeric.discard(id_column)
    categorical.discard(id_column)  # the identifiers are kept as text
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    if progress is not None and size >= LARGE_FILE_BYTES:
        progress.step(f"scoring {Path(path).name} ({size / 1e6:,.0f} MB) in batches")
    started = reported = time.perf_counter()
    threads = scoring_threads(n_jobs)
    # identifiers kept as integers only where the written list is the same: a text
    # column written with quotes would quote text identifiers, not integers
    integer_ids = bool(id_column) and not reasons and not any(c in id_column for c in '",\r\n')
    scored, pending = [], deque()
    n_rows = 0
    with ThreadPoolExecutor(max_workers=threads) as pool:
        try:
            for batch in iter_batches(
                path, columns, numeric=numeric, categorical=categorical, name=name
            ):
                pending.append(
                    pool.submit(_score_batch, model, batch, n_rows, reasons, integer_ids)
                )
                n_rows += len(batch)
                while len(pending) > threads:  # bounded memory: a few batches in flight
                    scored.append(pending.popleft().result())
                if progress is not None and time.perf_counter() - reported >= REPORT_SECONDS:
                    progress.step(f"scored {n_rows:,} rows")
                    reported = time.perf_counter()
            readable = True
        except BatchReadingUnavailable:
            readable = False
        scored.extend(future.result() for future in pending)  # in order: the first error
    if not readable or n_rows == 0:
        return None  # read it whole: its errors name the problem (or say it has no rows)
    ids, uplift, p_treated, unseen, texts = zip(*scored, strict=True)
    del scored  # memory: the batches' parts are let go once joined
    warn_unseen(_merged(unseen), stacklevel=4)
    if progress is not None and n_rows >= LARGE_ROWS:
        progress.step(
            f"scored {n_rows:,} rows of {Path(path).name} ({time.perf_counter() - started:.1f} s)"
        )
    uplift = np.concatenate(uplift)
    p_treated = np.concatenate(p_treated) if model.rule.needs_p_treated else None
    ids = _joined(ids) if id_column else None
    texts = pd.concat(texts, ignore_index=True) if reasons else None
    _release_unused_memory()
    return model.target_list(uplift, p_treated, ids=ids, capacity=capacity, reasons=texts)


def _release_unused_memory():
    """Give the memory freed by the batches back to the system before the list is built.

    The threads that read and scored the batches leave freed memory in the allocators'
    pools (glibc's per-thread arenas, pyarrow's pool); handed back, it lowers the peak
    of ``actionable target`` on 2,000,000 rows by about 90 MB (benchmarks/README.md,
    "Production commands"). Where the C library has no ``malloc_trim`` (not glibc),
    only pyarrow's pool is released.
    """
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(AttributeError, OSError, TypeError):  # no malloc_trim: not glibc
        ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim(0)


def _score_batch(model, batch, first_row, reasons=0, integer_ids=False):
    """Identifiers, uplift, P(y=1 | treated), unseen categories and reasons of one batch."""
    unseen = {}
    features = model.schema.transform(batch, first_row=first_row, unseen_found=unseen)
    uplift, p_treated = model.predict(features)
    ids = batch[model.roles.id_column] if model.roles.id_column else None
    if integer_ids:
        ids = _as_integers(ids)
    texts = candidate_reasons(model, features, uplift, p_treated, reasons) if reasons else None
    return ids, uplift, p_treated, unseen, texts


# Text that int64 prints back identically: 0, or an optional minus and at most 18 digits
# without a leading zero (18 digits always fit in int64).
_INTEGER_TEXT = r"^(0|-?[1-9][0-9]{0,17})$"


def _as_integers(ids):
    """Text identifiers as int64 when each is an integer written as int64 prints it.

    Such identifiers are written back to the same text, and integers are checked for
    repeats, put in order and written many times faster than text; any other
    identifiers (a leading zero, a letter, a missing value) are returned unchanged.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import types

    if not (pd.api.types.is_string_dtype(ids.dtype) or ids.dtype == object) or not len(ids):
        return ids
    try:
        values = pa.array(ids, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        return ids
    if not types.is_string(values.type) and not types.is_large_string(values.type):
        return ids
    if values.null_count or not pc.all(pc.match_substring_regex(values, _INTEGER_TEXT)).as_py():
        return ids
    return pd.Series(pc.cast(values, pa.int64()).to_numpy(), index=ids.index, name=ids.name)


def _joined(ids_by_batch):
    """The batches' identifiers as one series: integers if every batch's are, else text."""
    if any(not pd.api.types.is_integer_dtype(ids.dtype) for ids in ids_by_batch):
        ids_by_batch = [
            ids.astype(str) if pd.api.types.is_integer_dtype(ids.dtype) else ids
            for ids in ids_by_batch
        ]
    return pd.concat(ids_by_batch, ignore_index=True)


def _merged(unseen_by_batch):
    """Column -> [total count, first value] over the batches, in file order."""
    merged = {}
    for unseen in unseen_by_batch:
        for name, (count, example) in unseen.items():
            merged.setdefault(name, [0, example])[0] += count
    return merged
