"""The monitoring page: realized against expected uplift, in money, drift, alerts, the card.

One self-contained HTML file (the report's style sheet inline, the number line drawn as
inline SVG, no external resources, no matplotlib), written next to ``monitor.json`` by
:class:`MonitorReport`; its content is the specification of ``_monitor_spec``.
"""

from actionable._atomic import dumps_json
from actionable.report._html import render_html
from actionable.report._markdown import render_markdown
from actionable.report._monitor_spec import monitor_report_spec

__all__ = ["MonitorReport", "render_monitor_page"]


def render_monitor_page(result, *, card=None, title="Model monitoring", source=None, currency="$"):
    """Render the monitoring page of one campaign batch.

    Parameters
    ----------
    result : dict
        The ``monitor.json`` document (``MonitorResult.to_dict()``).
    card : DecisionCard, default=None
        The model's decision card, shown at the end.
    title : str, default="Model monitoring"
    source : str, default=None
        What was monitored (file names), shown under the title.
    currency : str, default="$"
        Currency symbol of the money figures.

    Returns
    -------
    str
        A complete HTML document.

    Examples
    --------
    >>> page = render_monitor_page({"n": 100, "realized_uplift": 0.05, "ci_low": -0.01,
    ...     "ci_high": 0.11, "expected_uplift": 0.04, "drift": {"age": 0.4}, "alerts": []})
    >>> "+0.0500" in page and "shifted" in page
    True
    """
    spec = monitor_report_spec(result, card=card, title=title, source=source, currency=currency)
    return render_html(spec)


class MonitorReport:
    """The monitoring of one campaign batch, as ``monitor.json`` and a self-contained page.

    The page is specified once (``specification()``) and laid out as HTML (``html()``,
    with the paired report's style sheet) or Markdown (``markdown()``); every name it
    shows (features, files) is escaped.

    Parameters
    ----------
    result : MonitorResult
        From ``SavedModel.monitor`` or ``monitor_batch``.
    card : DecisionCard, default=None
        The model's decision card, shown on the page.
    source : str, default=None
        What was monitored, shown under the title.
    title : str, default="Model monitoring"
        Page title.
    currency : str, default="$"
        Currency symbol.

    Examples
    --------
    >>> import numpy as np, tempfile
    >>> from actionable.production import monitor_batch
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 5000)
    >>> result = monitor_batch(rng.random(5000) < 0.3 + 0.05 * t, t, np.full(5000, 0.05))
    >>> sorted(p.name for p in MonitorReport(result).write(tempfile.mkdtemp()).iterdir())
    ['monitor.html', 'monitor.json']
    >>> MonitorReport(result).markdown().splitlines()[0]
    '# Model monitoring'
    """

    def __init__(self, result, *, card=None, source=None, title="Model monitoring", currency="$"):
        self.result = result
        self.card = card
        self.source = source
        self.title = title
        self.currency = currency

    def json(self):
        """``monitor.json``: the result's document as standard JSON."""
        return dumps_json(self.result.to_dict())

    def specification(self):
        """The page before any format (``Report``): what ``html`` and ``markdown`` lay out."""
        return monitor_report_spec(
            self.result.to_dict(),
            card=self.card,
            title=self.title,
            source=self.source,
            currency=self.currency,
        )

    def html(self):
        """The monitoring page, a complete HTML document."""
        return render_html(self.specification())

    def markdown(self):
        """The monitoring page as Markdown (names shown as written, never as HTML)."""
        return render_markdown(self.specification())

    def write(self, directory):
        """Write ``monitor.json`` and ``monitor.html`` into ``directory``, both or neither.

        Parameters
        ----------
        directory : str or path-like
            Output folder, created if missing.

        Returns
        -------
        pathlib.Path
        """
        from actionable._atomic import write_files_atomically

        files = {
            "monitor.json": self.json().encode("utf-8"),
            "monitor.html": self.html().encode("utf-8"),
        }
        return write_files_atomically(directory, files, last="monitor.html")
