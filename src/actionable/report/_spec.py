"""The report specification: what a report says, before any format.

A :class:`Report` is built once from a paired result (``_paired_spec``) or from a
monitoring document (``_monitor_spec``); the HTML templates, the Markdown writer and
the terminal table walk it, so a row, a figure or a note is written in one place.
Values stay numbers (or intervals) with their format until a renderer formats them:
HTML puts an interval's bounds under its estimate, Markdown beside it, the terminal
leaves them out.
"""

import math
from dataclasses import dataclass

from actionable._format import count, money, money_digits, percent

FORMATS = ("text", "number", "money", "share", "count", "points")
"""How a cell's number reads: as it is, a decimal, an amount, a percentage, a count,
percentage points."""

SCOPES = ("all", "page", "compact")
"""Where a row or column is shown: everywhere, on the pages only (HTML and Markdown:
too wide for a terminal), or in the compact terminal table only (the pages show it in
a section of its own)."""


def _check_scope(scope):
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}; got {scope!r}.")


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Cell:
    """One value of a table, with how to format it.

    Parameters
    ----------
    value : Interval, float, int, str or None
        An interval (its ``estimate``, ``low`` and ``high`` are read), a number, a
        text, or ``None`` (shown as an en dash).
    format : {"text", "number", "money", "share", "count", "points"}, default="text"
        How the number reads.
    digits : int, default=3
        Decimals of ``"number"`` and ``"share"``.
    signed : bool, default=False
        ``"number"`` with a ``+`` on positive values.
    currency : str, default="$"
        Symbol of ``"money"``.
    of : float, default=None
        ``"count"`` followed by its share of ``of`` (``"118 (47%)"``).
    low, high : float, default=None
        Bounds of a plain number (an interval's own bounds are read from it).
    short : str, default=None
        The text of the compact terminal table, when it differs.
    css : str, default=""
        A class of the HTML cell (``"gap"``, ``"high"``...).

    Examples
    --------
    >>> Cell(0.25, "number", low=0.2, high=0.3).text()
    '0.250 [0.200, 0.300]'
    >>> Cell(1234.5, "money").text(), Cell(None, "money").text()
    ('$1,234', '–')
    """

    value: object = None
    format: str = "text"
    digits: int = 3
    signed: bool = False
    currency: str = "$"
    of: float | None = None
    low: float | None = None
    high: float | None = None
    short: str | None = None
    css: str = ""

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}; got {self.format!r}.")

    def _parts(self):
        """``(estimate, low, high)``; the bounds are ``None`` when exact or absent."""
        value = self.value
        if hasattr(value, "is_exact"):
            if value.is_exact:
                return value.estimate, None, None
            return value.estimate, value.low, value.high
        return value, self.low, self.high

    def _one(self, value, money_precision=None):
        if self.format == "text":
            return "–" if value is None or value == "" else str(value)
        if _missing(value):
            return "–"
        if self.format == "money":
            return money(value, self.currency, digits=money_precision)
        if self.format == "share":
            return percent(value, self.digits)
        if self.format == "count":
            return count(max(value, 0))
        if self.format == "points":
            return f"{100 * value:+.1f} pts"
        sign = "+" if self.signed else ""
        return f"{value:{sign},.{self.digits}f}"

    def _precision(self):
        if self.format != "money":
            return None
        return money_digits(*self._parts())

    def estimate_text(self, *, shared=True):
        """The estimate; ``shared=False`` gives money its own precision (the terminal)."""
        estimate, _, _ = self._parts()
        text = self._one(estimate, self._precision() if shared else None)
        if self.format == "count" and self.of is not None and not _missing(estimate):
            text += f" ({percent(max(estimate, 0) / max(self.of, 1))})"
        return text

    def bounds_text(self):
        """``[low, high]`` in the estimate's precision, or ``""`` when exact."""
        _, low, high = self._parts()
        if low is None or high is None or self.format == "text":
            return ""
        precision = self._precision()
        return f"[{self._one(low, precision)}, {self._one(high, precision)}]"

    def text(self):
        """The estimate and its bounds on one line."""
        bounds = self.bounds_text()
        return f"{self.estimate_text()} {bounds}" if bounds else self.estimate_text()

    def compact_text(self):
        """The text of the terminal table: ``short``, or the estimate alone."""
        return self.short if self.short is not None else self.estimate_text(shared=False)


@dataclass(frozen=True)
class Row:
    """A row of a table: a label (with why it matters) and one cell per column.

    Parameters
    ----------
    label : str
        What the row measures.
    cells : tuple of Cell
        One per column of the table.
    key : str, default=""
        A stable name (the result's attribute behind a measure, ``"qini_auc"``).
    why : str, default=""
        Shown under the label (HTML) or after it (Markdown).
    short : str, default=None
        The label of the terminal table.
    term : str, default=None
        The word the row defines (``"persuadable"``): Markdown writes the row as a
        definition, ``**term**: why``.
    scope : {"all", "page", "compact"}, default="all"
        Where the row is shown (``SCOPES``).
    emphasis : bool, default=False
        A bold label.
    tag : str, default=""
        A short status shown after the label (``"contacted"``).
    css : str, default=""
        A class of the HTML row (``"contacted"``, ``"total"``).
    swatch : str, default=""
        A colour shown before the label.
    """

    label: str
    cells: tuple
    key: str = ""
    why: str = ""
    short: str | None = None
    term: str | None = None
    scope: str = "all"
    emphasis: bool = False
    tag: str = ""
    css: str = ""
    swatch: str = ""

    def __post_init__(self):
        _check_scope(self.scope)


@dataclass(frozen=True)
class Column:
    """A column of a table: a header, the terminal's shorter one, where it is shown."""

    label: str
    short: str | None = None
    key: str = ""
    scope: str = "all"

    def __post_init__(self):
        _check_scope(self.scope)


@dataclass(frozen=True)
class Table:
    """Rows under columns, with a note under the table.

    Parameters
    ----------
    columns : tuple of Column
        The headers of the value columns; the first header (``corner``) is the labels'.
    rows : tuple of Row
    corner : str, default=""
        Header of the label column.
    note : str, default=""
        Read under the table.
    compact_note : str, default=""
        Read under the terminal table.
    """

    columns: tuple
    rows: tuple
    corner: str = ""
    note: str = ""
    compact_note: str = ""

    def shown(self, view):
        """``(columns, rows)`` of a view, ``"page"`` or ``"compact"``, cells aligned."""
        keep = [i for i, c in enumerate(self.columns) if c.scope in ("all", view)]
        columns = [self.columns[i] for i in keep]
        rows = [
            (row, [row.cells[i] for i in keep]) for row in self.rows if row.scope in ("all", view)
        ]
        return columns, rows


@dataclass(frozen=True)
class Figure:
    """A figure: a PNG of the report's figures by file name, or a drawing made by the page.

    Parameters
    ----------
    name : str
        File name of the PNG (``"qini.png"``).
    alt : str
        What it shows, in words.
    caption : str, default=""
    line : object, default=None
        A number line the HTML page draws itself (inline SVG) instead of a PNG;
        Markdown leaves it out (its numbers are in the section's table).
    """

    name: str
    alt: str
    caption: str = ""
    line: object = None


@dataclass(frozen=True)
class Kpi:
    """A headline number: a label, a large value, detail lines; a colour by ``css``."""

    label: str
    value: str
    unit: str
    details: tuple
    css: str = ""
    loss: bool = False


@dataclass(frozen=True)
class Section:
    """A part of a report; every field is optional but the title.

    Parameters
    ----------
    key : str
        A stable name (``"models"``, ``"drift"``).
    title : str
        Its heading (``""``: no heading).
    lead : str
        A sentence in bold before everything else.
    paragraphs : tuple of str
    bullets : tuple of str
    closing : str
        A sentence in bold after the bullets.
    table : Table
    figures : tuple of Figure
    notes : tuple of str
        Small print after the table and figures (a list when ``notes_as_list``).
    warning : str
        A sentence that must not be missed (illustrative costs).
    card : object
        A decision card (``to_html`` and ``to_markdown``) replacing the content.
    kpis : tuple of Kpi
    tone : str
        ``"positive"``, ``"negative"`` or ``""``: the colour of a boxed section.
    boxed, side_by_side, tooltips, notes_as_list : bool
        Presentation: a panel; the table and the figures side by side; the
        technical name behind plain phrases as tooltips; notes as a list.
    """

    key: str
    title: str = ""
    lead: str = ""
    paragraphs: tuple = ()
    bullets: tuple = ()
    closing: str = ""
    table: Table | None = None
    figures: tuple = ()
    notes: tuple = ()
    warning: str = ""
    card: object = None
    kpis: tuple = ()
    tone: str = ""
    boxed: bool = False
    side_by_side: bool = False
    tooltips: bool = False
    notes_as_list: bool = False


@dataclass(frozen=True)
class Report:
    """A whole report: a header, sections, a footer.

    Parameters
    ----------
    title : str
    sections : tuple of Section
    eyebrow : str, default=""
        A line above the title.
    subtitle : str, default=""
        Under the title.
    footer : str, default=""
    """

    title: str
    sections: tuple
    eyebrow: str = ""
    subtitle: str = ""
    footer: str = ""

    def section(self, key):
        """The section named ``key``, or ``None``."""
        return next((s for s in self.sections if s.key == key), None)
