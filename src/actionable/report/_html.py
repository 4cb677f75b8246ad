"""HTML of a report specification, through Jinja2 templates with auto-escaping.

Every page (the paired report and the monitoring page) is laid out by the templates in
``templates/`` and styled by one stylesheet, ``templates/report.css`` (every rule scoped
to ``.actionable-report``), inlined: figures are embedded as base64 PNG, so a page makes
no request. Every value of the specification is escaped: a dataset or column name reads
as text, whatever it contains.
"""

import base64
import functools
from importlib import resources

from markupsafe import Markup, escape

from actionable.report._verdict import TOOLTIPS


def css():
    """The style sheet of every page (every rule scoped to ``.actionable-report``)."""
    return resources.files("actionable.report").joinpath("templates/report.css").read_text("utf-8")


def with_tooltips(sentence):
    """Escape a sentence and name the measure behind each plain phrase in a tooltip.

    Examples
    --------
    >>> print(with_tooltips("They <b>rank customers alike</b>."))
    They &lt;b&gt;<abbr title="Spearman...">rank customers alike</abbr>&lt;/b&gt;.
    """
    text = str(escape(sentence))
    for phrase, title in TOOLTIPS.items():
        escaped = str(escape(phrase))
        if escaped in text:
            text = text.replace(escaped, f'<abbr title="{escape(title)}">{escaped}</abbr>', 1)
    return Markup(text)


@functools.cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("actionable.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["tooltips"] = with_tooltips
    return environment


def _png_source(figures):
    def source(name):
        return "data:image/png;base64," + base64.b64encode(figures[name]).decode("ascii")

    return source


def render_fragment(report, figures=None):
    """A report as an HTML fragment, ``<div class="actionable-report">...</div>``.

    Parameters
    ----------
    report : Report
        The specification.
    figures : dict of str to bytes, default=None
        PNG figures by file name; every figure of the specification must be there.

    Returns
    -------
    str
    """
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, png=_png_source(figures or {})).strip()


def render_html(report, figures=None):
    """A report as a complete, self-contained HTML document (inline style sheet and figures).

    Parameters
    ----------
    report : Report
        The specification.
    figures : dict of str to bytes, default=None
        PNG figures by file name.

    Returns
    -------
    str
    """
    template = _environment().get_template("page.html.j2")
    return template.render(report=report, css=Markup(css()), png=_png_source(figures or {}))
