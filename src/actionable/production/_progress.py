"""Progress of long work on stderr: a bar on a terminal, one line per step in a log."""

import sys
import time
from contextlib import contextmanager

LARGE_ROWS = 100_000
"""Work on fewer rows than this is quick: it is not reported row by row."""
LARGE_FILE_BYTES = 20_000_000
"""Reading a file at least this big is reported when it starts."""


class Progress:
    """Reports what a long piece of work is doing, where a person or a log can see it.

    On a terminal, counted work (rows read, rows scored, folds fitted) shows a
    progress bar that redraws itself; anywhere else (a log file, a scheduler's
    output) every step is one plain line, written when it starts and when it ends,
    so the log never fills with carriage returns.

    Parameters
    ----------
    enabled : bool, default=True
        ``False`` reports nothing.
    stream : file-like, default=None
        Where to write; ``None`` means ``sys.stderr`` at the time of writing.

    Examples
    --------
    >>> import io
    >>> log = io.StringIO()
    >>> progress = Progress(stream=log)
    >>> with progress.counting("scoring", total=3, unit="rows") as count:
    ...     count(2)
    ...     count(1)
    >>> print(log.getvalue(), end="")
    scoring: 3 rows ...
    scoring: 3 rows (0.0 s)
    """

    def __init__(self, enabled=True, stream=None):
        self.enabled = enabled
        self.stream = stream

    @property
    def _out(self):
        return self.stream if self.stream is not None else sys.stderr

    @property
    def interactive(self):
        """Whether the output is a terminal (bars) rather than a log (lines)."""
        isatty = getattr(self._out, "isatty", None)
        return bool(isatty and isatty())

    def step(self, message):
        """Report one step, as a line."""
        if self.enabled:
            print(message, file=self._out, flush=True)

    @contextmanager
    def counting(self, description, *, total, unit, at_least=0):
        """Count work done towards ``total``: yields ``count(n)`` to call as it advances.

        On a terminal a bar; in a log one line when the work starts and one when it
        ends, with the time taken. Nothing when ``total`` is below ``at_least``.
        """
        started = time.perf_counter()
        if not self.enabled or total < at_least:
            yield lambda n: None
            return
        if self.interactive:
            from tqdm.auto import tqdm

            with tqdm(
                total=total, desc=description, unit=f" {unit}", unit_scale=True,
                file=self._out, leave=False,
            ) as bar:  # fmt: skip
                yield bar.update
        else:
            self.step(f"{description}: {total:,} {unit} ...")
            yield lambda n: None
        elapsed = time.perf_counter() - started
        self.step(f"{description}: {total:,} {unit} ({elapsed:.1f} s)")
