"""Speed and memory track: each measurement in its own fresh interpreter (subprocess).

A fresh process per (model, size) makes peak memory honest: ``ru_maxrss`` of that process only,
reported with the resident set just before the timed call. Thread counts come from the
environment the parent pinned before any import (``OMP_NUM_THREADS=1`` and friends).
"""

import gc
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from _harness.isolation import WALL_FACTOR, killed_by_cpu_limit
from _harness.models import MODELS, availability
from _harness.tasks import churn_tasks

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "speed_worker.py")


def _run_worker(request, budget):
    """Run one measurement with a budget of ``budget`` CPU seconds for the timed call."""
    start = time.perf_counter()
    request = {**request, "cpu_budget": budget}
    try:
        completed = subprocess.run(
            [sys.executable, WORKER, json.dumps(request)],
            capture_output=True,
            text=True,
            timeout=budget * WALL_FACTOR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "error": f"skipped: > {budget * WALL_FACTOR:g} s wall clock"}
    if killed_by_cpu_limit(completed.returncode):
        return {"status": "timeout", "error": f"skipped: > {budget:g} CPU s"}
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            result["process_seconds"] = time.perf_counter() - start
            return result
    tail = (completed.stderr or "").strip().splitlines()[-3:]
    return {
        "status": "error",
        "error": f"worker exited {completed.returncode}: {' | '.join(tail)}"[:500],
    }


def _write_churn(n_samples, directory, log):
    start = time.perf_counter()
    (task,) = churn_tasks(n_samples, seed=0)
    np.save(os.path.join(directory, "X.npy"), task.X)
    np.save(os.path.join(directory, "y.npy"), task.y)
    np.save(os.path.join(directory, "treatment.npy"), task.treatment)
    info = {
        "n_samples": int(task.n_samples),
        "n_features": int(task.X.shape[1]),
        "generation_seconds": time.perf_counter() - start,
    }
    del task
    gc.collect()
    log(f"  make_churn({n_samples:,}) generated in {info['generation_seconds']:.1f} s")
    return info


def previous_from(record):
    """(largest size, seconds or None) per model from an earlier speed record, for extrapolation."""
    previous = {}
    for model in (record or {}).get("models", []):
        for n, row in sorted(model["sizes"].items(), key=lambda item: int(item[0])):
            ok = row.get("status") == "ok"
            previous[model["model"]] = (int(n), row["cpu_seconds"] if ok else None)
    return previous


def run_fit_speed(
    sizes, *, budgets, large_size=None, large_models=(), models=MODELS, previous=None, log=print
):
    """fit + predict (on the same rows) of each model at each size of make_churn."""
    unavailable = {}
    rows = {spec.name: {} for spec in models}
    previous = dict(previous or {})
    data_info = {}
    all_sizes = list(sizes) + ([large_size] if large_size else [])
    with tempfile.TemporaryDirectory(prefix="actionable-bench-") as directory:
        for n in all_sizes:
            eligible = [s for s in models if n in sizes or s.name in large_models]
            data_dir = os.path.join(directory, str(n))
            os.makedirs(data_dir)
            data_info[str(n)] = _write_churn(n, data_dir, log)
            budget = budgets[n]
            for spec in eligible:
                if spec.library not in unavailable:
                    unavailable[spec.library] = availability(spec.library)
                reason = unavailable[spec.library]
                if reason is not None:
                    rows[spec.name][str(n)] = {"status": "not installed", "error": reason}
                    continue
                last = previous.get(spec.name)
                if last is not None and last[1] is None:
                    rows[spec.name][str(n)] = {
                        "status": "skipped",
                        "error": f"skipped: did not finish at n={last[0]:,}",
                    }
                    continue
                if last is not None and last[1] * n / last[0] > budget:
                    rows[spec.name][str(n)] = {
                        "status": "skipped",
                        "error": f"skipped: {last[1]:.0f} CPU s at n={last[0]:,} extrapolates to "
                        f"~{last[1] * n / last[0]:.0f} CPU s > budget {budget:g} CPU s",
                    }
                    log(f"  {spec.name:<40} n={n:>10,} {rows[spec.name][str(n)]['error']}")
                    continue
                result = _run_worker(
                    {"kind": "fit", "model": spec.name, "data": data_dir, "framing": "churn"},
                    budget,
                )
                rows[spec.name][str(n)] = result
                if result["status"] == "ok":
                    previous[spec.name] = (n, result["cpu_seconds"])
                    log(
                        f"  {spec.name:<40} n={n:>10,} {result['seconds']:8.2f} s  "
                        f"cpu/wall {result['cpu_seconds'] / result['seconds']:.2f}  "
                        f"+{result['peak_increment_mib']:.0f} MiB"
                    )
                else:
                    previous[spec.name] = (n, None)
                    log(f"  {spec.name:<40} n={n:>10,} {result['status']}: {result['error']}")
            for name in os.listdir(data_dir):
                os.remove(os.path.join(data_dir, name))
    results = []
    for spec in models:
        results.append(
            {
                "model": spec.name,
                "library": spec.library,
                "family": spec.family,
                "construction": spec.construction,
                "sizes": rows[spec.name],
            }
        )
    add_ratios(results)
    return {
        "data": data_info,
        "budgets_seconds": {str(k): v for k, v in budgets.items()},
        "models": results,
    }


def add_ratios(results):
    """Seconds and peak increment divided by those of actionable's learner of the same family."""
    reference = {r["family"]: r for r in results if r["library"] == "actionable"}
    for record in results:
        base = reference.get(record["family"])
        if base is None:
            continue
        for n, row in record["sizes"].items():
            base_row = base["sizes"].get(n)
            if row.get("status") != "ok" or not base_row or base_row.get("status") != "ok":
                continue
            row["ratio_to_actionable"] = {
                "reference": base["model"],
                "seconds": row["seconds"] / base_row["seconds"],
                "peak_increment": (
                    row["peak_increment_mib"] / base_row["peak_increment_mib"]
                    if base_row["peak_increment_mib"] > 0
                    else None
                ),
            }


METRIC_FUNCTIONS = {
    "actionable": "actionable.metrics.qini_auc_score(y, uplift, treatment)",
    "scikit-uplift": "sklift.metrics.qini_auc_score(y, uplift, treatment)",
    "causalml": "causalml.metrics.qini_score(frame, outcome_col='y', treatment_col='w', "
    "normalize=True): its closest equivalent (area between the model's Qini curve and the "
    "random line, curve scaled by its final value, no tie grouping): a different normalization, "
    "so its values are not comparable, only its time; building the DataFrame is not timed",
}


def run_metric_speed(sizes, *, repeats, budget, log=print):
    """Time qini_auc_score (or the closest equivalent) at each size, in a fresh process each."""
    results = []
    for library, function in METRIC_FUNCTIONS.items():
        reason = None if library == "actionable" else availability(library)
        rows = {}
        for n in sizes:
            if reason is not None:
                rows[str(n)] = {"status": "not installed", "error": reason}
                continue
            request = {"kind": "metric", "library": library, "n": n, "repeats": repeats[n]}
            result = _run_worker(request, budget)
            rows[str(n)] = result
            if result["status"] == "ok":
                log(
                    f"  {library:<14} n={n:>11,} {result['seconds']:8.3f} s "
                    f"+{result['peak_increment_mib']:.0f} MiB"
                )
            else:
                log(f"  {library:<14} n={n:>11,} {result['status']}: {result['error']}")
        results.append({"library": library, "function": function, "sizes": rows})
    base = results[0]["sizes"]
    for record in results:
        for n, row in record["sizes"].items():
            if row.get("status") == "ok" and base.get(n, {}).get("status") == "ok":
                row["ratio_to_actionable"] = row["seconds"] / base[n]["seconds"]
                if record["library"] == "scikit-uplift":
                    row["abs_difference_to_actionable"] = abs(row["value"] - base[n]["value"])
    return {
        "data": "y ~ Bernoulli(0.10 + 0.05 * treatment * [uplift > 0]), "
        "treatment ~ Bernoulli(0.5), uplift ~ N(0, 1) (no ties), numpy default_rng(0)",
        "timing": "best of `repeats` calls in one fresh process per (library, size)",
        "repeats": {str(k): v for k, v in repeats.items()},
        "libraries": results,
    }
