"""Smoke test of the benchmark harness: `benchmarks/run.py --quick` on tiny data.

Runs the real entry point in a subprocess (peers' warnings stay out of pytest's
``filterwarnings = error``), writing only into a temporary directory, then checks the
structure and sanity of the JSON results and of the generated README region.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RUN = REPO / "benchmarks" / "run.py"
# The mirror beside the repository, as tests/conftest.py finds it (ACTIONABLE_SHARED or ../shared).
SHARED_DATASETS = Path(os.environ.get("ACTIONABLE_SHARED", REPO.parent / "shared")) / "datasets"
STARBUCKS_IN_MIRROR = (SHARED_DATASETS / "starbucks" / "training.csv").is_file()
OTHER_SECTION = "## Metrics speed\n\nWritten by someone else; must survive regeneration.\n"


def _finite(value):
    return isinstance(value, (int, float)) and math.isfinite(value)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    readme = out / "README.md"
    readme.write_text("# Benchmarks\n\n" + OTHER_SECTION)
    env = dict(os.environ)
    env["ACTIONABLE_DATA_HOME"] = str(out / "data_home")
    env["ACTIONABLE_DATA_OFFLINE"] = "1"  # tests never reach the internet
    # the harness would look for ../shared itself: name the mirror, or an empty one
    empty_mirror = out / "empty_mirror"
    empty_mirror.mkdir()
    env["ACTIONABLE_DATA_MIRROR"] = str(SHARED_DATASETS if STARBUCKS_IN_MIRROR else empty_mirror)
    completed = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--results-dir", str(out), "--readme", str(readme)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    results = {path.name: json.loads(path.read_text()) for path in out.glob("*.json")}
    return {
        "out": out,
        "readme": readme,
        "stdout": completed.stdout,
        "results": results,
        "env": env,
    }


def test_quick_writes_every_piece_but_criteo(quick_run):
    names = set(quick_run["results"])
    assert {"quality_hillstrom.json", "quality_churn.json", "speed_models.json"} <= names
    assert "quality_spend.json" in names
    assert "decision.json" in names
    assert "speed_models_large.json" in names
    assert "speed_metrics.json" in names
    if STARBUCKS_IN_MIRROR:
        assert "quality_starbucks.json" in names
    # The full Criteo file is not available here: instructions, no result file.
    assert "criteo.json" not in names
    assert "actionable datasets fetch criteo" in quick_run["stdout"]
    for record in quick_run["results"].values():
        env = record["environment"]
        assert env["threads"]["OMP_NUM_THREADS"] == "1"
        assert env["machine"]["usable_cores"] >= 1
        assert env["machine"]["memory_gib"] > 0
        assert env["versions"]["numpy"]
        assert record["quick"] is True


def _quality_tasks(results):
    for name in ("quality_hillstrom.json", "quality_starbucks.json", "quality_churn.json"):
        if name not in results:
            continue
        if name == "quality_starbucks.json" and not STARBUCKS_IN_MIRROR:
            # offline without the mirror: the piece must say the data is unavailable
            assert results[name]["status"].startswith("dataset unavailable"), results[name]
            continue
        assert results[name]["status"] == "ran", results[name]["status"]
        yield from results[name]["tasks"]


def test_quality_records_are_complete_and_finite(quick_run):
    tasks = list(_quality_tasks(quick_run["results"]))
    assert len(tasks) >= 3
    for task in tasks:
        assert task["n_train"] + task["n_test"] == task["n_samples"]
        assert 0 < task["treatment_rate"] < 1
        by_name = {model["model"]: model for model in task["models"]}
        # Every model appears, with a status; failures carry their error text.
        assert {"TLearner", "sklift.TwoModels", "causalml.BaseTClassifier"} <= set(by_name)
        for model in task["models"]:
            assert model["status"] in {"ok", "not installed", "skipped", "error"}
            if model["status"] != "ok":
                assert model["error"]
        for name in (
            "SLearner",
            "TLearner",
            "XLearner",
            "DRLearner",
            "ClassTransformation",
            "OutcomeClassifier",
            "sklift.SoloModel",
            "sklift.TwoModels",
            "sklift.ClassTransformation",
        ):
            model = by_name[name]
            assert model["status"] == "ok", (task["task"], name, model["error"])
            qini = model["per_split"]["qini_auc"]
            assert len(qini) == task["n_splits"]
            summary = model["summary"]["qini_auc"]
            assert _finite(summary["mean"])
            assert _finite(summary["sd"])
            assert summary["mean"] == pytest.approx(sum(qini) / len(qini))
            assert all(t > 0 for t in model["per_split"]["fit_seconds"])
        if task["dataset"] == "churn":
            for name in ("TLearner", "OutcomeClassifier"):
                share = by_name[name]["summary"]["oracle_profit_share"]["mean"]
                assert _finite(share)
                assert -5 < share < 1.5
        for pair in task["paired"]:
            assert pair["ci_low"] <= pair["mean"] <= pair["ci_high"]
            assert 0 <= pair["wins"] <= pair["n_splits"] == task["n_splits"]
            assert by_name[pair["best_peer"]]["library"] in {"scikit-uplift", "causalml", "h2o"}


def test_spend_track_runs_every_learner_on_a_continuous_outcome(quick_run):
    record = quick_run["results"]["quality_spend.json"]
    assert record["status"] == "ran", record["status"]
    by_task = {task["task"]: task for task in record["tasks"]}
    assert set(by_task) == {"hillstrom_womens_spend", "churn_revenue"}
    for task in by_task.values():
        assert task["outcome_type"] == "continuous"
        by_name = {model["model"]: model for model in task["models"]}
        # Binary-only models are not run on a continuous outcome, and are not listed.
        assert "OutcomeClassifier" not in by_name
        assert "sklift.SoloModel" not in by_name
        for name in ("SLearner", "TLearner", "XLearner", "DRLearner", "OutcomeRegressor"):
            model = by_name[name]
            assert model["status"] == "ok", (task["task"], name, model["error"])
            assert len(model["per_split"]["qini_auc"]) == task["n_splits"]
            assert _finite(model["summary"]["qini_auc"]["mean"])
        for name in ("sklift.SoloModel[reg]", "sklift.TwoModels[reg]"):
            assert by_name[name]["status"] in {"ok", "not installed"}, by_name[name]["error"]
    # The spend splits keep buyers in both parts (stratified on treatment x (y > 0)).
    hillstrom = by_task["hillstrom_womens_spend"]
    assert hillstrom["outcome_rate_treated"] > hillstrom["outcome_rate_control"] > 0
    # The truth-based measure runs on the synthetic revenue world.
    churn = {model["model"]: model for model in by_task["churn_revenue"]["models"]}
    assert _finite(churn["TLearner"]["summary"]["oracle_profit_share"]["mean"])
    assert "hillstrom_womens_spend" in quick_run["readme"].read_text()


def test_decision_track_measures_every_deployed_rule(quick_run):
    record = quick_run["results"]["decision.json"]
    assert record["status"] == "ran", record["status"]
    (task,) = record["tasks"]
    by_name = {model["model"]: model for model in task["models"]}
    codes = ["s", "t", "x", "dr", "ct"]
    ours = ["actionable auto", *(f"actionable fit --learner {code}" for code in codes)]
    for name in (*ours, "OutcomeClassifier", "sklift.TwoModels"):
        model = by_name[name]
        assert model["status"] == "ok", (name, model["error"])
        profits = model["per_split"]["profit"]
        assert len(profits) == task["n_splits"]
        assert all(_finite(profit) for profit in profits)
        assert all(0 <= n <= task["n_test"] for n in model["per_split"]["contacted"])
    # auto says which learner it chose on each split, among the candidates.
    chosen = [details["chosen"] for details in by_name["actionable auto"]["details"]]
    assert len(chosen) == task["n_splits"]
    assert set(chosen) <= set(codes)
    # auto minus every other model, paired over the same splits.
    paired = {row["model"]: row for row in task["paired"]}
    assert set(paired) >= set(ours[1:]) | {"OutcomeClassifier", "sklift.TwoModels"}
    for row in paired.values():
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    assert task["criteria"]["best_single"] in ours
    assert "### Decision: the profit of the deployed rule" in quick_run["readme"].read_text()


@pytest.mark.bench
def test_identical_learners_agree_across_libraries(quick_run):
    # scikit-uplift's TwoModels and causalml's BaseTClassifier both fit the same LightGBM on the
    # treated rows and on the control rows: on identical splits their scores must coincide.
    compared = 0
    for task in _quality_tasks(quick_run["results"]):
        by_name = {model["model"]: model for model in task["models"]}
        causal = by_name["causalml.BaseTClassifier"]
        if causal["status"] == "not installed":
            continue
        assert causal["status"] == "ok", causal["error"]
        assert causal["per_split"]["qini_auc"] == pytest.approx(
            by_name["sklift.TwoModels"]["per_split"]["qini_auc"], abs=1e-12
        )
        compared += 1
    assert compared > 0, "causalml is not installed: `make bench` installs it"


def test_speed_records_have_ratios(quick_run):
    record = quick_run["results"]["speed_models.json"]
    assert record["status"] == "ran"
    models = {model["model"]: model for model in record["models"]}
    (size,) = {n for model in record["models"] for n in model["sizes"]}
    for name in ("TLearner", "sklift.TwoModels", "SLearner", "sklift.SoloModel"):
        row = models[name]["sizes"][size]
        assert row["status"] == "ok", row
        assert row["seconds"] > 0
        assert row["cpu_seconds"] > 0
        # the kernel batches its per-thread RSS counters (up to 64 pages each), so the
        # high-water mark read back can sit a fraction of a MiB below the RSS sampled just
        # after resetting it; anything more than that would be a real inconsistency
        assert row["rss_before_mib"] > 0
        assert row["peak_rss_mib"] >= row["rss_before_mib"] - 1.0
    ours = models["TLearner"]["sizes"][size]
    theirs = models["sklift.TwoModels"]["sizes"][size]
    assert theirs["ratio_to_actionable"]["reference"] == "TLearner"
    assert theirs["ratio_to_actionable"]["seconds"] == pytest.approx(
        theirs["seconds"] / ours["seconds"]
    )
    # The large size is a separate piece, run only for the learners chosen for it.
    large = quick_run["results"]["speed_models_large.json"]
    assert {model["model"] for model in large["models"]} == {"TLearner", "sklift.TwoModels"}
    for model in large["models"]:
        (large_size,) = model["sizes"]
        assert int(large_size) > int(size)
        assert model["sizes"][large_size]["status"] == "ok"


def test_metric_speed_matches_scikit_uplift(quick_run):
    record = quick_run["results"]["speed_metrics.json"]
    libraries = {lib["library"]: lib for lib in record["libraries"]}
    assert set(libraries) == {"actionable", "scikit-uplift", "causalml"}
    for n, row in libraries["actionable"]["sizes"].items():
        assert row["status"] == "ok", row
        peer = libraries["scikit-uplift"]["sizes"][n]
        assert peer["status"] == "ok", peer
        assert peer["abs_difference_to_actionable"] < 1e-9
        assert peer["ratio_to_actionable"] == pytest.approx(peer["seconds"] / row["seconds"])
    for row in libraries["causalml"]["sizes"].values():
        assert row["status"] in {"ok", "not installed"}


def test_readme_region_comes_from_the_results(quick_run):
    text = quick_run["readme"].read_text()
    assert OTHER_SECTION in text
    assert text.count("<!-- BEGIN GENERATED TABLES -->") == 1
    assert text.count("<!-- END GENERATED TABLES -->") == 1
    region = text.split("<!-- BEGIN GENERATED TABLES -->")[1]
    assert "### Headline: qini_auc_score" in region
    for task in _quality_tasks(quick_run["results"]):
        assert task["task"] in region
        ours = next(m for m in task["models"] if m["model"] == "TLearner")
        assert f"{ours['summary']['qini_auc']['mean']:.4f}" in region
    # Regenerating from the same JSON is idempotent and keeps the other sections.
    subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--tables-only",
            "--results-dir",
            str(quick_run["out"]),
            "--readme",
            str(quick_run["readme"]),
        ],
        check=True,
        capture_output=True,
        env=quick_run["env"],
        timeout=120,
    )
    assert quick_run["readme"].read_text() == text


def test_rerun_of_some_models_merges_on_the_same_splits(quick_run, tmp_path):
    out = tmp_path / "merge"
    out.mkdir()
    saved = quick_run["results"]["quality_churn.json"]
    (out / "quality_churn.json").write_text(json.dumps(saved))
    subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--only",
            "churn",
            "--models",
            "TLearner",
            "--results-dir",
            str(out),
            "--no-readme",
        ],
        check=True,
        capture_output=True,
        env=quick_run["env"],
        timeout=300,
    )
    merged = json.loads((out / "quality_churn.json").read_text())
    assert [run["models"] for run in merged["runs"]] == ["all", ["TLearner"]]
    (before,), (after,) = saved["tasks"], merged["tasks"]
    assert [m["model"] for m in after["models"]] == [m["model"] for m in before["models"]]
    for old, new in zip(before["models"], after["models"], strict=True):
        if old["model"] != "TLearner":
            assert new == old
    assert {p["model"] for p in after["paired"]} == {p["model"] for p in before["paired"]}
    # Changing the protocol under saved results is refused rather than mixed.
    (out / "quality_churn.json").write_text(
        json.dumps({**saved, "tasks": [{**before, "split_seed": 99}]})
    )
    failed = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--only",
            "churn",
            "--models",
            "TLearner",
            "--results-dir",
            str(out),
            "--no-readme",
        ],
        capture_output=True,
        text=True,
        env=quick_run["env"],
        timeout=300,
        check=False,
    )
    assert failed.returncode != 0
    assert "cannot merge churn_retained: split_seed" in failed.stderr


def test_an_unavailable_dataset_keeps_the_saved_results(tmp_path):
    saved = {"track": "quality", "dataset": "starbucks", "status": "ran", "tasks": ["kept"]}
    path = tmp_path / "quality_starbucks.json"
    path.write_text(json.dumps(saved))
    env = dict(os.environ)
    env.update(
        ACTIONABLE_DATA_HOME=str(tmp_path / "empty_home"),
        ACTIONABLE_DATA_MIRROR=str(tmp_path / "empty_mirror"),
        ACTIONABLE_DATA_OFFLINE="1",  # no request: the dataset is simply not here
    )
    (tmp_path / "empty_mirror").mkdir()
    completed = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--only",
            "starbucks",
            "--results-dir",
            str(tmp_path),
            "--models",
            "actionable",
            "--no-readme",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "starbucks: not run here; the saved results" in completed.stdout
    assert json.loads(path.read_text()) == saved
