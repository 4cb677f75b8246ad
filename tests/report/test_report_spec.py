"""One report specification: names are escaped in HTML, and every format lists its rows."""

import dataclasses
import html
import re

import numpy as np
import pytest

from actionable.datasets import make_churn
from actionable.economics import CostModel
from actionable.models import OutcomeClassifier, OutcomeRegressor, TLearner
from actionable.paired import evaluate_paired
from actionable.production import monitor_batch
from actionable.report import MonitorReport, PairedReport

SCRIPT = "<script>alert(1)</script>"
HOSTILE = f"{SCRIPT} & Co"


def _hostile(data):
    """The same data, every column named with HTML in it."""
    return data.X.rename(columns=lambda name: f"{name} <b>&</b>")


@pytest.fixture(scope="module")
def result():
    """A paired result whose dataset, outcome, treatment and column names hold HTML."""
    train, test = make_churn(2500, random_state=11), make_churn(2500, random_state=12)
    X_train, X_test = _hostile(train), _hostile(test)
    outcome = OutcomeClassifier(train_on="control", random_state=0, n_jobs=1)
    outcome.fit(X_train, train.y, train.treatment)
    uplift = TLearner(random_state=0, n_jobs=1).fit(X_train, train.y, train.treatment)
    return evaluate_paired(
        outcome, uplift, X_test, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_train=2500, n_bootstraps=20,
        random_state=0, dataset=HOSTILE, outcome_name=f"stays {SCRIPT}",
        treatment_name="<i>call</i> & offer",
    )  # fmt: skip


@pytest.fixture(scope="module")
def continuous_result():
    """The same hostile names, on a continuous outcome (the monthly revenue kept)."""
    train = make_churn(2500, random_state=11, outcome="revenue")
    test = make_churn(2500, random_state=12, outcome="revenue")
    X_train, X_test = _hostile(train), _hostile(test)
    outcome = OutcomeRegressor(train_on="control", random_state=0, n_jobs=1)
    outcome.fit(X_train, train.y, train.treatment)
    uplift = TLearner(random_state=0, n_jobs=1).fit(X_train, train.y, train.treatment)
    return evaluate_paired(
        outcome, uplift, X_test, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_train=2500, n_bootstraps=20,
        random_state=0, dataset=HOSTILE, outcome_name=f"revenue {SCRIPT}",
        treatment_name="<i>call</i> & offer",
    )  # fmt: skip


@pytest.fixture(scope="module")
def report(result):
    return PairedReport(result, title=f"Report {SCRIPT}")


@pytest.fixture(scope="module")
def continuous_report(continuous_result):
    return PairedReport(continuous_result, title=f"Report {SCRIPT}")


@pytest.fixture(scope="module")
def page(report):
    return report.html()


def test_names_in_the_paired_page_are_text(page, result):
    assert "<script" not in page  # not one script element, whatever the names hold
    assert "<b>&</b>" not in page
    assert "<i>call</i>" not in page
    assert html.escape(HOSTILE, quote=False) in page  # the dataset name, as text
    assert f"<title>Report {html.escape(SCRIPT, quote=False)}</title>" in page
    assert "&lt;i&gt;call&lt;/i&gt; &amp; offer" in page  # the treatment name
    rules = [leaf.rule for leaf in result.targeted_group.leaves]
    assert any("<b>&</b>" in rule for rule in rules)  # the groups' rules name columns
    for rule in rules:
        assert html.escape(rule, quote=False) in page


def test_names_in_the_paired_markdown_are_text(report):
    text = report.markdown()
    assert SCRIPT not in text
    assert "\\<script>alert(1)\\</script> & Co" in text  # shown as written, not run
    assert "| Customer type |" in text


def test_names_on_a_continuous_outcome_are_text(continuous_report):
    """The outcome's name now fills labels, units and the note on customer types."""
    page = continuous_report.html()
    assert "<script" not in page
    assert "<b>&</b>" not in page
    assert f"Revenue {html.escape(SCRIPT, quote=False)} at risk (highest first)" in page
    text = continuous_report.markdown()
    assert SCRIPT not in text
    assert "defined only for a yes/no outcome" in text


def _unescaped(markdown):
    """Markdown text as a reader sees it: the backslash escapes of names with HTML undone."""
    return re.sub(r"\\([<&])", r"\1", markdown)


def _section(text, start, end):
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


@pytest.mark.parametrize("which", ["report", "continuous_report"])
def test_every_format_lists_the_rows_of_the_specification(which, request):
    report = request.getfixturevalue(which)
    table = report.specification().section("models").table
    page_rows = [row for row in table.rows if row.scope in ("all", "page")]
    compact_rows = [row for row in table.rows if row.scope in ("all", "compact")]
    shared = [row.key for row in table.rows if row.scope == "all"]
    assert {"auc_outcome", "qini_auc", "uplift_auc", "uplift_at_30", "profit_best",
            "best_fraction", "profit_at_k"} <= set(shared)  # fmt: skip

    section = _section(report.html(), "The models on the same customers", "</section>")
    html_labels = [html.unescape(label) for label in re.findall(r"<tr><td>(.*?)<span", section)]
    assert html_labels == [row.label for row in page_rows]

    markdown = report.markdown()
    block = markdown[markdown.index("## The models on the same customers") :].split("\n\n")[1]
    lines = block.splitlines()[2:]  # after the header and the rule
    shown = [line.split(" | ")[0].removeprefix("| ") for line in lines]
    assert [_unescaped(label) for label in shown] == [
        f"{row.label}: {row.why}" if row.why else row.label for row in page_rows
    ]

    terminal = report.table().split("\n\n")[0].splitlines()[2:]  # after the header and rule
    assert len(terminal) == len(compact_rows)
    for line, row in zip(terminal, compact_rows, strict=True):
        assert line.startswith(f"{row.short or row.label}  ")

    # so the measures every format shows are the same, in the same order
    assert [r.key for r in page_rows if r.key in shared] == shared
    assert [r.key for r in compact_rows if r.key in shared] == shared


def test_every_number_of_the_models_table_is_in_summary_json(report, result):
    summary = report.summary()
    table = report.specification().section("models").table
    measures = [row.key for row in table.rows if row.scope == "all" and row.key != "trained_on"]
    for key in ("outcome", "uplift"):
        for measure in measures:
            assert measure in summary["models"][key]


@pytest.fixture(scope="module")
def monitoring():
    """A monitored batch whose features, reference and alerts hold HTML."""
    rng = np.random.default_rng(0)
    treatment = rng.integers(0, 2, 4000)
    y = rng.random(4000) < 0.3 + 0.05 * treatment
    cost_model = CostModel(value_per_success=100.0, cost_per_contact=1.0)
    result = monitor_batch(y, treatment, np.full(4000, 0.05), cost_model=cost_model)
    return dataclasses.replace(
        result,
        drift={f"age {SCRIPT}": 0.4, "plan <b>&</b>": 0.15, "tenure & co": 0.01},
        reference="the <em>training</em> rows",
        alerts=[f"drift: feature 'age {SCRIPT}' has shifted"],
    )


def test_names_in_the_monitoring_page_are_text(monitoring):
    page = MonitorReport(monitoring, source=f"batch {SCRIPT}.csv", title="Monitor & co").html()
    assert "<script" not in page
    assert "<b>&</b>" not in page
    assert "<em>training</em>" not in page
    assert f"age {html.escape(SCRIPT, quote=False)}" in page
    assert "plan &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert "tenure &amp; co" in page
    assert f"batch {html.escape(SCRIPT, quote=False)}.csv" in page
    assert "<title>Monitor &amp; co</title>" in page
    assert "In money" in page
    assert "shifted" in page


def test_the_monitoring_page_uses_the_report_style_sheet(monitoring, page):
    monitor_page = MonitorReport(monitoring).html()
    style = re.compile(r"<style>(.*?)</style>", re.S)
    assert style.search(monitor_page).group(1) == style.search(page).group(1)
    assert 'class="actionable-report"' in monitor_page


def test_names_in_the_monitoring_markdown_are_text(monitoring):
    text = MonitorReport(monitoring, source=f"batch {SCRIPT}.csv").markdown()
    assert SCRIPT not in text
    assert "| age \\<script>alert(1)\\</script> | 0.400 | shifted |" in text
    assert "| plan \\<b>&\\</b> | 0.150 | watch |" in text
    assert text.startswith("# Model monitoring\n")
