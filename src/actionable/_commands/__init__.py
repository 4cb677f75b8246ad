"""Implementations of the ``actionable`` subcommands (private; see ``actionable.cli``)."""


class CommandError(Exception):
    """An expected failure of a command, reported as one line without a traceback."""
