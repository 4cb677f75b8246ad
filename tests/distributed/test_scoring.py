"""Scoring a partitioned Parquet dataset: one output row per input row, never a short output."""

import threading
import time

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from actionable.datasets import make_churn
from actionable.distributed import read_parquet, score_to_parquet
from actionable.models import TLearner
from actionable.production import ColumnRoles, fit_model


@pytest.fixture(scope="module")
def model():
    data = make_churn(3000, random_state=0)
    return TLearner(random_state=0).fit(data.X, data.y, data.treatment)


def _write_dataset(folder, n_files, rows_per_file, seed=1):
    folder.mkdir()
    frames = []
    for number in range(n_files):
        data = make_churn(rows_per_file, random_state=seed + number)
        frame = data.X.assign(customer=[f"c{number}-{i}" for i in range(rows_per_file)])
        frame.to_parquet(folder / f"batch-{number:02d}.parquet", index=False)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_one_output_row_per_input_row_with_ids_intact(dask_client, model, tmp_path):
    expected = _write_dataset(tmp_path / "customers", n_files=5, rows_per_file=700)
    frame = read_parquet(tmp_path / "customers")
    parts = score_to_parquet(model, frame, tmp_path / "scores", id_column="customer")
    assert list(parts["rows"]) == [700] * 5
    scores = pd.read_parquet(tmp_path / "scores")
    assert list(scores.columns) == ["customer", "uplift"]
    assert list(scores["customer"]) == list(expected["customer"])  # same rows, same order
    np.testing.assert_allclose(scores["uplift"], model.predict(expected[model.feature_names_in_]))
    assert not list(tmp_path.glob(".scores.partial-*"))


def test_saved_model_writes_profit_and_targets(dask_client, tmp_path):
    data = make_churn(3000, random_state=0)
    frame = data.X.assign(offer=data.treatment, retained=data.y, customer=range(3000))
    roles = ColumnRoles("offer", "1", "retained", id_column="customer")
    from actionable.decision import DecisionCard

    card = DecisionCard(value_per_success=200.0, cost_per_contact=10.0)
    saved = fit_model(frame, roles, card=card, learner="t", random_state=0)
    new = make_churn(2000, random_state=5).X.assign(customer=np.arange(2000) + 10_000)
    score_to_parquet(saved, dd.from_pandas(new, npartitions=3), tmp_path / "out",
                     id_column="customer")  # fmt: skip
    scores = pd.read_parquet(tmp_path / "out")
    assert list(scores.columns) == ["customer", "uplift", "expected_profit", "target", "rank"]
    in_memory = saved.score(new)
    np.testing.assert_array_equal(scores["customer"], new["customer"])
    np.testing.assert_allclose(scores["uplift"], in_memory["uplift"], atol=1e-6)
    np.testing.assert_array_equal(scores["target"], in_memory["target"])  # no capacity: the rule
    np.testing.assert_array_equal(scores["rank"], in_memory["rank"])  # over the 3 partitions
    assert 0 < scores["target"].sum() < len(new)


def test_an_existing_output_is_never_overwritten(dask_client, model, tmp_path):
    (tmp_path / "scores").mkdir()
    frame = dd.from_pandas(make_churn(100, random_state=0).X, npartitions=2)
    with pytest.raises(ValueError, match="already exists"):
        score_to_parquet(model, frame, tmp_path / "scores")


class _Broken:
    """A model whose predictions come back one row short: the task fails, nothing is written."""

    feature_names_in_ = None

    def __init__(self, model):
        self.model = model

    def predict(self, X):
        return self.model.predict(X)[:-1]


def test_a_failed_partition_leaves_no_output(dask_client, model, tmp_path):
    frame = dd.from_pandas(make_churn(600, random_state=0).X, npartitions=3)
    with pytest.raises((ValueError, OSError)):
        score_to_parquet(_Broken(model), frame, tmp_path / "scores", features=list(frame.columns))
    assert not (tmp_path / "scores").exists()
    assert not list(tmp_path.glob(".scores.partial-*"))


class _Slow:
    """A model that takes its time, so that a worker can be restarted mid-scoring."""

    def __init__(self, model, seconds):
        self.model, self.seconds = model, seconds
        self.feature_names_in_ = model.feature_names_in_

    def predict(self, X):
        time.sleep(self.seconds)
        return self.model.predict(X)


def test_a_worker_restarted_mid_scoring_leaves_complete_output_or_a_clear_error(
    dask_client, model, tmp_path
):
    expected = _write_dataset(tmp_path / "customers", n_files=8, rows_per_file=200)
    frame = read_parquet(tmp_path / "customers")
    worker = sorted(dask_client.scheduler_info()["workers"])[0]
    restart = threading.Timer(
        1.5, dask_client.restart_workers, args=([worker],), kwargs={"timeout": 120}
    )
    restart.start()
    error = None
    try:
        score_to_parquet(_Slow(model, 0.5), frame, tmp_path / "scores", id_column="customer")
    except OSError as raised:  # the restart was not recovered: it must say so, write nothing
        error = str(raised)
    finally:
        restart.join()
    if error is None:
        scores = pd.read_parquet(tmp_path / "scores")
        assert list(scores["customer"]) == list(expected["customer"])
    else:
        assert "nothing was written" in error
        assert not (tmp_path / "scores").exists()
    print("restart mid-scoring:", "complete output" if error is None else error)
    assert not list(tmp_path.glob(".scores.partial-*"))
    dask_client.wait_for_workers(2, timeout=180)
