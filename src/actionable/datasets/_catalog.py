"""What ``actionable datasets list`` and ``actionable datasets fetch NAME`` do."""

import pandas as pd

from actionable.datasets._download import cache_state, fetch_file, get_data_home
from actionable.datasets._registry import DATASETS, REMOTE_FILES, get_remote_file

__all__ = ["dataset_files", "fetch_dataset", "list_datasets"]


def dataset_files(name):
    """Registry entries fetched by ``fetch_dataset(name)``; ValueError if unknown."""
    if name in DATASETS:
        return [get_remote_file(key) for key in DATASETS[name].files]
    if name in REMOTE_FILES:
        return [get_remote_file(name)]
    known = ", ".join(DATASETS)
    raise ValueError(
        f"unknown dataset {name!r}; known datasets: {known} "
        "(or one file as '<dataset>/<file name>', e.g. 'criteo/criteo10.csv.gz')"
    )


def fetch_dataset(name, *, data_home=None, quiet=False, offline=None):
    """Download (or copy from the mirror) and verify the files of a dataset.

    Files already in the cache and unchanged since their last verification are not
    fetched again.

    Parameters
    ----------
    name : str
        Dataset name (``"hillstrom"``, ``"starbucks"``, ``"criteo"``, ``"lenta"``,
        ``"x5"``, ``"megafon"``): its default files, those its ``fetch_*`` loader
        reads by default. Or one file, ``"<dataset>/<file name>"``
        (e.g. ``"criteo/criteo10.csv.gz"``, ``"x5/purchases.csv.gz"``).
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide progress bars.
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.

    Returns
    -------
    list of (RemoteFile, pathlib.Path)
        Each registry entry with the path of its verified local copy.

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    DatasetDownloadError
        If a file cannot be fetched or verified.

    See Also
    --------
    fetch_file : One file.
    list_datasets : The dataset names.

    Examples
    --------
    >>> from actionable.datasets import fetch_dataset
    >>> [(f.key, p.name) for f, p in fetch_dataset("starbucks")]  # doctest: +SKIP
    [('starbucks/training.csv', 'training.csv'), ('starbucks/Test.csv', 'Test.csv')]
    """
    files = dataset_files(name)
    return [
        (remote, fetch_file(remote, data_home=data_home, quiet=quiet, offline=offline))
        for remote in files
    ]


def _human_size(n_bytes):
    for unit in ("B", "KB", "MB", "GB"):
        if n_bytes < 1000 or unit == "GB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1000
    raise AssertionError("unreachable")  # pragma: no cover


def list_datasets(*, data_home=None):
    """Describe the public datasets: files, size, whether they are cached, terms.

    Only file metadata is read: nothing is downloaded or hashed.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.

    Returns
    -------
    pandas.DataFrame
        One row per dataset with columns ``name``, ``loader``, ``files`` (default
        files, comma-separated), ``size_bytes`` (sum of the default files' sizes,
        ``<NA>`` when not published), ``size`` (human-readable, approximate where
        marked ``~``), ``cached`` (``"yes"``, ``"no"``, ``"partial"``, or
        ``"changed"`` for a file modified since its checksum last matched: it is
        re-verified on use) and ``terms``.

    See Also
    --------
    fetch_dataset : Fetch a dataset's files.

    Examples
    --------
    >>> from actionable.datasets import list_datasets
    >>> table = list_datasets()
    >>> table["name"].tolist()
    ['hillstrom', 'starbucks', 'criteo', 'lenta', 'x5', 'megafon']
    >>> table.loc[table["name"] == "criteo", "terms"].item()[:15]
    'CC BY-NC-SA 4.0'
    """
    rows = []
    for info in DATASETS.values():
        files = [get_remote_file(key) for key in info.files]
        states = [cache_state(remote, data_home) for remote in files]
        if all(state == "verified" for state in states):
            cached = "yes"
        elif all(state == "absent" for state in states):
            cached = "no"
        elif "unverified" in states:
            cached = "changed"
        else:
            cached = "partial"
        sizes = [remote.size for remote in files]
        size_bytes = sum(sizes) if None not in sizes else pd.NA
        rows.append(
            {
                "name": info.name,
                "loader": info.loader,
                "files": ", ".join(remote.filename for remote in files),
                "size_bytes": size_bytes,
                "size": info.approximate_size if size_bytes is pd.NA else _human_size(size_bytes),
                "cached": cached,
                "terms": info.terms,
            }
        )
    table = pd.DataFrame(rows)
    table["size_bytes"] = table["size_bytes"].astype("Int64")
    return table


def describe_datasets(*, data_home=None):
    """The text ``actionable datasets list`` prints: the table, each dataset's files and terms.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.

    Returns
    -------
    str

    Examples
    --------
    >>> from actionable.datasets import describe_datasets
    >>> "load_hillstrom() needs no download" in describe_datasets()
    True
    """
    table = list_datasets(data_home=data_home)
    lines = [table[["name", "size", "cached", "loader"]].to_string(index=False), ""]
    for row in table.itertuples():
        lines.append(f"{row.name}: files {row.files}\n{' ' * len(row.name)}  terms {row.terms}")
    home = get_data_home(data_home)
    lines.append(f"\ncache: {home} (ACTIONABLE_DATA_HOME); load_hillstrom() needs no download")
    return "\n".join(lines)
