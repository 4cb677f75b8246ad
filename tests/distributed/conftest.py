"""A two-worker Dask cluster for the tests of actionable.distributed (the dask extra).

The cluster is local, as the issue asks: two worker processes of one thread each, so
that partitions really travel between processes (pickled models, per-worker sums).
"""

import numpy as np
import pandas as pd
import pytest

REASON = "needs the dask extra (pip install 'actionable[dask]'), which `make test` installs"
pytest.importorskip("dask.dataframe", reason=REASON)
pytest.importorskip("distributed", reason=REASON)


@pytest.fixture(scope="session")
def dask_client():
    """A ``distributed.Client`` on ``LocalCluster(n_workers=2, threads_per_worker=1)``."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _random_rows(seed, *, continuous=False, n=3000, distinct=40):
    """Random rows with ties (``distinct`` scores), -0.0 beside 0.0, weights with zeros."""
    rng = np.random.default_rng(seed)
    score = rng.integers(-distinct // 2, distinct // 2, n) / 10.0
    score[::11] = -0.0
    y = rng.gamma(2.0, 3.0, n) * rng.integers(0, 2, n) if continuous else rng.integers(0, 2, n)
    return pd.DataFrame(
        {
            "y": y.astype(float),
            "t": rng.integers(0, 2, n),
            "score": score,
            "w": rng.integers(0, 4, n) * 0.75,  # a quarter of the rows weigh 0
        }
    )


@pytest.fixture(scope="session")
def make_rows():
    """``make_rows(seed, continuous=False, n=3000, distinct=40)``: random rows to measure."""
    return _random_rows


@pytest.fixture(params=["unweighted", "weighted"])
def weight(request):
    """The weight column of ``make_rows``'s rows, or None."""
    return None if request.param == "unweighted" else "w"
