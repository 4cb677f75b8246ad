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
