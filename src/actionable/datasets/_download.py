"""Verified downloads into the cache: mirror, streaming checksum, atomic rename, retries.

Contract (documented for users in docs/user-guide/datasets.md):

- The cache is ``ACTIONABLE_DATA_HOME`` (default ``~/.cache/actionable``), laid out as
  ``<data_home>/<dataset>/<file name>``.
- ``ACTIONABLE_DATA_MIRROR`` (a directory, a ``file://`` URL or an ``http(s)://`` base URL)
  holding ``<dataset>/<file name>`` is tried first; a file the mirror does not have is
  then fetched from its official URL, unless offline.
- Offline (``offline=True`` or ``ACTIONABLE_DATA_OFFLINE=1``): no HTTP request at all,
  not even to an HTTP mirror; only the cache and a directory mirror are used.
- Bytes stream into ``<file name>.<random>.part`` next to the target while the checksum
  is computed, and are renamed onto the target only when the byte count and checksum
  match. Any failure, including ``KeyboardInterrupt``, removes the ``.part`` file.
- Transient failures (connection reset or refused, timeout, truncated body, HTTP 408,
  425, 429 and 5xx) are retried after 1, 3 and 9 seconds. A 404 or other 4xx, a complete
  body with the wrong checksum, a missing network (DNS failure, unreachable network)
  and local write errors are not retried.
- Every failure is one :class:`DatasetDownloadError` naming the file, the source and the
  expected and actual checksums.
- A cached file is trusted without re-hashing only while its size, modification time
  and inode equal those recorded (in ``.<file name>.verified``) when its checksum last
  matched; otherwise it is hashed again, and a mismatch deletes it and fetches it anew.
"""

import contextlib
import errno
import hashlib
import http.client
import json
import logging
import os
import secrets
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib import metadata
from pathlib import Path

from tqdm import tqdm

from actionable.datasets._registry import RemoteFile, get_remote_file
from actionable.exceptions import DatasetDownloadError

__all__ = ["fetch_file", "get_data_home"]

logger = logging.getLogger("actionable.datasets")

DATA_HOME_ENV = "ACTIONABLE_DATA_HOME"
MIRROR_ENV = "ACTIONABLE_DATA_MIRROR"
OFFLINE_ENV = "ACTIONABLE_DATA_OFFLINE"

_CHUNK_SIZE = 1 << 20
_TIMEOUT_SECONDS = 60
_BACKOFF_SECONDS = (1.0, 3.0, 9.0)  # waits before the 2nd, 3rd and 4th attempts
_TRANSIENT_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows
_NO_NETWORK_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})


class _Transient(Exception):
    """A failure worth retrying."""

    def __init__(self, reason, actual=None):
        super().__init__(reason)
        self.reason = reason
        self.actual = actual


class _NotInSource(Exception):
    """The source answered that it does not have the file (404, missing mirror file)."""


class _Final(Exception):
    """A failure not worth retrying (other 4xx)."""


class _NoNetwork(Exception):
    """Name resolution failed or the network is unreachable."""


def _truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def get_data_home(data_home=None):
    """Return the cache directory of the dataset loaders.

    Files are kept as ``<data home>/<dataset>/<file name>``.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Explicit directory; otherwise ``ACTIONABLE_DATA_HOME``, otherwise
        ``~/.cache/actionable``.

    Returns
    -------
    pathlib.Path
        Absolute path; it is created on first download, not here.

    See Also
    --------
    fetch_file : Download a file into this directory.

    Examples
    --------
    >>> from actionable.datasets import get_data_home
    >>> get_data_home("/tmp/actionable-data").as_posix()
    '/tmp/actionable-data'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or "~/.cache/actionable"
    return Path(data_home).expanduser().resolve()


def _cache_path(remote, data_home):
    return get_data_home(data_home) / remote.dataset / remote.filename


def _stamp_path(path):
    return path.with_name(f".{path.name}.verified")


def _stamp(path, remote):
    status = path.stat()
    return {
        "algorithm": remote.algorithm,
        "checksum": remote.checksum,
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "inode": status.st_ino,
    }


def _read_stamp(path):
    try:
        return json.loads(_stamp_path(path).read_text())
    except (OSError, ValueError):
        return None


def _write_stamp(path, remote):
    with contextlib.suppress(OSError):  # without a stamp the file is simply hashed again
        _stamp_path(path).write_text(json.dumps(_stamp(path, remote)))


def _hash_file(path, algorithm):
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK_SIZE):
            hasher.update(chunk)
    return hasher.hexdigest()


def cache_state(remote, data_home=None):
    """``"verified"``, ``"unverified"`` (present, changed since last check) or ``"absent"``."""
    path = _cache_path(remote, data_home)
    if not path.is_file():
        return "absent"
    return "verified" if _read_stamp(path) == _stamp(path, remote) else "unverified"


def _verified_cache(remote, path):
    """Return True if ``path`` holds the right bytes; delete it if it does not."""
    if not path.is_file():
        return False
    if _read_stamp(path) == _stamp(path, remote):
        return True
    size = path.stat().st_size
    if remote.size is None or size == remote.size:
        actual = _hash_file(path, remote.algorithm)
        if actual == remote.checksum:
            _write_stamp(path, remote)
            return True
    else:
        actual = f"a file of {size} bytes instead of {remote.size}"
    logger.warning(
        "cached %s failed verification (expected %s %s, got %s); fetching it again",
        path,
        remote.algorithm,
        remote.checksum,
        actual,
    )
    path.unlink(missing_ok=True)
    _stamp_path(path).unlink(missing_ok=True)
    return False


def _mirror_source(remote, offline):
    """The mirror location of ``remote``, or None without (usable) mirror."""
    mirror = os.environ.get(MIRROR_ENV, "").strip()
    if not mirror:
        return None
    if mirror.startswith(("http://", "https://")):
        if offline:
            return None
        quoted = "/".join(urllib.parse.quote(part) for part in (remote.dataset, remote.filename))
        return f"{mirror.rstrip('/')}/{quoted}"
    if mirror.startswith("file://"):
        mirror = urllib.request.url2pathname(urllib.parse.urlparse(mirror).path)
    directory = Path(mirror).expanduser()
    if not directory.is_dir():
        raise ValueError(
            f"{MIRROR_ENV}={mirror!r} is neither an http(s) URL nor an existing directory"
        )
    return str(directory / remote.dataset / remote.filename)


def _is_url(source):
    return source.startswith(("http://", "https://"))


def _user_agent():
    try:
        version = metadata.version("actionable")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "unknown"
    return f"actionable/{version} (+dataset loader)"


def _no_network_reason(reason):
    if isinstance(reason, socket.gaierror):
        return True
    return isinstance(reason, OSError) and reason.errno in _NO_NETWORK_ERRNOS


@contextlib.contextmanager
def _open_source(source):
    """Yield ``(binary stream, announced length or None)`` for a URL or a file path."""
    if not _is_url(source):
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise _NotInSource("no such file") from None
        with stream:
            yield stream, os.fstat(stream.fileno()).st_size
        return
    request = urllib.request.Request(
        source, headers={"User-Agent": _user_agent(), "Accept-Encoding": "identity"}
    )
    try:
        response = urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code in (404, 410):
            raise _NotInSource(f"HTTP {exc.code} {exc.reason}") from None
        if exc.code in _TRANSIENT_HTTP:
            raise _Transient(f"HTTP {exc.code} {exc.reason}") from None
        raise _Final(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if _no_network_reason(exc.reason):
            raise _NoNetwork(str(exc.reason)) from None
        raise _Transient(f"connection failed: {exc.reason}") from None
    except (http.client.HTTPException, ConnectionError, TimeoutError) as exc:
        raise _Transient(f"connection failed: {exc!r}") from None
    with response:
        length = response.headers.get("Content-Length")
        yield response, int(length) if length and length.isdigit() else None


def _progress(remote, total, quiet):
    disable = quiet or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())
    return tqdm(
        total=total,
        desc=remote.key,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=disable,
        file=sys.stderr,
        leave=False,
    )


def _download_once(remote, source, target, quiet):
    """Stream ``source`` into ``target`` through a ``.part`` file; return ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f"{remote.filename}.{secrets.token_hex(6)}.part")
    # O_EXCL: never reuse another process's .part; mode 0o666 minus the umask, like open().
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
    try:
        hasher = hashlib.new(remote.algorithm)
        received = 0
        with os.fdopen(descriptor, "wb") as out, _open_source(source) as (stream, announced):
            expected_bytes = announced if announced is not None else remote.size
            with _progress(remote, expected_bytes, quiet) as bar:
                while True:
                    try:
                        chunk = stream.read(_CHUNK_SIZE)
                    except (http.client.HTTPException, ConnectionError, TimeoutError) as exc:
                        raise _Transient(
                            f"connection broken after {received} bytes: {exc!r}",
                            actual=hasher.hexdigest(),
                        ) from None
                    if not chunk:
                        break
                    out.write(chunk)
                    hasher.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
        actual = hasher.hexdigest()
        if announced is not None and received != announced:
            raise _Transient(
                f"truncated body: received {received} of {announced} bytes", actual=actual
            )
        if remote.size is not None and received < remote.size:
            raise _Transient(
                f"truncated body: received {received} of {remote.size} bytes", actual=actual
            )
        if actual != remote.checksum:
            raise DatasetDownloadError(
                remote, source, f"checksum mismatch on {received} bytes", actual=actual
            )
        os.replace(part, target)
        _write_stamp(target, remote)
        return target
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _download(remote, source, target, quiet):
    """Download with retries into ``target``.

    Returns None on success, or the reason why ``source`` does not have the file.
    """
    attempts = len(_BACKOFF_SECONDS) + 1
    for attempt in range(attempts):
        try:
            _download_once(remote, source, target, quiet)
            return None
        except _NotInSource as exc:
            return str(exc)
        except _Final as exc:
            raise DatasetDownloadError(remote, source, str(exc)) from None
        except _NoNetwork as exc:
            raise DatasetDownloadError(
                remote, source, f"no network ({exc})", hint=_mirror_hint(remote, target)
            ) from None
        except _Transient as exc:
            if attempt == attempts - 1:
                raise DatasetDownloadError(
                    remote,
                    source,
                    f"{exc.reason} (gave up after {attempts} attempts)",
                    actual=exc.actual,
                    hint=_mirror_hint(remote, target) if exc.actual is None else "",
                ) from None
            delay = _BACKOFF_SECONDS[attempt]
            logger.warning("%s from %s: %s; retrying in %s s", remote.key, source, exc, delay)
            time.sleep(delay)
        except DatasetDownloadError:
            raise
        except OSError as exc:  # local trouble: disk full, permission denied...
            raise DatasetDownloadError(remote, source, f"local error: {exc}") from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _mirror_hint(remote, target):
    return (
        f"Without network access, set {MIRROR_ENV} to a directory (or http(s) base URL) "
        f"holding {remote.key}, or copy the file to {target}; it is checked before use"
    )


def _resolve(remote_file):
    if isinstance(remote_file, RemoteFile):
        return remote_file
    if isinstance(remote_file, str):
        return get_remote_file(remote_file)
    raise TypeError(f"expected a RemoteFile or a 'dataset/file' string; got {remote_file!r}")


def fetch_file(remote_file, *, data_home=None, quiet=False, offline=None):
    """Return the local path of a verified dataset file, downloading it if needed.

    The cache is tried first, then ``ACTIONABLE_DATA_MIRROR``, then the official URL.
    See the module docstring of ``actionable.datasets._download`` for the full contract
    (atomic ``.part`` downloads, retries, cache verification).

    Parameters
    ----------
    remote_file : str or RemoteFile
        ``"<dataset>/<file name>"`` (e.g. ``"starbucks/training.csv"``) or a registry
        entry.
    data_home : str or path-like, default=None
        Cache directory; see :func:`get_data_home`.
    quiet : bool, default=False
        Hide the progress bar (it is also hidden when stderr is not a terminal).
    offline : bool, default=None
        Never use the network; ``None`` reads ``ACTIONABLE_DATA_OFFLINE``.

    Returns
    -------
    pathlib.Path
        ``<data_home>/<dataset>/<file name>``, whose checksum matches the registry.

    Raises
    ------
    DatasetDownloadError
        If the file cannot be fetched or verified (nothing is left in the cache).
    ValueError
        If ``remote_file`` is unknown or ``ACTIONABLE_DATA_MIRROR`` is not usable.

    See Also
    --------
    fetch_dataset : All default files of a dataset.
    list_datasets : What is available and cached.

    Examples
    --------
    >>> from actionable.datasets import fetch_file
    >>> path = fetch_file("starbucks/training.csv")  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'training.csv'
    """
    remote = _resolve(remote_file)
    target = _cache_path(remote, data_home)
    if _verified_cache(remote, target):
        return target
    offline = _truthy(os.environ.get(OFFLINE_ENV, "")) if offline is None else bool(offline)
    sources = [] if offline else [remote.url]
    mirror = _mirror_source(remote, offline)
    if mirror is not None:
        sources.insert(0, mirror)
    if not sources:
        raise DatasetDownloadError(
            remote,
            "the cache",
            "not cached, and offline mode is on",
            hint=_mirror_hint(remote, target),
        )
    missing = []
    for source in sources:
        try:
            reason = _download(remote, source, target, quiet)
        except DatasetDownloadError as exc:
            if not missing:
                raise
            raise DatasetDownloadError(
                remote,
                exc.source,
                f"{exc.reason} (the mirror did not have it: {missing[0]})",
                actual=exc.actual,
                hint=exc.hint,
            ) from None
        if reason is None:
            return target
        missing.append(reason)
    offline_note = "; offline, so the official URL was not tried" if offline else ""
    raise DatasetDownloadError(
        remote,
        " and ".join(sources),
        f"file not found ({'; '.join(missing)}){offline_note}",
        hint=_mirror_hint(remote, target) if offline else "",
    )
