"""``actionable datasets list`` and ``actionable datasets fetch NAME``."""

from actionable.datasets import fetch_file, get_data_home, list_datasets
from actionable.datasets._catalog import dataset_files


def run_list(args):
    """Print one line per dataset: name, files, size, cached or not, terms.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments (none are used).

    Returns
    -------
    int
        Exit status 0.
    """
    del args
    table = list_datasets()
    print(table[["name", "size", "cached", "loader"]].to_string(index=False))
    print()
    for row in table.itertuples():
        print(f"{row.name}: files {row.files}")
        print(f"{' ' * len(row.name)}  terms {row.terms}")
    print(f"\ncache: {get_data_home()} (ACTIONABLE_DATA_HOME); load_hillstrom() needs no download")
    return 0


def run_fetch(args):
    """Fetch and verify a dataset's files; print each local path and its checksum.

    Parameters
    ----------
    args : argparse.Namespace
        ``name`` (dataset, or ``dataset/file``) and ``quiet``.

    Returns
    -------
    int
        Exit status 0; failures raise ``ValueError`` or ``DatasetDownloadError``
        (an ``OSError``), which the command reports on one line.
    """
    for remote in dataset_files(args.name):
        path = fetch_file(remote, quiet=args.quiet)
        size = path.stat().st_size
        print(f"{path}  ({size:,} bytes, {remote.algorithm} {remote.checksum} verified)")
    return 0
