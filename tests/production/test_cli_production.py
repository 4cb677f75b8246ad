"""End to end from the command line: fit, target, evaluate, monitor on make_churn; bad input."""

import json

import numpy as np
import pandas as pd
import pytest

from actionable import production
from actionable.cli import main
from actionable.datasets import make_churn
from actionable.production import ModelVersionWarning
from actionable.production import _directory as persist
from actionable.report import validate_summary

N_TRAIN = 5000
N_BATCH = 6000


def _frame(data, seed_offset=0):
    frame = data.X.assign(offer=np.where(data.treatment == 1, "call", "none"), retained=data.y)
    frame.insert(0, "customer_id", np.arange(len(frame)) + seed_offset)
    return frame


def _fit_args(data_path, out, *extra):
    return [
        "fit",
        str(data_path),
        "--treatment",
        "offer",
        "--treated",
        "call",
        "--outcome",
        "retained",
        "--id",
        "customer_id",
        "--value-per-success",
        "200",
        "--cost-per-contact",
        "10",
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A model fitted once from the CLI on a make_churn experiment, and fresh batches."""
    folder = tmp_path_factory.mktemp("world")
    train = make_churn(N_TRAIN, random_state=0)
    train_path = folder / "train.csv"
    _frame(train).to_csv(train_path, index=False)
    (folder / "decision.toml").write_text(
        'decision = "whom to call with a retention offer"\n'
        'owner = "CRM analytics"\n'
        "[outcome]\nwindow_start = 0\nwindow_end = 90\n"
        "[features]\ntenure_months = -1\n"
    )
    model = folder / "model"
    assert main(_fit_args(train_path, model)) == 0
    return {"folder": folder, "train": train, "train_path": train_path, "model": model}


def _batch(world, seed, name, change=None):
    batch = make_churn(N_BATCH, random_state=seed)
    frame = _frame(batch, seed_offset=10_000 * seed)
    if change is not None:
        frame = change(frame, batch)
    path = world["folder"] / name
    frame.to_csv(path, index=False)
    return path, batch


# --------------------------------------------------------------------- end to end
def test_fit_writes_a_complete_model_directory(world):
    model = world["model"]
    names = sorted(p.name for p in model.iterdir())
    assert names == [
        "decision.toml",
        "drift_reference.json",
        "manifest.json",
        "outcome_model.joblib",
        "rule.json",
        "schema.json",
        "training.json",
        "training_rows.joblib",
        "uplift_model.joblib",
        "versions.json",
    ]
    saved = production.load_model(model)
    assert saved.card.owner == "CRM analytics"  # read from DATA's folder
    assert saved.card.value_per_success == 200.0  # from the command line
    assert saved.roles.id_column == "customer_id"
    assert "customer_id" not in saved.schema.names
    assert "offer" not in saved.schema.names
    assert saved.schema.categorical == ["contract", "plan", "region"]
    training = saved.documents["training"]
    train = world["train"]
    assert training["data"]["n_rows"] == N_TRAIN
    assert training["data"]["sha256"] == production.file_sha256(world["train_path"])
    assert training["data"]["treated_share"] == pytest.approx(float(train.treatment.mean()))
    assert training["data"]["outcome_rate"] == pytest.approx(float(train.y.mean()))
    # the commands' shared default learner, and the naive model a churn team deploys
    assert training["learner"] == "t"
    assert len(training["cross_validation"]["qini_by_learner"]["t"]["folds"]) == 5
    assert training["outcome_model_trained_on"] == "control"
    assert saved.outcome_model.train_on == "control"
    selection = saved.documents["rule"]["selection"]
    assert 0 < selection["fraction"] < 1
    assert selection["profit"] > 0
    assert selection["profit_low"] < selection["profit"] < selection["profit_high"]


def test_target_scores_every_row_by_priority(world, capsys):
    path, batch = _batch(world, 11, "to_score.csv")
    out = world["folder"] / "targets.csv"
    code, stdout, _ = _run(
        ["target", "--model", str(world["model"]), str(path), "--out", str(out)], capsys
    )
    assert code == 0
    targets = pd.read_csv(out)
    assert targets.columns.tolist() == [
        "customer_id", "uplift", "expected_profit", "target", "rank"
    ]  # fmt: skip
    assert sorted(targets["customer_id"]) == sorted(pd.read_csv(path)["customer_id"])
    assert targets["rank"].tolist() == list(range(1, len(targets) + 1))  # sorted by priority
    assert targets["expected_profit"].is_monotonic_decreasing
    # rounded to cents and millionths, as documented: no 16-digit floats
    text = out.read_text().splitlines()[1].split(",")
    assert len(text[1].split(".")[-1]) <= 6
    assert len(text[2].split(".")[-1]) <= 2
    saved = production.load_model(world["model"])
    expected = saved.rule.expected_profit(targets["uplift"])
    np.testing.assert_allclose(targets["expected_profit"], expected, atol=0.006)
    expected_target = (targets["expected_profit"] > saved.rule.threshold).astype(int)
    assert (targets["target"] != expected_target).sum() <= 1  # rounding at the threshold
    assert 0 < targets["target"].mean() < 1
    # the model ranks real persuadables first: targeted rows have a higher true effect
    truth = pd.Series(batch.true_effect, index=pd.read_csv(path)["customer_id"])
    chosen = targets.set_index("customer_id")["target"]
    assert truth[chosen == 1].mean() > truth[chosen == 0].mean() + 0.1
    assert f"{int(targets['target'].sum()):,} to contact" in stdout
    assert not [p for p in world["folder"].iterdir() if p.name.endswith(".part")]


def test_target_ignores_labels_and_respects_capacity(world, capsys):
    path, _ = _batch(world, 12, "labelled.csv")
    unlabelled = world["folder"] / "unlabelled.parquet"
    pd.read_csv(path).drop(columns=["offer", "retained"]).to_parquet(unlabelled)
    with_labels, without, capped = (world["folder"] / n for n in ("a.csv", "b.csv", "c.csv"))
    model = str(world["model"])
    assert main(["target", "--model", model, str(path), "--out", str(with_labels)]) == 0
    assert main(["target", "--model", model, str(unlabelled), "--out", str(without)]) == 0
    assert (
        main(["target", "--model", model, str(path), "--out", str(capped), "--capacity", "100"])
        == 0
    )
    capsys.readouterr()
    a, b, c = (pd.read_csv(p) for p in (with_labels, without, capped))
    pd.testing.assert_frame_equal(a, b)
    assert c["target"].sum() == 100
    # the 100 contacted are the 100 highest expected profits among the eligible
    top = a.loc[a["target"] == 1].nsmallest(100, "rank")["customer_id"]
    assert sorted(c.loc[c["target"] == 1, "customer_id"]) == sorted(top)


def test_load_model_scores_like_the_target_command(world, capsys):
    import actionable

    path, _ = _batch(world, 14, "from_python.csv")
    out = world["folder"] / "from_cli.csv"
    assert main(["target", "--model", str(world["model"]), str(path), "--out", str(out)]) == 0
    capsys.readouterr()
    frame = pd.read_csv(path)
    frame.index = frame.index + 1000  # the caller's index is kept
    model = actionable.load_model(world["model"])
    assert isinstance(model, production.SavedModel)
    scores = model.score(frame)
    assert scores.index.equals(frame.index)  # in the caller's order
    by_rank = scores.sort_values("rank").reset_index(drop=True)
    pd.testing.assert_frame_equal(by_rank, pd.read_csv(out))
    capped = model.score(frame, capacity=25)
    assert capped["target"].sum() == 25
    assert capped.loc[capped["target"] == 1, "expected_profit"].min() >= (
        capped.loc[capped["target"] == 0, "expected_profit"].max()
    )
    with pytest.raises(ValueError, match="tenure_months"):
        model.score(frame.drop(columns=["tenure_months"]))


def test_scoring_in_chunks_on_several_threads_gives_the_same_list(world, monkeypatch):
    import actionable
    import actionable.production._model as saved_model

    path, _ = _batch(world, 15, "threads.csv")
    frame = pd.read_csv(path)
    model = actionable.load_model(world["model"])
    one = model.score(frame)
    monkeypatch.setattr(saved_model, "SCORE_CHUNK_ROWS", 7)  # many chunks, in order
    pd.testing.assert_frame_equal(model.score(frame, n_jobs=3), one)
    pd.testing.assert_frame_equal(model.score(frame, n_jobs=-1), one)
    for bad in (0, 1.5, True):
        with pytest.raises(ValueError, match="n_jobs must be a non-zero integer or None"):
            model.score(frame, n_jobs=bad)


def test_evaluate_writes_the_paired_report(world, capsys, monkeypatch):
    path, _ = _batch(world, 13, "evaluation.csv")
    out = world["folder"] / "evaluation"
    code, stdout, _ = _run(
        ["evaluate", "--model", str(world["model"]), str(path), "--out", str(out), "--quiet"],
        capsys,
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    validate_summary(summary)
    assert summary["n_test"] == N_BATCH
    assert summary["n_train"] == N_TRAIN
    assert summary["models"]["uplift"]["qini_auc"] > summary["models"]["outcome"]["qini_auc"]
    page = (out / "index.html").read_text()
    assert "whom to call with a retention offer" in page  # the decision card
    rule = json.loads((out / "targeting_rule.json").read_text())
    assert rule["n_rows"] == N_BATCH
    assert rule["profit_low"] < rule["profit"] < rule["profit_high"]
    assert rule["profit"] > 0
    assert "saved rule: contacts" in stdout


def test_evaluate_refuses_the_training_file(world, capsys):
    code, _, err = _run(
        [
            "evaluate",
            "--model",
            str(world["model"]),
            str(world["train_path"]),
            "--out",
            str(world["folder"] / "nope"),
        ],
        capsys,
    )
    assert code == 1
    assert "100% of its rows are rows the model was trained on" in err


# ---------------------------------------------------------------------- monitoring
def _monitor(world, path, name, capsys):
    out = world["folder"] / name
    code, stdout, _ = _run(
        ["monitor", "--model", str(world["model"]), str(path), "--out", str(out)], capsys
    )
    assert code == 0
    document = json.loads((out / "monitor.json").read_text())
    assert (out / "monitor.html").is_file()
    return document, stdout, (out / "monitor.html").read_text()


def test_monitor_healthy_batch(world, capsys):
    path, _ = _batch(world, 21, "healthy.csv")
    document, stdout, page = _monitor(world, path, "healthy", capsys)
    assert list(document)[:7] == [
        "n",
        "realized_uplift",
        "ci_low",
        "ci_high",
        "expected_uplift",
        "drift",
        "alerts",
    ]
    assert document["n"] == N_BATCH
    assert document["alerts"] == []
    assert document["ci_low"] <= document["expected_uplift"] <= document["ci_high"]
    assert max(document["drift"].values()) < 0.1
    assert set(document["drift"]) == set(production.load_model(world["model"]).schema.names)
    assert "no alerts" in stdout
    assert "No alerts." in page
    assert "CRM analytics" in page  # the decision card
    assert "Holdout for the next campaign" in page


def test_monitor_harmful_batch(world, capsys):
    def harm(frame, batch):
        rng = np.random.default_rng(0)
        # the offer now persuades nobody and drives a fifth of would-be stayers away
        treated_outcome = batch.y0 * (rng.random(len(frame)) >= 0.2)
        return frame.assign(retained=np.where(frame["offer"] == "call", treated_outcome, batch.y0))

    path, _ = _batch(world, 22, "harmful.csv", harm)
    document, stdout, _ = _monitor(world, path, "harmful", capsys)
    assert document["ci_high"] < 0
    assert any(a.startswith("treatment harms") for a in document["alerts"])
    assert any("significantly below the expected" in a for a in document["alerts"])
    assert "ALERT: treatment harms" in stdout


def test_monitor_drifted_batch(world, capsys):
    sd = world["train"].X["tenure_months"].std()

    def shift(frame, batch):
        return frame.assign(tenure_months=frame["tenure_months"] + 3 * sd)

    path, _ = _batch(world, 23, "drifted.csv", shift)
    document, _, page = _monitor(world, path, "drifted", capsys)
    drift_alerts = [a for a in document["alerts"] if a.startswith("drift: feature")]
    assert drift_alerts == [
        f"drift: feature 'tenure_months' has PSI {document['drift']['tenure_months']:.3f} > 0.25."
    ]
    assert document["drift"]["tenure_months"] > 0.25
    others = {k: v for k, v in document["drift"].items() if k != "tenure_months"}
    assert max(others.values()) < 0.1
    assert "shifted" in page


def test_monitor_too_few_controls(world, capsys):
    def few_controls(frame, batch):
        control = np.flatnonzero(frame["offer"] == "none")
        return frame.drop(index=frame.index[control[30:]])

    path, _ = _batch(world, 24, "few_controls.csv", few_controls)
    document, _, _ = _monitor(world, path, "few", capsys)
    needed = document["holdout"]["control_rows_needed"]
    assert document["holdout"]["n_treated"] > 2000
    alert = [a for a in document["alerts"] if a.startswith("too few control rows (30)")]
    assert alert
    assert needed is None or f"{needed:,}" in alert[0]


# ------------------------------------------------------------------- bad input
@pytest.fixture
def small_frame():
    return _frame(make_churn(300, random_state=3))


@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        (lambda f: f.drop(columns="offer"), [], "treatment column 'offer' is missing from DATA"),
        (lambda f: f.drop(columns="retained"), [], "outcome column 'retained' is missing"),
        (
            lambda f: f.assign(offer=np.resize(["call", "none", "sms"], len(f))),
            [],
            "treatment column 'offer' has 3 values",
        ),
        (lambda f: f.assign(offer="call"), [], "treatment column 'offer' has no control rows"),
        (
            lambda f: f.assign(retained=f["retained"].where(f.index != 7)),
            [],
            "outcome column 'retained' has a missing value (NaN) at row 7",
        ),
        (lambda f: f, ["--drop", "nonexistent"], "column 'nonexistent' in --drop is missing"),
        (lambda f: f, ["--capacity", "0"], "capacity=0"),
        (lambda f: f.drop(columns="customer_id"), [], "id column 'customer_id' is missing"),
    ],
)
def test_fit_bad_input_one_line(tmp_path, capsys, small_frame, change, args, message):
    path = tmp_path / "data.csv"
    change(small_frame).to_csv(path, index=False)
    code, _, err = _run(_fit_args(path, tmp_path / "model", *args), capsys)
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("actionable fit: error: ")
    assert message in err
    assert not (tmp_path / "model").exists()


def test_fit_unreadable_files(tmp_path, capsys):
    code, _, err = _run(_fit_args(tmp_path / "missing.csv", tmp_path / "m"), capsys)
    assert (code, "file not found" in err) == (1, True)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    code, _, err = _run(_fit_args(broken, tmp_path / "m"), capsys)
    assert (code, "as Parquet" in err, err.count("\n")) == (1, True, 1)


def test_fit_card_checks(tmp_path, capsys, small_frame):
    path = tmp_path / "data.csv"
    small_frame.to_csv(path, index=False)
    card = tmp_path / "decision.toml"
    card.write_text("[outcome]\nwindow_start = -30\nwindow_end = 60\n")
    code, _, err = _run(_fit_args(path, tmp_path / "m"), capsys)
    assert code == 1
    assert "outcome_window_start=-30 days is before the decision time" in err
    card.write_text("[features]\nsupport_tickets = 14\n")
    code, _, err = _run(_fit_args(path, tmp_path / "m"), capsys)
    assert "feature 'support_tickets' is observed 14 days after the decision time" in err
    # dropping the late feature makes the same card acceptable
    code, _, err = _run(_fit_args(path, tmp_path / "m", "--drop", "support_tickets"), capsys)
    assert (code, err) == (0, "")
    assert "support_tickets" not in production.load_model(tmp_path / "m").schema.names
    card.write_text("[costs]\ncapacity = 0\n")
    code, _, err = _run(_fit_args(path, tmp_path / "m"), capsys)
    assert "capacity=0" in err
    card.unlink()
    argv = _fit_args(path, tmp_path / "m")
    value_index = argv.index("--value-per-success")
    del argv[value_index : value_index + 2]
    code, _, err = _run(argv, capsys)
    assert code == 1
    assert "costs missing: value_per_success is required" in err
    code, _, err = _run(
        _fit_args(path, tmp_path / "m", "--card", str(tmp_path / "no.toml")), capsys
    )
    assert "decision card" in err
    assert "not found" in err


def test_target_rejects_schema_mismatch(world, capsys, small_frame, tmp_path):
    model = str(world["model"])
    cases = {
        "missing.csv": (small_frame.drop(columns="usage_trend"), "column 'usage_trend' is missing"),
        "text.csv": (
            small_frame.assign(tenure_months="long"),
            "column 'tenure_months' must hold numbers, as in training (int64); found text: "
            "'long' at row 0",
        ),
        "no_id.csv": (
            small_frame.drop(columns="customer_id"),
            "id column 'customer_id' is missing",
        ),
    }
    for name, (frame, message) in cases.items():
        path = tmp_path / name
        frame.to_csv(path, index=False)
        out = tmp_path / f"out_{name}"
        code, _, err = _run(["target", "--model", model, str(path), "--out", str(out)], capsys)
        assert code == 1
        assert err.count("\n") == 1  # small inputs: no progress lines, one error line
        assert message in err
        assert not out.exists()


def test_monitor_needs_labels_and_a_control_group(world, capsys, small_frame, tmp_path):
    model = str(world["model"])
    no_control = tmp_path / "no_control.csv"
    small_frame.assign(offer="call").to_csv(no_control, index=False)
    code, _, err = _run(
        ["monitor", "--model", model, str(no_control), "--out", str(tmp_path / "m")], capsys
    )
    assert code == 1
    assert "has no control rows" in err
    unlabelled = tmp_path / "unlabelled.csv"
    small_frame.drop(columns="retained").to_csv(unlabelled, index=False)
    code, _, err = _run(
        ["monitor", "--model", model, str(unlabelled), "--out", str(tmp_path / "m")], capsys
    )
    assert "outcome column 'retained' is missing" in err


def test_tampered_model_fails(world, capsys, small_frame, tmp_path):
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(world["model"], copy)
    rule = copy / "rule.json"
    rule.write_text(rule.read_text().replace('"threshold": ', '"threshold": -1e9 + '))
    path = tmp_path / "data.csv"
    small_frame.to_csv(path, index=False)
    code, _, err = _run(
        ["target", "--model", str(copy), str(path), "--out", str(tmp_path / "t.csv")], capsys
    )
    assert code == 1
    assert "tampered with: 'rule.json' changed after it was saved" in err
    (copy / "rule.json").unlink()
    code, _, err = _run(
        ["monitor", "--model", str(copy), str(path), "--out", str(tmp_path / "m")], capsys
    )
    assert "'rule.json' is listed in manifest.json but missing" in err


def test_version_mismatch_warns(world, capsys, small_frame, tmp_path, monkeypatch):
    current = persist.package_versions()
    monkeypatch.setattr(persist, "package_versions", lambda: {**current, "lightgbm": "1.0.0"})
    path = tmp_path / "data.csv"
    small_frame.to_csv(path, index=False)
    code, _, err = _run(
        ["target", "--model", str(world["model"]), str(path), "--out", str(tmp_path / "t.csv")],
        capsys,
    )
    assert code == 0
    assert "actionable: warning: model" in err
    assert "lightgbm" in err
    assert "-> 1.0.0" in err
    with pytest.warns(ModelVersionWarning, match=r"lightgbm .* -> 1.0.0"):
        production.load_model(world["model"])


@pytest.mark.slow
def test_fit_auto_picks_by_cross_fitted_profit_with_costs(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _frame(make_churn(1000, random_state=4)).to_csv(path, index=False)
    argv = [a for a in _fit_args(path, tmp_path / "model", "--learner", "auto") if a != "--quiet"]
    code, stdout, stderr = _run(argv, capsys)
    assert code == 0
    assert "cross-fitting" in stderr  # progress is shown unless --quiet
    training = production.load_model(tmp_path / "model").documents["training"]
    assert sorted(training["cross_validation"]["qini_by_learner"]) == ["ct", "dr", "s", "t", "x"]
    assert training["selection"] == "cross-fitted profit of each learner's targeting rule"
    evidence = training["selection_by_profit"]
    assert training["learner"] == evidence["chosen"]
    assert sorted(evidence["by_learner"]) == ["ct", "dr", "s", "t", "x"]
    assert "cross-fitted profit of each learner's targeting rule" in stdout
    assert f"chosen because {evidence['reason']}" in stdout
    assert stdout.count("<- chosen") == 1


def test_fit_auto_without_costs_picks_the_best_cross_validated_qini(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _frame(make_churn(1000, random_state=4)).to_csv(path, index=False)
    argv = _fit_args(path, tmp_path / "model", "--learner", "auto")
    for option in ("--value-per-success", "--cost-per-contact", "--incentive-cost"):
        if option in argv:
            index = argv.index(option)
            del argv[index : index + 2]
    code, stdout, _ = _run(argv, capsys)
    assert code == 0
    training = production.load_model(tmp_path / "model").documents["training"]
    qini = {
        code: entry["mean"]
        for code, entry in training["cross_validation"]["qini_by_learner"].items()
    }
    assert sorted(qini) == ["ct", "dr", "s", "t", "x"]
    assert training["learner"] == max(qini, key=qini.get)
    assert training["selection"] == "mean Qini coefficient over held-out folds"
    assert training["selection_by_profit"] is None
    assert "<- chosen" in stdout


def test_without_costs_targets_positive_uplift(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _frame(make_churn(800, random_state=6)).to_csv(path, index=False)
    argv = _fit_args(path, tmp_path / "model", "--capacity", "50")
    for option in ("--value-per-success", "--cost-per-contact"):
        index = argv.index(option)
        del argv[index : index + 2]
    assert main(argv) == 0
    rule = production.load_model(tmp_path / "model").rule
    assert not rule.has_costs
    assert rule.capacity == 50
    out = tmp_path / "targets.csv"
    assert main(["target", "--model", str(tmp_path / "model"), str(path), "--out", str(out)]) == 0
    capsys.readouterr()
    targets = pd.read_csv(out)
    assert targets["expected_profit"].isna().all()  # no costs, no profit
    positive = targets["uplift"] > 0
    assert targets["target"].sum() == min(50, int(positive.sum()))
    assert (targets.loc[targets["target"] == 1, "uplift"] > 0).all()
