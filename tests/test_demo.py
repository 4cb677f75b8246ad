"""``actionable demo``: the report folder, the terminal table, and the targets on defaults."""

import json
import re
import time
from pathlib import Path

import nbformat
import pytest

from actionable._format import money
from actionable.cli import main
from actionable.report import validate_summary

REPO_ROOT = Path(__file__).resolve().parents[1]
ACRONYMS = ("AUC", "Qini", "EMPC", "MPU", "MP", "CI", "ROC", "IRR", "NIR")
"""Technical names that must not appear in the verdict a manager reads first."""
JARGON = ("held-out", "held out", "treatment", "control group rows", "percentile", "bootstrap")


def _run(capsys, *argv):
    code = main(["demo", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_writes_the_report_folder(tmp_path, capsys):
    out = tmp_path / "demo"
    code, stdout, _ = _run(capsys, "--out", str(out), "--n-samples", "4000", "--quiet")
    assert code == 0
    names = {p.name for p in out.iterdir()}
    assert {"index.html", "summary.json", "report.md", "qini.png", "profit.png"} <= names
    assert "landscape.png" in names  # when does predicting churn suffice?
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    assert summary["dataset"] == "churn"
    assert summary["n_train"] + summary["n_test"] == 4000
    assert summary["costs"]["value_per_success"] == 200.0
    assert summary["costs"]["incentive_paid"] == "on_success"
    assert len(summary["landscape"]) == 20
    html = (out / "index.html").read_text(encoding="utf-8")
    for name in ("Persuadables", "Sure things", "Lost causes", "Sleeping dogs"):
        assert name in html
    assert "When does predicting churn suffice?" in html
    assert "Best profit" in stdout
    assert "Churn risk" in stdout
    assert (out / "index.html").resolve().as_uri() in stdout


def test_demo_is_reproducible_with_a_seed(tmp_path, capsys):
    summaries = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert (
            _run(capsys, "--out", str(out), "--n-samples", "3000", "--seed", "7", "--quiet")[0] == 0
        )
        summaries.append(json.loads((out / "summary.json").read_text()))
    assert summaries[0]["models"] == summaries[1]["models"]


def test_demo_takes_the_costs_and_the_learner_of_fit(tmp_path, capsys):
    out = tmp_path / "costs"
    code, stdout, _ = _run(
        capsys, "--out", str(out), "--n-samples", "3000", "--quiet", "--learner", "t",
        "--value-per-success", "120", "--cost-per-contact", "5", "--incentive-cost", "20",
        "--customer-base", "1000000",
    )  # fmt: skip
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["costs"]["value_per_success"] == 120.0
    assert summary["costs"]["cost_per_contact"] == 5.0
    assert summary["costs"]["incentive_cost"] == 20.0
    assert summary["costs"]["incentive_paid"] == "on_success"  # the shared default
    assert summary["models"]["uplift"]["learner"] == "TLearner(LightGBM)"
    assert summary["customer_base"] == 1_000_000
    assert "for a base of 1,000,000 customers" in summary["verdict"][0]


def test_demo_and_fit_state_the_same_defaults(capsys):
    for command in ("demo", "fit"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "(default: t)" in text, command
        assert "favourable outcome (default: on_success)" in text, command
        assert "value of one favourable outcome (in your currency" in text, command


def test_demo_on_hillstrom_is_a_response_experiment(tmp_path, capsys):
    out = tmp_path / "hillstrom"
    code, stdout, _ = _run(
        capsys, "--dataset", "hillstrom", "--out", str(out), "--n-samples", "8000", "--quiet"
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    assert summary["dataset"] == "hillstrom"
    assert summary["framing"] == "response"
    assert summary["n_train"] + summary["n_test"] == 8000
    assert "oracle" not in summary  # no ground truth on real data
    # the contender learns from the customers nobody e-mailed; the variants beside it;
    # MP/EMPC are for churn only
    assert set(summary["models"]) == {"outcome", "outcome_pooled", "outcome_treated", "uplift"}
    assert summary["models"]["outcome"]["trained_on"] == "control"
    assert summary["profit_exact"] is False
    assert summary["models"]["uplift"]["profit_best_ci"] is not None
    assert summary["comparison"]["difference_ci"] is not None
    assert summary["costs_note"].startswith("Illustrative costs")
    assert "Response" in stdout
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Estimated" in html
    assert "women&#39;s e-mail vs no e-mail" in html  # the arms, named
    assert "Illustrative costs: Hillstrom published none" in html


def test_demo_in_revenue_kept_is_a_continuous_experiment(tmp_path, capsys):
    out = tmp_path / "revenue"
    argv = ("--outcome", "revenue", "--out", str(out), "--n-samples", "4000", "--quiet")
    code, stdout, _ = _run(capsys, *argv)
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    assert summary["outcome_type"] == "continuous"
    assert summary["framing"] == "churn"  # the revenue kept at risk first
    naive = summary["models"]["outcome"]
    assert naive["label"] == "Revenue kept at risk (highest first)"
    assert naive["ranks_by"] == "outcome at risk"
    assert summary["costs"]["value_per_unit"] > 0
    assert summary["costs"]["value_per_success"] is None
    assert summary["costs"]["incentive_paid"] == "on_contact"
    low, high = summary["average_effect"]["ci"]
    assert low < summary["average_effect"]["estimate"] < high
    assert "cost_aware" not in summary["models"]  # EMPC needs a yes/no churn outcome
    names = {path.name for path in out.iterdir()}
    assert {"index.html", "qini.png", "profit.png"} <= names
    assert not {"customer_types.png", "risk_vs_uplift.png", "landscape.png"} & names
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "in revenue kept" in html  # the title
    assert "defined only for a yes/no outcome" in html
    assert "Average effect of contact" in html
    assert "Naive" in stdout
    assert "On average, the contact raises a customer&#39;s revenue kept" in html


def test_demo_refuses_revenue_on_a_real_campaign(tmp_path, capsys):
    argv = ("--dataset", "hillstrom", "--outcome", "revenue", "--out", str(tmp_path / "x"))
    code, _, stderr = _run(capsys, *argv)
    assert code == 1
    assert "--outcome must be one of visit for the hillstrom demo; got 'revenue'" in stderr
    assert not (tmp_path / "x").exists()


def test_demo_on_starbucks_reads_the_mirror(tmp_path, capsys, starbucks_mirror, monkeypatch):
    monkeypatch.setenv("ACTIONABLE_DATA_MIRROR", str(starbucks_mirror))
    out = tmp_path / "starbucks"
    code, _, _ = _run(
        capsys, "--dataset", "starbucks", "--out", str(out), "--n-samples", "20000", "--quiet"
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    assert summary["dataset"] == "starbucks"
    assert summary["models"]["outcome"]["trained_on"] == "control"
    assert summary["costs"]["value_per_success"] == 10.0
    assert summary["costs"]["cost_per_contact"] == 0.15
    low, high = summary["comparison"]["difference_ci"]
    assert low <= summary["comparison"]["difference"] <= high
    if low <= 0 <= high:  # said plainly when the difference is within the uncertainty
        assert "within the uncertainty" in summary["verdict"][-1]


def test_demo_rejects_too_few_samples(tmp_path, capsys):
    code, _, stderr = _run(capsys, "--out", str(tmp_path / "x"), "--n-samples", "10")
    assert code == 1
    assert stderr.strip() == "actionable demo: error: --n-samples must be at least 100; got 10."
    assert not (tmp_path / "x").exists()


# ------------------------------------------------------------------ the demo on its defaults
@pytest.fixture(scope="module")
def default_demo(tmp_path_factory):
    """``actionable demo`` exactly as the README runs it (50,000 customers, seed 0)."""
    out = tmp_path_factory.mktemp("demo") / "demo-output"
    started = time.perf_counter()
    code = main(["demo", "--out", str(out), "--quiet"])
    elapsed = time.perf_counter() - started
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    return {"out": out, "summary": summary, "elapsed": elapsed}


@pytest.mark.slow
def test_demo_on_its_defaults_is_a_fair_fight(default_demo):
    """Issue 14: the churn-risk contender is the churn team's model, and uplift beats it."""
    summary = default_demo["summary"]
    models = summary["models"]
    outcome, uplift, pooled = models["outcome"], models["uplift"], models["outcome_pooled"]
    for entry in models.values():
        assert entry["trained_on"] in ("control", "all", "both arms")
        assert entry["n_trained"] > 0
    assert outcome["trained_on"] == "control"  # the customers nobody contacted
    assert outcome["n_trained"] < summary["n_train"]
    assert pooled["trained_on"] == "all"
    assert pooled["n_trained"] == summary["n_train"]
    assert uplift["trained_on"] == "both arms"
    assert summary["strongest_naive"] == "outcome"
    assert outcome["profit_best"] > pooled["profit_best"]
    assert outcome["auc_outcome"] >= 0.80  # an accurate churn model...
    assert uplift["qini_auc"] > outcome["qini_auc"]
    assert uplift["profit_best"] >= 0.85 * summary["oracle"]["profit_best"]
    # ... which earns less than the uplift model, beyond the uncertainty
    comparison = summary["comparison"]
    assert comparison["uplift_vs"] == "outcome"
    assert comparison["difference"] == pytest.approx(uplift["profit_best"] - outcome["profit_best"])
    low, high = comparison["difference_ci"]
    assert 0 < low <= comparison["difference"] <= high
    headline = summary["verdict"][0]
    assert money(comparison["difference"]) in headline
    assert f"95% interval: {money(low)} to {money(high)}" in headline
    assert models["cost_aware"]["trained_on"] == "control"  # built on the strongest
    html = (default_demo["out"] / "index.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 5
    assert "When does predicting churn suffice?" in html
    print(f"demo on defaults: {default_demo['elapsed']:.1f} s")  # shown with -s


@pytest.mark.slow
def test_demo_verdict_reads_without_acronyms(default_demo):
    for sentence in default_demo["summary"]["verdict"]:
        for acronym in ACRONYMS:
            assert not re.search(rf"\b{acronym}\b", sentence), (acronym, sentence)
        for word in JARGON:
            assert word not in sentence.lower(), (word, sentence)
    # the technical names stay one hover away
    html = (default_demo["out"] / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="The AUC (area under the ROC curve)' in html
    assert '<abbr title="EMPC, the expected maximum profit measure' in html


def _readme_figures():
    """The demo's figures as the README states them (between its demo-figures markers)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- demo-figures -->(.*?)<!-- /demo-figures -->", text, re.S)
    assert match, "README.md has no <!-- demo-figures --> section"
    return match.group(1).replace("\\$", "$")  # Markdown escapes of the dollar signs


def _notebook_text(name):
    notebook = nbformat.read(REPO_ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


@pytest.mark.slow
def test_readme_and_notebook_01_show_the_demos_figures(default_demo):
    """One story everywhere: README, notebook 01 and the demo agree on the same world."""
    summary = default_demo["summary"]
    headline = summary["verdict"][0]
    readme = " ".join(_readme_figures().split())
    notebook = " ".join(_notebook_text("01_churn_vs_persuadability").split())
    assert headline in readme
    assert headline in notebook
    models = summary["models"]
    figures = [
        money(models["uplift"]["profit_best"]),
        money(models["outcome"]["profit_best"]),
        money(models["outcome_pooled"]["profit_best"]),
        money(summary["oracle"]["profit_best"]),
        f"{models['outcome']['auc_outcome']:.2f}",
        f"{models['outcome']['qini_auc']:.3f}",
        f"{models['uplift']['qini_auc']:.3f}",
    ]
    for figure in figures:
        assert figure in readme, figure
        assert figure in notebook, figure
