"""A two-worker Dask cluster for the tests of actionable.distributed (the dask extra).

The cluster is local, as the issue asks: two worker processes of one thread each, so
that partitions really travel between processes (pickled models, per-worker sums).
"""

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
