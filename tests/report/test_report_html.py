"""PairedReport: self-contained HTML, Markdown, verdict, terminal table and the decision hook."""

import base64
import re

import pytest
from markupsafe import escape

from actionable._format import money
from actionable.datasets import make_churn
from actionable.economics import CostModel
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import PairedExperiment, evaluate_paired
from actionable.report import PairedReport, make_verdict

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result():
    data = make_churn(5000, random_state=1)
    experiment = PairedExperiment(n_bootstraps=30, random_state=1, progress=False, n_jobs=1)
    return experiment.fit(data).result_


@pytest.fixture(scope="module")
def report(result):
    return PairedReport(result)


@pytest.fixture(scope="module")
def html(report):
    return report.html()


@pytest.fixture(scope="module")
def estimated_result():
    """A result without ground truth, as real data gives."""
    train, test = make_churn(3000, random_state=2), make_churn(3000, random_state=3)
    outcome = OutcomeClassifier(train_on="control", random_state=0, n_jobs=1)
    outcome.fit(train.X, train.y, train.treatment)
    uplift = TLearner(random_state=0, n_jobs=1).fit(train.X, train.y, train.treatment)
    return evaluate_paired(
        outcome, uplift, test.X, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_train=3000, n_bootstraps=30,
        random_state=0, dataset="churn-without-truth",
    )  # fmt: skip


def test_html_is_one_self_contained_document(html):
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<html") == 1
    assert html.rstrip().endswith("</html>")
    # no external requests of any kind: no scripts, links, remote sources or imports
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<style>" in html


def test_html_embeds_the_figures_as_png(html, report):
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == len(report.figures) >= 4
    for encoded in images:
        assert base64.b64decode(encoded).startswith(PNG_SIGNATURE)
    assert set(report.figures) >= {"qini.png", "profit.png", "customer_types.png"}


def test_html_names_the_four_customer_types(html):
    for name in ("Persuadables", "Sure things", "Lost causes", "Sleeping dogs"):
        assert name in html


def test_html_shows_both_models_and_the_headline_numbers(html, result):
    for policy in result.policies.values():
        assert policy.label in html
    assert money(result.uplift.profit_best.estimate) in html
    assert money(result.oracle.profit_best.estimate) in html
    assert "Verdict" in html
    assert "The decision" in html
    assert "Promised vs realized" in html


def test_verdict_states_the_difference_with_the_strongest_naive_model(result):
    verdict = make_verdict(result)
    uplift, naive = result.uplift.profit_best.estimate, result.strongest_naive.profit_best.estimate
    assert uplift > naive
    per_1000 = money(1000 * uplift / result.n_test)
    assert verdict.headline.startswith(f"Targeting by uplift earns {per_1000} per 1,000 customers")
    assert money(uplift - naive) in verdict.headline  # on the test customers
    difference = result.advantage
    assert difference.estimate == pytest.approx(uplift - naive)
    assert f"95% interval: {money(difference.low)} to {money(difference.high)}" in (
        verdict.headline
    )
    base = result.n_train + result.n_test
    assert f"for a base of {base:,} customers" in verdict.headline
    assert verdict.recommendation.startswith("Recommendation: target by uplift")
    promise = [p for p in verdict.points if "expected-profit measure" in p]
    assert len(promise) == 1
    cost_aware = result.policies["cost_aware"]
    gap = cost_aware.promised_profit.estimate - cost_aware.realized_profit.estimate
    assert ("less than promised" if gap > 0 else "more than promised") in promise[0]


def test_customer_base_scales_the_money(result):
    verdict = make_verdict(result, customer_base=1_000_000)
    gap = result.uplift.profit_best.estimate - result.strongest_naive.profit_best.estimate
    assert f"about {money(gap * 1_000_000 / result.n_test)} for a base of 1,000,000" in (
        verdict.headline
    )
    with pytest.raises(ValueError, match="customer_base must be a positive whole number"):
        make_verdict(result, customer_base=0)


def test_verdict_in_html_is_escaped(html, report):
    assert str(escape(report.verdict.headline)) in html


def test_estimated_report_labels_estimates_and_intervals(estimated_result):
    report = PairedReport(estimated_result)
    html = report.html()
    assert str(escape("Estimated: nobody's type can be observed")) in html
    assert "95% interval" in html  # profits carry intervals
    assert "Oracle" not in html
    assert "estimated from the randomized test" in report.verdict.points[0]
    promise = [p for p in report.verdict.points if "expected-profit measure" in p][0]
    assert "its profit, estimated from the randomized test, is $" in promise
    assert "to loses" not in promise  # an old text bug
    summary = report.summary()
    assert "oracle" not in summary
    assert (
        summary["models"]["uplift"]["profit_best_ci"][0]
        <= summary["models"]["uplift"]["profit_best"]
    )


def test_markdown_has_the_tables_and_references_the_figures(report):
    markdown = report.markdown()
    assert markdown.startswith("# Is this prediction actionable?")
    assert "![Qini curves](qini.png)" in markdown
    assert "![Profit curves](profit.png)" in markdown
    assert "| Customer type |" in markdown
    for kind in ("persuadable", "sure thing", "lost cause", "sleeping dog"):
        assert f"**{kind}**" in markdown
    assert report.verdict.headline in markdown


def test_repr_html_is_a_styled_fragment(report):
    fragment = report._repr_html_()
    assert "<html" not in fragment
    assert "<!DOCTYPE" not in fragment
    assert fragment.startswith("<style>")
    assert 'class="actionable-report"' in fragment


def test_table_for_the_terminal(report, result):
    table = report.table(width=100)
    lines = table.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert lines[0].split() == [
        "Churn", "risk", "Churn", "(all)", "Cost-aware", "Uplift", "Random", "Oracle"
    ]
    assert lines[2].split()[:4] == ["Trained", "on", "no", "contact"]
    assert "Best profit" in table
    assert "Qini AUC" in table
    assert money(result.uplift.profit_best.estimate) in table
    assert report.verdict.recommendation.split()[0] in table


class _Card:
    """Anything with to_html/to_markdown, like actionable.decision.DecisionCard."""

    def to_html(self):
        return '<div class="card" id="decision-card-marker">Retention call, owner: CRM</div>'

    def to_markdown(self):
        return "**Decision card marker**: retention call, owner CRM"


def test_a_decision_card_replaces_the_generated_decision(result):
    report = PairedReport(result, decision_card=_Card())
    assert 'id="decision-card-marker"' in report.html()
    assert "**Decision card marker**" in report.markdown()
    assert "Whom should we contact" not in report.html()


def test_currency_and_title(result):
    report = PairedReport(result, title="Retention <test>", currency="€")
    html = report.html()
    assert "<title>Retention &lt;test&gt;</title>" in html
    assert money(result.uplift.profit_best.estimate, "€") in html


def test_the_project_decision_card_renders_in_the_report(result):
    from actionable.decision import DecisionCard

    card = DecisionCard(
        decision="whom to call with a retention offer",
        outcome="retained after 90 days",
        value_per_success=200.0,
        cost_per_contact=10.0,
        owner="CRM team <crm@example.com>",
    )
    report = PairedReport(result, decision_card=card)
    html = report.html()
    assert '<table class="decision-card">' in html
    assert "CRM team &lt;crm@example.com&gt;" in html
    assert "| Decision | whom to call with a retention offer |" in report.markdown()


@pytest.mark.parametrize("alignment", [-1.0, 0.0, 1.0])
def test_every_sentence_of_the_verdict_follows_the_numbers(alignment):
    """True on every world of the map, including where churn risk does as well as uplift."""
    mix = {"persuadable": 0.15, "sure thing": 0.35, "lost cause": 0.40, "sleeping dog": 0.10}
    data = make_churn(6000, type_mix=mix, risk_alignment=alignment, random_state=7)
    result = (
        PairedExperiment(n_bootstraps=30, random_state=7, progress=False, n_jobs=1)
        .fit(data)
        .result_
    )
    verdict = make_verdict(result)
    uplift, naive = result.uplift, result.strongest_naive
    u, n = uplift.profit_best.estimate, naive.profit_best.estimate
    if u > n:
        assert verdict.headline.startswith("Targeting by uplift earns")
        assert verdict.recommendation.startswith("Recommendation: target by uplift")
    elif max(u, n) > 0:
        assert " earns as much as targeting by uplift or more" in verdict.headline
        assert "does at least as well as the uplift model" in verdict.recommendation
    best = [p for p in verdict.points if p.startswith("On the ")][0]
    assert money(u) in best or u <= 0
    share = [p for p in verdict.points if p.startswith("In this business")]
    if u > 0:
        assert f"earns {round(100 * n / u)}% of what targeting by uplift earns" in share[0]
