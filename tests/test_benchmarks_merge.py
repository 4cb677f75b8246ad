"""Provenance of merged benchmark results: the runs list names only runs that still count."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
merge = pytest.importorskip("_harness.merge")


def _run(started_at, models):
    return {"started_at": started_at, "models": models}


def test_a_run_whose_models_were_all_rerun_is_dropped():
    runs = [
        _run("01", "all"),
        _run("02", ["sklift.SoloModel"]),
        _run("03", ["SLearner", "TLearner"]),
    ]
    names = {"SLearner", "TLearner", "sklift.SoloModel"}
    assert [run["started_at"] for run in merge.live_runs(runs, names)] == ["02", "03"]


def test_a_run_with_one_model_left_is_kept():
    runs = [_run("01", "all"), _run("02", ["SLearner"]), _run("03", ["SLearner"])]
    kept = merge.live_runs(runs, {"SLearner", "TLearner"})
    assert [run["started_at"] for run in kept] == ["01", "03"]


def _deployed(name, library, profits):
    from _harness.stats import summarize

    ones = [1.0] * len(profits)
    per_split = {"profit": profits, "contacted": ones, "seconds": ones}
    return {
        "model": name,
        "library": library,
        "status": "ok",
        "per_split": per_split,
        "summary": {key: summarize(values) for key, values in per_split.items()},
        "details": [],
    }


def _decision_task(name, models, n_splits=3):
    return {"task": name, "n_samples": 100, "n_features": 2, "n_splits": n_splits,
            "test_size": 0.3, "split_seed": 0, "n_train": 70, "models": models}  # fmt: skip


def test_decision_rerun_replaces_its_records_and_keeps_the_other_tasks():
    peer = _deployed("sklift.TwoModels", "scikit-uplift", [5.0, 6.0, 7.0])
    old_auto = _deployed("actionable auto", "actionable", [1.0, 2.0, 3.0])
    tasks = [_decision_task("a", [old_auto, peer]), _decision_task("b", [peer])]
    old = {"status": "ran", "runs": [_run("01", "all")], "tasks": tasks}
    new_auto = _deployed("actionable auto", "actionable", [9.0, 10.0, 11.0])
    new = {"status": "ran", "runs": [_run("02", ["SLearner"])],
           "tasks": [_decision_task("a", [new_auto]), _decision_task("c", [new_auto])]}  # fmt: skip
    merged = merge.merge_decision(old, new)
    assert [task["task"] for task in merged["tasks"]] == ["a", "b", "c"]
    first = merged["tasks"][0]
    assert [m["model"] for m in first["models"]] == ["actionable auto", "sklift.TwoModels"]
    assert first["models"][0]["per_split"]["profit"] == [9.0, 10.0, 11.0]
    (paired,) = first["paired"]
    assert paired["mean"] == pytest.approx(4.0)
    assert first["criteria"]["auto_above_every_peer"] is True
    assert merged["tasks"][1] == old["tasks"][1]
    assert [run["started_at"] for run in merged["runs"]] == ["01", "02"]


def test_decision_rerun_on_other_splits_is_refused():
    auto = _deployed("actionable auto", "actionable", [1.0, 2.0, 3.0])
    old = {"status": "ran", "runs": [], "tasks": [_decision_task("a", [auto])]}
    new = {"status": "ran", "runs": [], "tasks": [_decision_task("a", [auto], n_splits=5)]}
    with pytest.raises(ValueError, match="cannot merge a: n_splits"):
        merge.merge_decision(old, new)
