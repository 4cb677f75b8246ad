"""Write a set of files into a directory so that no partial output looks complete."""

import os
import shutil
import tempfile
from pathlib import Path


def write_files_atomically(directory, files, *, last="index.html"):
    """Write ``{name: bytes}`` into ``directory``, publishing every file at once at the end.

    All files are first written to a temporary folder inside ``directory`` (so the
    final renames stay on one file system); only when every file is written are they
    moved into place with ``os.replace``, ``last`` at the very end. A failure while
    writing leaves the directory as it was, and other files in it (for example a
    sub-report) are never touched.

    Parameters
    ----------
    directory : str or os.PathLike
        Output directory, created if missing.
    files : dict of str to bytes
        File name (no folders) to content.
    last : str, default="index.html"
        File published last, so its presence means the others are complete.

    Returns
    -------
    pathlib.Path
        The output directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_files_atomically(pathlib.Path(tempfile.mkdtemp()) / "r", {"a.txt": b"1"})
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"out={str(directory)!r} exists and is not a directory.")
    for name in files:
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"file name {name!r} must be a plain name without folders.")
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=directory))
    try:
        for name, content in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        order = sorted(files, key=lambda name: name == last)
        for name in order:
            os.replace(staging / name, directory / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory
