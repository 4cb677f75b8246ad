"""Files written so that nothing half-written is ever seen, with the permissions of any new file.

Everything is written to a temporary name and renamed into place; a failure or an
interruption (``KeyboardInterrupt``, or the ``SystemExit`` a terminating signal's
handler raises) removes the temporary files. Temporary files are private; what is
published gets ``0666`` (``0777`` for a folder) minus the process's umask. Operating-
system errors are reported with the path they concern.
"""

import json
import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np


def _one_line(text):
    return " ".join(str(text).split())


def os_error(path, exc, action="write"):
    """An ``OSError`` whose one-line message names the path (``[Errno 28]`` alone does not)."""
    reason = _one_line(getattr(exc, "strerror", None) or exc)
    error = OSError(f"cannot {action} {str(path)!r}: {reason}.")
    error.errno = getattr(exc, "errno", None)
    return error


def _umask():
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def apply_umask(path, *, directory=False):
    """Give ``path`` the permissions a newly created file (or directory) would have.

    Temporary files and directories are created private (0600, 0700); once renamed
    into place they get ``0666`` (``0777``) minus the umask, so a colleague can read
    an output whenever the umask lets them.
    """
    base = 0o777 if directory else 0o666
    os.chmod(path, base & ~_umask())


def write_file_atomically(path, write, *, mode="w"):
    """Write ``path`` through a temporary file renamed into place.

    Parameters
    ----------
    path : str or path-like
        Destination file; its folder is created if missing.
    write : callable
        Called with the open temporary file; writes the content.
    mode : {"w", "wb"}, default="w"
        Text (UTF-8, no newline translation) or binary.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"cannot write {str(path)!r}: it is a directory.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as exc:
        raise os_error(path, exc) from exc
    try:
        options = {"newline": "", "encoding": "utf-8"} if "b" not in mode else {}
        with os.fdopen(handle, mode, **options) as stream:
            write(stream)
        apply_umask(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise os_error(path, exc) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


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
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=directory))
    except OSError as exc:
        raise os_error(directory, exc) from exc
    try:
        for name, content in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        order = sorted(files, key=lambda name: name == last)
        for name in order:
            os.replace(staging / name, directory / name)
    except OSError as exc:
        raise os_error(directory, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
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

    Examples
    --------
    >>> print(dumps_json({"a": float("nan")}), end="")
    {
      "a": null
    }
    """
    document = json.loads(json.dumps(document, default=_json_default))
    return json.dumps(_clean_floats(document), indent=2, allow_nan=False) + "\n"
