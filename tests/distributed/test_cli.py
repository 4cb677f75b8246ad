"""`actionable target` and `evaluate` on a folder or glob of Parquet files, on Dask."""

import json
import threading
import time

import numpy as np
import pandas as pd
import pytest

from actionable.cli import main
from actionable.datasets import make_churn
from actionable.decision import DecisionCard
from actionable.economics import profit_curve
from actionable.metrics import qini_auc_score, uplift_at_k, uplift_auc_score
from actionable.production import ColumnRoles, SavedModel, fit_model


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    data = make_churn(4000, random_state=0)
    frame = data.X.assign(offer=data.treatment, retained=data.y, customer=range(4000))
    roles = ColumnRoles("offer", "1", "retained", id_column="customer")
    card = DecisionCard(value_per_success=200.0, cost_per_contact=10.0)
    model = fit_model(frame, roles, card=card, learner="t", random_state=0)
    model.save(tmp_path_factory.mktemp("model") / "model")
    return model


def _write_campaign(folder, *, n_files, rows, first_seed, name="week"):
    """Labelled make_churn files ``<name>-<number>.parquet``; all their rows, in file order."""
    frames = []
    for number in range(n_files):
        data = make_churn(rows, random_state=first_seed + number)
        frame = data.X.assign(offer=data.treatment, retained=data.y,
                              customer=np.arange(rows) + rows * number)  # fmt: skip
        frame.to_parquet(folder / f"{name}-{number}.parquet", index=False)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    folder = tmp_path_factory.mktemp("campaign")
    return folder, _write_campaign(folder, n_files=3, rows=1500, first_seed=10)


def test_evaluate_a_folder_matches_the_in_memory_metrics(
    dask_client, saved, campaign, tmp_path, capsys
):
    folder, rows = campaign
    address = dask_client.scheduler.address
    status = main(["evaluate", "--model", str(saved.path), str(folder), "--out",
                   str(tmp_path / "eval"), "--scheduler", address])  # fmt: skip
    assert status == 0
    progress = capsys.readouterr().err  # a log, not a terminal: one line per step
    assert "scoring: 3 files" in progress
    assert "randomization check: " in progress
    assert "uplift model's ranking: " in progress
    assert " score ranges" in progress
    summary = json.loads((tmp_path / "eval" / "summary.json").read_text())
    assert summary["n"] == len(rows)
    uplift, _ = saved.predict(saved.features(rows))
    y, t = rows["retained"], rows["offer"]
    risk = saved.outcome_model.predict_risk(saved.features(rows))
    for name, score in (("uplift", uplift), ("outcome", risk)):
        _check_measures(summary["models"][name], y, score, t, saved.cost_model)


def _check_measures(measured, y, score, t, cost_model, capacity=None):
    """Every figure of one ranking in summary.json, against the in-memory functions."""
    assert measured["qini_auc"] == pytest.approx(qini_auc_score(y, score, t), abs=1e-9)
    assert measured["uplift_auc"] == pytest.approx(uplift_auc_score(y, score, t), abs=1e-9)
    assert measured["uplift_at_30"] == pytest.approx(uplift_at_k(y, score, t), abs=1e-9)
    assert measured["n_distinct_scores"] == np.unique(score).size
    n_targeted, profit = profit_curve(y, score, t, cost_model=cost_model)
    best = int(np.argmax(profit))
    assert measured["profit_best"] == pytest.approx(profit[best], abs=1e-6)
    assert measured["best_fraction"] == pytest.approx(n_targeted[best] / len(y), abs=1e-12)
    if capacity is None:
        assert measured["profit_at_capacity"] is None
    else:
        within = profit[n_targeted <= capacity].max()
        assert measured["profit_at_capacity"] == pytest.approx(within, abs=1e-6)


def test_evaluate_a_continuous_outcome_matches_the_in_memory_metrics(dask_client, tmp_path):
    """Spend in dollars: its perfect curves come from the oracle ranking, kept on the workers."""
    from actionable.distributed import evaluate_parquet

    rng = np.random.default_rng(3)
    data = make_churn(6000, random_state=3)
    spend = np.round(rng.gamma(2.0, 20.0, 6000) * data.y, 2)  # zero when the customer left
    frame = data.X.assign(offer=data.treatment, spend=spend)
    roles = ColumnRoles("offer", "1", "spend", outcome_type="continuous")
    card = DecisionCard(value_per_unit=0.5, cost_per_contact=2.0, capacity=900)
    model = fit_model(frame.iloc[:3000], roles, card=card, learner="s", random_state=0)
    folder = tmp_path / "spend"
    folder.mkdir()
    rows = frame.iloc[3000:].reset_index(drop=True)
    for number in range(4):
        part = rows.iloc[number * 750 : (number + 1) * 750]
        part.to_parquet(folder / f"part-{number}.parquet", index=False)
    summary = evaluate_parquet(model, folder)
    uplift, _ = model.predict(model.features(rows))
    y, t = rows["spend"].to_numpy(), rows["offer"].to_numpy()
    _check_measures(summary["models"]["uplift"], y, uplift, t, model.cost_model, 900)
    assert summary["n"] == len(rows)


def test_target_a_glob_writes_every_row(dask_client, saved, campaign, tmp_path, capsys):
    folder, rows = campaign
    status = main(["target", "--model", str(saved.path), str(folder / "week-*.parquet"),
                   "--out", str(tmp_path / "calls"), "--scheduler",
                   dask_client.scheduler.address])  # fmt: skip
    assert status == 0
    calls = pd.read_parquet(tmp_path / "calls")
    assert list(calls["customer"]) == list(rows["customer"])
    # ranked over the three files as one table is: 1..n by expected profit, ties in order
    expected = saved.score(rows)["rank"].to_numpy()
    np.testing.assert_array_equal(calls["rank"].to_numpy(), expected)
    assert sorted(calls["rank"]) == list(range(1, len(rows) + 1))
    assert f"{len(rows):,} rows scored in 3 Parquet files" in capsys.readouterr().out


def test_monitor_and_missing_files_are_one_line_errors(saved, tmp_path, capsys):
    status = main(["monitor", "--model", str(saved.path), str(tmp_path / "none-*.parquet"),
                   "--out", str(tmp_path / "m")])  # fmt: skip
    assert status == 1
    assert "monitor does not run on Dask" in capsys.readouterr().err
    status = main(["evaluate", "--model", str(saved.path), str(tmp_path / "none-*.parquet"),
                   "--out", str(tmp_path / "e"), "--scheduler", "tcp://127.0.0.1:1"])  # fmt: skip
    assert status == 1
    assert "matches no file" in capsys.readouterr().err


def test_target_capacity_cuts_ties_as_the_one_table_rule(dask_client, saved, tmp_path):
    """Rows repeated across files tie; the cut falls inside a tie and takes it in file order."""
    base = make_churn(1200, random_state=21)
    base = base.X.assign(offer=base.treatment, retained=base.y)
    files = [base.iloc[:600], base.iloc[300:900], base.iloc[:400]]
    folder = tmp_path / "batches"
    folder.mkdir()
    for number, frame in enumerate(files):
        frame.assign(customer=np.arange(len(frame)) + 1000 * number).to_parquet(
            folder / f"b{number}.parquet", index=False
        )
    rows = pd.concat(
        [f.assign(customer=np.arange(len(f)) + 1000 * i) for i, f in enumerate(files)],
        ignore_index=True,
    )
    uplift, p_treated = saved.predict(saved.features(rows))
    score = saved.rule.score(uplift, p_treated)
    values, counts = np.unique(score[score > saved.rule.threshold], return_counts=True)
    tied = values[counts >= 2][len(values[counts >= 2]) // 2]  # a tied score among the eligible
    capacity = int(np.count_nonzero(score > tied)) + 1  # the cut falls inside its tie
    out = tmp_path / "calls"
    address = dask_client.scheduler.address
    status = main(["target", "--model", str(saved.path), str(folder), "--out", str(out),
                   "--scheduler", address, "--capacity", str(capacity)])  # fmt: skip
    assert status == 0
    found = pd.read_parquet(out)
    expected = saved.score(rows, capacity=capacity)
    assert list(found["customer"]) == list(expected["customer"])
    np.testing.assert_array_equal(found["target"].to_numpy(), expected["target"].to_numpy())
    assert found["target"].sum() == capacity
    assert list(found.columns) == list(expected.columns)  # ..., target, rank
    np.testing.assert_array_equal(found["rank"].to_numpy(), expected["rank"].to_numpy())
    at_tie = score == tied
    assert 0 < found["target"].to_numpy()[at_tie].sum() < at_tie.sum()  # the tie was split


def _in_memory_check(saved, rows):
    from actionable.production import randomization_check

    seed = saved.documents["training"]["cross_validation"]["seed"]
    treated = (rows["offer"].astype(str) == "1").astype(int)
    return randomization_check(saved.features(rows), treated, random_state=seed)


@pytest.mark.parametrize("max_rows", [None, 2000], ids=["all-rows", "sampled"])
def test_evaluate_runs_the_in_memory_randomization_check(
    dask_client, saved, campaign, max_rows, monkeypatch
):
    """Same rows for the classifier (all, or the same sample), balance of every row."""
    import actionable.distributed._assignment as assignment
    import actionable.production._randomization as randomization
    from actionable.distributed import evaluate_parquet

    if max_rows is not None:  # the client draws the sample and fits the classifier
        monkeypatch.setattr(randomization, "MAX_CHECK_ROWS", max_rows)
        monkeypatch.setattr(assignment, "MAX_CHECK_ROWS", max_rows)
    folder, rows = campaign
    found = evaluate_parquet(saved, folder)["randomization"]
    expected = _in_memory_check(saved, rows).to_dict()
    assert found["n_rows"] == expected["n_rows"] == len(rows)
    assert found["treated_share"] == pytest.approx(expected["treated_share"], abs=1e-12)
    for key in ("estimate", "low", "high"):
        assert found["auc"][key] == pytest.approx(expected["auc"][key], abs=1e-12)
    assert found["verdict"] == expected["verdict"]
    assert found["is_random"]
    balance = {(d["feature"], d["level"]): d["smd"] for d in found["largest_differences"]}
    for difference in expected["largest_differences"]:
        key = (difference["feature"], difference["level"])
        assert balance[key] == pytest.approx(difference["smd"], abs=1e-9)


def test_evaluate_refuses_a_targeted_campaign(dask_client, saved, tmp_path, capsys):
    folder = tmp_path / "targeted"
    folder.mkdir()
    for number in range(2):
        data = make_churn(2000, assignment="tenure", random_state=40 + number)
        data.X.assign(offer=data.treatment, retained=data.y, customer=np.arange(2000)).to_parquet(
            folder / f"part-{number}.parquet", index=False
        )
    status = main(["evaluate", "--model", str(saved.path), str(folder), "--out",
                   str(tmp_path / "e"), "--scheduler", dask_client.scheduler.address])  # fmt: skip
    assert status == 1
    error = capsys.readouterr().err
    assert "not a randomized experiment" in error
    assert "tenure_months" in error
    assert not (tmp_path / "e").exists()


def test_evaluate_refuses_the_weighting_options_it_cannot_apply(saved, tmp_path, capsys):
    for option in (["--propensity", "p_call"], ["--assume-recorded-selection"]):
        status = main(["evaluate", "--model", str(saved.path), str(tmp_path / "week-*.parquet"),
                       "--out", str(tmp_path / "e"), *option])  # fmt: skip
        assert status == 1
        error = capsys.readouterr().err
        assert f"{option[0]}: not available on Dask" in error
        assert error.count("\n") == 1
        assert not (tmp_path / "e").exists()


class _SlowSaved(SavedModel):
    """A saved model that takes its time to predict, so that a worker can be restarted."""

    seconds = 0.4

    def predict(self, X, **kwargs):
        time.sleep(self.seconds)
        return super().predict(X, **kwargs)


def _slow(saved):
    slow = object.__new__(_SlowSaved)
    slow.__dict__.update(saved.__dict__)
    return slow


@pytest.mark.parametrize("command", ["evaluate", "target"])
def test_a_worker_restarted_mid_way_gives_the_same_figures_or_a_clear_error(
    dask_client, saved, tmp_path, command
):
    """The rows each worker keeps (the runs, then the ranges) are lost with it: recomputed."""
    from actionable.distributed import evaluate_parquet, target_parquet

    folder = tmp_path / "campaign"
    folder.mkdir()
    rows = _write_campaign(folder, n_files=8, rows=400, first_seed=30, name="part")
    worker = sorted(dask_client.scheduler_info()["workers"])[0]
    restart = threading.Timer(
        1.5, dask_client.restart_workers, args=([worker],), kwargs={"timeout": 120}
    )
    restart.start()
    error, out = None, tmp_path / "out"
    try:
        if command == "evaluate":
            found = evaluate_parquet(_slow(saved), folder)["models"]["uplift"]
        else:
            target_parquet(_slow(saved), folder, out)
    except (OSError, RuntimeError) as raised:  # not recovered: it must say so
        error = str(raised)
    finally:
        restart.join()
    dask_client.wait_for_workers(2, timeout=180)
    print(f"{command} with a restart:", "complete" if error is None else error)
    if error is not None:
        assert not out.exists()
        return
    if command == "evaluate":
        uplift, _ = saved.predict(saved.features(rows))
        expected = qini_auc_score(rows["retained"], uplift, rows["offer"])
        assert found["qini_auc"] == pytest.approx(expected, abs=1e-9)
    else:
        written = pd.read_parquet(out)
        expected = saved.score(rows)
        assert list(written["customer"]) == list(expected["customer"])
        np.testing.assert_array_equal(written["rank"].to_numpy(), expected["rank"].to_numpy())
