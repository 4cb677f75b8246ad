"""Distributed curves and scores equal the in-memory ones on the same rows (to 1e-9)."""

import re

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from actionable import metrics
from actionable.distributed import uplift_counts
from actionable.economics import CostModel, profit_curve

TOLERANCE = 1e-9


def _close(expected, found):
    expected, found = np.asarray(expected, float), np.asarray(found, float)
    assert expected.shape == found.shape
    np.testing.assert_allclose(found, expected, rtol=TOLERANCE, atol=TOLERANCE)


@pytest.mark.parametrize("continuous", [False, True], ids=["binary", "continuous"])
def test_curves_and_areas_equal_the_in_memory_ones(dask_client, make_rows, weight, continuous):
    rows = make_rows(0, continuous=continuous)
    frame = dd.from_pandas(rows, npartitions=5)
    counts = uplift_counts(frame, outcome="y", score="score", treatment="t", sample_weight=weight)
    kw = {} if weight is None else {"sample_weight": rows["w"]}
    args = rows["y"], rows["score"], rows["t"]
    for name in ("qini_curve", "uplift_curve"):
        for expected, found in zip(
            getattr(metrics, name)(*args, **kw), getattr(counts, name)(), strict=True
        ):
            _close(expected, found)
    _close(metrics.qini_auc_score(*args, **kw), counts.qini_auc_score())
    _close(metrics.uplift_auc_score(*args, **kw), counts.uplift_auc_score())
    for expected, found in zip(
        metrics.perfect_qini_curve(rows["y"], rows["t"], **kw),
        counts.perfect_curve("qini"),
        strict=True,
    ):
        _close(expected, found)
    if not continuous:
        _close(
            metrics.qini_auc_score(*args, negative_effect=False, **kw),
            counts.qini_auc_score(negative_effect=False),
        )
    assert counts.n_distinct < 45  # the ties were merged across partitions
    assert counts.binary is not continuous


@pytest.mark.parametrize("strategy", ["overall", "by_group"])
@pytest.mark.parametrize("k", [0.3, 0.05, 17, 400])
def test_uplift_at_k_cuts_ties_as_in_memory(dask_client, make_rows, weight, strategy, k):
    rows = make_rows(1)
    counts = uplift_counts(
        dd.from_pandas(rows, npartitions=4), outcome="y", score="score", treatment="t",
        sample_weight=weight,
    )  # fmt: skip
    kw = {} if weight is None else {"sample_weight": rows["w"]}
    expected = metrics.uplift_at_k(rows["y"], rows["score"], rows["t"], strategy, k, **kw)
    _close(expected, counts.uplift_at_k(strategy, k))


def test_uplift_at_k_takes_tied_rows_in_row_order(dask_client):
    """A cut inside one tie: which tied rows are taken changes the answer; both agree."""
    rows = pd.DataFrame({"y": [1, 0, 0, 1, 1, 0, 1, 0], "t": [1, 1, 0, 0, 1, 0, 1, 0],
                         "score": [1.0] * 8})  # fmt: skip
    counts = uplift_counts(dd.from_pandas(rows, npartitions=3), outcome="y", score="score",
                           treatment="t")  # fmt: skip
    for k in (3, 5, 6):
        expected = metrics.uplift_at_k(rows["y"], rows["score"], rows["t"], "overall", k)
        _close(expected, counts.uplift_at_k("overall", k))


def test_profit_curve_equals_the_in_memory_one(dask_client, make_rows, weight):
    rows = make_rows(2)
    counts = uplift_counts(
        dd.from_pandas(rows, npartitions=3), outcome="y", score="score", treatment="t",
        sample_weight=weight,
    )  # fmt: skip
    costs = CostModel(80.0, cost_per_contact=3.0, incentive_cost=10.0, incentive_paid="on_success")
    kw = {} if weight is None else {"sample_weight": rows["w"]}
    expected = profit_curve(rows["y"], rows["score"], rows["t"], cost_model=costs, **kw)
    found = counts.profit_curve(costs)
    assert found[0].dtype == expected[0].dtype
    for a, b in zip(expected, found, strict=True):
        _close(a, b)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r.assign(score=r["score"].where(r.index != 2500)),
            "'score' (score) holds missing",
        ),
        (lambda r: r.assign(t=r["t"].where(r.index != 10, 2)), "partition 0 holds 2"),
        (lambda r: r.assign(t=0), "no treated rows"),
        (lambda r: r.drop(columns="y"), "column 'y' (outcome) is not in the data"),
        (lambda r: r.assign(w=-r["w"]), "negative weight"),
    ],
)
def test_bad_input_is_named(dask_client, make_rows, change, message):
    rows = change(make_rows(3))
    frame = dd.from_pandas(rows, npartitions=3)
    with pytest.raises(ValueError, match=re.escape(message)):
        uplift_counts(frame, outcome="y", score="score", treatment="t", sample_weight="w")
