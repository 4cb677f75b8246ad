"""The plain-text table the ``actionable demo`` command prints, from the report specification."""

import textwrap


def _aligned(rows):
    """Rows of ``(label, cells)`` as lines: labels left, cells right-aligned in columns."""
    first = max(len(label) for label, _ in rows)
    widths = [max(len(cells[i]) for _, cells in rows) for i in range(len(rows[0][1]))]
    lines = []
    for index, (label, cells) in enumerate(rows):
        line = (
            label.ljust(first)
            + "  "
            + "  ".join(cell.rjust(w) for cell, w in zip(cells, widths, strict=True))
        )
        lines.append(line.rstrip())
        if index == 0:
            lines.append("-" * len(line))
    return lines


def render_terminal(report, *, width=100):
    """The models table of a report specification as aligned plain text, then the verdict.

    Parameters
    ----------
    report : Report
        A paired report's specification (its ``"models"`` section, and its ``"verdict"``).
    width : int, default=100
        Maximum line length of the wrapped legend and verdict.

    Returns
    -------
    str
    """
    table = report.section("models").table
    columns, rows = table.shown("compact")
    lines = _aligned(
        [
            ("", [c.short or c.label for c in columns]),
            *[(row.short or row.label, [c.compact_text() for c in cells]) for row, cells in rows],
        ]
    )
    legend = ", ".join(f"{c.short or c.label} = {c.label}" for c in columns)
    lines += ["", *textwrap.wrap(f"{legend}.", width=width), table.compact_note]
    verdict = report.section("verdict")
    if verdict is not None:
        lines.append("")
        for sentence in (verdict.lead, *verdict.bullets, verdict.closing):
            lines.extend(textwrap.wrap(sentence, width=width))
    return "\n".join(lines)
