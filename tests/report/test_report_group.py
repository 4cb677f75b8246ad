"""The panel "Whom the uplift model contacts, in plain words": HTML, Markdown, summary.json."""

import base64
import dataclasses
import html
import re

import pytest

from actionable._format import money, percent
from actionable.datasets import make_churn
from actionable.economics import CostModel
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import PairedExperiment, evaluate_paired
from actionable.report import PairedReport, validate_summary

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result():
    experiment = PairedExperiment(n_bootstraps=30, random_state=1, progress=False, n_jobs=1)
    return experiment.fit(make_churn(5000, random_state=1)).result_


@pytest.fixture(scope="module")
def report(result):
    return PairedReport(result)


@pytest.fixture(scope="module")
def estimated_result():
    """Without ground truth, as real data gives: profits estimated, with intervals."""
    train, test = make_churn(3000, random_state=2), make_churn(3000, random_state=3)
    outcome = OutcomeClassifier(train_on="control", random_state=0, n_jobs=1)
    uplift = TLearner(random_state=0, n_jobs=1)
    outcome.fit(train.X, train.y, train.treatment)
    uplift.fit(train.X, train.y, train.treatment)
    return evaluate_paired(
        outcome, uplift, test.X, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_bootstraps=50, random_state=0,
    )  # fmt: skip


def _panel(page):
    start = page.index("Whom the uplift model contacts, in plain words")
    return page[start : page.index("</section>", start)]


def test_html_panel_lists_every_group_with_its_numbers(result, report):
    group = result.targeted_group
    panel = _panel(report.html())
    rows = re.findall(r"<tr( class=\"contacted\")?><td>(.*?)<span", panel)
    assert [html.unescape(rule) for _, rule in rows] == [leaf.rule for leaf in group.leaves]
    assert [bool(css) for css, _ in rows] == [leaf.mostly_contacted for leaf in group.leaves]
    for leaf in group.leaves:
        assert f"{leaf.n_customers:,} ({percent(leaf.share)})" in panel
        assert f"{100 * leaf.mean_uplift:+.1f} pts" in panel
        assert money(leaf.profit.estimate) in panel
    # the agreement with the model is stated, against the baseline
    assert f"agrees with the model on {percent(group.accuracy)}" in panel
    assert f"would agree on {percent(group.baseline_accuracy)}" in panel
    assert f"marked contacted hold {percent(group.recall)} of the customers" in panel
    # the total row is the profit of the model's list, the table's profit at k
    assert money(result.uplift.profit_at_k.estimate) in panel
    assert money(group.rules_profit.estimate) in panel


def test_html_panel_embeds_the_drivers_figure(result, report):
    panel = _panel(report.html())
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', panel)
    assert [alt for _, alt in images] == ["Global drivers of the predicted uplift"]
    assert base64.b64decode(images[0][0]).startswith(PNG_SIGNATURE)
    assert report.figures["drivers.png"] == base64.b64decode(images[0][0])


def test_rules_are_escaped(result):
    page = PairedReport(result).html()
    rule = next(leaf.rule for leaf in result.targeted_group.leaves if "<" in leaf.rule or
                ">" in leaf.rule)  # fmt: skip
    assert html.escape(rule) in page
    assert rule not in page


def test_markdown_panel(result, report):
    text = report.markdown()
    section = text[text.index("## Whom the uplift model contacts, in plain words") :]
    section = section[: section.index("\n## ", 1)]
    for leaf in result.targeted_group.leaves:
        decision = "contacted" if leaf.mostly_contacted else "not contacted"
        assert f"| {leaf.rule} (*{decision}*) | {leaf.n_customers:,} " in section
    assert "| **All test customers** | " in section
    assert "![Global drivers of the predicted uplift](drivers.png)" in section


def test_summary_has_the_group_and_the_drivers(result, report):
    summary = report.summary()
    group = summary["targeted_group"]
    assert [leaf["rule"] for leaf in group["leaves"]] == [
        leaf.rule for leaf in result.targeted_group.leaves
    ]
    assert group["accuracy"] == result.targeted_group.accuracy
    assert list(summary["drivers"]["mean_abs_contribution"]) == list(result.drivers.index)
    # the contract keys are untouched
    assert set(summary["models"]["uplift"]) >= {"learner", "profit_best", "qini_auc"}


def test_validate_summary_checks_that_the_groups_add_up(report):
    summary = report.summary()
    summary["targeted_group"]["leaves"][0]["n_customers"] += 1
    with pytest.raises(ValueError, match="targeted_group.leaves"):
        validate_summary(summary)
    del summary["targeted_group"]
    validate_summary(summary)  # the key is additive


def test_estimated_panel_shows_intervals_and_says_how(estimated_result):
    page = PairedReport(estimated_result).html()
    panel = _panel(page)
    group = estimated_result.targeted_group
    assert not group.profit_exact
    assert "policy-value estimator" in panel
    assert panel.count('<span class="ci">') == len(group.leaves) + 1  # and the total
    text = PairedReport(estimated_result).markdown()
    assert "policy-value estimator" in text


def test_without_drivers_the_panel_says_why(result):
    page = PairedReport(dataclasses.replace(result, drivers=None)).html()
    panel = _panel(page)
    assert "<img" not in panel
    assert "No drivers figure" in panel
