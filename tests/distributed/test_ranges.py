"""Range-partitioned curves (the client holds a few numbers per range) equal the in-memory ones."""

import re

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from actionable import metrics
from actionable.distributed import auc_score_by_ranges, ranged_counts
from actionable.distributed._runs import choose_bounds, join_runs, score_run, split_run
from actionable.economics import CostModel, profit_curve

TOLERANCE = 1e-9


def _close(expected, found):
    np.testing.assert_allclose(float(found), float(expected), rtol=TOLERANCE, atol=TOLERANCE)


def _counts(rows, weight, npartitions=5, n_ranges=None):
    frame = dd.from_pandas(rows, npartitions=npartitions)
    return ranged_counts(frame, outcome="y", score="score", treatment="t", sample_weight=weight,
                         n_ranges=n_ranges)  # fmt: skip


def _kw(rows, weight):
    return {} if weight is None else {"sample_weight": rows["w"]}


@pytest.mark.parametrize("continuous", [False, True], ids=["binary", "continuous"])
@pytest.mark.parametrize(("distinct", "n_ranges"), [(40, None), (40, 1), (3000, 7), (3000, 60)])
def test_areas_equal_the_in_memory_ones(
    dask_client, make_rows, weight, continuous, distinct, n_ranges
):
    rows = make_rows(0, continuous=continuous, distinct=distinct)
    counts = _counts(rows, weight, n_ranges=n_ranges)
    args, kw = (rows["y"], rows["score"], rows["t"]), _kw(rows, weight)
    _close(metrics.qini_auc_score(*args, **kw), counts.qini_auc_score())
    _close(metrics.uplift_auc_score(*args, **kw), counts.uplift_auc_score())
    if continuous:
        with pytest.raises(ValueError, match="negative_effect=False needs a binary"):
            counts.qini_auc_score(negative_effect=False)
    else:
        expected = metrics.qini_auc_score(*args, negative_effect=False, **kw)
        _close(expected, counts.qini_auc_score(negative_effect=False))
    kept = rows if weight is None else rows[rows["w"] > 0]
    assert counts.n_rows == len(kept)
    assert counts.n_distinct == np.unique(kept["score"] + 0.0).size  # ties across ranges: once
    assert counts.binary is not continuous
    if n_ranges is not None:
        assert 1 <= counts.n_ranges <= n_ranges


@pytest.mark.parametrize("kind", ["qini", "uplift"])
def test_auc_score_by_ranges_is_the_ranged_area(dask_client, make_rows, weight, kind):
    rows = make_rows(4, n=6000, distinct=6000)
    frame = dd.from_pandas(rows, npartitions=6)
    function = metrics.qini_auc_score if kind == "qini" else metrics.uplift_auc_score
    expected = function(rows["y"], rows["score"], rows["t"], **_kw(rows, weight))
    found = auc_score_by_ranges(frame, outcome="y", score="score", treatment="t",
                                sample_weight=weight, kind=kind)  # fmt: skip
    _close(expected, found)


@pytest.mark.parametrize("strategy", ["overall", "by_group"])
@pytest.mark.parametrize("k", [0.3, 0.05, 17, 400])
def test_uplift_at_k_cuts_ties_as_in_memory(dask_client, make_rows, weight, strategy, k):
    rows = make_rows(1)
    counts = _counts(rows, weight, npartitions=4, n_ranges=6)
    expected = metrics.uplift_at_k(
        rows["y"], rows["score"], rows["t"], strategy, k, **_kw(rows, weight)
    )
    _close(expected, counts.uplift_at_k(strategy, k))


def test_uplift_at_k_takes_tied_rows_in_row_order(dask_client):
    """A cut inside one tie spread over partitions: which rows are taken changes the answer."""
    rows = pd.DataFrame({"y": [1, 0, 0, 1, 1, 0, 1, 0], "t": [1, 1, 0, 0, 1, 0, 1, 0],
                         "score": [1.0] * 8})  # fmt: skip
    counts = _counts(rows, None, npartitions=3)
    assert counts.n_ranges == 1  # one score: one range, whatever was asked
    answers = set()
    for k in (3, 5, 6):
        expected = metrics.uplift_at_k(rows["y"], rows["score"], rows["t"], "overall", k)
        _close(expected, counts.uplift_at_k("overall", k))
        answers.add(round(expected, 9))
    assert len(answers) > 1


@pytest.mark.parametrize("capacity", [None, 150, 0])
def test_best_profit_is_the_in_memory_curves_best(dask_client, make_rows, weight, capacity):
    rows = make_rows(2, distinct=500)
    counts = _counts(rows, weight, n_ranges=9)
    costs = CostModel(80.0, cost_per_contact=3.0, incentive_cost=10.0, incentive_paid="on_success")
    n_targeted, profit = profit_curve(rows["y"], rows["score"], rows["t"], cost_model=costs,
                                      **_kw(rows, weight))  # fmt: skip
    found = counts.best_profit(costs, capacity)
    best = int(np.argmax(profit))
    _close(profit[best], found["profit"])
    _close(n_targeted[best], found["n_targeted"])
    if capacity is None:
        assert found["at_capacity"] is None
    else:
        _close(profit[n_targeted <= capacity].max(), found["at_capacity"])
    assert found["profit"] > 0  # the case is not the trivial "contact nobody"


def test_empty_partitions_and_single_rows(dask_client, make_rows):
    rows = make_rows(3, n=400, distinct=400)
    frame = dd.from_pandas(rows, npartitions=4)
    frame = frame[frame["score"] > 0.5]  # some partitions hold nothing
    kept = rows[rows["score"] > 0.5]
    counts = ranged_counts(frame, outcome="y", score="score", treatment="t", n_ranges=50)
    _close(metrics.qini_auc_score(kept["y"], kept["score"], kept["t"]), counts.qini_auc_score())
    _close(metrics.uplift_at_k(kept["y"], kept["score"], kept["t"], k=7), counts.uplift_at_k(k=7))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.assign(score=r["score"].where(r.index != 2500)), "'score' (score) holds"),
        (lambda r: r.assign(t=r["t"].where(r.index != 10, 2)), "partition 0 holds 2"),
        (lambda r: r.assign(t=0), "no treated rows"),
        (lambda r: r.assign(t=1), "no control rows"),
        (lambda r: r.drop(columns="y"), "column 'y' (outcome) is not in the data"),
        (lambda r: r.assign(w=-r["w"]), "negative weight"),
    ],
)
def test_bad_input_is_named(dask_client, make_rows, change, message):
    frame = dd.from_pandas(change(make_rows(3)), npartitions=3)
    with pytest.raises(ValueError, match=re.escape(message)):
        ranged_counts(frame, outcome="y", score="score", treatment="t", sample_weight="w")


def test_split_and_join_keep_every_row_with_ties_in_input_order():
    rng = np.random.default_rng(5)
    parts = []
    for number in range(3):
        score = rng.integers(0, 6, 50).astype(float)
        # the outcome records where each row came from: partition and position
        parts.append(score_run(score, np.ones(50), number * 1000.0 + np.arange(50)))
    bounds = choose_bounds([(run.score, run.score.size) for run in parts], 4)
    assert np.all(np.diff(bounds) < 0)
    ranges = [join_runs(pieces) for pieces in zip(*(split_run(r, bounds) for r in parts),
                                                  strict=True)]  # fmt: skip
    joined = np.concatenate([r.score for r in ranges])
    assert joined.size == 150
    assert np.all(np.diff(joined) <= 0)
    for run in ranges:
        for value in np.unique(run.score):
            origin = run.outcome[run.score == value]
            assert np.all(np.diff(origin) > 0)  # ties: partition by partition, row by row
    assert len({value for r in ranges for value in np.unique(r.score)}) == np.unique(joined).size


@pytest.mark.parametrize("kind", ["qini", "uplift", "profit"])
def test_curve_points_are_points_of_the_in_memory_curve(dask_client, make_rows, weight, kind):
    rows = make_rows(6, n=5000, distinct=2000)
    counts = _counts(rows, weight, n_ranges=6)
    costs = CostModel(80.0, cost_per_contact=3.0)
    args, kw = (rows["y"], rows["score"], rows["t"]), _kw(rows, weight)
    if kind == "profit":
        expected_x, expected = profit_curve(*args, cost_model=costs, **kw)
    else:
        expected_x, expected = getattr(metrics, f"{kind}_curve")(*args, **kw)
    x, value = counts.curve(kind, n_points=50, cost_model=costs if kind == "profit" else None)
    assert x[0] == 0.0
    assert np.all(np.diff(x) > 0)
    assert 50 <= x.size <= 50 + counts.n_ranges + 1  # about n_points, plus the ranges' ends
    at = np.searchsorted(np.asarray(expected_x, dtype=float), x)
    np.testing.assert_allclose(np.asarray(expected_x, dtype=float)[at], x, rtol=0, atol=1e-9)
    np.testing.assert_allclose(value, np.asarray(expected)[at], rtol=1e-9, atol=1e-9)
    assert x[-1] == pytest.approx(float(expected_x[-1]))  # the end of the curve is exact


def test_curve_refuses_what_it_cannot_draw(dask_client, make_rows):
    counts = _counts(make_rows(7), None)
    with pytest.raises(ValueError, match="needs a cost_model"):
        counts.curve("profit")
    with pytest.raises(ValueError, match="kind must be"):
        counts.curve("gain")
