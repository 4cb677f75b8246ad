"""Time the production commands on large files: ``fit`` on 500,000 rows, ``target`` on 2,000,000.

Usage::

    .venv/bin/python benchmarks/production_commands.py [--fit-rows 500000]
        [--target-rows 2000000] [--json benchmarks/results/production_commands.json]

Each command runs as its own process (``python -m actionable.cli ...``), exactly as a
user runs it; the table reports its wall time, its CPU time (user + system, which a
shared machine's load changes much less than the wall time) and its peak resident
memory (the kernel's ``ru_maxrss`` of that process, from ``os.wait4``), with the
machine's load average when it started. The data are make_churn
customers written as CSV: the training file with an identifier, the offer and the
outcome; the scoring file with the identifier and the features only.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from actionable.datasets import make_churn


def write_data(folder, fit_rows, target_rows):
    train = make_churn(fit_rows, random_state=0)
    frame = train.X.assign(offer=np.where(train.treatment == 1, "call", "none"), retained=train.y)
    frame.insert(0, "customer_id", np.arange(fit_rows))
    frame.to_csv(folder / "train.csv", index=False)
    score = make_churn(target_rows, random_state=1)
    customers = score.X.copy()
    customers.insert(0, "customer_id", np.arange(target_rows) + 10_000_000)
    customers.to_csv(folder / "customers.csv", index=False)


def run(arguments, folder):
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "actionable.cli", *arguments],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    # wait4 needs the pipes drained first, or a chatty command would block on them
    out = process.stdout.read().decode()
    err = process.stderr.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{err}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, out.strip().splitlines()[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit-rows", type=int, default=500_000)
    parser.add_argument("--target-rows", type=int, default=2_000_000)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument("--write-data", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write_data is not None:
        write_data(args.write_data, args.fit_rows, args.target_rows)
        return 0
    with tempfile.TemporaryDirectory(prefix="actionable-bench-") as directory:
        folder = Path(directory)
        # in a child process: a command's peak memory (ru_maxrss) starts from the memory of
        # the process it was forked from, so this one must stay small
        subprocess.run(
            [sys.executable, __file__, "--write-data", str(folder),
             "--fit-rows", str(args.fit_rows), "--target-rows", str(args.target_rows)],
            check=True,
        )  # fmt: skip
        commands = {
            f"fit ({args.fit_rows:,} rows)": [
                "fit", "train.csv", "--treatment", "offer", "--treated", "call", "--outcome",
                "retained", "--id", "customer_id", "--value-per-success", "200",
                "--cost-per-contact", "10", "--incentive-cost", "50", "--capacity", "20000",
                "--out", "model", "--quiet",
            ],
            f"target ({args.target_rows:,} rows)": [
                "target", "--model", "model", "customers.csv", "--out", "calls.csv", "--quiet",
            ],
        }  # fmt: skip
        rows = []
        for name, arguments in commands.items():
            load = os.getloadavg()[0]
            seconds, cpu, peak, last_line = run(arguments, folder)
            rows.append(
                {"command": name, "wall_seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak,
                 "load_average_before": load}
            )  # fmt: skip
            print(
                f"{name:<28} {seconds:8.1f} s  (cpu {cpu:6.1f} s)  {peak:8.0f} MiB  "
                f"load {load:4.1f}   {last_line}",
                flush=True,
            )
    record = {
        "rows": rows,
        "machine": {
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "load_average": os.getloadavg(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    if args.json:
        args.json.write_text(json.dumps(record, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
