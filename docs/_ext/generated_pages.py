"""Pages generated at build time, so that they cannot drift from the code.

- ``generated/cli.md``: the command-line reference, from the ``actionable`` argument parser;
- ``generated/top_level.rst``: the names importable from ``actionable`` itself, each linked
  to its entry in the subpackage that defines it.

Neither is committed (``docs/generated/`` is ignored by git).
"""

import argparse
import importlib
import os
from pathlib import Path

import actionable
from actionable.cli import build_parser

_INTRO = """# Command-line reference

Every command of `actionable`, with the help it prints (`actionable COMMAND --help`).
The commands only parse options and call the library: each one has a library function
named in the [production path](../user-guide/production.md).
"""


def _subparsers(parser):
    for action in parser._actions:  # argparse keeps no public list of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _sections(parser, prefix, level):
    for name, sub in _subparsers(parser):
        command = f"{prefix} {name}"
        yield f"{'#' * level} `{command}`\n\n```text\n{sub.format_help().rstrip()}\n```\n"
        yield from _sections(sub, command, level + 1)


def write_cli_reference(app):
    """Write ``generated/cli.md`` under the documentation source directory."""
    os.environ["COLUMNS"] = "88"  # the same line width on every machine
    parser = build_parser()
    parser.formatter_class = argparse.HelpFormatter
    text = [_INTRO, f"```text\n{parser.format_help().rstrip()}\n```\n"]
    text.extend(_sections(parser, "actionable", 2))
    _write_if_changed(Path(app.srcdir) / "generated" / "cli.md", "\n".join(text))


def _write_if_changed(target, content):
    target.parent.mkdir(exist_ok=True)
    if not target.exists() or target.read_text() != content:
        target.write_text(content)


def write_top_level_table(app):
    """Write ``generated/top_level.rst``: each top-level name and where it is defined."""
    rows = []
    for name in actionable.__all__:
        if name == "__version__":
            continue
        obj = getattr(actionable, name)
        home = obj.__module__.rsplit("._", 1)[0]  # actionable.metrics._scores -> actionable.metrics
        if getattr(importlib.import_module(home), name, None) is not obj:
            raise RuntimeError(f"actionable.{name} is not {home}.{name}")
        rows.append(f"   * - ``actionable.{name}``\n     - :obj:`{home}.{name}`")
    table = [".. list-table::", "   :header-rows: 1", "", "   * - name", "     - defined in", *rows]
    _write_if_changed(Path(app.srcdir) / "generated" / "top_level.rst", "\n".join(table) + "\n")


def setup(app):
    app.connect("builder-inited", write_cli_reference)
    app.connect("builder-inited", write_top_level_table)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
