"""Connecting to a Dask cluster and reading a folder or glob of Parquet files."""

import contextlib
import glob
import os
from pathlib import Path

MSG_NO_DASK = (
    "actionable.distributed needs Dask: pip install 'actionable[dask]' (dask[dataframe] and "
    "distributed)."
)
_GLOB_CHARACTERS = "*?["


def require_dask():
    """Import ``dask.dataframe`` and ``distributed``, or raise ``ImportError`` saying how to."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ImportError(MSG_NO_DASK) from exc


def is_partitioned(data):
    """Whether ``data`` names a folder or a glob pattern (Parquet files read on Dask).

    Parameters
    ----------
    data : str or path-like

    Returns
    -------
    bool

    Examples
    --------
    >>> is_partitioned("scores/part.*.parquet"), is_partitioned("customers.csv")
    (True, False)
    """
    text = os.fspath(data)
    if Path(text).is_file():  # an existing file is read as one, whatever its name
        return False
    return Path(text).is_dir() or any(character in text for character in _GLOB_CHARACTERS)


def parquet_files(data):
    """The Parquet files a folder (all ``*.parquet`` in it) or a glob pattern names, sorted.

    Parameters
    ----------
    data : str or path-like
        A folder, a glob pattern such as ``"campaign/2026-*.parquet"``, or one file.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If nothing matches, or a match is not a Parquet file.
    """
    text = os.fspath(data)
    if Path(text).is_dir():
        files = sorted(str(path) for path in Path(text).glob("*.parquet"))
        where = f"folder {text!r} holds no *.parquet file"
    else:
        files = sorted(glob.glob(text)) if any(c in text for c in _GLOB_CHARACTERS) else [text]
        files = [name for name in files if Path(name).is_file()]
        where = f"{text!r} matches no file"
    if not files:
        raise ValueError(f"{where}.")
    others = [name for name in files if not name.endswith(".parquet")]
    if others:
        raise ValueError(f"{others[0]!r} is not a Parquet file (*.parquet); DATA must be Parquet.")
    return files


def read_parquet(data, columns=None):
    """A Dask DataFrame of a folder or glob of Parquet files, partitioned by file.

    Parameters
    ----------
    data : str or path-like
        A folder of ``*.parquet`` files, a glob pattern, or one file.
    columns : list of str, default=None
        Columns to read (default: all).

    Returns
    -------
    dask.dataframe.DataFrame
        One partition per file, in file-name order (write a large table as many files).
    """
    require_dask()
    import dask.dataframe as dd

    # One partition per file whatever the columns read: with row groups split by size,
    # two projections of the same files could be partitioned differently, and
    # lightgbm.dask needs features and labels partitioned alike.
    return dd.read_parquet(parquet_files(data), columns=columns, split_row_groups=False)


def current_client():
    """The ``distributed.Client`` computations run on, or None (Dask's local scheduler)."""
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


@contextlib.contextmanager
def dask_client(scheduler=None):
    """A ``distributed.Client`` for the block: to ``scheduler``, or to a new local cluster.

    Parameters
    ----------
    scheduler : str, default=None
        Address of a running scheduler (``"tcp://10.0.0.5:8786"``). ``None`` starts a
        ``LocalCluster`` of one single-threaded worker process per core of this
        machine, closed at the end of the block.

    Yields
    ------
    distributed.Client
        The default client of the block: Dask computations inside it run there.
    """
    require_dask()
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    workers = max(1, os.cpu_count() or 1)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
