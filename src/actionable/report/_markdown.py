"""Markdown of a report specification (figures referenced as files next to it)."""

import re

_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def markdown_text(text):
    """Text that Markdown shows as written: no HTML tag or entity is interpreted.

    Examples
    --------
    >>> markdown_text("<script>alert(1)</script> & x >= 2 &amp;")
    '\\\\<script>alert(1)\\\\</script> & x >= 2 \\\\&amp;'
    """
    return _ENTITY.sub(r"\\&", _HTML_START.sub(r"\\<", str(text)))


def _cell(text):
    return markdown_text(text).replace("|", "\\|").replace("\n", " ")


def _label(row):
    if row.term:
        label = f"**{row.term}**"
    elif row.emphasis:
        label = f"**{row.label}**"
    else:
        label = row.label
    if row.why:
        label += f": {row.why}"
    if row.tag:
        label += f" (*{row.tag}*)"
    return label


def _table(table):
    columns, rows = table.shown("page")
    header = [table.corner, *(c.label for c in columns)]
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row, cells in rows:
        values = [_label(row), *(cell.text() for cell in cells)]
        lines.append("| " + " | ".join(_cell(v) for v in values) + " |")
    out = ["\n".join(lines), ""]
    if table.note:
        out += [markdown_text(table.note), ""]
    return out


def _figures(figures):
    out = []
    for figure in figures:
        if figure.line is not None:
            continue  # drawn from the numbers of the table
        out += [f"![{markdown_text(figure.alt)}]({figure.name})", ""]
        if figure.caption:
            out += [f"*{markdown_text(figure.caption)}*", ""]
    return out


def _kpis(kpis):
    return [
        f"- **{markdown_text(k.label)}**: {markdown_text(k.value)} {markdown_text(k.unit)}; "
        + "; ".join(markdown_text(d) for d in k.details)
        for k in kpis
    ] + [""]


def _section(section):
    out = [f"## {markdown_text(section.title)}", ""] if section.title else []
    if section.card is not None:
        out += [section.card.to_markdown(), ""]
    if section.lead:
        out += [f"**{markdown_text(section.lead)}**", ""]
    for paragraph in section.paragraphs:
        out += [markdown_text(paragraph), ""]
    if section.bullets:
        out += [f"- {markdown_text(item)}" for item in section.bullets] + [""]
    if section.closing:
        out += [f"**{markdown_text(section.closing)}**", ""]
    if section.kpis:
        out += _kpis(section.kpis)
    if section.table is not None:
        out += _table(section.table)
    out += _figures(section.figures)
    if section.warning:
        out += [f"*{markdown_text(section.warning)}*", ""]
    if section.notes_as_list:
        out += [f"- {markdown_text(note)}" for note in section.notes] + [""]
    else:
        for note in section.notes:
            out += [markdown_text(note), ""]
    return out


def render_markdown(report):
    """A report specification as Markdown.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
        Headings, paragraphs, tables (an interval beside its estimate) and figures
        referenced by file name.
    """
    out = [f"# {markdown_text(report.title)}", ""]
    if report.eyebrow:
        out += [f"*{markdown_text(report.eyebrow)}*", ""]
    if report.subtitle:
        out += [markdown_text(report.subtitle), ""]
    for section in report.sections:
        out += _section(section)
    if report.footer:
        out += [f"*{markdown_text(report.footer)}*", ""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
