"""Every exception and warning the package raises, in one place.

Each class is also importable from the subpackage that raises it (for example
``actionable.metrics.UndefinedUpliftMetricWarning``); both names are the same object,
so ``except`` clauses and warning filters work with either. ``BatchReadingUnavailable``
is internal: it never leaves the package. This module imports nothing from the rest of
the package.

Examples
--------
>>> from actionable import exceptions
>>> from actionable.metrics import UndefinedUpliftMetricWarning
>>> exceptions.UndefinedUpliftMetricWarning is UndefinedUpliftMetricWarning
True
"""

__all__ = [
    "DatasetDownloadError",
    "ModelIntegrityError",
    "ModelVersionWarning",
    "NotRandomizedError",
    "UndefinedUpliftMetricWarning",
    "UntrustedResultWarning",
]


class UndefinedUpliftMetricWarning(UserWarning):
    """Warning raised when an uplift metric is undefined for valid input.

    The metric then returns NaN instead of dividing by zero, e.g. when every
    outcome is equal, so the perfect curve coincides with the random one.

    See Also
    --------
    actionable.metrics.qini_auc_score : Warns with this category when undefined.

    Examples
    --------
    >>> import warnings
    >>> from actionable.metrics import UndefinedUpliftMetricWarning, qini_auc_score
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     score = qini_auc_score([0, 0, 0, 0], [0.4, 0.3, 0.2, 0.1], [1, 0, 1, 0])
    >>> score, caught[0].category is UndefinedUpliftMetricWarning
    (nan, True)
    """


class DatasetDownloadError(OSError):
    """A dataset file could not be fetched or verified; nothing was left in the cache.

    One error covers every failure of :func:`~actionable.datasets.fetch_file` (HTTP
    error, truncated or corrupted body, no network, offline without the file, local
    write error). It is an ``OSError``, so ``except OSError`` catches it and the
    ``actionable`` command reports it on one line.

    Parameters
    ----------
    remote : RemoteFile
        The registry entry (file name, checksum, algorithm).
    source : str
        The URL or mirror path that was tried last.
    reason : str
        What went wrong.
    actual : str, default=None
        Checksum of the bytes received, when any were received.
    hint : str, default=""
        What the user can do (e.g. set ``ACTIONABLE_DATA_MIRROR``).

    See Also
    --------
    actionable.datasets.fetch_file : Raises it.

    Examples
    --------
    >>> from actionable.datasets import DatasetDownloadError, RemoteFile
    >>> remote = RemoteFile("toy", "toy.csv", "https://example.org/toy.csv", "ab" * 32, "sha256")
    >>> error = DatasetDownloadError(remote, remote.url, "HTTP 404 Not Found")
    >>> isinstance(error, OSError)
    True
    >>> print(error)
    could not fetch toy/toy.csv from https://example.org/toy.csv: HTTP 404 Not Found; expected
    sha256 abab...abab, got nothing (no complete file)
    """

    def __init__(self, remote, source, reason, *, actual=None, hint=""):
        self.remote = remote
        self.source = source
        self.reason = reason
        self.actual = actual
        self.hint = hint
        got = actual if actual is not None else "nothing (no complete file)"
        message = (
            f"could not fetch {remote.key} from {source}: {reason}; expected "
            f"{remote.algorithm} {remote.checksum}, got {got}"
        )
        super().__init__(message + (f". {hint}" if hint else ""))


class NotRandomizedError(ValueError):
    """The treatment was not assigned at random: the data cannot be evaluated as it is."""


class ModelIntegrityError(ValueError):
    """A model directory is incomplete, tampered with, or not a model directory."""


class ModelVersionWarning(UserWarning):
    """A model was saved with other package versions than the ones installed."""


class UntrustedResultWarning(UserWarning):
    """Too few rows of an arm for an evaluation or a monitoring batch to be trusted."""


class BatchReadingUnavailable(Exception):
    """The file cannot be read in batches exactly as it would be read whole.

    Internal (not in ``__all__``): raised by the batch reader of
    ``actionable.production`` and caught there, which then reads the file whole.
    """
