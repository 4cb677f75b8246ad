"""``PairedReport``: one object, rendered as HTML, Markdown, JSON or a folder."""

import json
from functools import cached_property

from actionable._atomic import dumps_json, write_files_atomically
from actionable.report._figures import make_figures
from actionable.report._html import css, render_fragment, render_html
from actionable.report._markdown import render_markdown
from actionable.report._paired_spec import paired_report_spec
from actionable.report._summary import summary_dict, validate_summary
from actionable.report._terminal import render_terminal
from actionable.report._verdict import make_verdict


class PairedReport:
    """The report of a paired experiment: for a manager, a notebook, or a folder.

    It reads a ``PairedResult`` (from ``PairedExperiment.fit`` or ``evaluate_paired``)
    and renders the same content several ways: a self-contained HTML page (inline CSS,
    figures embedded as base64 PNG, no external requests), Markdown, the
    ``summary.json`` dict, a plain-text table, and a folder with all of them. The
    content is specified once (``specification()``: sections of rows, figures and
    notes); the HTML comes from auto-escaping templates, so a dataset or column name
    reads as text whatever it holds.

    Parameters
    ----------
    result : PairedResult
        What to report.
    decision_card : DecisionCard, default=None
        When given, its ``to_html()`` / ``to_markdown()`` replaces the generated
        description of the decision.
    title : str, default="Is this prediction actionable?"
        Page title.
    currency : str, default="$"
        Currency symbol for every amount.
    customer_base : int, default=None
        Number of customers the money is scaled to, next to the amounts measured on
        the test customers and per 1,000 customers. ``None`` uses the rows of the data
        (training plus test).
    landscape : pandas.DataFrame, default=None
        A ``actionable.paired.risk_uplift_sweep``: adds the panel "When does
        predicting churn suffice?", with this business marked when its world is on
        the map.
    extra_documents : dict of str to dict, default=None
        More JSON documents written by :meth:`write`, by file name (e.g. the measured
        profit of a saved targeting rule, ``"targeting_rule.json"``).

    Attributes
    ----------
    verdict : Verdict
        The plain-language verdict (headline, points, recommendation).
    figures : dict of str to bytes
        PNG figures by file name, drawn on first use.

    See Also
    --------
    actionable.paired.PairedExperiment : Produces the result.

    Examples
    --------
    >>> import tempfile
    >>> from actionable import PairedExperiment, make_churn
    >>> from actionable.report import PairedReport
    >>> experiment = PairedExperiment(n_bootstraps=20, random_state=0, progress=False, n_jobs=1)
    >>> report = PairedReport(experiment.fit(make_churn(2000, random_state=0)).result_)
    >>> report.summary()["models"]["uplift"]["learner"]
    'TLearner(LightGBM)'
    >>> sorted(p.name for p in report.write(tempfile.mkdtemp()).iterdir())
    ['customer_types.png', 'drivers.png', 'index.html', 'profit.png', 'qini.png',
     'report.md', 'risk_vs_uplift.png', 'summary.json']
    """

    def __init__(
        self,
        result,
        *,
        decision_card=None,
        title="Is this prediction actionable?",
        currency="$",
        customer_base=None,
        landscape=None,
        extra_documents=None,
    ):
        self.result = result
        self.extra_documents = dict(extra_documents or {})
        self.decision_card = decision_card
        self.title = title
        self.currency = currency
        self.customer_base = customer_base
        self.landscape = landscape

    @cached_property
    def verdict(self):
        """The plain-language verdict."""
        return make_verdict(
            self.result,
            self.currency,
            customer_base=self.customer_base,
            landscape=self.landscape,
        )

    @cached_property
    def figures(self):
        """PNG figures keyed by file name (``qini.png``, ``profit.png``, ...)."""
        return make_figures(self.result, self.currency, landscape=self.landscape)

    def specification(self, figure_names=None):
        """The report before any format: what every rendering lays out.

        Parameters
        ----------
        figure_names : iterable of str, default=None
            The figures to show; ``None``: every figure of ``figures`` (drawn on first use).

        Returns
        -------
        Report
            Sections of sentences, tables (rows of values with their format) and figures.
        """
        return paired_report_spec(
            self.result,
            self.verdict,
            self.figures if figure_names is None else figure_names,
            title=self.title,
            decision_card=self.decision_card,
            currency=self.currency,
            customer_base=self.customer_base,
            landscape=self.landscape,
        )

    def html(self):
        """The report as a complete, self-contained HTML document.

        Returns
        -------
        str
            The page, with inline CSS and figures embedded as base64 PNG.
        """
        return render_html(self.specification(), self.figures)

    def _repr_html_(self):
        return f"<style>{css()}</style>{render_fragment(self.specification(), self.figures)}"

    def markdown(self):
        """The report as Markdown; figures are referenced by their file names.

        Returns
        -------
        str
            Markdown text; ``write`` puts the figures next to it.
        """
        return render_markdown(self.specification())

    def summary(self):
        """The ``summary.json`` content (docs/summary-json.md: the schema, plus additive keys).

        Returns
        -------
        dict
            JSON-ready, validated by ``validate_summary``; ``verdict`` holds the sentences.
        """
        summary = summary_dict(
            self.result, customer_base=self.customer_base, landscape=self.landscape
        )
        summary["verdict"] = self.verdict.sentences()
        validate_summary(summary)
        return summary

    def json(self):
        """``summary()`` as a JSON string (strict: no NaN).

        Returns
        -------
        str
            Indented JSON text ending with a newline.
        """
        return json.dumps(self.summary(), indent=2, allow_nan=False) + "\n"

    def table(self, *, width=100):
        """The headline numbers and the verdict as plain text, for a terminal.

        Parameters
        ----------
        width : int, default=100
            Line length at which the verdict is wrapped.

        Returns
        -------
        str
            An aligned table, a legend and the verdict.
        """
        return render_terminal(self.specification(figure_names=()), width=width)

    def write(self, directory):
        """Write ``index.html``, ``report.md``, ``summary.json`` and the PNG figures.

        Everything is rendered first, then published into ``directory`` at once
        (``index.html`` last), so an interrupted run never leaves a complete-looking
        but partial report. Other files in ``directory`` are left alone.

        Parameters
        ----------
        directory : str or os.PathLike
            Output folder, created if missing.

        Returns
        -------
        pathlib.Path
            The output folder.
        """
        files = dict(self.figures)
        for name, document in self.extra_documents.items():
            files[name] = dumps_json(document).encode("utf-8")
        files["summary.json"] = self.json().encode("utf-8")
        files["report.md"] = self.markdown().encode("utf-8")
        files["index.html"] = self.html().encode("utf-8")
        return write_files_atomically(directory, files, last="index.html")

    def __repr__(self):
        return f"PairedReport({self.result!r})"
