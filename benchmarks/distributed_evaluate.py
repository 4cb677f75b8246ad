"""Distributed ``evaluate`` on make_churn Parquet partitions, against the same pipeline in memory.

Usage::

    .venv/bin/python benchmarks/distributed_evaluate.py --rows 10000000 [--partition-rows 1000000]
        [--folder /tmp/churn-parquet] [--in-memory] [--fit] [--target] [--skip-evaluate]
        [--h2o] [--json results.json]

Steps, each timed:

1. **generate**: make_churn customers written as Parquet, one file of
   ``--partition-rows`` rows per task on the cluster's workers (never the whole table in
   one process), with an identifier, the offer and the outcome; kept in ``--folder``
   for the next run;
2. **model**: a saved model (``fit_model``: the default T-learner, $200 per retained
   customer, $10 per call) fitted in memory on 50,000 other customers;
3. **evaluate (Dask)**: :func:`actionable.distributed.evaluate_parquet` on a
   ``LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="4GB")``: both of the
   model's rankings scored partition by partition, exact Qini and uplift areas, uplift at
   30% and the profit curve, and the randomization check; then the peak resident memory
   of each worker process (``VmHWM``) and the rate in microseconds per row;
4. **evaluate (in memory)** with ``--in-memory``: every file read into one process,
   scored, the randomization check ``evaluate`` runs (``randomization_check``, seeded
   as ``evaluate`` seeds it) and the same figures from ``actionable.metrics`` /
   ``actionable.economics``; its own process, so that its peak memory is its own;
5. **fit (Dask)** with ``--fit``: :func:`actionable.distributed.fit_on_dask` of a
   T-learner on all the rows, its predict on 200,000 held-out customers
   (``make_churn(200_000, random_state=99)``) and their Qini;
6. **target (Dask)** with ``--target``: :func:`actionable.distributed.target_parquet`
   of the same model on the same files (scores, ``rank`` over all the files, written
   as Parquet), each worker's peak memory, and the ranks read back (1 to n, each once).
7. **fit (H2O)** with ``--h2o`` (needs ``pip install h2o`` and Java), after the Dask
   cluster is closed: H2O's UpliftDRF in the benchmark harness's configuration
   (``_harness.models._H2OUpliftForest.PARAMETERS``: 100 trees of depth 5, KL
   divergence, seed 0) on its own local H2O server (2 threads, an 8 GiB heap), which
   imports the Parquet files itself (``h2o.import_file``); the same rows and features as
   the T-learner, the offer as a factor. Fit and predict (upload of the held-out
   customers, scoring, the uplift column read back) are timed apart, with the same
   held-out Qini (``actionable.metrics.qini_auc_score``), the trees built and the
   server's peak resident memory (the Java process's ``VmHWM``); the server is stopped.

The machine's load average is recorded before and after: the timings are only
comparable at the same load.
"""

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

TRAIN_ROWS = 50_000
HELD_OUT_ROWS = 200_000
H2O_MEMORY = 8 << 30  # bytes: the H2O server's Java heap (-Xmx8g)


def write_partition(folder, number, rows, first_id):
    from actionable.datasets import make_churn

    data = make_churn(rows, random_state=1000 + number)
    frame = data.X.assign(offer=data.treatment.to_numpy(), retained=data.y.to_numpy())
    frame.insert(0, "customer_id", np.arange(first_id, first_id + rows))
    path = Path(folder) / f"part-{number:05d}.parquet"
    frame.to_parquet(path, index=False)
    return rows


def generate(folder, n_rows, partition_rows):
    import dask

    folder.mkdir(parents=True, exist_ok=True)
    sizes = [min(partition_rows, n_rows - start) for start in range(0, n_rows, partition_rows)]
    starts = np.cumsum([0, *sizes[:-1]])
    tasks = [
        dask.delayed(write_partition)(str(folder), number, size, int(start))
        for number, (size, start) in enumerate(zip(sizes, starts, strict=True))
    ]
    return sum(dask.compute(*tasks))


def saved_model(folder):
    from actionable.datasets import make_churn
    from actionable.decision import DecisionCard
    from actionable.production import ColumnRoles, fit_model, load_model

    if folder.exists():
        return load_model(folder)
    data = make_churn(TRAIN_ROWS, random_state=0)
    frame = data.X.assign(offer=data.treatment, retained=data.y)
    frame.insert(0, "customer_id", np.arange(TRAIN_ROWS) - TRAIN_ROWS)
    roles = ColumnRoles("offer", "1", "retained", id_column="customer_id")
    card = DecisionCard(value_per_success=200.0, cost_per_contact=10.0)
    model = fit_model(frame, roles, card=card, learner="t", random_state=0)
    model.save(folder)
    return load_model(folder)


def peak_memory_mib():
    """This process's peak resident memory in MiB: VmHWM (which ``_reset_peak`` restarts)."""
    peak = process_peak_mib("self")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def process_peak_mib(pid):
    """A process's peak resident memory in MiB (VmHWM in /proc), None where unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def in_memory(data_folder, model_folder):
    """The same pipeline in one process: read everything, score, the same figures."""
    import pandas as pd

    from actionable.economics import profit_curve
    from actionable.metrics import qini_auc_score, uplift_at_k, uplift_auc_score
    from actionable.production import load_model, randomization_check

    start = time.perf_counter()
    model = load_model(model_folder)
    rows = pd.read_parquet(data_folder)
    features = model.features(rows)
    uplift, _ = model.predict(features, n_jobs=-1)
    risk = model.outcome_model.predict_risk(features)  # both rankings, as evaluate_parquet
    y, t = rows["retained"].to_numpy(float), rows["offer"].to_numpy(float)
    seed = model.documents["training"]["cross_validation"]["seed"]  # as `evaluate` runs it
    check = randomization_check(features, model.roles.treatment_flags(rows), random_state=seed)
    result = {"rows": len(rows), "randomization_auc": check.auc.estimate}
    for name, score in (("uplift", uplift), ("outcome", risk)):
        profit = profit_curve(y, score, t, cost_model=model.cost_model)[1]
        result[name] = {
            "qini_auc": qini_auc_score(y, score, t),
            "uplift_auc": uplift_auc_score(y, score, t),
            "uplift_at_30": uplift_at_k(y, score, t, k=0.3),
            "profit_best": float(profit.max()),
        }
    result["seconds"] = time.perf_counter() - start
    result["peak_mib"] = peak_memory_mib()
    return result


def distributed_run(args):
    from distributed import Client, LocalCluster

    from actionable.distributed import evaluate_parquet

    result = {"rows": args.rows, "partition_rows": args.partition_rows}
    result["load_before"] = os.getloadavg()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="4GB",
                     dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        data_folder = args.folder / f"rows-{args.rows}"
        start = time.perf_counter()
        if not data_folder.exists():
            generate(data_folder, args.rows, args.partition_rows)
            result["generate_seconds"] = time.perf_counter() - start
        model = saved_model(args.folder / "model")
        if not args.skip_evaluate:
            client.run(_reset_peak)
            _reset_peak()
            start = time.perf_counter()
            summary = evaluate_parquet(model, data_folder)
            result["evaluate_seconds"] = time.perf_counter() - start
            result["microseconds_per_row"] = 1e6 * result["evaluate_seconds"] / args.rows
            result["worker_peak_mib"] = sorted(client.run(peak_memory_mib).values())
            result["client_peak_mib"] = peak_memory_mib()
            result["summary"] = summary
        if args.target:
            result["target"] = target_on_cluster(client, data_folder, model, args.folder)
        if args.fit:
            result["fit"] = fit_on_cluster(data_folder)
            result["worker_peak_mib_after_fit"] = sorted(client.run(peak_memory_mib).values())
            result["load_after_fit"] = os.getloadavg()
    if args.h2o:  # after the Dask cluster is gone: the server has the 2 cores to itself
        result["h2o"] = fit_on_h2o(data_folder)
    result["load_after"] = os.getloadavg()
    return result


def _reset_peak():
    """Start counting a worker's peak memory afresh (Linux: write 5 to clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _rank_sums(path):
    import pyarrow.parquet as pq

    rank = pq.read_table(path, columns=["rank"]).column("rank").to_numpy()
    return rank.size, int(rank.min()), int(rank.max()), int(rank.sum())


def target_on_cluster(client, data_folder, model, folder):
    """``target`` on the same files: wall time, each worker's peak, and the ranks checked.

    Ranks 1 to n each once have the sum n(n + 1) / 2, read back file by file.
    """
    import shutil

    import dask

    from actionable.distributed import target_parquet

    out = folder / "target-output"
    shutil.rmtree(out, ignore_errors=True)
    client.run(_reset_peak)
    start = time.perf_counter()
    parts = target_parquet(model, data_folder, out)
    seconds = time.perf_counter() - start
    peaks = sorted(client.run(peak_memory_mib).values())
    found = dask.compute(*[dask.delayed(_rank_sums)(name) for name in parts["file"]])
    n = sum(rows for rows, *_ in found)
    shutil.rmtree(out, ignore_errors=True)
    return {
        "seconds": seconds,
        "microseconds_per_row": 1e6 * seconds / n,
        "worker_peak_mib": peaks,
        "rows": n,
        "ranks_are_1_to_n": min(low for _, low, _, _ in found) == 1
        and max(high for _, _, high, _ in found) == n
        and sum(total for *_, total in found) == n * (n + 1) // 2,
    }


def fit_on_cluster(data_folder):
    from actionable.distributed import fit_on_dask, read_parquet
    from actionable.metrics import qini_auc_score
    from actionable.models import TLearner

    frame = read_parquet(data_folder).drop(columns="customer_id")
    start = time.perf_counter()
    model = fit_on_dask(TLearner(), frame, outcome="retained", treatment="offer")
    seconds = time.perf_counter() - start
    test = held_out()
    start = time.perf_counter()
    uplift = model.predict(test.X)  # in this process, as the fitted model is returned
    predict_seconds = time.perf_counter() - start
    qini = qini_auc_score(test.y, uplift, test.treatment)
    trees = [model.estimator_treatment_.n_trees_, model.estimator_control_.n_trees_]
    return {
        "seconds": seconds, "predict_seconds": predict_seconds, "held_out_qini": qini,
        "trees": trees,
    }  # fmt: skip


def held_out():
    """The 200,000 customers both fits are scored on (never in the Parquet folder)."""
    from actionable.datasets import make_churn

    return make_churn(HELD_OUT_ROWS, random_state=99)


def fit_on_h2o(data_folder):
    """H2O's UpliftDRF (the harness's configuration) on all the rows, on its own server.

    A local H2O server (one Java process, 2 threads: the whole machine, as the Dask
    cluster's 2 workers) imports the Parquet files itself; the features are the
    T-learner's (every column but the identifier, the offer and the outcome), the offer
    a factor (level "0" is the control). Fit and predict (the held-out rows sent to the
    server, scored, the uplift column read back) are timed apart; the server's peak
    resident memory is the Java process's VmHWM. The server is stopped at the end.
    """
    import h2o
    from h2o.backend import H2OLocalServer
    from h2o.estimators import H2OUpliftRandomForestEstimator

    from actionable.metrics import qini_auc_score

    sys.path.insert(0, str(Path(__file__).parent))
    from _harness.models import _H2OUpliftForest, _quiet_stdout

    with _quiet_stdout():  # H2O prints a version nag on every connection
        server = H2OLocalServer.start(nthreads=2, max_mem_size=H2O_MEMORY, port="54321+")
        h2o.connect(server=server, verbose=False)
    h2o.no_progress()
    result = {"parameters": _H2OUpliftForest.PARAMETERS, "max_mem_size": H2O_MEMORY}
    result["load_before"] = os.getloadavg()
    try:
        start = time.perf_counter()
        frame = h2o.import_file(str(data_folder), pattern=r".*\.parquet$")
        for column in ("offer", "retained"):
            frame[column] = frame[column].asfactor()
        result["import_seconds"] = time.perf_counter() - start
        result["rows"] = frame.nrows
        not_features = ("customer_id", "offer", "retained")
        features = [name for name in frame.columns if name not in not_features]
        model = H2OUpliftRandomForestEstimator(
            treatment_column="offer", **_H2OUpliftForest.PARAMETERS
        )
        start = time.perf_counter()
        model.train(x=features, y="retained", training_frame=frame)
        result["fit_seconds"] = time.perf_counter() - start
        result["trees"] = int(model.summary()["number_of_trees"][0])
        test = held_out()
        start = time.perf_counter()
        test_frame = h2o.H2OFrame(test.X)
        scoring = time.perf_counter()
        predicted = model.predict(test_frame)
        result["predict_on_server_seconds"] = time.perf_counter() - scoring
        uplift = predicted["uplift_predict"].as_data_frame()["uplift_predict"].to_numpy(float)
        result["predict_seconds"] = time.perf_counter() - start  # upload, score, download
        types = {name: (frame.types[name], test_frame.types[name]) for name in features}
        result["types_differ"] = {name: pair for name, pair in types.items() if len(set(pair)) > 1}
        result["enum_features"] = [name for name, pair in types.items() if pair[0] == "enum"]
        result["held_out_qini"] = qini_auc_score(test.y, uplift, test.treatment)
        result["server_peak_mib"] = process_peak_mib(server._process.pid)
        result["load_after"] = os.getloadavg()
    finally:
        h2o.connection().close()  # before the server goes: closing later fails at exit
        server.shutdown()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partition-rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/actionable-dask-bench"))
    parser.add_argument("--in-memory", action="store_true", help="also the in-memory pipeline")
    parser.add_argument("--fit", action="store_true", help="also fit a T-learner on Dask")
    parser.add_argument("--target", action="store_true", help="also run target (ranks, Dask)")
    parser.add_argument("--skip-evaluate", action="store_true", help="only --target / --fit")
    parser.add_argument("--h2o", action="store_true", help="also fit H2O's UpliftDRF")
    parser.add_argument("--json", type=Path, help="append the result to this JSON-lines file")
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_folder = args.folder / f"rows-{args.rows}"
    if args.memory_only:  # the child process of --in-memory
        print(json.dumps(in_memory(data_folder, args.folder / "model")))
        return
    result = distributed_run(args)
    if args.in_memory:
        child = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--folder", str(args.folder),
             "--memory-only"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        result["in_memory"] = json.loads(child.stdout.strip().splitlines()[-1])
        result["load_after_in_memory"] = os.getloadavg()
    text = json.dumps(result, indent=1, default=float)
    print(text)
    if args.json is not None:
        with open(args.json, "a") as handle:
            handle.write(json.dumps(result, default=float) + "\n")


if __name__ == "__main__":
    main()
