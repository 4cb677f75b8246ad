"""The paired report on a continuous outcome: units, money kept, no customer types."""

import json

import numpy as np
import pytest

from actionable.datasets import make_churn
from actionable.paired import PairedExperiment
from actionable.report import PairedReport, validate_summary


@pytest.fixture(scope="module")
def result():
    data = make_churn(3000, random_state=5, outcome="revenue")
    experiment = PairedExperiment(n_bootstraps=30, random_state=0, progress=False, n_jobs=1)
    return experiment.fit(data).result_


@pytest.fixture(scope="module")
def report(result):
    return PairedReport(result, title="Revenue kept")


@pytest.fixture(scope="module")
def summary(report):
    return report.summary()


def test_summary_keeps_the_schema_and_adds_the_continuous_fields(summary, result):
    validate_summary(summary)
    json.dumps(summary, allow_nan=False)
    assert summary["outcome_type"] == "continuous"
    assert summary["outcome_name"] == result.outcome_name
    assert summary["outcome_event"] == result.outcome_event
    assert summary["costs"]["value_per_unit"] == result.cost_model.value_per_unit
    assert summary["costs"]["value_per_success"] is None


def test_summary_gives_the_average_effect_in_units_and_money(summary, result):
    effect = summary["average_effect"]
    y, treatment = result.y_test, result.treatment_test
    difference = y[treatment == 1].mean() - y[treatment == 0].mean()
    assert effect["estimate"] == pytest.approx(difference)
    low, high = effect["ci"]
    assert low < difference < high
    value = result.cost_model.value_per_unit
    assert effect["money_per_customer"] == pytest.approx(difference * value)
    assert effect["money_per_customer_ci"] == pytest.approx([low * value, high * value])


def test_summary_has_no_customer_types(summary):
    for entry in [*summary["models"].values(), summary["random"], summary["oracle"]]:
        assert "customer_types" not in entry


def test_report_says_plainly_there_are_no_customer_types(report):
    section = report.specification().section("types")
    text = " ".join(section.paragraphs)
    assert "defined only for a yes/no outcome" in text
    assert section.table is None
    assert "customer_types.png" not in report.figures
    assert "risk_vs_uplift.png" not in report.figures
    markdown = report.markdown()
    assert "defined only for a yes/no outcome" in markdown
    assert "| Customer type |" not in markdown
    assert "Persuadables" not in report.html()


def test_labels_name_the_outcome_and_its_units(report, result):
    spec = report.specification()
    models = spec.section("models").table
    labels = [row.label for row in models.rows]
    assert "AUC for predicting no revenue kept" in labels
    assert "revenue kept" in [row for row in models.rows if row.key == "uplift_at_30"][0].why
    columns = [column.label for column in models.columns]
    assert "Revenue kept at risk (highest first)" in columns
    costs = [row.label for row in spec.section("decision").table.rows]
    assert "Value of one extra unit of revenue kept" in costs
    assert "Value of one extra favourable outcome" not in costs
    assert "the revenue kept the contact adds" in spec.section("decision").lead
    assert "Naive" in report.table()


def test_verdict_gives_the_average_effect_in_money(report, result):
    effect = result.average_effect
    sentences = report.verdict.sentences()
    point = next(s for s in sentences if s.startswith("On average, the contact"))
    assert f"{abs(effect.estimate):,.2f}" in point
    money_per_1000 = 1000.0 * effect.estimate * result.cost_model.value_per_unit
    assert f"${money_per_1000:,.0f}" in point
    assert "revenue kept at risk" in report.verdict.headline
    assert "lowest predicted" not in report.verdict.headline
    kpis = report.specification().section("kpis").kpis
    card = next(k for k in kpis if k.label == "Average effect of contact")
    assert card.value == f"{effect.estimate:+,.2f}"
    assert card.unit == "revenue kept per customer"


def test_the_uplift_panel_is_in_outcome_units(report, result):
    table = report.specification().section("group").table
    assert table.columns[2].label == "Mean predicted uplift (revenue kept)"
    total = table.rows[-1].cells[2]
    assert total.format == "number"
    assert total.value == pytest.approx(np.mean(result.uplift.score))


def test_every_format_renders(report, tmp_path):
    folder = report.write(tmp_path / "out")
    names = {path.name for path in folder.iterdir()}
    assert {"index.html", "report.md", "summary.json", "qini.png", "profit.png"} <= names
    validate_summary(json.loads((folder / "summary.json").read_text()))
