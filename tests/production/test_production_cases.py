"""The production layer on real-looking data: each case of issue 15, one test (or more).

The library is used directly, and the command line where the case is about it (exit
codes, signals, messages in its own option names).
"""

import os
import signal
import stat
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import actionable
from actionable import production
from actionable.cli import main
from actionable.datasets import make_churn
from actionable.decision import DecisionCard
from actionable.paired import UntrustedResultWarning
from actionable.production import ColumnRoles, fit_model, load_model, read_table
from actionable.production import _io as production_io

ROLES = ColumnRoles("offer", "call", "retained", id_column="customer_id")


def _frame(data, first_id=0):
    frame = data.X.assign(offer=np.where(data.treatment == 1, "call", "none"), retained=data.y)
    frame.insert(0, "customer_id", np.arange(len(frame)) + first_id)
    return frame


@pytest.fixture(scope="module")
def training():
    return _frame(make_churn(4000, random_state=0))


@pytest.fixture(scope="module")
def model(training, tmp_path_factory):
    card = DecisionCard(value_per_success=200.0, cost_per_contact=10.0, capacity=300)
    fitted = fit_model(training, ROLES, card=card, learner="t")
    fitted.save(tmp_path_factory.mktemp("model") / "model")
    return fitted


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ the library alone
def test_the_whole_path_from_the_top_level(training, tmp_path):
    """Fit, save, load, score, evaluate and monitor with `from actionable import ...` only."""
    card = actionable.DecisionCard(value_per_success=200.0, cost_per_contact=10.0)
    fitted = actionable.fit_model(training, actionable.ColumnRoles(
        "offer", "call", "retained", id_column="customer_id"), card=card, learner="t")  # fmt: skip
    path = fitted.save(tmp_path / "model")
    loaded = actionable.load_model(path)
    fresh = _frame(make_churn(3000, random_state=5), first_id=10_000)
    scores = loaded.score(fresh)
    assert list(scores.columns) == ["customer_id", "uplift", "expected_profit", "target", "rank"]
    evaluation = loaded.evaluate(fresh, n_bootstraps=50)
    assert evaluation.result.n_test == 3000
    assert evaluation.rule["n_rows"] == 3000
    monitoring = loaded.monitor(fresh)
    assert monitoring.money["profit_ci"][0] <= monitoring.money["profit"]
    assert isinstance(actionable.MonitorReport(monitoring).html(), str)


# ------------------------------------------------------------- identifiers as features
def test_an_identifier_is_never_a_feature_by_accident(training, tmp_path, capsys):
    no_id = ColumnRoles("offer", "call", "retained")
    with pytest.raises(ValueError, match=r"column 'customer_id' has a different value on every "
                       r"row.*declare it as `id_column`, or list it in `drop`"):  # fmt: skip
        fit_model(training, no_id, learner="t")
    path = tmp_path / "train.csv"
    training.to_csv(path, index=False)
    code, _, err = _run(
        capsys, "fit", path, "--treatment", "offer", "--treated", "call", "--outcome",
        "retained", "--out", tmp_path / "m", "--quiet",
    )  # fmt: skip
    assert code == 1
    assert "declare it as --id, or list it in --drop" in err  # the command's own words
    assert err.count("\n") == 1


def test_a_high_cardinality_text_column_is_refused(training):
    rng = np.random.default_rng(0)
    frame = training.assign(
        email=[f"user{v}@example.com" for v in rng.integers(0, 3000, len(training))]
    )
    with pytest.raises(ValueError, match=r"text column 'email' has \d{1},?\d+ distinct values for "
                       r"4,000 rows.*`drop`"):  # fmt: skip
        fit_model(frame, ROLES, learner="t")
    # a dropped column is fine, and so is a low-cardinality text column
    dropped = ColumnRoles("offer", "call", "retained", id_column="customer_id", drop=("email",))
    fitted = fit_model(frame.assign(tier=rng.choice(["a", "b"], len(frame))), dropped,
                       learner="t")  # fmt: skip
    assert "email" not in fitted.schema.names
    assert "tier" in fitted.schema.categorical


# ---------------------------------------------------------------- the decision card
def test_a_card_with_a_typo_is_refused(training):
    card = DecisionCard(feature_availability={"suport_tickets": 14})
    with pytest.raises(ValueError, match="did you mean 'support_tickets'"):
        fit_model(training, ROLES, card=card, learner="t")


# ----------------------------------------------------------------- reading the data
def test_duplicate_header_names_are_caught_in_the_file(tmp_path, capsys, model):
    csv = tmp_path / "dup.csv"
    csv.write_text("customer_id,age,age\n1,30,40\n")
    code, _, err = _run(capsys, "target", "--model", model.path, csv, "--out", tmp_path / "o.csv")
    assert code == 1
    assert "has the column name 'age' twice (columns 2 and 3)" in err
    parquet = tmp_path / "dup.parquet"
    table = pa.Table.from_arrays([pa.array([1]), pa.array([30]), pa.array([40])],
                                 names=["customer_id", "age", "age"])  # fmt: skip
    pq.write_table(table, parquet)
    code, _, err = _run(
        capsys, "target", "--model", model.path, parquet, "--out", tmp_path / "o.csv"
    )
    assert "has the column name 'age' twice" in err


def test_infinite_values_are_refused_at_fit_and_at_scoring(training, model):
    frame = training.astype({"usage_trend": float})
    frame.loc[17, "usage_trend"] = np.inf
    with pytest.raises(ValueError, match=r"column 'usage_trend' has an infinite value \(inf\) "
                       r"at row 17"):  # fmt: skip
        fit_model(frame, ROLES, learner="t")
    with pytest.raises(ValueError, match=r"column 'usage_trend' has an infinite value \(inf\)"):
        model.score(frame)


def test_duplicate_ids_at_scoring_warn_with_a_count(model, training, tmp_path, capsys):
    batch = training.assign(customer_id=7)  # all equal
    with pytest.warns(UserWarning, match="has 4,000 rows whose identifier appears more than once"):
        model.score(batch)
    path = tmp_path / "same_ids.csv"
    batch.to_csv(path, index=False)
    code, _, err = _run(capsys, "target", "--model", model.path, path, "--out", tmp_path / "t.csv")
    assert code == 0
    assert "actionable: warning: id column 'customer_id' has 4,000 rows" in err


def test_the_training_rows_saved_again_are_refused_by_evaluate(model, training, tmp_path, capsys):
    parquet = tmp_path / "train_again.parquet"
    training.to_parquet(parquet)
    code, _, err = _run(
        capsys, "evaluate", "--model", model.path, parquet, "--out", tmp_path / "e", "--quiet"
    )
    assert code == 1
    assert "100% of its rows are rows the model was trained on" in err
    # a few training rows among fresh ones are tolerated (documented share: 5%)
    fresh = _frame(make_churn(2000, random_state=9), first_id=50_000)
    mixed = pd.concat([fresh, training.iloc[:40]], ignore_index=True)
    assert model.training_overlap(mixed) == pytest.approx(40 / len(mixed), abs=1e-9)


def test_a_category_scored_as_numbers_names_column_types_value_and_row(model, training):
    batch = training.assign(plan=training["plan"].cat.codes)  # codes where training had labels
    message = (
        r"column 'plan' does not match training: it held text categories \('basic', 'premium', "
        r"'standard', \.\.\.\), here numbers never seen in training in 4,000 of 4,000 rows "
        r"\(the first, '\d', at row 0\)"
    )
    with pytest.raises(ValueError, match=message):
        model.score(batch)


def test_a_blank_in_a_boolean_column_is_missing_and_a_bad_value_is_quoted(tmp_path):
    data = make_churn(3000, random_state=1)
    frame = _frame(data).assign(auto_renew=data.X["auto_renew"].astype(bool))
    fitted = fit_model(frame, ROLES, learner="t")
    text = frame.assign(auto_renew=frame["auto_renew"].map({True: "True", False: "False"}))
    text.loc[3, "auto_renew"] = None  # a blank cell, as a CSV export leaves it
    path = tmp_path / "blank.csv"
    text.to_csv(path, index=False)
    read = pd.read_csv(path)
    assert read["auto_renew"].dtype == object  # pandas reads True/False/blank as text
    scores = fitted.score(read)
    assert np.isfinite(scores["uplift"]).all()
    read.loc[5, "auto_renew"] = "maybe"
    with pytest.raises(ValueError, match=r"column 'auto_renew' must hold numbers, as in training "
                       r"\(bool\); found text: 'maybe' at row 5"):  # fmt: skip
        fitted.score(read)


# --------------------------------------------------------------------------- outputs
def test_outputs_respect_the_umask(model, training, tmp_path, capsys):
    fresh = _frame(make_churn(1000, random_state=3), first_id=90_000)
    data = tmp_path / "fresh.csv"
    fresh.to_csv(data, index=False)
    previous = os.umask(0o022)
    try:
        assert _run(capsys, "target", "--model", model.path, data, "--out",
                    tmp_path / "t.csv")[0] == 0  # fmt: skip
        fitted = fit_model(training, ROLES, learner="t")
        directory = fitted.save(tmp_path / "model")
        assert _run(capsys, "monitor", "--model", directory, data, "--out", tmp_path / "m",
                    "--quiet")[0] == 0  # fmt: skip
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "t.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE(directory.stat().st_mode) == 0o755
    assert stat.S_IMODE((directory / "rule.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "m" / "monitor.json").stat().st_mode) == 0o644


def test_out_equal_to_data_is_refused(model, training, tmp_path, capsys):
    path = tmp_path / "data.csv"
    training.to_csv(path, index=False)
    before = path.read_bytes()
    code, _, err = _run(capsys, "target", "--model", model.path, path, "--out", path)
    assert code == 1
    assert "the target list" in err
    assert "is also DATA" in err
    assert path.read_bytes() == before
    code, _, err = _run(capsys, "evaluate", "--model", model.path, path, "--out", model.path)
    assert code == 1
    assert "is also --model" in err


def test_sigterm_and_ctrl_c_leave_no_partial_file(model, training, tmp_path, capsys, monkeypatch):
    path = tmp_path / "data.csv"
    training.to_csv(path, index=False)
    real_to_csv = pd.DataFrame.to_csv

    real_arrow_csv = production_io._write_arrow_csv

    def interrupted(signum):
        def to_csv(frame, stream, **kwargs):
            real_to_csv(frame.head(10), stream, **kwargs)  # half-written, then the signal
            os.kill(os.getpid(), signum)

        def arrow_csv(table_and_quoting, stream):
            table, quoting = table_and_quoting
            real_arrow_csv((table.slice(0, 10), quoting), stream)
            os.kill(os.getpid(), signum)

        return to_csv, arrow_csv

    for signum, code, word in ((signal.SIGTERM, 143, "terminated"),
                               (signal.SIGINT, 130, "interrupted")):  # fmt: skip
        to_csv, arrow_csv = interrupted(signum)
        monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)
        monkeypatch.setattr(production_io, "_write_arrow_csv", arrow_csv)
        out = tmp_path / f"targets-{code}.csv"
        result, _, err = _run(capsys, "target", "--model", model.path, path, "--out", out)
        assert result == code
        assert err == f"actionable target: {word}; no partial output was left.\n"
        assert not out.exists()
        assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.slow
def test_ctrl_c_in_a_real_process_prints_one_line(training, tmp_path):
    path = tmp_path / "train.csv"
    pd.concat([training] * 5, ignore_index=True).assign(
        customer_id=lambda f: np.arange(len(f))
    ).to_csv(path, index=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "actionable.cli", "fit", str(path), "--treatment", "offer",
         "--treated", "call", "--outcome", "retained", "--id", "customer_id", "--out",
         str(tmp_path / "model")],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    first = process.stderr.readline()  # "checking that the treatment...": the work has begun
    assert first.startswith("checking that the treatment was assigned at random")
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "Traceback" not in rest
    last = rest.strip().splitlines()[-1]
    assert last == "actionable fit: interrupted; no partial output was left."
    assert not (tmp_path / "model").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_full_disk_names_the_path(model, training, tmp_path, capsys, monkeypatch):
    import errno

    import actionable._atomic as atomic

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    path = tmp_path / "data.csv"
    training.to_csv(path, index=False)
    monkeypatch.setattr(atomic.os, "replace", full)
    out = tmp_path / "targets.csv"
    code, _, err = _run(capsys, "target", "--model", model.path, path, "--out", out)
    assert code == 1
    assert err == (
        f"actionable target: error: cannot write {str(out)!r}: No space left on device.\n"
    )
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_model_given_as_a_file_says_so(tmp_path, capsys, training):
    path = tmp_path / "data.csv"
    training.to_csv(path, index=False)
    code, _, err = _run(capsys, "target", "--model", path, path, "--out", tmp_path / "t.csv")
    assert code == 1
    assert "is a file, not a model directory" in err


# ------------------------------------------------------------------------ monitoring
def _campaign(model, seed, *, shift=0.0, size=2000, holdout=0.1):
    """The recommended set-up: contact the model's top ``size``, hold 10% back at random."""
    data = make_churn(20_000, random_state=seed)
    frame = _frame(data, first_id=1_000_000 * seed)
    frame["tenure_months"] = frame["tenure_months"] + shift
    top = model.score(frame).sort_values("rank").index[:size]
    contacted = np.random.default_rng(seed).random(size) >= holdout
    batch = frame.loc[top].copy()
    batch["offer"] = np.where(contacted, "call", "none")
    batch["retained"] = np.where(contacted, data.y1[top], data.y0[top])
    return batch


def test_a_healthy_targeted_campaign_raises_no_drift_alert(model, tmp_path, capsys):
    path = tmp_path / "campaign.csv"
    _campaign(model, 21).to_csv(path, index=False)
    code, stdout, _ = _run(
        capsys, "monitor", "--model", model.path, path, "--out", tmp_path / "m", "--quiet",
        "--fail-on-alert",
    )  # fmt: skip
    assert code == 0
    assert "no alerts" in stdout
    assert "drift measured against the training customers the model would have targeted" in stdout
    document = pd.read_json(tmp_path / "m" / "monitor.json", typ="series")
    assert document["targeted_batch"]
    assert max(document["drift"].values()) < 0.25
    # against the whole training population, the same list looks shifted: the old false alarm
    population = model.monitor(pd.read_csv(path), batch="population")
    assert [a for a in population.alerts if a.startswith("drift")]
    page = (tmp_path / "m" / "monitor.html").read_text()
    assert "In money" in page
    assert "would have targeted" in page


def test_a_truly_shifted_campaign_still_raises_a_drift_alert(model, tmp_path, capsys):
    path = tmp_path / "shifted.csv"
    _campaign(model, 22, shift=40.0).to_csv(path, index=False)
    code, stdout, _ = _run(
        capsys, "monitor", "--model", model.path, path, "--out", tmp_path / "m", "--quiet",
        "--fail-on-alert",
    )  # fmt: skip
    assert code == 3  # for schedulers
    assert "ALERT: drift: feature 'tenure_months'" in stdout


def test_monitoring_shows_the_money_with_intervals(model):
    result = model.monitor(_campaign(model, 23))
    money = result.money
    contacted = result.n_treated
    assert money["extra_favourable_outcomes"] == pytest.approx(result.realized_uplift * contacted)
    low, high = money["profit_ci"]
    assert low <= money["profit"] <= high
    expected = 200.0 * result.expected_uplift * contacted - 10.0 * contacted
    assert money["expected_profit"] == pytest.approx(expected)


# ------------------------------------------------------------------- small data
def test_too_few_rows_for_cross_fitting_says_how_many_are_needed():
    frame = _frame(make_churn(60, random_state=0))
    with pytest.raises(ValueError, match=r"at least 20 rows of each treatment x outcome group; "
                       r"the group '.*' has \d+: at least \d+ more are needed"):  # fmt: skip
        fit_model(frame, ROLES, learner="t")


def test_an_evaluation_on_too_few_rows_warns(model):
    tiny = _frame(make_churn(80, random_state=4), first_id=777_000)  # 40 rows per arm
    with pytest.warns(UntrustedResultWarning, match="fewer than 50 in an arm"):
        evaluation = model.evaluate(tiny, n_bootstraps=20)
    assert evaluation.result.notes[0].startswith("Too few rows to trust")


# ---------------------------------------------------------------------- text and progress
def test_fit_prints_money_and_marks_no_choice_among_one(training, tmp_path, capsys):
    path = tmp_path / "train.csv"
    training.to_csv(path, index=False)
    code, stdout, _ = _run(
        capsys, "fit", path, "--treatment", "offer", "--treated", "call", "--outcome",
        "retained", "--id", "customer_id", "--value-per-success", "200", "--cost-per-contact",
        "10", "--learner", "t", "--out", tmp_path / "m", "--quiet",
    )  # fmt: skip
    assert code == 0
    assert "<- chosen" not in stdout  # one candidate: nothing was chosen among others
    assert "measured profit $" in stdout
    card = load_model(tmp_path / "m").card
    assert "with no end set" in card.to_markdown()


def test_progress_is_one_line_per_step_in_a_log(model, tmp_path, capsys):
    big = _frame(make_churn(120_000, random_state=8), first_id=5_000_000)
    path = tmp_path / "big.parquet"
    big.to_parquet(path)
    code, _, err = _run(capsys, "target", "--model", model.path, path, "--out", tmp_path / "t.csv")
    assert code == 0
    lines = err.splitlines()
    assert "\r" not in err
    assert any(line.startswith("scored 120,000 rows of big.parquet (") for line in lines)
    assert any(line.startswith("wrote 120,000 rows to") for line in lines)


# ------------------------------------------------------------- scoring a file in batches
def _small_batches(monkeypatch):
    monkeypatch.setattr(production_io, "BATCH_ROWS", 250)


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_a_file_scored_in_batches_gives_the_list_of_scoring_it_whole(
    model, tmp_path, monkeypatch, suffix
):
    from actionable.production._scoring import score_in_batches

    _small_batches(monkeypatch)
    fresh = _frame(make_churn(3000, random_state=11), first_id=20_000)
    path = tmp_path / f"fresh{suffix}"
    if suffix == ".parquet":
        fresh.to_parquet(path)
    else:
        fresh.to_csv(path, index=False)
    whole = model.score(read_table(path))
    batches = score_in_batches(model, path, n_jobs=2)
    assert batches is not None  # read in batches, not whole
    np.testing.assert_array_equal(batches["uplift"], whole["uplift"])
    np.testing.assert_array_equal(batches["rank"], whole["rank"])
    np.testing.assert_array_equal(batches["target"], whole["target"])
    assert batches["customer_id"].astype(str).tolist() == whole["customer_id"].astype(str).tolist()
    out = tmp_path / "list.csv"
    argv = ["target", "--model", model.path, path, "--out", out, "--quiet"]
    assert main([str(a) for a in argv]) == 0
    listed = pd.read_csv(out)
    expected = whole.sort_values("rank").reset_index(drop=True)
    pd.testing.assert_frame_equal(listed, expected, check_dtype=False)


def test_batches_name_the_file_row_of_a_bad_value(model, tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    fresh = _frame(make_churn(2000, random_state=12))
    infinite = fresh.astype({"monthly_spend": float})
    infinite.loc[1500, "monthly_spend"] = np.inf  # in a late batch
    path = tmp_path / "infinite.csv"
    infinite.to_csv(path, index=False)
    message = r"'monthly_spend' has an infinite value \(inf\) at row 1500"
    with pytest.raises(ValueError, match=message):
        production.target_file(model, path, tmp_path / "a.csv")
    text = fresh.astype({"age": object})
    text.loc[1700, "age"] = "unknown"  # not a number: read whole, whose error names it
    path = tmp_path / "text.csv"
    text.to_csv(path, index=False)
    with pytest.raises(ValueError, match="'age' must hold numbers.*'unknown' at row 1700"):
        production.target_file(model, path, tmp_path / "b.csv")
    assert not (tmp_path / "a.csv").exists()
    assert not (tmp_path / "b.csv").exists()


def test_batches_warn_once_about_unseen_categories_and_repeated_ids(model, tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    fresh = _frame(make_churn(2000, random_state=13)).astype({"region": object})
    fresh.loc[[10, 900, 1900], "region"] = "arctic"
    fresh.loc[1999, "customer_id"] = fresh.loc[0, "customer_id"]
    path = tmp_path / "fresh.csv"
    fresh.to_csv(path, index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        listed = production.target_file(model, path, tmp_path / "list.csv")
    messages = [str(w.message) for w in caught]
    assert len(listed) == 2000
    assert sum("never seen in training" in m for m in messages) == 1
    unseen = "'region' has 3 value(s) never seen in training (e.g. 'arctic')"
    assert any(unseen in m for m in messages)
    assert sum("appears more than once" in m for m in messages) == 1


def test_columns_dropped_at_training_need_not_come_back():
    """`drop` names training columns to ignore: later data may lack them."""
    from actionable.datasets import make_churn
    from actionable.production import ColumnRoles, fit_model

    train = make_churn(3000, random_state=0)
    frame = train.X.assign(offer=train.treatment, retained=train.y, note="x")
    roles = ColumnRoles("offer", "1", "retained", drop=("note",))
    model = fit_model(frame, roles, learner="t")
    later = make_churn(2000, random_state=1)
    batch = later.X.assign(offer=later.treatment, retained=later.y)
    assert model.score(later.X).shape[0] == 2000
    assert model.evaluate(batch) is not None
    assert model.monitor(batch) is not None
    with pytest.raises(ValueError, match="column 'note' in `drop` is missing from DATA"):
        fit_model(frame.drop(columns="note"), roles, learner="t")


def test_monitoring_without_a_reference_says_no_drift_was_measured():
    from actionable.production import describe_monitoring, monitor_batch

    rng = np.random.default_rng(0)
    treatment = np.r_[np.ones(500), np.zeros(500)]
    y = rng.binomial(1, 0.3 + 0.1 * treatment)
    result = monitor_batch(y, treatment, np.full(1000, 0.1))
    assert result.reference is None
    assert result.drift == {}
    text = describe_monitoring(result)
    assert "drift not measured (no training reference given)" in text
    assert "whole training population" not in text


def test_auto_chooses_by_cross_fitted_profit_and_keeps_the_evidence(tmp_path):
    from actionable.datasets import make_churn
    from actionable.decision import DecisionCard
    from actionable.production import ColumnRoles, describe_fit, fit_model, load_model

    data = make_churn(4000, random_state=0)
    frame = data.X.assign(offer=data.treatment, retained=data.y)
    card = DecisionCard(value_per_success=200.0, cost_per_contact=10.0)
    model = fit_model(frame, ColumnRoles("offer", "1", "retained"), card=card, learner="auto")
    training = model.documents["training"]
    assert training["selection"] == "cross-fitted profit of each learner's targeting rule"
    evidence = training["selection_by_profit"]
    assert set(evidence["by_learner"]) == set(training["cross_validation"]["qini_by_learner"])
    for entry in evidence["by_learner"].values():
        assert entry["profit_low"] <= entry["profit"] <= entry["profit_high"]
        assert 0.0 <= entry["fraction_contacted"] <= 1.0
    best = evidence["by_learner"][evidence["best"]]
    assert best["profit"] == max(entry["profit"] for entry in evidence["by_learner"].values())
    chosen = evidence["by_learner"][model.learner_name]
    assert evidence["chosen"] == model.learner_name
    # the chosen learner's profit has the highest lower bound
    assert chosen["profit_low"] == max(e["profit_low"] for e in evidence["by_learner"].values())
    assert chosen["profit"] <= best["profit"]
    text = describe_fit(model)
    assert "cross-fitted profit of each learner's targeting rule" in text
    assert f"chosen because {evidence['reason']}" in text
    model.save(tmp_path / "model")
    assert load_model(tmp_path / "model").documents["training"]["selection_by_profit"] == evidence
