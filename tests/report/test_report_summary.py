"""summary.json (the schema of docs/summary-json.md) and the atomic report folder."""

import copy
import json
import math

import pytest

from actionable.datasets import make_churn
from actionable.paired import PairedExperiment
from actionable.report import MODEL_KEYS, PairedReport, validate_summary


@pytest.fixture(scope="module")
def result():
    data = make_churn(4000, random_state=5)
    experiment = PairedExperiment(n_bootstraps=20, random_state=5, progress=False, n_jobs=1)
    return experiment.fit(data).result_


@pytest.fixture(scope="module")
def summary(result):
    return PairedReport(result).summary()


def test_summary_follows_the_design_schema(summary, result):
    assert summary["dataset"] == "churn"
    assert (summary["n_train"], summary["n_test"]) == (result.n_train, result.n_test)
    assert summary["costs"] == result.cost_model.to_dict()
    assert set(summary["models"]) == {"outcome", "outcome_pooled", "cost_aware", "uplift"}
    for name in ("outcome", "uplift"):
        assert set(MODEL_KEYS) <= set(summary["models"][name])
    assert summary["random"]["profit_best"] == result.random.profit_best.estimate
    assert summary["oracle"]["profit_best"] == result.oracle.profit_best.estimate
    validate_summary(summary)


def test_summary_values_are_the_results(summary, result):
    for key in ("outcome", "uplift"):
        entry, policy = summary["models"][key], result.policies[key]
        assert entry["learner"] == policy.learner
        assert entry["auc_outcome"] == policy.auc_outcome.estimate
        assert entry["qini_auc"] == policy.qini_auc.estimate
        assert entry["uplift_auc"] == policy.uplift_auc.estimate
        assert entry["uplift_at_30"] == policy.uplift_at_30.estimate
        assert entry["profit_best"] == policy.profit_best.estimate
        assert entry["best_fraction"] == policy.best_fraction
        assert entry["profit_at_capacity"] is None  # the default costs have no capacity
        assert entry["qini_auc_ci"] == [policy.qini_auc.low, policy.qini_auc.high]
        assert sum(entry["customer_types"].values()) == pytest.approx(result.n_contacted)
    cost_aware = summary["models"]["cost_aware"]
    assert cost_aware["promised_by"] == "EMPC"
    low, high = cost_aware["promised_profit_ci"]
    assert low <= cost_aware["promised_profit"] <= high
    assert cost_aware["realized_profit"] == result.policies["cost_aware"].realized_profit.estimate


def test_summary_is_strict_json(result):
    text = PairedReport(result).json()
    parsed = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-JSON {name}"))
    validate_summary(parsed)
    assert parsed["verdict"][0].startswith("Targeting by")


def test_summary_says_which_rows_each_model_learned_from(summary, result):
    models = summary["models"]
    assert models["outcome"]["trained_on"] == "control"  # the churn team's model
    # the control half of the training rows (make_churn treats half of its customers)
    assert abs(models["outcome"]["n_trained"] - result.n_train / 2) <= 1
    assert models["outcome_pooled"]["trained_on"] == "all"
    assert models["outcome_pooled"]["n_trained"] == result.n_train
    assert models["uplift"]["trained_on"] == "both arms"
    assert models["uplift"]["n_trained"] == result.n_train
    assert models["cost_aware"]["trained_on"] == models[summary["strongest_naive"]]["trained_on"]
    for entry in models.values():
        assert entry["trained_on_rows"]


def test_summary_compares_uplift_with_the_strongest_naive_model(summary, result):
    naive = {key: summary["models"][key]["profit_best"] for key in ("outcome", "outcome_pooled")}
    assert summary["strongest_naive"] == max(naive, key=naive.get)
    comparison = summary["comparison"]
    assert comparison["uplift_vs"] == summary["strongest_naive"]
    expected = summary["models"]["uplift"]["profit_best"] - naive[summary["strongest_naive"]]
    assert comparison["difference"] == pytest.approx(expected)
    low, high = comparison["difference_ci"]
    assert low <= comparison["difference"] <= high
    assert comparison["difference_per_1000"] == pytest.approx(1000 * expected / result.n_test)
    assert summary["customer_base"] == result.n_train + result.n_test


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("n_train",), None, "n_train is missing"),
        (("n_test",), True, "n_test must be a non-negative integer"),
        (("dataset",), 3, "dataset must be a string"),
        (("models", "uplift"), None, "models.uplift is missing"),
        (("models", "outcome", "qini_auc"), None, "models.outcome.qini_auc is missing"),
        (("models", "outcome", "qini_auc"), "0.1", "models.outcome.qini_auc must be a number"),
        (("models", "uplift", "profit_best"), math.nan, "models.uplift.profit_best must be finite"),
        (("models", "uplift", "learner"), 1, "models.uplift.learner must be a string"),
        (("random", "profit_best"), None, "random.profit_best is missing"),
        (("oracle", "profit_best"), "x", "oracle.profit_best must be a number"),
    ],
)
def test_validate_summary_names_the_problem(summary, path, value, message):
    broken = copy.deepcopy(summary)
    target = broken
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    with pytest.raises(ValueError, match=f"summary.json: {message}"):
        validate_summary(broken)


def test_profit_at_capacity_may_be_null_but_not_missing(summary):
    broken = copy.deepcopy(summary)
    broken["models"]["uplift"]["profit_at_capacity"] = None
    validate_summary(broken)
    del broken["models"]["uplift"]["profit_at_capacity"]
    with pytest.raises(ValueError, match="profit_at_capacity is missing"):
        validate_summary(broken)


def test_write_publishes_every_file(result, tmp_path):
    report = PairedReport(result)
    out = report.write(tmp_path / "report")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["index.html", "report.md", "summary.json", *report.figures])
    assert json.loads((out / "summary.json").read_text()) == report.summary()
    assert (out / "qini.png").read_bytes() == report.figures["qini.png"]
    assert (out / "index.html").read_text(encoding="utf-8") == report.html()


def test_write_keeps_other_files_and_replaces_its_own(result, tmp_path):
    out = tmp_path / "demo-output"
    (out / "hillstrom").mkdir(parents=True)
    (out / "hillstrom" / "index.html").write_text("other report")
    (out / "summary.json").write_text("{}")
    PairedReport(result).write(out)
    assert (out / "hillstrom" / "index.html").read_text() == "other report"
    assert json.loads((out / "summary.json").read_text())["dataset"] == "churn"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_failed_write_leaves_the_previous_report(result, tmp_path, monkeypatch):
    out = tmp_path / "report"
    PairedReport(result).write(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    report = PairedReport(result, title="new")
    monkeypatch.setattr(
        type(report), "html", lambda self: (_ for _ in ()).throw(RuntimeError("disk full"))
    )
    with pytest.raises(RuntimeError, match="disk full"):
        report.write(out)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # nothing half-written, no staging folder left


def test_write_refuses_a_file_as_folder(result, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(ValueError, match="exists and is not a directory"):
        PairedReport(result).write(target)


def test_index_html_is_published_last(result, tmp_path, monkeypatch):
    import actionable._atomic as write_module

    out = tmp_path / "report"
    published = []
    real_replace = write_module.os.replace

    def replace(source, target):
        published.append(target.name)
        if target.name == "index.html":
            raise OSError("interrupted")
        return real_replace(source, target)

    monkeypatch.setattr(write_module.os, "replace", replace)
    with pytest.raises(OSError, match="interrupted"):
        PairedReport(result).write(out)
    assert published[-1] == "index.html"
    assert len(published) > 1
    names = {p.name for p in out.iterdir()}
    assert "index.html" not in names  # without index.html the folder is visibly incomplete
    assert not [name for name in names if name.startswith(".")]
