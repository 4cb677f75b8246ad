"""Implementations of the ``actionable`` subcommands (private; see ``actionable.cli``)."""
